#include "log/messagelogmodel.h"
#include "server/builtinserver.h"
#include "session/session.h"
#include "testhelpers.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// Ordering and completeness at a high rate: what the server sends is what the log holds.
class tst_LogIngest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    void floodArrivesCompleteInOrderByteExact()
    {
        constexpr int kCount = 50'000;
        constexpr int kSize = 64;
        Profile profile;
        profile.url = u"builtin:push?interval=0&count=%1&size=%2"_s.arg(kCount).arg(kSize);
        Session session(profile);
        MessageLogModel model;
        int batches = 0;
        connect(&session, &Session::entriesAdded, &model, [&](const LogBatch& b) {
            ++batches;
            model.appendBatch(b);
        });
        session.open();
        QTRY_COMPARE_WITH_TIMEOUT(model.counters().messagesIn, qint64(kCount), 60000);
        QVERIFY(batches < kCount / 10); // batched, not one insertion per message

        int n = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const LogEntry e = model.entryAt(row);
            if (e.kind != LogEntry::Kind::Text || e.dir != Direction::Receive)
                continue;
            ++n;
            QByteArray expected = "push #" + QByteArray::number(n);
            expected.append(kSize - expected.size(), '.');
            if (e.payload != expected)
                QFAIL(qPrintable(u"row %1: got \"%2\", expected \"%3\""_s.arg(row).arg(
                    QString::fromUtf8(e.payload), QString::fromUtf8(expected))));
        }
        QCOMPARE(n, kCount);
        session.abort(u"test done"_s);
    }
};

QTEST_GUILESS_MAIN(tst_LogIngest)
#include "tst_logingest.moc"
