#include "capturefilereader.h"

#include "capture/har.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wsi {

CaptureFileReader::CaptureFileReader() = default;
CaptureFileReader::~CaptureFileReader() = default;

Result<CaptureFileReader::Format> CaptureFileReader::open(const QString& path)
{
    m_file.setFileName(path);
    if (QFileInfo(path).isDir())
        return Error { tr("Cannot open %1: it is a folder.").arg(path), {} };
    if (!m_file.open(QIODevice::ReadOnly))
        return Error { tr("Cannot open %1: %2").arg(path, m_file.errorString()), {} };
    m_total = m_file.size();
    const QByteArray head = m_file.peek(64 * 1024);
    const bool harName = path.endsWith(u".har"_s, Qt::CaseInsensitive);
    if (JsonlReader::looksLikeCapture(head) && !(harName && Har::looksLikeHar(head))) {
        m_format = Format::Jsonl;
        m_jsonl = std::make_unique<JsonlReader>();
    } else if (Har::looksLikeHar(head)) {
        m_format = Format::Har;
        m_har = std::make_unique<HarReader>(&m_file);
        if (m_cancel)
            m_har->setCancelFlag(m_cancel);
    } else {
        return Error { tr("%1 is neither a WebSocket Inspector capture (JSON Lines: one {\"time\", \"event\", …} "
                          "object per line) nor a HAR file (JSON with \"log\": {\"entries\": […]}).")
                           .arg(QFileInfo(path).fileName()),
            {} };
    }
    return m_format;
}

void CaptureFileReader::setCancelFlag(std::shared_ptr<const std::atomic<bool>> cancel)
{
    m_cancel = std::move(cancel);
    if (m_har)
        m_har->setCancelFlag(m_cancel);
}

bool CaptureFileReader::hasChunk() const
{
    return m_jsonl ? m_jsonl->hasChunk() : m_har && m_har->hasChunk();
}

CaptureChunk CaptureFileReader::takeChunk()
{
    if (m_jsonl)
        return m_jsonl->takeChunk();
    return m_har ? m_har->takeChunk() : CaptureChunk();
}

bool CaptureFileReader::step()
{
    if (m_done || m_failed)
        return false;
    if (m_format == Format::Har) {
        const bool more = m_har->step(kBlockBytes);
        m_read = m_har->bytesRead();
        if (!more) {
            m_done = true;
            if (m_har->failed()) {
                m_error = m_har->error();
                m_failed = true;
            }
        }
        return more;
    }
    if (m_block.isEmpty())
        m_block.resize(kBlockBytes);
    const QByteArray& block = m_block;
    const qint64 n = m_file.read(m_block.data(), m_block.size());
    if (n < 0) {
        m_error = Error { tr("Cannot read %1: %2").arg(m_file.fileName(), m_file.errorString()), {} };
        m_failed = true;
        m_jsonl->finish();
        return false;
    }
    if (n == 0) {
        m_jsonl->finish();
        m_done = true;
        return false;
    }
    m_read += n;
    constexpr qint64 kPiece = 64 * 1024;
    for (qint64 off = 0; off < n; off += kPiece) {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
            m_done = true;
            return false;
        }
        m_jsonl->feed(QByteArrayView(block.constData() + off, std::min(kPiece, n - off)));
    }
    return true;
}

void CaptureFileReader::merge(QList<CapturedSession>* sessions, CaptureChunk&& chunk)
{
    const auto find = [sessions](int id) -> CapturedSession* {
        for (CapturedSession& s : *sessions) {
            if (s.connection.id == id)
                return &s;
        }
        return nullptr;
    };
    for (CapturedConnection& c : chunk.connections) {
        if (CapturedSession* s = find(c.id))
            s->connection = std::move(c);
        else
            sessions->append(CapturedSession { std::move(c), {} });
    }
    for (auto& [id, batch] : chunk.entries) {
        CapturedSession* s = find(id);
        if (!s) {
            sessions->append(CapturedSession());
            s = &sessions->last();
            s->connection.id = id;
        }
        s->entries.append(std::move(batch));
    }
}

Result<QList<CapturedSession>> CaptureFileReader::readAll(const QString& path, QStringList* notices)
{
    CaptureFileReader reader;
    if (Result<Format> f = reader.open(path); !f)
        return f.error();
    QList<CapturedSession> sessions;
    const auto take = [&] {
        CaptureChunk chunk = reader.takeChunk();
        if (notices)
            notices->append(chunk.notices);
        merge(&sessions, std::move(chunk));
    };
    while (reader.step())
        take();
    take();
    if (!reader.error().message.isEmpty())
        return reader.error();
    if (sessions.isEmpty())
        return Error { tr("%1 holds no connection.").arg(QFileInfo(path).fileName()), {} };
    return sessions;
}

} // namespace wsi
