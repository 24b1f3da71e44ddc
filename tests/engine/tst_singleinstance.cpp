#include "englishcatalogue.h"
#include "instance/singleinstance.h"

#include <QDir>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QTranslator>
#include <QtEndian>
#include <QtTest>

#include <atomic>
#include <memory>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

// A later launch in a thread of its own: its start() blocks until the first instance, served by
// the test's event loop, answers.
class LaterLaunch
{
public:
    LaterLaunch(const QString& path, const LaunchRequest& request, bool handOver)
    {
        m_thread.reset(QThread::create([this, path, request, handOver] {
            SingleInstance later(path);
            role = later.start(request, handOver, 5000);
            notice = later.notice();
            done = true;
        }));
        m_thread->start();
    }
    ~LaterLaunch() { m_thread->wait(); }

    std::atomic<bool> done = false;
    SingleInstance::Role role = SingleInstance::Role::Alone;
    QString notice;

private:
    std::unique_ptr<QThread> m_thread;
};

// A socket file that nobody listens on, as a window that crashed leaves it behind.
bool makeStaleSocket(const QString& path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    qstrncpy(addr.sun_path, QFile::encodeName(path).constData(), sizeof(addr.sun_path));
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 && ::listen(fd, 1) == 0;
    ::close(fd);
    return ok && QFileInfo::exists(path);
}

QByteArray lengthPrefix(quint32 size)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian(size, out.data());
    return out;
}

} // namespace

class tst_SingleInstance : public QObject
{
    Q_OBJECT
    // The English plural forms, as the application installs them ("1 byte", "22 bytes").
    QTranslator m_english;
private Q_SLOTS:
    void initTestCase() { QVERIFY(wsi::test::installEnglishCatalogue(m_english, QStringLiteral(WSI_QM_DIR))); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(u"wsinspector.socket"_s);
    }

    void requestRoundTrip()
    {
        const LaunchRequest request { { u"ws://127.0.0.1:9/feed"_s, u"-x"_s, u"line one\nline two 你好"_s, u""_s },
            u"/home/someone/a folder"_s };
        const Result<LaunchRequest> back = SingleInstance::decodeRequest(SingleInstance::encodeRequest(request));
        QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
        QCOMPARE(back->arguments, request.arguments);
        QCOMPARE(back->workingDirectory, request.workingDirectory);
    }

    void damagedRequestsNameTheProblem_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("error");
        const QByteArray good = SingleInstance::encodeRequest({ { u"ws://a/"_s }, u"/tmp"_s });
        QTest::newRow("other program") << QByteArray("GET / HTTP/1.1\r\n") << u"does not start with"_s;
        QTest::newRow("no folder") << good.left(good.indexOf('\0')) << u"names no working folder"_s;
        QTest::newRow("cut length") << good.left(good.size() - 9) << u"ends inside a field's length"_s;
        QTest::newRow("length beyond end")
            << good.left(good.size() - 2) << u"claims a length of 7, but the request ends 5 bytes later"_s;
        QTest::newRow("huge length") << QByteArray(good.left(good.indexOf('\0')) + lengthPrefix(0xffffffffu) + "x")
                                     << u"claims a length of 4294967295, but the request ends 1 byte later"_s;
    }
    void damagedRequestsNameTheProblem()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, error);
        const Result<LaunchRequest> r = SingleInstance::decodeRequest(payload);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().contains(error), qPrintable(r.errorMessage()));
    }

    void secondLaunchHandsItsArgumentsToTheFirst()
    {
        SingleInstance first(m_path);
        QCOMPARE(first.start({ {}, QDir::currentPath() }, true), SingleInstance::Role::Primary);
        QVERIFY(first.notice().isEmpty());
        const QString before = QDir::currentPath();
        QList<LaunchRequest> received;
        QString cwdInHandler;
        first.setHandler([&](const LaunchRequest& r) -> Result<void> {
            received.append(r);
            cwdInHandler = QDir::currentPath();
            return {};
        });

        const QStringList args { u"ws://127.0.0.1:9/two"_s, u"-x"_s, u"hello"_s };
        LaterLaunch second(m_path, { args, m_dir->path() }, true);
        QTRY_VERIFY(second.done);
        QCOMPARE(second.role, SingleInstance::Role::HandedOver);
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).arguments, args);
        // Relative paths in the options (--execute-file, --ca) mean the sender's folder ...
        QCOMPARE(QFileInfo(cwdInHandler).canonicalFilePath(), QFileInfo(m_dir->path()).canonicalFilePath());
        // ... and only while its request is handled.
        QCOMPARE(QDir::currentPath(), before);

        LaterLaunch third(m_path, { { u"builtin:echo"_s }, before }, true); // the first keeps serving
        QTRY_VERIFY(third.done);
        QCOMPARE(third.role, SingleInstance::Role::HandedOver);
        QCOMPARE(received.size(), 2);
    }

    void refusalReachesTheLaunchThatSentIt()
    {
        SingleInstance first(m_path);
        QCOMPARE(first.start({}, true), SingleInstance::Role::Primary);
        first.setHandler([](const LaunchRequest& r) -> Result<void> {
            return Error { u"Unknown option %1 (see --help)."_s.arg(r.arguments.value(0)), {} };
        });
        LaterLaunch second(m_path, { { u"--frobnicate"_s }, QDir::currentPath() }, true);
        QTRY_VERIFY(second.done);
        QCOMPARE(second.role, SingleInstance::Role::Refused);
        QCOMPARE(second.notice, u"Unknown option --frobnicate (see --help)."_s);
    }

    void requestsWaitForTheWindowToBeReady()
    {
        SingleInstance first(m_path);
        QCOMPARE(first.start({}, true), SingleInstance::Role::Primary);
        LaterLaunch second(m_path, { { u"ws://a/"_s }, QDir::currentPath() }, true);
        QTRY_COMPARE(first.waitingRequests(), 1); // no handler yet: neither refused nor lost
        QVERIFY(!second.done);
        QStringList handled;
        first.setHandler([&](const LaunchRequest& r) -> Result<void> {
            handled += r.arguments;
            return {};
        });
        QTRY_VERIFY(second.done);
        QCOMPARE(second.role, SingleInstance::Role::HandedOver);
        QCOMPARE(handled, QStringList { u"ws://a/"_s });
        QCOMPARE(first.waitingRequests(), 0);
    }

    void staleSocketIsRemovedAndReplaced()
    {
        QVERIFY(makeStaleSocket(m_path));
        {
            QLocalSocket probe;
            probe.connectToServer(m_path);
            QVERIFY(!probe.waitForConnected(1000));
            QCOMPARE(probe.error(), QLocalSocket::ConnectionRefusedError);
        }
        SingleInstance first(m_path);
        QCOMPARE(first.start({ { u"ws://a/"_s }, QDir::currentPath() }, true), SingleInstance::Role::Primary);
        QVERIFY2(first.notice().contains(u"Removed "_s + m_path), qPrintable(first.notice()));
        int handled = 0;
        first.setHandler([&](const LaunchRequest&) -> Result<void> {
            ++handled;
            return {};
        });
        LaterLaunch second(m_path, { { u"ws://b/"_s }, QDir::currentPath() }, true);
        QTRY_VERIFY(second.done);
        QCOMPARE(second.role, SingleInstance::Role::HandedOver);
        QCOMPARE(handled, 1);
    }

    void newWindowNeitherHandsOverNorTakesOver()
    {
        SingleInstance first(m_path);
        QCOMPARE(first.start({}, true), SingleInstance::Role::Primary);
        int handled = 0;
        first.setHandler([&](const LaunchRequest&) -> Result<void> {
            ++handled;
            return {};
        });
        LaterLaunch separate(m_path, { { u"ws://a/"_s }, QDir::currentPath() }, false);
        QTRY_VERIFY(separate.done);
        QCOMPARE(separate.role, SingleInstance::Role::Alone);
        QCOMPARE(handled, 0);
        // The first window still takes later launches.
        LaterLaunch later(m_path, { { u"ws://b/"_s }, QDir::currentPath() }, true);
        QTRY_VERIFY(later.done);
        QCOMPARE(later.role, SingleInstance::Role::HandedOver);
        QCOMPARE(handled, 1);
    }

    void newWindowListensWhenNoWindowDoes()
    {
        SingleInstance first(m_path);
        QCOMPARE(first.start({}, false), SingleInstance::Role::Primary);
    }

    void oversizedOrJunkRequestsAreDroppedUnhandled()
    {
        SingleInstance first(m_path);
        QCOMPARE(first.start({}, true), SingleInstance::Role::Primary);
        int handled = 0;
        first.setHandler([&](const LaunchRequest&) -> Result<void> {
            ++handled;
            return {};
        });
        QLocalSocket flood;
        QSignalSpy gone(&flood, &QLocalSocket::disconnected);
        flood.connectToServer(m_path);
        QVERIFY(flood.waitForConnected(2000));
        flood.write(lengthPrefix(quint32(SingleInstance::MaxRequestBytes + 1)) + QByteArray(64 * 1024, 'x'));
        QVERIFY(gone.wait(5000)); // cut off at the announced size, not after a megabyte arrived

        QLocalSocket junk;
        junk.connectToServer(m_path);
        QVERIFY(junk.waitForConnected(2000));
        junk.write(lengthPrefix(5) + "hello");
        QTRY_VERIFY(junk.bytesAvailable() > 5 || junk.state() == QLocalSocket::UnconnectedState);
        const QByteArray reply = junk.readAll();
        QVERIFY2(reply.mid(4).startsWith("R") && reply.contains("does not start with"), reply.constData());
        QCOMPARE(handled, 0);

        LaterLaunch later(m_path, { { u"ws://b/"_s }, QDir::currentPath() }, true);
        QTRY_VERIFY(later.done);
        QCOMPARE(later.role, SingleInstance::Role::HandedOver);
        QCOMPARE(handled, 1);
    }

    void closedWindowLeavesNoSocket()
    {
        {
            SingleInstance first(m_path);
            QCOMPARE(first.start({}, true), SingleInstance::Role::Primary);
            QVERIFY(QFileInfo::exists(m_path));
        }
        QVERIFY(!QFileInfo::exists(m_path));
        SingleInstance next(m_path);
        QCOMPARE(next.start({}, true), SingleInstance::Role::Primary);
        QVERIFY2(next.notice().isEmpty(), qPrintable(next.notice()));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
