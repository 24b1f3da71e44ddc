// Flow control and ordering between a connection (wire thread) and a slow consumer (this thread).
#include "session/connection.h"
#include "session/connectionthread.h"
#include "session/session.h"
#include "session/sessionevents.h"
#include "testhelpers.h"

#include <QCryptographicHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace wsi;
using wsi::test::waitForState;

namespace {

// A server in a thread of its own that answers the handshake and then writes count unmasked text
// frames of size bytes as fast as loopback takes them, then a close frame (1000), then hangs up.
class FloodServer : public QObject
{
public:
    FloodServer(int count, int size)
        : m_count(count)
        , m_size(size)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &FloodServer::onNewConnection);
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    // A count below zero: answer the handshake, then send nothing.
    bool closeFrameReceived() const { return m_closeFrameReceived.load(); }
    quint16 port() const { return m_server.serverPort(); }

    // Message i: "m0000042" followed by dots up to size bytes.
    static QByteArray message(int i, int size)
    {
        QByteArray m = 'm' + QByteArray::number(i).rightJustified(7, '0');
        if (m.size() < size)
            m.append(QByteArray(size - m.size(), '.'));
        return m;
    }

private:
    void onNewConnection()
    {
        m_socket = m_server.nextPendingConnection();
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            if (m_upgraded) {
                if (m_socket->readAll().startsWith(char(0x88))) // the client's close frame
                    m_closeFrameReceived = true;
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
            m_upgraded = true;
            m_socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: "
                + accept + "\r\n\r\n");
            pump();
        });
        connect(m_socket, &QTcpSocket::bytesWritten, this, &FloodServer::pump);
    }

    void pump()
    {
        if (!m_upgraded || m_closeSent || m_count < 0)
            return;
        while (m_sent < m_count && m_socket->bytesToWrite() < 1024 * 1024) {
            QByteArray chunk;
            for (int i = 0; i < 1000 && m_sent < m_count; ++i, ++m_sent) {
                const QByteArray payload = message(m_sent, m_size);
                chunk.append(char(0x81));
                chunk.append(char(payload.size())); // < 126
                chunk.append(payload);
            }
            m_socket->write(chunk);
        }
        if (m_sent == m_count) {
            m_closeSent = true;
            m_socket->write(QByteArray("\x88\x02\x03\xe8", 4));
            m_socket->disconnectFromHost(); // after the queued bytes
        }
    }

    QTcpServer m_server { this };
    QTcpSocket* m_socket = nullptr;
    QByteArray m_head;
    bool m_upgraded = false;
    bool m_closeSent = false;
    std::atomic<bool> m_closeFrameReceived = false;
    int m_sent = 0;
    const int m_count;
    const int m_size;
};

// Runs a FloodServer in its own thread for the lifetime of this object.
class FloodThread
{
public:
    FloodThread(int count, int size)
        : m_server(new FloodServer(count, size))
    {
        m_ok = m_server->listen();
        m_port = m_server->port();
        m_server->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
        m_thread.start();
    }
    ~FloodThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    bool ok() const { return m_ok; }
    quint16 port() const { return m_port; }
    bool closeFrameReceived() const { return m_server->closeFrameReceived(); }

private:
    QThread m_thread;
    FloodServer* m_server;
    bool m_ok = false;
    quint16 m_port = 0;
};

} // namespace

class tst_FlowControl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void slowConsumerLosesNothingAndBoundsWhatIsPending()
    {
        constexpr int kCount = 200000;
        constexpr int kSize = 100;
        FloodThread flood(kCount, kSize);
        QVERIFY(flood.ok());

        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(flood.port());
        Session session(p);
        int received = 0;
        int firstMismatch = -1;
        bool messageWhileNotOpen = false;
        bool closeFrameSeen = false;
        bool closeFrameAfterClosed = false;
        bool closedBeforeCloseFrame = false;
        int openStates = 0;
        connect(&session, &Session::entriesAdded, this, [&](const LogBatch& batch) {
            for (const LogEntry& e : batch) {
                if (e.kind == LogEntry::Kind::Text && e.dir == Direction::Receive) {
                    if (firstMismatch < 0 && e.payload != FloodServer::message(received, kSize))
                        firstMismatch = received;
                    ++received;
                    // The state the views read while handling this entry is not stale.
                    if (session.state() != Session::State::Open)
                        messageWhileNotOpen = true;
                } else if (e.kind == LogEntry::Kind::Close && e.dir == Direction::Receive) {
                    closeFrameSeen = true;
                    closeFrameAfterClosed = session.state() == Session::State::Closed;
                }
            }
            // A consumer much slower than the wire (20 µs per entry: a busy window, a slow terminal).
            QThread::usleep(20 * ulong(batch.size()));
        });
        connect(&session, &Session::stateChanged, this, [&](Session::State state) {
            if (state == Session::State::Open)
                ++openStates;
            if (state == Session::State::Closed && !closeFrameSeen)
                closedBeforeCloseFrame = true;
        });
        session.open();
        QVERIFY(waitForState(&session, Session::State::Closed, 120000));

        QCOMPARE(received, kCount);
        QCOMPARE(firstMismatch, -1);
        QCOMPARE(openStates, 1);
        QVERIFY(!messageWhileNotOpen);
        QVERIFY(closeFrameSeen);
        QVERIFY(!closedBeforeCloseFrame);
        QVERIFY(!closeFrameAfterClosed);
        QCOMPARE(session.closeCode(), quint16(1000));
        QVERIFY2(session.stateReason().contains(u"by the server"_s), qPrintable(session.stateReason()));

        const FlowControlStats stats = session.flowControlStats();
        qInfo() << "peak unacknowledged:" << stats.peakUnacknowledgedBytes << "bytes,"
                << stats.peakUnacknowledgedEntries << "entries; reading paused" << stats.pauses << "times";
        // The consumer really was slower: reading had to pause...
        QVERIFY(stats.pauses > 0);
        // ...and what was pending stayed within the bound plus one batch, whatever the stream's length.
        QVERIFY(stats.peakUnacknowledgedBytes <= Connection::kHighWaterBytes + EventBatcher::kMaxBytes);
        QVERIFY(stats.peakUnacknowledgedEntries <= Connection::kHighWaterEntries + EventBatcher::kMaxEntries);
    }

    void closingDuringBackPressurePublishesNothingAfterClosed()
    {
        // The user closes while reading is paused for a slow consumer: whatever the relay still
        // holds comes before Closed, or not at all; never after it.
        FloodThread flood(200000, 100);
        QVERIFY(flood.ok());
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(flood.port());
        Session session(p);
        bool closeRequested = false;
        int entriesAfterClosed = 0;
        connect(&session, &Session::entriesAdded, this, [&](const LogBatch& batch) {
            if (session.state() == Session::State::Closed || session.state() == Session::State::Failed)
                entriesAfterClosed += int(batch.size());
            if (!closeRequested && session.flowControlStats().pauses > 0) {
                closeRequested = true;
                QVERIFY(session.close(1000, u"bye"_s).ok());
            }
            QThread::usleep(50 * ulong(batch.size())); // much slower than the wire
        });
        session.open();
        QVERIFY(waitForState(&session, Session::State::Closed, 120000));
        QVERIFY(closeRequested);
        QCOMPARE(entriesAfterClosed, 0);
        // A paused relay resumed by later acknowledgements would publish here.
        QSignalSpy late(&session, &Session::entriesAdded);
        QVERIFY(!late.wait(3000));
        QCOMPARE(entriesAfterClosed, 0);
    }

    void backlogFromBeforeDoesNotTimeOutTheNextHandshake()
    {
        // A consumer far behind (reading is paused) when the next connection starts, as after an
        // auto-reconnect: the server's 101 is still read, so the handshake does not time out.
        FloodThread flood(10, 20);
        QVERIFY(flood.ok());
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(flood.port());
        p.handshakeTimeoutMs = 1500;
        Connection connection(p); // in this thread; its events are never taken, so never acknowledged
        for (qint64 i = 0; i <= Connection::kHighWaterEntries; ++i)
            connection.sendText(u"x"_s); // "Not connected" notes, unacknowledged
        QVERIFY(connection.isReadingPaused());
        connection.open();
        bool opened = false;
        bool failed = false;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const SessionEvents& batch : connection.takeEvents()) {
                    for (const SessionEvents::Marker& m : batch.markers) {
                        if (m.type == SessionEvents::Marker::Type::State) {
                            opened = opened || m.values.state == Session::State::Open;
                            failed = failed || m.values.state == Session::State::Failed;
                        }
                    }
                }
                return opened || failed;
            }(),
            10000);
        QVERIFY2(opened, "the handshake failed while the consumer was behind");
        QVERIFY(connection.isReadingPaused()); // and the backlog still holds the messages back
    }

    void oneBatchIsAppliedPerEventLoopTurn()
    {
        // With a backlog of batches, the window still gets event-loop turns between them: a call
        // queued while one batch is handled runs before the next batch arrives.
        FloodThread flood(100000, 100);
        QVERIFY(flood.ok());
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(flood.port());
        Session session(p);
        QObject context;
        bool turnPending = false;
        int batchesInSameTurn = 0;
        int messageBatches = 0;
        const auto newTurn = [&] { turnPending = false; };
        connect(&session, &Session::stateChanged, &context, newTurn);
        connect(&session, &Session::handshakeUpdated, &context, newTurn);
        connect(&session, &Session::entriesAdded, &context, [&](const LogBatch& batch) {
            // A batch is split around its value markers; only whole runs of messages count.
            if (batch.isEmpty() || batch.first().kind != LogEntry::Kind::Text)
                return;
            ++messageBatches;
            if (turnPending)
                ++batchesInSameTurn;
            turnPending = true;
            QMetaObject::invokeMethod(&context, newTurn, Qt::QueuedConnection);
            QThread::usleep(20 * ulong(batch.size())); // slow, so that batches pile up
        });
        session.open();
        QVERIFY(waitForState(&session, Session::State::Closed, 120000));
        QVERIFY(messageBatches > 2);
        QCOMPARE(batchesInSameTurn, 0);
    }

    void closeCodeIsKnownWhenTheCloseFrameArrives()
    {
        // Enough messages that the close frame comes well after Open, in a chunk of its own.
        FloodThread flood(20000, 100);
        QVERIFY(flood.ok());
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(flood.port());
        Session session(p);
        int codeSeenWithEntry = -1;
        bool frameSeenWithEntry = false;
        connect(&session, &Session::entriesAdded, this, [&](const LogBatch& batch) {
            for (const LogEntry& e : batch) {
                if (e.kind == LogEntry::Kind::Close && e.dir == Direction::Receive) {
                    codeSeenWithEntry = session.closeCode();
                    frameSeenWithEntry = session.closeFrameReceived();
                }
            }
        });
        session.open();
        QVERIFY(waitForState(&session, Session::State::Closed));
        QCOMPARE(codeSeenWithEntry, 1000);
        QVERIFY(frameSeenWithEntry);
    }

    void closeJustBeforeDestructionStillSendsTheCloseFrame()
    {
        FloodThread quiet(-1, 0);
        QVERIFY(quiet.ok());
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(quiet.port());
        {
            Session session(p);
            session.open();
            QVERIFY(waitForState(&session, Session::State::Open));
            QVERIFY(session.close(1000, u"tab closed"_s).ok());
        } // the tab goes away with the close still on its way
        QTRY_VERIFY(quiet.closeFrameReceived());
    }

    void openStateComesBeforeMessagesInTheSameSegmentAsThe101()
    {
        // The flood starts in the same TCP segment as the 101: the stream still says Open first.
        FloodThread flood(50, 20);
        QVERIFY(flood.ok());
        Profile p;
        p.url = u"ws://127.0.0.1:%1/"_s.arg(flood.port());
        Session session(p);
        QStringList order;
        connect(&session, &Session::entriesAdded, this, [&](const LogBatch& batch) {
            for (const LogEntry& e : batch) {
                if (e.isMessage() || (e.kind == LogEntry::Kind::Close && e.dir == Direction::Receive))
                    order.append(kindName(e.kind));
            }
        });
        connect(&session, &Session::stateChanged, this,
            [&](Session::State state) { order.append(Session::stateName(state)); });
        session.open();
        QVERIFY(waitForState(&session, Session::State::Closed));
        QCOMPARE(order.value(0), Session::stateName(Session::State::Connecting));
        QCOMPARE(order.value(1), Session::stateName(Session::State::Open));
        QCOMPARE(order.count(kindName(LogEntry::Kind::Text)), 50);
        QCOMPARE(order.value(order.size() - 2), kindName(LogEntry::Kind::Close));
        QCOMPARE(order.last(), Session::stateName(Session::State::Closed));
    }
};

QTEST_GUILESS_MAIN(tst_FlowControl)
#include "tst_flowcontrol.moc"
