#include "server/chatroom.h"
#include "server/eventsource.h"
#include "server/qrcode.h"
#include "server/studentpage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// The chat room's rules, the push message formats and the page's language choice, without sockets.
class tst_ChatRoom : public QObject
{
    Q_OBJECT

    static QJsonObject json(const QString& text) { return QJsonDocument::fromJson(text.toUtf8()).object(); }

private Q_SLOTS:
    void joinSayRenameLeave()
    {
        ChatRoom room;
        QList<ChatRoom::Delivery> out = room.join(1, u"  Ann\n "_s, false, 1000);
        QCOMPARE(out.size(), 1);
        QCOMPARE(json(out.at(0).text).value(u"from"_s).toString(), u"Ann"_s);
        out = room.join(2, QString(), true, 1001);
        QCOMPARE(out.size(), 2);
        QCOMPARE(room.nameOf(2), u"guest-1"_s);
        QCOMPARE(out.at(1).to, quint64(2));
        QCOMPARE(out.at(1).text, u"* guest-1 joined"_s);

        out = room.message(1, u"hello"_s, 1234);
        QCOMPARE(out.size(), 2);
        const QJsonObject said = json(out.at(0).text);
        QCOMPARE(said.value(u"type"_s).toString(), u"chat"_s);
        QCOMPARE(said.value(u"from"_s).toString(), u"Ann"_s);
        QCOMPARE(said.value(u"text"_s).toString(), u"hello"_s);
        QCOMPARE(qint64(said.value(u"time"_s).toDouble()), qint64(1234));
        QCOMPARE(said.value(u"seq"_s).toInt(), 3);
        QCOMPARE(out.at(1).text, u"Ann: hello"_s);

        out = room.message(2, u"/name Bob"_s, 1300);
        QCOMPARE(room.nameOf(2), u"Bob"_s);
        QCOMPARE(out.at(1).text, u"* guest-1 is now Bob"_s);
        QCOMPARE(json(out.at(0).text).value(u"name"_s).toString(), u"Bob"_s);

        out = room.leave(2, 1400);
        QCOMPARE(out.size(), 1); // only Ann is left to hear it
        QCOMPARE(json(out.at(0).text).value(u"type"_s).toString(), u"leave"_s);
        QCOMPARE(json(out.at(0).text).value(u"from"_s).toString(), u"Bob"_s);
        QVERIFY(room.leave(2, 1500).isEmpty());
    }

    void namesAreCleaned()
    {
        QCOMPARE(ChatRoom::cleanName(u"a\u0007b  c"_s), u"ab c"_s);
        QCOMPARE(ChatRoom::cleanName(QString(100, u'x')).size(), ChatRoom::kMaxNameLength);
        QVERIFY(ChatRoom::cleanName(u" \t "_s).isEmpty());
    }

    void pushFormatsRoundTrip_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("size");
        QTest::newRow("json") << int(PushFormat::Json) << 0;
        QTest::newRow("json padded") << int(PushFormat::Json) << 200;
        QTest::newRow("text") << int(PushFormat::Text) << 0;
        QTest::newRow("text padded") << int(PushFormat::Text) << 64;
    }
    void pushFormatsRoundTrip()
    {
        QFETCH(int, format);
        QFETCH(int, size);
        const PushEvent e { 42, 1764590000123 };
        const QByteArray wire = EventSource::encode(e, PushFormat(format), size);
        if (size > 0)
            QCOMPARE(wire.size(), size);
        PushEvent back;
        QVERIFY2(EventSource::decode(wire, &back), wire.constData());
        QCOMPARE(back.seq, e.seq);
        QCOMPARE(back.timeMs, e.timeMs);
    }
    void counterFormatIsTheOldOne()
    {
        QCOMPARE(EventSource::encode({ 7, 1 }, PushFormat::Counter, 10), QByteArray("push #7..."));
        PushEvent e;
        QVERIFY(!EventSource::decode("push #7...", &e));
        QVERIFY(!EventSource::decode("{\"seq\":\"x\"}", &e));
    }

    // The QR code drawn in the terminal by --serve: two module rows per line, a quiet zone of two.
    void qrCodeForTheTerminal()
    {
        const Result<QrCode> code = QrCode::encode("http://192.168.1.5:8080/");
        QVERIFY(code.ok());
        QCOMPARE(code->size(), 25); // version 2 at level M for 24 bytes
        QVERIFY(code->dark(0, 0) && code->dark(6, 6) && !code->dark(7, 7)); // a finder pattern's corner
        const QStringList lines = code->toTerminal().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), (25 + 4 + 1) / 2);
        for (const QString& line : lines)
            QCOMPARE(line.size(), 25 + 4);
        QVERIFY(lines.first().count(QChar(0x2588)) == 29); // the quiet zone: light all along
        QVERIFY(!QrCode::encode(QByteArray(8000, 'x')).ok());
    }

    void pageLanguage_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("language");
        QTest::newRow("none") << QByteArray() << u"en"_s;
        QTest::newRow("zh-CN") << QByteArray("zh-CN,zh;q=0.9,en;q=0.8") << u"zh"_s;
        QTest::newRow("zh-TW") << QByteArray("zh-TW") << u"zh"_s;
        QTest::newRow("en first") << QByteArray("en-US,en;q=0.9,zh;q=0.8") << u"en"_s;
        QTest::newRow("q wins") << QByteArray("zh;q=0.2, en;q=0.5") << u"en"_s;
        QTest::newRow("fr only") << QByteArray("fr-FR") << u"en"_s;
        QTest::newRow("fr then zh") << QByteArray("fr, zh;q=0.5") << u"zh"_s;
        QTest::newRow("garbage") << QByteArray(";;,=,q=") << u"en"_s;
    }
    void pageLanguage()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, language);
        QCOMPARE(StudentPage::pickLanguage(header), language);
    }
};

QTEST_GUILESS_MAIN(tst_ChatRoom)
#include "tst_chatroom.moc"
