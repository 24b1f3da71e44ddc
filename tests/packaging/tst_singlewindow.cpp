// Two (and more) real wsinspector processes under the offscreen platform, each test with its own
// runtime, temp and config folders: a later launch hands its URL to the first window.
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// A loopback WebSocket server that echoes text and remembers, per connection, the path asked
// for and the messages received: what the window did is what reaches it.
class RecordingServer : public QObject
{
public:
    struct Connection
    {
        QString path;
        QStringList texts;
        bool open = true;
    };

    RecordingServer()
        : m_server(u"tst_singlewindow"_s, QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket* socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                const qsizetype index = connections.size();
                connections.append({ socket->requestUrl().path(), {}, true });
                QObject::connect(
                    socket, &QWebSocket::textMessageReceived, this, [this, index, socket](const QString& t) {
                        connections[index].texts.append(t);
                        socket->sendTextMessage(t);
                    });
                QObject::connect(
                    socket, &QWebSocket::disconnected, this, [this, index] { connections[index].open = false; });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url(const QString& path) const { return u"ws://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path); }
    // The connections that asked for path (normally zero or one).
    QList<Connection> to(const QString& path) const
    {
        QList<Connection> out;
        for (const Connection& c : connections) {
            if (c.path == path)
                out.append(c);
        }
        return out;
    }
    bool openWith(const QString& path, const QString& text = {}) const
    {
        const QList<Connection> c = to(path);
        return c.size() == 1 && c.at(0).open && (text.isEmpty() || c.at(0).texts.contains(text));
    }

    QList<Connection> connections;

private:
    QWebSocketServer m_server;
};

} // namespace

class tst_SingleWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        for (const QString& d : { u"run"_s, u"tmp"_s, u"config"_s, u"data"_s, u"cache"_s })
            QVERIFY(QDir(m_home->path()).mkdir(d));
        QVERIFY(QFile::setPermissions(
            m_home->filePath(u"run"_s), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        m_server = std::make_unique<RecordingServer>();
        QVERIFY(m_server->listen());
    }

    void cleanup()
    {
        for (QProcess* p : std::as_const(m_processes)) {
            p->kill();
            p->waitForFinished(5000);
        }
        qDeleteAll(m_processes);
        m_processes.clear();
        m_server.reset();
        m_home.reset();
    }

    void secondLaunchOpensATabInTheFirstWindow()
    {
        QProcess* first = launch({ m_server->url(u"/first"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/first"_s), 30000);
        QVERIFY(QFileInfo::exists(socketPath()));

        // From another folder, with a capture file named relative to it.
        const QString elsewhere = m_home->filePath(u"elsewhere"_s);
        QVERIFY(QDir().mkpath(elsewhere));
        QProcess* second = launch(
            { m_server->url(u"/second"_s), u"-x"_s, u"hello from the second launch"_s, u"--capture"_s, u"cap.jsonl"_s },
            elsewhere);
        QTRY_COMPARE_WITH_TIMEOUT(second->state(), QProcess::NotRunning, 30000);
        QCOMPARE(second->exitStatus(), QProcess::NormalExit);
        QVERIFY2(second->exitCode() == 0, second->readAllStandardError().constData());

        // The URL and the message of the launch that has exited arrive from the window that runs on.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/second"_s, u"hello from the second launch"_s), 30000);
        QCOMPARE(first->state(), QProcess::Running);
        QVERIFY(m_server->openWith(u"/first"_s)); // the first tab stays
        QCOMPARE(m_server->to(u"/second"_s).size(), 1);
        // The window recorded where that launch ran, not where the window was started.
        const auto captured = [path = elsewhere + u"/cap.jsonl"_s] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        QTRY_VERIFY_WITH_TIMEOUT(captured().contains("hello from the second launch"), 30000);
        QVERIFY(!QFileInfo::exists(m_home->filePath(u"cap.jsonl"_s)));
    }

    void badOptionsGoBackToTheLaunchThatGaveThem()
    {
        launch({ m_server->url(u"/first"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/first"_s), 30000);
        QProcess* bad = launch({ m_server->url(u"/bad"_s), u"--frobnicate"_s });
        QTRY_COMPARE_WITH_TIMEOUT(bad->state(), QProcess::NotRunning, 30000);
        QCOMPARE(bad->exitCode(), 2);
        const QByteArray err = bad->readAllStandardError();
        QVERIFY2(err.contains("Unknown option --frobnicate"), err.constData());
        QVERIFY(m_server->to(u"/bad"_s).isEmpty());
    }

    void staleSocketOfACrashedWindowIsReplaced()
    {
        QProcess* crashed = launch({ m_server->url(u"/crashed"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/crashed"_s), 30000);
        crashed->kill(); // SIGKILL: nothing removes the socket file
        QVERIFY(crashed->waitForFinished(10000));
        QVERIFY(QFileInfo::exists(socketPath()));

        QProcess* next = launch({ m_server->url(u"/next"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/next"_s), 30000);
        QCOMPARE(next->state(), QProcess::Running); // it became the window, not a hand-over into nothing
        const QByteArray err = next->readAllStandardError();
        QVERIFY2(err.contains("no longer running"), err.constData());

        QProcess* later = launch({ m_server->url(u"/later"_s) });
        QTRY_COMPARE_WITH_TIMEOUT(later->state(), QProcess::NotRunning, 30000);
        QCOMPARE(later->exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/later"_s), 30000);
        QCOMPARE(next->state(), QProcess::Running);
    }

    void newWindowOpensAWindowOfItsOwn()
    {
        launch({ m_server->url(u"/first"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/first"_s), 30000);
        QProcess* separate = launch({ u"--new-window"_s, m_server->url(u"/separate"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/separate"_s), 30000);
        QCOMPARE(separate->state(), QProcess::Running);
        // The first window still takes the next launch, and the separate one does not quit.
        QProcess* later = launch({ m_server->url(u"/later"_s) });
        QTRY_COMPARE_WITH_TIMEOUT(later->state(), QProcess::NotRunning, 30000);
        QCOMPARE(later->exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/later"_s), 30000);
        QCOMPARE(separate->state(), QProcess::Running);
    }

    void terminalFrontEndNeverTalksToTheWindow()
    {
        launch({ m_server->url(u"/first"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/first"_s), 30000);
        QProcess* cli = launch({ u"--cli"_s, m_server->url(u"/cli"_s), u"-x"_s, u"terminal"_s, u"-w"_s, u"0.3"_s });
        QTRY_COMPARE_WITH_TIMEOUT(cli->state(), QProcess::NotRunning, 30000);
        QCOMPARE(cli->exitCode(), 0);
        const QByteArray out = cli->readAllStandardOutput();
        QVERIFY2(out.contains("terminal"), out.constData()); // the echo, printed by the terminal front end
        QCOMPARE(m_server->to(u"/cli"_s).size(), 1);
        QVERIFY(m_server->to(u"/cli"_s).at(0).texts.contains(u"terminal"_s));
    }

    // A logout or `kill` sends SIGTERM: the window ends as a quit does — its layout written, its
    // connection closed — instead of dying with whatever was not written yet.
    void terminationSavesTheLayoutAndEnds()
    {
        QProcess* window = launch({ m_server->url(u"/term"_s) });
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWith(u"/term"_s), 30000);
        const QString settings = m_home->filePath(u"config/wsinspector/wsinspector.conf"_s);
        QFile::remove(settings);
        window->terminate();
        QTRY_COMPARE_WITH_TIMEOUT(window->state(), QProcess::NotRunning, 30000);
        QCOMPARE(window->exitStatus(), QProcess::NormalExit);
        QCOMPARE(window->exitCode(), 0);
        QSettings saved(settings, QSettings::IniFormat);
        QVERIFY2(!saved.value(u"window/geometry"_s).toByteArray().isEmpty(), qPrintable(settings));
        QTRY_VERIFY_WITH_TIMEOUT(!m_server->to(u"/term"_s).value(0).open, 10000);
        QVERIFY(!QFileInfo::exists(socketPath())); // a clean end leaves no stale socket either
    }

private:
    QString socketPath() const { return m_home->filePath(u"run/wsinspector.socket"_s); }

    QProcess* launch(const QStringList& args, const QString& workingDirectory = {})
    {
        auto* p = new QProcess;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_RUNTIME_DIR"_s, m_home->filePath(u"run"_s));
        env.insert(u"TMPDIR"_s, m_home->filePath(u"tmp"_s));
        env.insert(u"HOME"_s, m_home->path());
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_home->filePath(u"data"_s));
        env.insert(u"XDG_CACHE_HOME"_s, m_home->filePath(u"cache"_s));
        env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
        env.remove(u"LANGUAGE"_s);
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        p->setProcessEnvironment(env);
        p->setWorkingDirectory(workingDirectory.isEmpty() ? m_home->path() : workingDirectory);
        p->start(QStringLiteral(WSI_BINARY), args);
        m_processes.append(p);
        return p;
    }

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<RecordingServer> m_server;
    QList<QProcess*> m_processes;
};

QTEST_GUILESS_MAIN(tst_SingleWindow)
#include "tst_singlewindow.moc"
