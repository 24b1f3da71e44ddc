#include "server/pushpollcomparison.h"
#include "server/serverhost.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// Push against polling on one channel of a real server (its own thread, 127.0.0.1): the same
// events arrive on both sides, polling pays with requests, bytes and latency.
class tst_PushPollComparison : public QObject
{
    Q_OBJECT

    ServerHost m_host;

private Q_SLOTS:
    void initTestCase()
    {
        ListenOptions options;
        options.port = 0;
        const Result<void> started = m_host.start(options);
        QVERIFY2(started.ok(), qPrintable(started.errorMessage()));
    }

    void shortPollingCostsRequestsBytesAndLatency()
    {
        PushPollComparison cmp;
        QSignalSpy failed(&cmp, &PushPollComparison::failed);
        cmp.start(m_host.localUrl(u"/"_s, u"http"_s), { 100, 400, false });
        // Both sides see at least 12 events (1.2 s of events at 10 a second).
        QTRY_VERIFY_WITH_TIMEOUT(cmp.push().events >= 12 && cmp.poll().events >= 12, 20000);
        cmp.stop();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        QCOMPARE(cmp.push().requests, qint64(1)); // the handshake, once
        QVERIFY(cmp.poll().requests >= 3); // one every 400 ms
        // Each event waited for the next poll: on average half the poll interval (200 ms), against
        // a few milliseconds for push.
        QVERIFY2(cmp.poll().latency.median() > cmp.push().latency.median(),
            qPrintable(u"poll %1 ms, push %2 ms"_s.arg(cmp.poll().latency.median()).arg(cmp.push().latency.median())));
        QVERIFY(cmp.poll().latency.max() >= 100); // some event waited a quarter of the interval at least
        // Headers on every poll: more bytes sent per event than the push side's one handshake.
        QVERIFY(cmp.poll().bytesSent > cmp.push().bytesSent);
        QVERIFY(!cmp.samples().isEmpty());
        QVERIFY(cmp.samples().last().pollBytes > 0 && cmp.samples().last().pushBytes > 0);
    }

    void longPollingAsksOncePerEvent()
    {
        PushPollComparison cmp;
        cmp.start(m_host.localUrl(u"/"_s, u"http"_s), { 200, 1000, true });
        QTRY_VERIFY_WITH_TIMEOUT(cmp.poll().events >= 5 && cmp.push().events >= 5, 20000);
        cmp.stop();
        // One request per answer; answers come with each event (or batch), not every second.
        QVERIFY2(cmp.poll().requests <= cmp.poll().events + 2,
            qPrintable(u"%1 requests, %2 events"_s.arg(cmp.poll().requests).arg(cmp.poll().events)));
        QVERIFY(cmp.poll().latency.median() < 200); // held until the event: no waiting for a poll
    }
};

QTEST_GUILESS_MAIN(tst_PushPollComparison)
#include "tst_pushpollcomparison.moc"
