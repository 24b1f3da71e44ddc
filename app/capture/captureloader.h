#pragma once

#include "capture/capturedocument.h"
#include "capture/capturefilereader.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace wsi {

class CaptureLoaderWorker;

// Opens a capture or HAR file for the window without blocking it: a worker thread reads and
// parses, chunks arrive in order through chunkReady() (the first within a block's parse time),
// progress() follows the bytes, and cancel() stops within a block keeping what was read (the
// reader itself watches the flag, so the destructor's join is short). At most
// kMaxChunksInFlight chunks wait for the consumer: the worker pauses until acknowledge().
class CaptureLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxChunksInFlight = 4;
    static constexpr int kChunkIntervalMs = 100;

    explicit CaptureLoader(QObject* parent = nullptr);
    ~CaptureLoader() override; // stops and joins the worker

    void start(const QString& path);
    void cancel();
    // Bytes the reader has parsed so far, kept up to date by the worker at every block and still
    // readable after the loader is gone (tests check that closing a tab stopped the parse).
    std::shared_ptr<const std::atomic<qint64>> parsedBytes() const { return m_parsed; }
    bool isRunning() const { return m_running; }
    QString path() const { return m_path; }

Q_SIGNALS:
    // The format is known (or open() failed: then finished() follows with the error).
    void opened(wsi::CaptureFileReader::Format format, qint64 totalBytes);
    // Take the chunk; the loader counts it as taken when the signal returns.
    void chunkReady(const wsi::CaptureChunk& chunk);
    void progress(qint64 bytesRead, qint64 totalBytes);
    // error: why the file could not be read (empty when it was read to the end or cancelled).
    void finished(bool cancelled, const QString& error);

private:
    void onChunk(const wsi::CaptureChunk& chunk);

    QThread* m_thread = nullptr;
    CaptureLoaderWorker* m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<qint64>> m_parsed = std::make_shared<std::atomic<qint64>>(0);
    QString m_path;
    bool m_running = false;
};

// The worker side (lives in the loader's thread); not for use on its own.
class CaptureLoaderWorker : public QObject
{
    Q_OBJECT
public:
    CaptureLoaderWorker(std::shared_ptr<std::atomic<bool>> cancel, std::shared_ptr<std::atomic<qint64>> parsed);
    void run(const QString& path);
    void taken(); // one chunk was taken by the consumer

Q_SIGNALS:
    void opened(wsi::CaptureFileReader::Format format, qint64 totalBytes);
    void chunkReady(const wsi::CaptureChunk& chunk);
    void progress(qint64 bytesRead, qint64 totalBytes);
    void finished(bool cancelled, const QString& error);

private:
    void step();
    void send();

    CaptureFileReader m_reader;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<qint64>> m_parsed;
    int m_inFlight = 0;
    bool m_stepPosted = false;
    bool m_done = false;
    qint64 m_lastSendMs = 0;
    qint64 m_startedMs = 0;
    bool m_firstSent = false;
};

} // namespace wsi
