#pragma once

#include "profiles/profile.h"
#include "util/result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

namespace wsi {

// Writes client (and matching echo server) code for a connection's settings, for the Code tab and
// `wsinspector --snippet LANG URL`. Every client connects with the profile's URL, headers,
// subprotocols, origin, timeout, TCP no-delay and deflate choice (or says in a comment why that
// platform cannot), sends one text message, prints what comes back and closes with 1000.
// Secret header values are never written out: a placeholder and a comment stand in for them.
class SnippetGenerator
{
    Q_DECLARE_TR_FUNCTIONS(wsi::SnippetGenerator)
public:
    enum class Language {
        WeChat, // wx.connectSocket in a mini program
        Browser,
        NodeWs,
        NodeWebsocket,
        Python,
        Qt,
        Wscat,
        Websocat,
        Cli,
        ServerWs,
        ServerWebsocket,
    };

    struct LanguageInfo
    {
        Language language;
        QString id; // "wx", "node-ws", ... (the --snippet argument)
        QString title; // "WeChat mini program", ...
        QString fileName; // a file name to save it under ("client.js"); empty for command lines
    };

    static QList<LanguageInfo> languages();
    // The language for an id such as "node-ws"; an Error listing the ids otherwise.
    static Result<Language> languageForId(const QString& id);

    // url is the address to connect to (a builtin: URL already resolved); empty = the profile's URL.
    static Result<QString> generate(Language language, const Profile& profile, const QUrl& url = {},
        const QString& message = QString()); // empty: "Hello from WebSocket Inspector"

    // String literals in each language's syntax (exposed for tests).
    static QString jsString(const QString& s);
    static QString pyString(const QString& s);
    static QString cppString(const QString& s);
    static QString shellWord(const QString& s);
};

} // namespace wsi
