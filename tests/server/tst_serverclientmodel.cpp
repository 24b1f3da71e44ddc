#include "server/latencystats.h"
#include "server/serverclientmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// The Server panel's client list and the latency distribution shown next to push messages.
class tst_ServerClientModel : public QObject
{
    Q_OBJECT

    static ServerClient client(quint64 id, const QString& name, qint64 in = 0)
    {
        ServerClient c;
        c.id = id;
        c.name = name;
        c.address = u"127.0.0.1:%1"_s.arg(40000 + id);
        c.path = u"/chat"_s;
        c.messagesIn = in;
        c.since = QDateTime::currentDateTime();
        return c;
    }

private Q_SLOTS:
    void snapshotsUpdateRowsInPlace()
    {
        ServerClientModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClients({ client(1, u"Ann"_s), client(2, u"Bob"_s), client(3, u"Cy"_s) });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, ServerClientModel::Name).data().toString(), u"Bob"_s);

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // Bob left, Ann sent 5 messages, Dee joined.
        model.setClients({ client(1, u"Ann"_s, 5), client(3, u"Cy"_s), client(4, u"Dee"_s) });
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, ServerClientModel::MessagesIn).data().toLongLong(), qint64(5));
        QCOMPARE(model.index(1, ServerClientModel::Name).data().toString(), u"Cy"_s);
        QCOMPARE(model.index(2, ServerClientModel::Name).data().toString(), u"Dee"_s);
        QCOMPARE(model.index(2, 0).data(ServerClientModel::IdRole).toULongLong(), quint64(4));
        QVERIFY(!changed.isEmpty());
        model.setClients({});
        QCOMPARE(model.rowCount(), 0);
    }

    void latencyDistribution()
    {
        LatencyStats s;
        QCOMPARE(s.median(), qint64(0));
        for (int i = 1; i <= 100; ++i)
            s.add(i);
        QCOMPARE(s.count(), qint64(100));
        QCOMPARE(s.median(), qint64(50));
        QCOMPARE(s.p95(), qint64(95));
        QCOMPARE(s.max(), qint64(100));
        s.add(1000);
        QCOMPARE(s.max(), qint64(1000));
        QCOMPARE(s.percentile(100), qint64(1000));
    }
};

QTEST_GUILESS_MAIN(tst_ServerClientModel)
#include "tst_serverclientmodel.moc"
