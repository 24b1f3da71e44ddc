#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace wsi {

// The process-wide built-in server: one ClassroomServer on 127.0.0.1 (a free port), started on
// first use in a thread of its own so that a flood it sends never competes with the inspector's
// UI thread. Resolves "builtin:MODE[?query]" URLs to its paths:
//   builtin:echo -> ws://127.0.0.1:PORT/echo, builtin:chat -> /chat,
//   builtin:push -> /push (format=counter unless the query names a format: "push #N", as always).
class BuiltinServers
{
public:
    static bool isBuiltinUrl(const QString& url);
    // "builtin:echo" -> "ws://127.0.0.1:PORT/echo". Starts the server if needed. Empty URL plus
    // errorMessage on failure (unknown mode, could not listen).
    static QUrl resolve(const QString& url, QString* errorMessage);
    static QStringList modes();
    static void shutdown();
};

} // namespace wsi
