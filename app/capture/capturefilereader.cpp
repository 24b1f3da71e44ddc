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
        if (m_total > Har::kMaxFileBytes)
            return Error { tr("%1 is a HAR file of %2 MiB; HAR files are read whole and at most %3 MiB are accepted.")
                               .arg(path)
                               .arg(m_total >> 20)
                               .arg(Har::kMaxFileBytes >> 20),
                {} };
    } else {
        return Error { tr("%1 is neither a WebSocket Inspector capture (JSON Lines: one {\"time\", \"event\", …} "
                          "object per line) nor a HAR file (JSON with \"log\": {\"entries\": […]}).")
                           .arg(QFileInfo(path).fileName()),
            {} };
    }
    return m_format;
}

bool CaptureFileReader::hasChunk() const
{
    return m_jsonl ? m_jsonl->hasChunk() : !m_harChunk.isEmpty();
}

CaptureChunk CaptureFileReader::takeChunk()
{
    if (m_jsonl)
        return m_jsonl->takeChunk();
    CaptureChunk out = std::move(m_harChunk);
    m_harChunk = CaptureChunk();
    return out;
}

bool CaptureFileReader::step()
{
    if (m_done || m_failed)
        return false;
    if (m_format == Format::Har) {
        const QByteArray all = m_file.read(Har::kMaxFileBytes + 1);
        m_read = all.size();
        m_done = true;
        Result<Har::Content> content = Har::read(all);
        if (!content) {
            m_error = content.error();
            m_failed = true;
            return false;
        }
        m_harChunk = std::move(content->chunk);
        if (content->httpEntriesSkipped > 0)
            m_harChunk.notices.prepend(
                tr("%n HTTP entry(s) of the HAR file skipped (only WebSocket entries are opened).", nullptr,
                    content->httpEntriesSkipped));
        return false;
    }
    QByteArray block(kBlockBytes, Qt::Uninitialized);
    const qint64 n = m_file.read(block.data(), block.size());
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
    m_jsonl->feed(QByteArrayView(block.constData(), n));
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
