#include "log/messagelogmodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using namespace wsi::MessageLogModelDefs;

namespace {
LogEntry text(qint64 n, Direction dir = Direction::Receive, int size = 100, qint64 timeUs = 0)
{
    LogEntry e;
    e.timeUs = timeUs ? timeUs : 1'700'000'000'000'000 + n * 1000;
    e.kind = LogEntry::Kind::Text;
    e.dir = dir;
    e.payload = "push #" + QByteArray::number(n);
    if (e.payload.size() < size)
        e.payload.append(size - e.payload.size(), '.');
    return e;
}

LogBatch batch(qint64 from, int count)
{
    LogBatch b;
    for (int i = 0; i < count; ++i)
        b.append(text(from + i));
    return b;
}
} // namespace

class tst_MessageLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendInBatchesKeepsEveryEntryByteExact()
    {
        MessageLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendBatch(batch(1, 1000));
        model.appendBatch(batch(1001, 2500));
        LogEntry ping;
        ping.kind = LogEntry::Kind::Ping;
        ping.dir = Direction::Send;
        ping.payload = "hb";
        LogEntry close;
        close.kind = LogEntry::Kind::Close;
        close.dir = Direction::Receive;
        close.closeCode = 1001;
        close.payload = QByteArray("\x03\xe9going away", 12);
        FrameInfo f1;
        f1.opcode = OpText;
        f1.fin = false;
        f1.length = 3;
        FrameInfo f2;
        f2.opcode = OpContinuation;
        f2.length = 2;
        f2.payloadOffset = 3;
        f2.masked = true;
        f2.maskKey = 0x01020304;
        f2.violations = { u"RSV1 set without an extension"_s };
        LogEntry fragmented = text(0);
        fragmented.payload = "hello";
        fragmented.frames = { f1, f2 };
        model.appendBatch({ ping, close, fragmented });

        QCOMPARE(inserted.size(), 3); // one insertion per batch, not per message
        QCOMPARE(model.rowCount(), 3503);
        for (int row : { 0, 999, 1000, 3499 }) {
            const LogEntry e = model.entryAt(row);
            QCOMPARE(e.payload, text(row + 1).payload);
            QCOMPARE(e.timeUs, text(row + 1).timeUs);
            QCOMPARE(model.index(row, NumberColumn).data().toLongLong(), row + 1);
        }
        QCOMPARE(model.entryAt(3500).kind, LogEntry::Kind::Ping);
        QCOMPARE(model.index(3500, DirectionColumn).data().toString(), u"↑"_s);
        QCOMPARE(model.index(3501, PreviewColumn).data().toString(), u"1001 going away"_s);
        const LogEntry back = model.entryAt(3502);
        QCOMPARE(back.frames.size(), 2);
        QCOMPARE(back.frames.at(1).payloadOffset, 3u);
        QCOMPARE(back.frames.at(1).maskKey, 0x01020304u);
        QVERIFY(back.frames.at(1).masked);
        QVERIFY(!back.frames.at(0).fin);
        QCOMPARE(back.frames.at(1).violations, QStringList { u"RSV1 set without an extension"_s });
        QCOMPARE(model.index(3502, 0).data(FrameCountRole).toInt(), 2);
        QCOMPARE(model.counters().messagesIn, 3501);
        QCOMPARE(model.counters().bytesIn, 3500 * 100 + 5);
    }

    void previewEscapesControlsAndShowsBinaryAsHex()
    {
        MessageLogModel model;
        LogEntry t = text(1);
        t.payload = "line one\nline\ttwo\x01";
        LogEntry b;
        b.kind = LogEntry::Kind::Binary;
        b.dir = Direction::Receive;
        b.payload = QByteArray::fromHex("deadbeef00");
        model.appendBatch({ t, b });
        QCOMPARE(model.index(0, PreviewColumn).data().toString(), u"line one\\nline\\ttwo\\x01"_s);
        QCOMPARE(model.index(1, PreviewColumn).data().toString(), u"de ad be ef 00"_s);
        QCOMPARE(model.index(1, SizeColumn).data().toInt(), 5);
    }

    // A ping or pong with binary payload (Python websockets' random 4-byte pings) shows as hex like
    // a binary message, not as mojibake; a text payload stays text (audit 15).
    void previewShowsBinaryPingsAsHex_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("preview");
        QTest::newRow("random ping") << int(LogEntry::Kind::Ping) << QByteArray::fromHex("ef8c9100")
                                     << u"ef 8c 91 00"_s;
        QTest::newRow("random pong") << int(LogEntry::Kind::Pong) << QByteArray::fromHex("9a7fe2c4")
                                     << u"9a 7f e2 c4"_s;
        QTest::newRow("valid UTF-8 with a control")
            << int(LogEntry::Kind::Ping) << QByteArray("ab\x01") << u"61 62 01"_s;
        QTest::newRow("text ping") << int(LogEntry::Kind::Ping) << QByteArray("keep-alive") << u"keep-alive"_s;
        QTest::newRow("text pong in Chinese") << int(LogEntry::Kind::Pong) << QByteArray("心跳") << u"心跳"_s;
        QTest::newRow("empty ping") << int(LogEntry::Kind::Ping) << QByteArray() << QString();
    }

    void previewShowsBinaryPingsAsHex()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, payload);
        QFETCH(QString, preview);
        MessageLogModel model;
        LogEntry e;
        e.kind = LogEntry::Kind(kind);
        e.dir = Direction::Receive;
        e.payload = payload;
        model.appendBatch({ e });
        QCOMPARE(model.index(0, PreviewColumn).data().toString(), preview);
    }

    void evictionAtTheCapPairsSignalsAndKeepsNumbering()
    {
        MessageLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxBlockSize(4096);
        model.setMemoryCap(64 * 1024);
        QSignalSpy aboutToRemove(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy evicted(&model, &MessageLogModel::evictedRowCountChanged);
        qint64 sent = 0;
        for (int i = 0; i < 40; ++i) {
            model.appendBatch(batch(sent + 1, 100));
            sent += 100;
            QVERIFY2(model.memoryUsed() <= model.memoryCap(), qPrintable(QString::number(model.memoryUsed())));
        }
        QVERIFY(!removed.isEmpty());
        QCOMPARE(aboutToRemove.size(), removed.size());
        for (const auto& args : std::as_const(removed))
            QCOMPARE(args.at(1).toInt(), 0); // always the oldest rows
        const qint64 gone = model.evictedRowCount();
        QVERIFY(gone > 0);
        QCOMPARE(evicted.last().at(0).toLongLong(), gone);
        QCOMPARE(model.rowCount() + gone, sent);
        // Row numbers keep counting from the first message ever received.
        QCOMPARE(model.index(0, NumberColumn).data().toLongLong(), gone + 1);
        QCOMPARE(model.entryAt(0).payload, text(gone + 1).payload);
        QCOMPARE(model.entryAt(model.rowCount() - 1).payload, text(sent).payload);
        // Lowering the cap evicts at once.
        model.setMemoryCap(16 * 1024);
        QVERIFY(model.memoryUsed() <= 16 * 1024);
        QCOMPARE(model.rowCount() + model.evictedRowCount(), sent);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.evictedRowCount(), 0);
        model.appendBatch(batch(1, 3));
        QCOMPARE(model.index(0, NumberColumn).data().toLongLong(), 1);
    }

    void timeFormatSwitchesAndNotifiesTheTimeColumn()
    {
        MessageLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 t0 = QDateTime(QDate(2026, 1, 2), QTime(13, 14, 15, 678)).toMSecsSinceEpoch() * 1000;
        model.appendBatch({ text(1, Direction::Receive, 10, t0), text(2, Direction::Receive, 10, t0 + 250'000) });
        model.setConnectTimeUs(t0 - 1'500'000);
        QCOMPARE(model.index(0, TimeColumn).data().toString(), u"13:14:15.678"_s);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setTimeFormat(TimeFormat::RelativeToConnect);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(TimeColumn));
        QCOMPARE(model.index(0, TimeColumn).data().toString(), u"+1.500 s"_s);
        QCOMPARE(model.index(1, TimeColumn).data().toString(), u"+1.750 s"_s);
        model.setTimeFormat(TimeFormat::DeltaToPrevious);
        QCOMPARE(model.index(0, TimeColumn).data().toString(), u"+0.000 ms"_s);
        QCOMPARE(model.index(1, TimeColumn).data().toString(), u"+250.000 ms"_s);
        QCOMPARE(changed.size(), 2);
    }

    void storageStaysCompact()
    {
        // A user-visible promise: 1 GiB keeps millions of small messages. 100-byte messages must
        // cost well under 200 bytes each in the store (index + payload block), whatever the count.
        MessageLogModel model;
        // (Counted with whole block capacities, so the partly filled newest block is included.)
        for (int i = 0; i < 200; ++i)
            model.appendBatch(batch(i * 1000 + 1, 1000));
        QVERIFY2(model.memoryUsed() / 200'000 < 200, qPrintable(QString::number(model.memoryUsed() / 200'000)));
        QCOMPARE(sizeof(LogStore::Record), size_t(40));
    }
};

QTEST_GUILESS_MAIN(tst_MessageLogModel)
#include "tst_messagelogmodel.moc"
