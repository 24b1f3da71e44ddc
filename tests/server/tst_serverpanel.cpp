#include "log/logstatspanel.h"
#include "log/messagelogmodel.h"
#include "server/builtinserver.h"
#include "server/pushlatencytracker.h"
#include "server/pushpollcomparison.h"
#include "server/pushpollview.h"
#include "server/serverclientmodel.h"
#include "server/serverhost.h"
#include "server/serverpanel.h"
#include "server/serverview.h"
#include "session/session.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QWebSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// The Server panel and the push-versus-polling view as a teacher uses them (offscreen, 127.0.0.1).
class tst_ServerPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanupTestCase() { BuiltinServers::shutdown(); }

    // The inspector's statistics show the latency of push messages carrying the server's time.
    void statisticsShowPushLatency()
    {
        Profile profile;
        profile.url = u"builtin:push?interval=20&count=10&format=json&size=64"_s;
        Session session(profile);
        MessageLogModel model;
        connect(&session, &Session::entriesAdded, &model, &MessageLogModel::appendBatch);
        LogStatsPanel stats(&model);
        stats.show();
        stats.setSession(&session);
        auto* label = stats.findChild<QLabel*>(u"statsPushLatency"_s);
        QVERIFY(label && label->isHidden());
        session.open();
        QTRY_COMPARE_WITH_TIMEOUT(stats.pushLatency().count(), qint64(10), 10000);
        QVERIFY(stats.pushLatency().max() < 5000);
        stats.sample();
        QVERIFY(label->isVisible());
        QVERIFY2(label->text().contains(u"median"_s) && label->text().contains(u"p95"_s), qPrintable(label->text()));
        session.abort(u"test done"_s);
    }

    void pushMessagesAreRecognised_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("push");
        QTest::newRow("json") << QByteArray("{\"seq\":7,\"time\":1764590000123,\"pad\":\"..\"}") << true;
        QTest::newRow("text") << QByteArray("#7 1764590000123....") << true;
        QTest::newRow("other json") << QByteArray("{\"time\":1764590000123,\"seq\":7}") << false;
        QTest::newRow("counter") << QByteArray("push #7......") << false;
        QTest::newRow("cut") << QByteArray("{\"seq\":7,\"ti") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }
    void pushMessagesAreRecognised()
    {
        QFETCH(QByteArray, payload);
        QFETCH(bool, push);
        qint64 seq = 0, time = 0;
        QCOMPARE(PushLatencyTracker::parse(payload, &seq, &time), push);
        if (push) {
            QCOMPARE(seq, qint64(7));
            QCOMPARE(time, qint64(1764590000123));
        }
    }

    void clientsAppearAndTheTeacherDisconnectsOne()
    {
        ServerPanel panel;
        panel.show();
        panel.setListenChoice(0);
        panel.setPort(0);
        QVERIFY(panel.startServer());
        QCOMPARE(panel.serverCount(), 1);
        ServerHost* host = panel.serverAt(0);
        auto* view = panel.findChild<ServerView*>();
        QVERIFY(view);
        QAbstractItemModelTester tester(view->clients(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Loopback only: no QR code, and the panel says how to let students in.
        QVERIFY(panel.findChild<QLabel*>(u"serverWarning"_s)->isHidden());

        QWebSocket ann, bob;
        QUrl url = host->localUrl(u"/chat"_s);
        url.setQuery(u"name=Ann"_s);
        ann.open(url);
        url.setQuery(u"name=Bob"_s);
        bob.open(url);
        QTRY_COMPARE(view->clients()->rowCount(), 2);
        QStringList names;
        for (int row = 0; row < 2; ++row)
            names << view->clients()->index(row, ServerClientModel::Name).data().toString();
        names.sort();
        QCOMPARE(names, (QStringList { u"Ann"_s, u"Bob"_s }));
        const int bobRow = view->clients()->index(0, ServerClientModel::Name).data().toString() == u"Bob"_s ? 0 : 1;

        auto* table = view->findChild<QTableView*>(u"serverClients"_s);
        table->selectRow(bobRow);
        QSignalSpy bobClosed(&bob, &QWebSocket::disconnected);
        QPushButton* disconnect = nullptr;
        for (QPushButton* b : view->findChildren<QPushButton*>()) {
            if (b->text().contains(u"isconnect"_s))
                disconnect = b;
        }
        QVERIFY(disconnect && disconnect->isEnabled());
        disconnect->click();
        QVERIFY(bobClosed.wait(10000));
        QCOMPARE(int(bob.closeCode()), 1008);
        QTRY_COMPARE(view->clients()->rowCount(), 1);
        QCOMPARE(view->clients()->index(0, ServerClientModel::Name).data().toString(), u"Ann"_s);
    }

    void takenPortIsShownAndSeveralServersRun()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        ServerPanel panel;
        panel.show();
        panel.setPort(blocker.serverPort());
        QVERIFY(!panel.startServer());
        QVERIFY2(panel.errorText().contains(u"already in use"_s), qPrintable(panel.errorText()));
        QCOMPARE(panel.serverCount(), 0);
        panel.setPort(0);
        QVERIFY(panel.startServer());
        QVERIFY(panel.startServer());
        QCOMPARE(panel.serverCount(), 2);
        QVERIFY(panel.serverAt(0)->port() != panel.serverAt(1)->port());
        QVERIFY(panel.errorText().isEmpty());
    }

    void networkChoiceWarns()
    {
        ServerPanel panel;
        panel.show();
        auto* warning = panel.findChild<QLabel*>(u"serverWarning"_s);
        QVERIFY(warning->isHidden());
        panel.setListenChoice(1); // all interfaces
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(u"network"_s));
    }

    void pushVersusPollingShowsBothSides()
    {
        PushPollView view;
        view.show();
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(view.comparison()->push().events >= 2 && view.comparison()->poll().events >= 2, 15000);
        QTRY_VERIFY(view.valueText(3, 0) != u"0"_s && view.valueText(3, 1) != u"0"_s); // events delivered
        QCOMPARE(view.valueText(0, 0), u"1"_s); // push: one request (the handshake)
        QVERIFY(view.valueText(4, 1).endsWith(u" ms"_s)); // polling latency median
        view.stop();
        QVERIFY(!view.comparison()->isRunning());
    }
};

QTEST_MAIN(tst_ServerPanel)
#include "tst_serverpanel.moc"
