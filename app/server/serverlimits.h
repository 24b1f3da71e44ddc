#pragma once

#include <QtGlobal>

namespace wsi {

// What one classroom server accepts before it refuses, so that it is safe to leave running in a
// room full of phones. Every refusal reaches the client as a close code and a reason it can read
// (or an HTTP status with a text body).
struct ServerLimits
{
    int maxClients = 200; // WebSocket clients at once; one more is closed with 1008 (Qt 6.4 clients reject 1013)
    qint64 maxMessageBytes = 1024 * 1024; // larger messages are closed with 1009
    int messagesPerSecond = 20; // per client, sustained; above it 1008
    int messageBurst = 40; // messages a client may send at once before the rate applies
    int maxHeadBytes = 8 * 1024; // an HTTP request head above it gets 431
    int headTimeoutMs = 10000; // a connection that sends no complete head in time is dropped
    int maxLongPollMs = 30000; // /poll?wait= is capped to this
    int maxHeldPolls = 200; // long polls held at once; one more gets 503
    int maxChannels = 32; // named event sources (/poll and /push?channel=)
    qint64 maxQueuedBytes = 4 * 1024 * 1024; // a client that reads slower than this is closed with 1008
    int maxPushSize = 1024 * 1024; // /push?size= is capped to this
};

} // namespace wsi
