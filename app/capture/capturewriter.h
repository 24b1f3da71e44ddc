#pragma once

#include "log/logentry.h"
#include "util/result.h"
#include "wire/wiretypes.h"

#include <QFile>
#include <QJsonObject>
#include <QUrl>

class QThread;

namespace wsi {

// Records a session's events as JSON Lines (docs/capture-format.md), one object per line. Lines
// are buffered and written whole by flush(), which the owner calls at least every kFlushIntervalMs,
// so a crash loses at most that much and leaves only complete lines (plus at most one cut last line).
// A write error stops recording for good: failed() and errorString() say why.
class CaptureWriter
{
public:
    static constexpr int kFlushIntervalMs = 50;
    static constexpr qsizetype kBufferSize = 256 * 1024;

    CaptureWriter();
    ~CaptureWriter(); // flushes

    // Opens (appends to) path; the error names the file and says why it cannot be written.
    Result<void> open(const QString& path);
    bool isOpen() const { return m_file.isOpen(); }
    // Before handing the writer to another thread (the file object belongs to one thread).
    void moveToThread(QThread* thread);
    // Writes the buffered lines. Returns false when writing failed (now or before).
    bool flush();
    bool hasPending() const { return !m_buffer.isEmpty(); }
    bool failed() const { return !m_error.isEmpty(); }
    // For the user: which file could not be written and why.
    QString errorString() const { return m_error; }

    void connecting(int conn, const QUrl& url);
    // stage is a WireRelay::Stage value; info is the handshake as far as it is known.
    void stage(int conn, int stage, const HandshakeInfo& info);
    // Frames of the wire entries (messages and control frames), then a "message" event per data
    // message; other kinds are ignored.
    void entries(int conn, const LogBatch& batch);
    void closed(int conn, quint16 code, const QString& reason, const QString& description);
    void error(int conn, const QString& message);

    // The JSON object of one frame (without time, event, conn); payload is the frame's payload.
    static QJsonObject frameObject(const FrameInfo& frame, Direction dir, const QByteArray& payload, bool textMessage);
    static QJsonObject headObject(const HttpHead& head);
    // The "message" event of a complete data message: inflated payload, both sizes.
    static QJsonObject messageObject(const LogEntry& entry);

private:
    void write(qint64 timeUs, const char* event, int conn, const QJsonObject& fields);

    QFile m_file;
    QByteArray m_buffer;
    QString m_error;
};

} // namespace wsi
