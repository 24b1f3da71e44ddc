#pragma once

#include "log/logentry.h"
#include "wire/wiretypes.h"

#include <QFile>
#include <QJsonObject>
#include <QUrl>

namespace wsi {

// Records a session's events as JSON Lines (docs/capture-format.md), one object per line,
// flushed per event so that a crash loses nothing already written.
class CaptureWriter
{
public:
    CaptureWriter();
    ~CaptureWriter();

    // Opens (appends to) path. Returns an error message, or empty on success.
    QString open(const QString& path);
    bool isOpen() const { return m_file.isOpen(); }

    void connecting(int conn, const QUrl& url);
    // stage is a WireRelay::Stage value; info is the handshake as far as it is known.
    void stage(int conn, int stage, const HandshakeInfo& info);
    // Frames of the wire entries (messages and control frames); other kinds are ignored.
    void entries(int conn, const LogBatch& batch);
    void closed(int conn, quint16 code, const QString& reason, const QString& description);
    void error(int conn, const QString& message);

    // The JSON object of one frame (without time, event, conn); payload is the frame's payload.
    static QJsonObject frameObject(const FrameInfo& frame, Direction dir, const QByteArray& payload, bool textMessage);
    static QJsonObject headObject(const HttpHead& head);

private:
    void write(qint64 timeUs, const char* event, int conn, const QJsonObject& fields);

    QFile m_file;
};

} // namespace wsi
