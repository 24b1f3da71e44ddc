#pragma once

#include "capture/capturedocument.h"
#include "util/result.h"

#include <QCoreApplication>

class QIODevice;

namespace wsi {

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) with WebSocket messages in Chrome
// DevTools' shape: an entry with "_resourceType": "websocket" and "_webSocketMessages" of
// {type: "send"|"receive"|"error", time: Unix seconds, opcode, data}; binary data is base64.
// Chrome, Playwright and mitmproxy write it; HTTP Toolkit, Proxyman and Reqable read it.
class Har
{
    Q_DECLARE_TR_FUNCTIONS(wsi::Har)
public:
    struct Content
    {
        CaptureChunk chunk; // every websocket entry as a connection, with its entries
        int websocketEntries = 0;
        int httpEntriesSkipped = 0;
    };

    // Every websocket entry becomes a connection (id = its position among them, from 1); HTTP
    // entries are counted and skipped. Errors name what is missing; a HAR without a websocket
    // entry is an error too. A HAR in memory, read with HarReader (files are streamed with it).
    static Result<Content> read(const QByteArray& json);
    static bool looksLikeHar(QByteArrayView head);

    // Writes the sessions as one HAR 1.2 log: the real request and response heads, the timings
    // the relay measured, and every message (control frames have no place in Chrome's shape).
    static Result<void> write(QIODevice* out, const QList<CapturedSession>& sessions);
};

} // namespace wsi
