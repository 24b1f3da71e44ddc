#include "send/messagecomposer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;
using Kind = MessageRequest::Kind;

Q_DECLARE_METATYPE(MessageRequest::Kind)

namespace {
MessageRequest request(Kind kind, const QString& input, bool placeholders = true, bool confirmed = false)
{
    MessageRequest r;
    r.kind = kind;
    r.input = input;
    r.placeholders = placeholders;
    r.confirmed = confirmed;
    return r;
}

// The most memory this process has had resident (VmHWM), in bytes.
qint64 peakResident()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

// A file of that size that takes no disk space and no time to make (its bytes are zeros).
bool makeSparseFile(const QString& path, qint64 size)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.resize(size);
}
} // namespace

class tst_MessageComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compose_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("placeholders");
        QTest::addColumn<bool>("confirmed");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<QByteArray>("bytes"); // expected bytes; empty with an error
        QTest::addColumn<QStringList>("error"); // every part must be in the message; empty = success

        const QStringList ok;
        QTest::newRow("text") << Kind::Text << u"héllo"_s << true << false << false << QByteArray("h\xc3\xa9llo") << ok;
        QTest::newRow("empty text") << Kind::Text << QString() << true << false << false << QByteArray() << ok;
        QTest::newRow("counter") << Kind::Text << u"n={{counter}}"_s << true << false << false << QByteArray("n=1")
                                 << ok;
        QTest::newRow("placeholders off") << Kind::Text << u"n={{counter}} {{nope}}"_s << false << false << false
                                          << QByteArray("n={{counter}} {{nope}}") << ok;
        QTest::newRow("unknown placeholder") << Kind::Text << u"ab {{nope}}"_s << true << false << false << QByteArray()
                                             << QStringList { u"{{nope}}"_s, u"position 4"_s };
        QTest::newRow("unclosed placeholder") << Kind::Text << u"x{{counter"_s << true << false << false << QByteArray()
                                              << QStringList { u"position 2"_s, u"}}"_s };
        QTest::newRow("random too long") << Kind::Text << u"{{random:0}}"_s << true << false << false << QByteArray()
                                         << QStringList { u"{{random:0}}"_s, u"position 1"_s };
        QTest::newRow("json") << Kind::Json << u"{\"n\": {{counter}}}"_s << true << false << false
                              << QByteArray("{\"n\": 1}") << ok;
        QTest::newRow("invalid json") << Kind::Json << u"{\"a\": 1,}"_s << true << false << false << QByteArray()
                                      << QStringList { u"Invalid JSON"_s, u"line 1, column"_s };
        QTest::newRow("invalid json line 3") << Kind::Json << u"{\n  \"a\": 1,\n  \"b\" 2\n}"_s << true << false
                                             << false << QByteArray() << QStringList { u"line 3, column"_s };
        QTest::newRow("invalid json confirmed")
            << Kind::Json << u"{\"a\": 1,}"_s << true << true << false << QByteArray("{\"a\": 1,}") << ok;
        QTest::newRow("json with bad placeholder") << Kind::Json << u"[{{uuid}, 1]"_s << true << false << false
                                                   << QByteArray() << QStringList { u"position 2"_s };
        QTest::newRow("hex") << Kind::Hex << u"0x00, ff 7F"_s << true << false << true << QByteArray("\x00\xff\x7f", 3)
                             << ok;
        QTest::newRow("hex ignores placeholders")
            << Kind::Hex << u"{{counter}}"_s << true << false << true << QByteArray()
            << QStringList { u"\"{\" at position 1 is not a hex digit"_s };
        QTest::newRow("bad hex digit") << Kind::Hex << u"01 0g"_s << true << false << true << QByteArray()
                                       << QStringList { u"\"g\" at position 5"_s };
        QTest::newRow("odd hex") << Kind::Hex << u"01 02 0"_s << true << false << true << QByteArray()
                                 << QStringList { u"position 7"_s, u"no partner"_s };
        QTest::newRow("base64") << Kind::Base64 << u"AAH/"_s << true << false << true << QByteArray("\x00\x01\xff", 3)
                                << ok;
        QTest::newRow("base64 url-safe") << Kind::Base64 << u"AAH_"_s << true << false << true
                                         << QByteArray("\x00\x01\xff", 3) << ok;
        QTest::newRow("bad base64") << Kind::Base64 << u"AAE*"_s << true << false << true << QByteArray()
                                    << QStringList { u"\"*\" at position 4"_s };
        QTest::newRow("base64 after padding")
            << Kind::Base64 << u"AA==AA"_s << true << false << true << QByteArray() << QStringList { u"position 5"_s };
        QTest::newRow("base64 mixed alphabets")
            << Kind::Base64 << u"A+A-"_s << true << false << true << QByteArray() << QStringList { u"position 4"_s };
        QTest::newRow("no file") << Kind::File << QString() << true << false << true << QByteArray()
                                 << QStringList { u"Choose a file"_s };
    }
    void compose()
    {
        QFETCH(Kind, kind);
        QFETCH(QString, input);
        QFETCH(bool, placeholders);
        QFETCH(bool, confirmed);
        QFETCH(bool, binary);
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, error);
        MessageComposer composer;
        const MessageRequest r = request(kind, input, placeholders, confirmed);
        const Result<ComposedMessage> m = composer.compose(r);
        QCOMPARE(m.ok(), error.isEmpty());
        if (!m) {
            for (const QString& part : error)
                QVERIFY2(m.error().message.contains(part), qPrintable(m.error().message));
            QCOMPARE(composer.placeholders().counter(), 1); // nothing went out: no number used up
            return;
        }
        QCOMPARE(m->binary, binary);
        QCOMPARE(m->bytes, bytes);
        if (!binary)
            QCOMPARE(m->text, QString::fromUtf8(bytes));
    }

    void counterAdvancesPerMessageAndPreviewLeavesIt()
    {
        MessageComposer composer;
        const MessageRequest r = request(Kind::Text, u"#{{counter}} {{random:8}}"_s);
        const Result<ComposedMessage> preview = composer.preview(r);
        QVERIFY(preview);
        QVERIFY(preview->text.startsWith(u"#1 "_s));
        QCOMPARE(composer.placeholders().counter(), 1);
        const Result<ComposedMessage> a = composer.compose(r);
        const Result<ComposedMessage> b = composer.compose(r);
        QVERIFY(a && b);
        QVERIFY(a->text.startsWith(u"#1 "_s));
        QVERIFY(b->text.startsWith(u"#2 "_s));
        QCOMPARE(a->text.size(), 11);
        QVERIFY(a->text.mid(3) != b->text.mid(3)); // fresh random text each time
        // Invalid JSON is refused without using up a number.
        QVERIFY(!composer.compose(request(Kind::Json, u"[{{counter}},]"_s)));
        QCOMPARE(composer.placeholders().counter(), 3);
    }

    void questions()
    {
        QTemporaryDir dir;
        MessageComposer composer(100, 10); // refuse above 100 bytes, ask above 10
        const QString small = dir.filePath(u"small.bin"_s);
        const QString medium = dir.filePath(u"medium.bin"_s);
        const QString large = dir.filePath(u"large.bin"_s);
        QVERIFY(makeSparseFile(small, 10));
        QVERIFY(makeSparseFile(medium, 11));
        QVERIFY(makeSparseFile(large, 101));

        Result<QString> q = composer.question(request(Kind::File, small));
        QVERIFY(q && q->isEmpty());
        q = composer.question(request(Kind::File, medium));
        QVERIFY(q);
        QVERIFY2(q->contains(u"medium.bin is 11 byte"_s), qPrintable(*q));
        q = composer.question(request(Kind::File, large));
        QVERIFY(!q);
        QVERIFY2(q.error().message.contains(large) && q.error().message.contains(u"101 byte"_s),
            qPrintable(q.error().message));
        q = composer.question(request(Kind::Json, u"{\"a\" 1}"_s));
        QVERIFY(q);
        QVERIFY2(q->contains(u"not valid JSON"_s) && q->contains(u"line 1, column 7"_s), qPrintable(*q));
        q = composer.question(request(Kind::Json, u"{\"a\": {{counter}}}"_s));
        QVERIFY(q && q->isEmpty()); // valid once expanded
        QCOMPARE(composer.placeholders().counter(), 1);
        q = composer.question(request(Kind::Hex, u"zz"_s));
        QVERIFY(!q && q.error().message.contains(u"position 1"_s));

        // Unconfirmed, a file above the question's size is not sent; confirmed it is.
        Result<ComposedMessage> m = composer.compose(request(Kind::File, medium));
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(u"confirm"_s), qPrintable(m.error().message));
        m = composer.compose(request(Kind::File, medium, true, true));
        QVERIFY(m);
        QCOMPARE(m->bytes, QByteArray(11, '\0'));
        QVERIFY(m->binary);
        QVERIFY(!composer.compose(request(Kind::File, large, true, true)));
    }

    void fileErrorsNameTheFile()
    {
        QTemporaryDir dir;
        MessageComposer composer;
        const QString missing = dir.filePath(u"missing.bin"_s);
        Result<ComposedMessage> m = composer.compose(request(Kind::File, missing, true, true));
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(missing) && m.error().message.contains(u"no such file"_s),
            qPrintable(m.error().message));
        m = composer.compose(request(Kind::File, dir.path(), true, true));
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(dir.path()) && m.error().message.contains(u"not a regular file"_s),
            qPrintable(m.error().message));

        QByteArray data;
        for (int i = 0; i < 70000; ++i)
            data.append(char(i * 7));
        const QString path = dir.filePath(u"data.bin"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(data) == data.size());
        f.close();
        m = composer.compose(request(Kind::File, path));
        QVERIFY(m);
        QVERIFY(m->bytes == data);
    }

    // The size is looked at before anything is read: a file of 512 MiB that needs a "yes" and one
    // of 3 GiB above the limit leave the peak resident memory where it was.
    void bigFilesAreNotRead()
    {
        QTemporaryDir dir;
        const QString big = dir.filePath(u"big.bin"_s);
        const QString huge = dir.filePath(u"huge.bin"_s);
        QVERIFY(makeSparseFile(big, qint64(512) << 20));
        QVERIFY(makeSparseFile(huge, qint64(3) << 30));
        const qint64 before = peakResident();
        QVERIFY(before > 0);
        MessageComposer composer; // 1 GiB limit, question above 16 MiB
        const Result<QString> q = composer.question(request(Kind::File, big));
        QVERIFY(q && q->contains(u"big.bin"_s));
        QVERIFY(!composer.compose(request(Kind::File, big)));
        const Result<QString> tooBig = composer.question(request(Kind::File, huge));
        QVERIFY(!tooBig);
        QVERIFY2(tooBig.error().message.contains(u"huge.bin"_s) && tooBig.error().message.contains(u"more than"_s),
            qPrintable(tooBig.error().message));
        QVERIFY(!composer.compose(request(Kind::File, huge, true, true)));
        QVERIFY2(peakResident() - before < (qint64(64) << 20),
            qPrintable(u"peak resident grew by %1 bytes"_s.arg(peakResident() - before)));
    }

    void frameSize()
    {
        MessageComposer composer;
        MessageRequest r = request(Kind::Text, u"x"_s);
        r.frameSize = 4;
        Result<ComposedMessage> m = composer.compose(r);
        QVERIFY(m);
        QCOMPARE(m->frameSize, qint64(4));
        r.frameSize = MessageComposer::kMaxFrameSize + 1;
        m = composer.compose(r);
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(u"frame size"_s), qPrintable(m.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_MessageComposer)
#include "tst_messagecomposer.moc"
