// The one batcher: size caps, the short timer, and markers kept in place between entries.
#include "session/batcher.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
LogEntry text(const QByteArray& payload)
{
    LogEntry e;
    e.timeUs = 1;
    e.kind = LogEntry::Kind::Text;
    e.dir = Direction::Receive;
    e.payload = payload;
    return e;
}
} // namespace

class tst_Batcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fullBatchGoesOutAtOnce()
    {
        EventBatcher batcher;
        QSignalSpy ready(&batcher, &EventBatcher::ready);
        for (int i = 0; i < EventBatcher::kMaxEntries - 1; ++i)
            batcher.add(text("x"));
        QCOMPARE(ready.size(), 0);
        batcher.add(text("x"));
        QCOMPARE(ready.size(), 1); // synchronously, without waiting for the timer
        const auto batch = ready.first().first().value<SessionEvents>();
        QCOMPARE(batch.entries.size(), EventBatcher::kMaxEntries);
        QCOMPARE(batch.bytes, qint64(EventBatcher::kMaxEntries));
        QVERIFY(batcher.isEmpty());
    }

    void bigPayloadGoesOutAtOnce()
    {
        EventBatcher batcher;
        QSignalSpy ready(&batcher, &EventBatcher::ready);
        batcher.add(text(QByteArray(EventBatcher::kMaxBytes, 'b')));
        QCOMPARE(ready.size(), 1);
    }

    void aFewEntriesGoOutShortlyAfter()
    {
        EventBatcher batcher;
        QSignalSpy ready(&batcher, &EventBatcher::ready);
        batcher.add(text("one"));
        batcher.add(LogBatch { text("two"), text("three") });
        QCOMPARE(ready.size(), 0);
        QVERIFY(ready.wait(1000));
        const auto batch = ready.first().first().value<SessionEvents>();
        QCOMPARE(batch.entries.size(), 3);
        QCOMPARE(batch.entries.at(2).payload, QByteArray("three"));
        QCOMPARE(batch.bytes, qint64(11));
    }

    void compressedMessagesCountTheirWireBytes()
    {
        // A message that inflated to nothing still holds its compressed bytes until the consumer
        // takes it: flow control must see them, or a deflate server queues unbounded memory.
        EventBatcher batcher;
        QSignalSpy ready(&batcher, &EventBatcher::ready);
        LogEntry empty = text(QByteArray());
        empty.wirePayload = QByteArray(EventBatcher::kMaxBytes, '\0');
        batcher.add(empty);
        QCOMPARE(ready.size(), 1); // over the byte cap at once
        QCOMPARE(ready.first().first().value<SessionEvents>().bytes, EventBatcher::kMaxBytes);
        LogEntry small = text("abc");
        small.wirePayload = "abcde";
        batcher.add(LogBatch { small, text("xy") });
        QVERIFY(ready.wait(1000));
        QCOMPARE(ready.last().first().value<SessionEvents>().bytes, qint64(3 + 5 + 2));
    }

    void markersKeepTheirPlace()
    {
        EventBatcher batcher;
        QSignalSpy ready(&batcher, &EventBatcher::ready);
        SessionEvents::Marker open;
        open.type = SessionEvents::Marker::Type::State;
        open.values.state = SessionState::Open;
        batcher.addMarker(open);
        batcher.add(text("a"));
        batcher.add(text("b"));
        SessionEvents::Marker closed = open;
        closed.values.state = SessionState::Closed;
        batcher.addMarker(closed);
        batcher.flush();
        QCOMPARE(ready.size(), 1);
        const auto batch = ready.first().first().value<SessionEvents>();
        QCOMPARE(batch.markers.size(), 2);
        QCOMPARE(batch.markers.at(0).at, 0);
        QCOMPARE(batch.markers.at(0).values.state, SessionState::Open);
        QCOMPARE(batch.markers.at(1).at, 2);
        QCOMPARE(batch.markers.at(1).values.state, SessionState::Closed);
        batcher.flush(); // nothing pending: nothing sent
        QCOMPARE(ready.size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_Batcher)
#include "tst_batcher.moc"
