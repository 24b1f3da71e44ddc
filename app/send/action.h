#pragma once

#include "send/messagecomposer.h"

#include <QByteArray>
#include <QString>

namespace wsi {

// One step of what a front end asked to do on an open connection.
struct Action
{
    enum class Kind {
        Send, // message (composed at send time: placeholders change per send), repeat times, intervalMs apart
        Ping, // payload
        Close, // closeCode, payload = reason (UTF-8); the steps after it are dropped
        FrameSize, // frameSize for the messages that follow (0 = Qt's default)
        Wait, // waitMs, then the next step
        CloseAfter, // waitMs, then close with 1000 if still open (-w)
    };
    Kind kind = Kind::Send;
    MessageRequest message;
    QByteArray payload;
    int closeCode = 1000;
    qint64 frameSize = 0;
    int waitMs = 0;
    int repeat = 1; // Send: how many times; 0 = until stopped
    int intervalMs = 0; // Send: between repeats

    static Action send(const MessageRequest& message, int repeat = 1, int intervalMs = 0);
    static Action text(const QString& text, bool placeholders = true);
    static Action binary(const QByteArray& bytes);
    static Action ping(const QByteArray& payload = {});
    static Action close(int code = 1000, const QString& reason = {});
    static Action frameSizeChange(qint64 bytes);
    static Action wait(int ms);
    static Action closeAfter(int ms);
};

} // namespace wsi
