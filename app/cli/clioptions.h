#pragma once

#include "profiles/profile.h"
#include "send/action.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace wsi {

// What to do once the connection is open, in the order the user gave it.
struct CliAction
{
    enum class Kind { Text, Binary, Ping, Close };
    Kind kind = Kind::Text;
    QByteArray data; // text as UTF-8, binary bytes, ping payload, close reason
    int closeCode = 1000;
};

// The terminal front end's command line, parsed and checked (options follow wscat's names).
struct CliOptions
{
    Profile profile;
    QString profileName; // --profile NAME: start from a saved profile
    QList<CliAction> actions;
    double waitSeconds = -1; // -w; < 0 = stay until the server closes or Ctrl+C
    bool verbose = false; // -v: handshake heads and one line per frame
    QString capturePath; // --capture FILE
    quint64 frameSize = 0; // --frame-size N
    bool showHelp = false;
    bool showVersion = false;
    bool newWindow = false; // --new-window: the window front end opens a window of its own
    // Teaching commands that print and exit without connecting.
    QString snippetLanguage; // --snippet LANG URL: client code for these options
    QString explainAcceptKey; // --explain-accept KEY
    bool generateKey = false; // --generate-key
    QString check; // --check miniprogram: judge the connection by a platform's rules instead of running it
    bool isTeachingCommand() const { return !snippetLanguage.isEmpty() || !explainAcceptKey.isEmpty() || generateKey; }
    bool explicitProfileFields = false; // any option that changes the profile was given
    // What was changed in the URL ("127.0.0.1:8080" has no scheme: taken as ws://...), for stderr.
    QStringList notices;

    static QString helpText();
    // The actions in the order given, for an ActionRunner: the frame size first, then the
    // messages (placeholders in -x expanded at send time), then -w's close.
    QList<Action> runnerActions() const;
};

class CliParser
{
    Q_DECLARE_TR_FUNCTIONS(wsi::CliParser)
public:
    // Parses the arguments after the program name (with or without "--cli"). On failure returns
    // false and sets a one-line error naming the argument and the problem.
    static bool parse(const QStringList& arguments, CliOptions* options, QString* error);
    // For --profile NAME: parses the arguments again on top of the saved profile of that name
    // (case-insensitive) so that every other option overrides it. Unknown name: false and a
    // one-line error listing the available names. Does nothing without --profile.
    static bool applyProfile(
        const QStringList& arguments, const QList<Profile>& available, CliOptions* options, QString* error);
};

} // namespace wsi
