#include "englishcatalogue.h"
#include "log/logstatspanel.h"
#include "log/messagelogmodel.h"
#include "payload/payloadcodec.h"
#include "payload/payloadview.h"

#include <QLabel>
#include <QLineEdit>
#include <QTranslator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
LogEntry compressedText(Direction dir, const QByteArray& payload, quint64 wireLength)
{
    LogEntry e;
    e.kind = LogEntry::Kind::Text;
    e.dir = dir;
    e.timeUs = LogEntry::nowUs();
    e.payload = payload;
    FrameInfo f;
    f.fin = true;
    f.rsv = 4; // RSV1: permessage-deflate
    f.opcode = 1;
    f.length = wireLength;
    e.frames.append(f);
    return e;
}

QString labelContaining(const QWidget& parent, const QString& text)
{
    const QList<QLabel*> labels = parent.findChildren<QLabel*>();
    for (const QLabel* l : labels) {
        if (l->text().contains(text))
            return l->text();
    }
    return {};
}
} // namespace

// The panels' counts read "1 message", "2 messages", never "1 messages" (audit 7), with the English
// catalogue the application installs.
class tst_Plurals : public QObject
{
    Q_OBJECT
    QTranslator m_english;
private Q_SLOTS:
    void initTestCase() { QVERIFY(wsi::test::installEnglishCatalogue(m_english, QStringLiteral(WSI_QM_DIR))); }

    void compressionLine()
    {
        MessageLogModel model;
        LogStatsPanel panel(&model);
        model.appendBatch({ compressedText(Direction::Receive, "hello hello", 7) });
        panel.sample();
        QString line = labelContaining(panel, u"Compressed in:"_s);
        QVERIFY2(line.startsWith(u"Compressed in: 1 message, "_s), qPrintable(line));
        QVERIFY2(line.contains(u" · out: 0 messages, "_s), qPrintable(line));

        model.appendBatch(
            { compressedText(Direction::Receive, "hello hello", 7), compressedText(Direction::Send, "hi hi hi", 5) });
        panel.sample();
        line = labelContaining(panel, u"Compressed in:"_s);
        QVERIFY2(line.startsWith(u"Compressed in: 2 messages, "_s), qPrintable(line));
        QVERIFY2(line.contains(u" · out: 1 message, "_s), qPrintable(line));
    }

    void base64Length_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("error");
        QTest::newRow("1 character") << u"a"_s
                                     << u"Base64 has 1 character: a length of 4n+1 cannot be decoded (a character is "
                                        "missing or extra)."_s;
        QTest::newRow("5 characters") << u"aGVsb"_s
                                      << u"Base64 has 5 characters: a length of 4n+1 cannot be decoded (a character "
                                         "is missing or extra)."_s;
    }

    void base64Length()
    {
        QFETCH(QString, input);
        QFETCH(QString, error);
        QCOMPARE(PayloadCodec::parseBase64(input).error, error);
    }

    void offsetPastTheEnd_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("status");
        QTest::newRow("1 byte") << QByteArray("A") << u"Offset 5 is past the end (the payload has 1 byte)."_s;
        QTest::newRow("2 bytes") << QByteArray("AB") << u"Offset 5 is past the end (the payload has 2 bytes)."_s;
    }

    void offsetPastTheEnd()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, status);
        PayloadView view;
        LogEntry e;
        e.kind = LogEntry::Kind::Binary;
        e.dir = Direction::Receive;
        e.payload = payload;
        view.setEntry(e);
        view.setMode(PayloadView::Mode::Hex);
        auto* goTo = view.findChild<QLineEdit*>(u"hexGoTo"_s);
        QVERIFY(goTo);
        goTo->setText(u"5"_s);
        QTest::keyClick(goTo, Qt::Key_Return);
        QCOMPARE(view.findChild<QLabel*>(u"hexStatus"_s)->text(), status);
    }
};

QTEST_MAIN(tst_Plurals)
#include "tst_plurals.moc"
