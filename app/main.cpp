// Entry point: picks the front end (window or terminal) and wires it to the engine.
#include "capture/capturedocuments.h"
#include "cli/capturecommands.h"
#include "cli/clifrontend.h"
#include "cli/clioptions.h"
#include "cli/servecommand.h"
#include "cli/teachingcommands.h"
#include "instance/singleinstance.h"
#include "mainwindow.h"
#include "profiles/profilestore.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "session/sessionview.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QSocketNotifier>
#include <QTranslator>

#include <csignal>
#include <cstdio>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

int g_signalFds[2] = { -1, -1 };

void onSigint(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_signalFds[0], &c, 1);
}

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void installTranslators(QCoreApplication& app)
{
    auto* qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(QLocale(), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    // A locale without a catalogue of its own sees the English source text, so it gets the English
    // catalogue too: it holds the plural forms of the %n strings ("1 byte", not "1 byte(s)").
    auto* translator = new QTranslator(&app);
    if (translator->load(QLocale(), u"wsinspector"_s, u"_"_s, u":/i18n"_s)
        || translator->load(u"wsinspector_en"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(translator);
}

// --profile NAME: the saved profile (or a built-in one) under the other options. A damaged
// profile file is reported but does not stop a run that does not need it.
bool applySavedProfile(const QStringList& args, wsi::CliOptions* options, QString* error)
{
    if (options->profileName.isEmpty())
        return true;
    wsi::ProfileStore store;
    if (!store.load())
        QTextStream(stderr) << "wsinspector: " << store.errorString() << Qt::endl;
    store.waitForSecrets();
    return wsi::CliParser::applyProfile(args, wsi::Profile::builtins() + store.profiles(), options, error);
}

void onSignalQuit(QCoreApplication& app, QObject* context, std::function<void()> handler)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto* notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [handler] {
        char c;
        [[maybe_unused]] auto n = ::read(g_signalFds[1], &c, 1);
        handler();
    });
    std::signal(SIGINT, onSigint);
    std::signal(SIGTERM, onSigint);
}

// `wsinspector --serve [--listen ADDR:PORT]`: the classroom server without a window.
int runServe(QCoreApplication& app, const QStringList& args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    wsi::ServeCommand serve(out, err);
    if (!serve.start(args))
        return serve.exitCode();
    onSignalQuit(app, &serve, [&serve] { serve.stop(); });
    QObject::connect(&serve, &wsi::ServeCommand::finished, &app, [](int code) { QCoreApplication::exit(code); });
    return app.exec();
}

int runCli(QCoreApplication& app, const QStringList& args)
{
    QTextStream err(stderr);
    if (wsi::CaptureCommands::isCaptureCommand(args)) { // --convert, --replay
        wsi::CaptureCommands command(args);
        QObject::connect(
            &command, &wsi::CaptureCommands::finished, &app, [](int code) { QCoreApplication::exit(code); });
        if (!command.start())
            return command.exitCode();
        const int code = app.exec();
        wsi::BuiltinServers::shutdown();
        return code;
    }
    wsi::CliOptions options;
    QString error;
    if (!wsi::CliParser::parse(args, &options, &error) || !applySavedProfile(args, &options, &error)) {
        err << "wsinspector: " << error << Qt::endl;
        return wsi::CliFrontend::ExitUsage;
    }
    for (const QString& notice : std::as_const(options.notices))
        err << "wsinspector: " << notice << Qt::endl;
    if (options.showHelp) {
        QTextStream(stdout) << wsi::CliOptions::helpText();
        return 0;
    }
    if (options.showVersion) {
        QTextStream(stdout) << "wsinspector " << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    if (options.isTeachingCommand()) {
        QTextStream out(stdout);
        const int code = wsi::TeachingCommands::run(options, out, err);
        out.flush();
        return code;
    }
    wsi::CliFrontend frontend(options);
    onSignalQuit(app, &frontend, [&frontend] { frontend.interrupt(); });
    QObject::connect(&frontend, &wsi::CliFrontend::finished, &app, [](int code) { QCoreApplication::exit(code); });
    if (!frontend.start())
        return frontend.exitCode();
    const int code = app.exec();
    wsi::BuiltinServers::shutdown();
    return code;
}

// `wsinspector [URL [options]]`: a tab for the URL, connected, with the command line's messages
// sent once it is open; without arguments the first-run greeting on the built-in echo server.
// Used for this launch and for later launches that hand their arguments over (SingleInstance).
wsi::Result<void> openCommandLineTab(wsi::MainWindow& window, const QStringList& raw, const QString& workingDirectory)
{
    // `wsinspector FILE...`: capture and HAR files open as read-only tabs.
    if (!raw.isEmpty() && std::all_of(raw.cbegin(), raw.cend(), [](const QString& a) {
            return wsi::CaptureDocuments::isCaptureFile(a) && !a.startsWith(u'-');
        })) {
        for (const QString& file : raw) {
            const QString path = QDir(workingDirectory).absoluteFilePath(file);
            if (!QFileInfo::exists(path))
                return wsi::Error { QCoreApplication::translate("main", "%1: no such file.").arg(path), {} };
            window.openCaptureFile(path);
        }
        return {};
    }
    wsi::CliOptions options;
    if (!raw.isEmpty()) {
        QString error;
        if (!wsi::CliParser::parse(raw, &options, &error) || !applySavedProfile(raw, &options, &error))
            return wsi::Error { error, {} };
        if (options.profileName.isEmpty())
            options.profile.name = options.profile.url; // the tab shows the address it was given
    } else {
        options.profile = wsi::Profile::builtinEcho();
        options.actions.append({ wsi::CliAction::Kind::Text, QByteArrayLiteral("Hello from WebSocket Inspector"), 0 });
    }
    // Every action option of the command line (or the first-run greeting) goes through the same
    // runner as the terminal front end's; failures appear in the tab's log.
    wsi::SessionView* view = window.openCommandLine(options);
    view->sendPanel()->setText(u"{\"hello\": \"world\"}"_s);
    return {};
}

} // namespace

int main(int argc, char* argv[])
{
    QStringList raw;
    for (int i = 1; i < argc; ++i)
        raw.append(QString::fromLocal8Bit(argv[i]));
    bool wantCli = raw.contains(u"--cli"_s) || raw.contains(u"--help"_s) || raw.contains(u"-h"_s)
        || raw.contains(u"--version"_s);
    for (const QString& a : std::as_const(raw)) { // teaching commands print and exit
        for (const auto& command :
            { u"--snippet"_s, u"--explain-accept"_s, u"--generate-key"_s, u"--convert"_s, u"--replay"_s })
            wantCli = wantCli || a == command || a.startsWith(command + u'=');
    }

    QCoreApplication::setApplicationName(u"wsinspector"_s);
    QCoreApplication::setOrganizationName(u"wsinspector"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));

    if (wsi::ServeCommand::isServeCommand(raw)) {
        QCoreApplication app(argc, argv);
        installTranslators(app);
        return runServe(app, raw);
    }
    if (wantCli || !hasDisplay()) {
        QCoreApplication app(argc, argv);
        installTranslators(app);
        QStringList args = raw;
        if (!wantCli) {
            QTextStream(stderr) << QCoreApplication::translate("main",
                "wsinspector: no display (DISPLAY and WAYLAND_DISPLAY are unset): running the terminal front end.")
                                << Qt::endl;
            if (args.isEmpty())
                args = { u"builtin:echo"_s, u"-x"_s, u"Hello from WebSocket Inspector"_s, u"-w"_s, u"1"_s };
        }
        return runCli(app, args);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QApplication::translate("main", "WebSocket Inspector"));
    QApplication::setWindowIcon(QIcon(u":/icons/wsinspector.svg"_s));
    installTranslators(app);

    // One window per user: while one is open, this launch's arguments become a tab in it.
    wsi::SingleInstance instance;
    switch (instance.start({ raw, QDir::currentPath() }, !raw.contains(u"--new-window"_s))) {
    case wsi::SingleInstance::Role::HandedOver:
        return 0;
    case wsi::SingleInstance::Role::Refused:
        QTextStream(stderr) << "wsinspector: " << instance.notice() << Qt::endl;
        return wsi::CliFrontend::ExitUsage;
    case wsi::SingleInstance::Role::Primary:
    case wsi::SingleInstance::Role::Alone:
        if (!instance.notice().isEmpty())
            QTextStream(stderr) << "wsinspector: " << instance.notice() << Qt::endl;
        break;
    }

    wsi::MainWindow window;
    instance.setHandler([&window](const wsi::LaunchRequest& request) -> wsi::Result<void> {
        window.raise();
        window.activateWindow();
        if (request.arguments.isEmpty()) // a plain second launch: show the window that is open
            return {};
        return openCommandLineTab(window, request.arguments, request.workingDirectory);
    });
    if (const wsi::Result<void> opened = openCommandLineTab(window, raw, QDir::currentPath()); !opened) {
        QTextStream(stderr) << "wsinspector: " << opened.errorMessage() << Qt::endl;
        return wsi::CliFrontend::ExitUsage;
    }
    window.show();
    // A logout or `kill` ends the window without a close event: keep what can be kept, then end
    // as a quit does (tabs close their connections with a close frame as the window goes).
    onSignalQuit(app, &window, [&window] { window.endOnSignal(); });
    const int code = app.exec();
    wsi::BuiltinServers::shutdown();
    return code;
}
