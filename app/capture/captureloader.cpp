#include "captureloader.h"

#include <QDateTime>
#include <QThread>

namespace wsi {

CaptureLoader::CaptureLoader(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<wsi::CaptureChunk>();
    qRegisterMetaType<wsi::CaptureFileReader::Format>();
}

CaptureLoader::~CaptureLoader()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
    }
}

void CaptureLoader::start(const QString& path)
{
    Q_ASSERT(!m_thread); // one file per loader
    m_path = path;
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("wsi-capture-loader"));
    m_worker = new CaptureLoaderWorker(m_cancel, m_parsed);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CaptureLoaderWorker::opened, this, &CaptureLoader::opened);
    connect(m_worker, &CaptureLoaderWorker::chunkReady, this, &CaptureLoader::onChunk);
    connect(m_worker, &CaptureLoaderWorker::progress, this, &CaptureLoader::progress);
    connect(m_worker, &CaptureLoaderWorker::finished, this, [this](bool cancelled, const QString& error) {
        m_running = false;
        Q_EMIT finished(cancelled, error);
    });
    m_thread->start();
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, path] { worker->run(path); }, Qt::QueuedConnection);
}

void CaptureLoader::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void CaptureLoader::onChunk(const CaptureChunk& chunk)
{
    Q_EMIT chunkReady(chunk);
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &CaptureLoaderWorker::taken, Qt::QueuedConnection);
}

CaptureLoaderWorker::CaptureLoaderWorker(
    std::shared_ptr<std::atomic<bool>> cancel, std::shared_ptr<std::atomic<qint64>> parsed)
    : m_cancel(std::move(cancel))
    , m_parsed(std::move(parsed))
{
    m_reader.setCancelFlag(m_cancel);
}

void CaptureLoaderWorker::run(const QString& path)
{
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    const Result<CaptureFileReader::Format> format = m_reader.open(path);
    if (!format) {
        m_done = true;
        Q_EMIT finished(false, format.errorMessage());
        return;
    }
    Q_EMIT opened(*format, m_reader.totalBytes());
    step();
}

void CaptureLoaderWorker::taken()
{
    --m_inFlight;
    if (!m_done && !m_stepPosted && m_inFlight < CaptureLoader::kMaxChunksInFlight) {
        m_stepPosted = true;
        QMetaObject::invokeMethod(this, &CaptureLoaderWorker::step, Qt::QueuedConnection);
    }
}

void CaptureLoaderWorker::send()
{
    if (!m_reader.hasChunk())
        return;
    ++m_inFlight;
    m_lastSendMs = QDateTime::currentMSecsSinceEpoch();
    m_firstSent = true;
    Q_EMIT chunkReady(m_reader.takeChunk());
    Q_EMIT progress(m_reader.bytesRead(), m_reader.totalBytes());
}

void CaptureLoaderWorker::step()
{
    m_stepPosted = false;
    if (m_done)
        return;
    // Blocks until the consumer has fallen behind; a chunk at least every kChunkIntervalMs, and
    // the first one as soon as it holds anything, so that the first rows show at once.
    while (m_inFlight < CaptureLoader::kMaxChunksInFlight) {
        if (m_cancel->load()) {
            m_done = true;
            send();
            Q_EMIT finished(true, {});
            return;
        }
        const bool more = m_reader.step();
        m_parsed->store(m_reader.bytesRead());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (!more) {
            m_done = true;
            send();
            Q_EMIT progress(m_reader.bytesRead(), m_reader.totalBytes());
            if (m_cancel->load())
                Q_EMIT finished(true, {});
            else
                Q_EMIT finished(false, m_reader.error().message);
            return;
        }
        if (!m_firstSent || now - m_lastSendMs >= CaptureLoader::kChunkIntervalMs) {
            send();
            // Let queued calls (taken, cancel) in between blocks.
            m_stepPosted = true;
            QMetaObject::invokeMethod(this, &CaptureLoaderWorker::step, Qt::QueuedConnection);
            return;
        }
    }
}

} // namespace wsi
