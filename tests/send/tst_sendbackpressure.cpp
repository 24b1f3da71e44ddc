// Send-side back-pressure: what the user sends may not pile up in memory without bound when the
// wire does not take it. A repeat with interval 0 waits for the backlog and resumes when the server
// reads again; a send over the bound is refused with a message that says why.
#include "send/actionrunner.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QCryptographicHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::waitForState;

namespace {

// Answers the opening handshake, then reads nothing until drain(): its kernel buffers fill, the
// relay's upstream backlog reaches its bound and the relay stops reading the client's side, so
// whatever the client sends next can only wait in the client's memory.
class StubbornServer : public QObject
{
public:
    StubbornServer() { connect(&m_server, &QTcpServer::newConnection, this, &StubbornServer::onNewConnection); }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    qint64 bytesRead() const { return m_read; }
    void drain()
    {
        m_draining = true;
        readMore();
    }

private:
    void onNewConnection()
    {
        m_socket = m_server.nextPendingConnection();
        connect(m_socket, &QTcpSocket::readyRead, this, &StubbornServer::readMore);
    }

    void readMore()
    {
        if (!m_socket)
            return;
        if (m_upgraded) {
            if (m_draining)
                m_read += m_socket->readAll().size();
            return;
        }
        m_head += m_socket->readAll();
        if (!m_head.contains("\r\n\r\n"))
            return;
        QByteArray key;
        for (const QByteArray& line : m_head.split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        }
        const QByteArray accept = QCryptographicHash::hash(
            QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                      .toBase64();
        m_socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: "
            + accept + "\r\n\r\n");
        m_upgraded = true;
        // From now on Qt reads at most this much ahead of us, so not reading holds the client back.
        m_socket->setReadBufferSize(64 * 1024);
    }

    QTcpServer m_server { this };
    QTcpSocket* m_socket = nullptr;
    QByteArray m_head;
    bool m_upgraded = false;
    bool m_draining = false;
    qint64 m_read = 0;
};

} // namespace

class tst_SendBackpressure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repeatWaitsForTheWireAndResumes()
    {
        StubbornServer server;
        QVERIFY(server.listen());
        Profile profile;
        profile.url = u"ws://127.0.0.1:%1/"_s.arg(server.port());
        Session session(profile);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));

        constexpr qsizetype kSize = 64 * 1024;
        ActionRunner runner(&session);
        QSignalSpy failed(&runner, &ActionRunner::failed);
        runner.start({ Action::send(
            [] {
                MessageRequest m;
                m.kind = MessageRequest::Kind::Bytes;
                m.bytes = QByteArray(kSize, 'r');
                return m;
            }(),
            0, 0) }); // until stopped, no pause between sends

        // The server reads nothing: the repeat must stop by itself, with a small backlog.
        QTRY_VERIFY_WITH_TIMEOUT(runner.isWaitingForSendQueue(), 60000);
        const int sentWhenHeld = runner.repeatSent();
        QVERIFY2(session.queuedSendBytes() <= SendQueueLimits::kLowWaterBytes + kSize,
            qPrintable(QString::number(session.queuedSendBytes())));
        // What went out fits in the socket buffers and the relay's bounded buffers, not more.
        QVERIFY2(qint64(sentWhenHeld) * kSize < 96 * 1024 * 1024, qPrintable(QString::number(sentWhenHeld)));
        QCOMPARE(server.bytesRead(), qint64(0));

        // The server reads again: the repeat goes on by itself, and nothing failed.
        server.drain();
        QTRY_VERIFY_WITH_TIMEOUT(runner.repeatSent() >= sentWhenHeld + 100, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(server.bytesRead() >= qint64(sentWhenHeld + 50) * kSize, 60000);
        runner.stop();
        QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
    }

    void sendsBeyondTheBoundAreRefused()
    {
        StubbornServer server;
        QVERIFY(server.listen());
        Profile profile;
        profile.url = u"ws://127.0.0.1:%1/"_s.arg(server.port());
        Session session(profile);
        session.open();
        QVERIFY(waitForState(&session, Session::State::Open));

        // A caller that sends in a loop without returning to the event loop: accepted until the
        // backlog passes the bound, then refused, never queued without limit.
        const QByteArray mib(1024 * 1024, 'm');
        int accepted = 0;
        Result<void> sent;
        while (accepted < 1000 && (sent = session.sendBinary(mib)))
            ++accepted;
        QVERIFY(!sent);
        QVERIFY2(sent.errorMessage().contains(u"still waiting to reach the server"_s), qPrintable(sent.errorMessage()));
        QVERIFY2(accepted <= SendQueueLimits::kHighWaterBytes / mib.size() + 64, qPrintable(QString::number(accepted)));
        QVERIFY(session.queuedSendBytes() <= SendQueueLimits::kHighWaterBytes);

        // One huge message still goes once the backlog has drained.
        server.drain();
        QSignalSpy drained(&session, &Session::sendQueueDrained);
        session.notifyWhenSendQueueDrained();
        QVERIFY(drained.wait(60000));
        QVERIFY(session.queuedSendBytes() <= SendQueueLimits::kLowWaterBytes);
        const Result<void> huge = session.sendBinary(QByteArray(SendQueueLimits::kHighWaterBytes + 1, 'h'));
        QVERIFY2(huge.ok(), qPrintable(huge.errorMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(server.bytesRead() >= qint64(accepted + 16) * mib.size(), 60000);
    }
};

QTEST_GUILESS_MAIN(tst_SendBackpressure)
#include "tst_sendbackpressure.moc"
