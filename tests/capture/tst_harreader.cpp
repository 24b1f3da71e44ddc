// The streaming HAR reader: a big HAR opens in chunks with progress and Cancel keeps what was read;
// closing the tab (destroying the loader) stops the parse; a cut file keeps what was complete and
// names the byte; entries among other "log" keys and Chrome's key order; a huge string is cut;
// deep nesting is refused; and the result does not depend on how the file arrives in reads.
#include "capture/capturefilereader.h"
#include "capture/captureloader.h"
#include "capture/har.h"
#include "capture/harreader.h"

#include <QBuffer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(WSI_CAPTURE_TEST_DATA) + u'/' + name;
}

// A buffer that hands out at most `step` bytes per read, as a slow pipe or disk would.
class TrickleBuffer : public QBuffer
{
public:
    explicit TrickleBuffer(qint64 step)
        : m_step(step)
    { }

protected:
    qint64 readData(char* data, qint64 maxlen) override { return QBuffer::readData(data, std::min(maxlen, m_step)); }

private:
    qint64 m_step;
};

QByteArray messagesJson(int n, const QByteArray& prefix = "message ")
{
    QByteArray out;
    out.reserve(n * 80);
    for (int i = 0; i < n; ++i) {
        const qint64 t = 1764131276000000 + i;
        out += QByteArray(i ? ",\n" : "") + "{\"type\":\"" + (i % 2 ? "receive" : "send") + "\",\"time\":"
            + QByteArray::number(t / 1000000) + '.' + QByteArray::number(t % 1000000).rightJustified(6, '0')
            + ",\"opcode\":1,\"data\":\"" + prefix + QByteArray::number(i) + "\"}";
    }
    return out;
}

const QByteArray kRequest
    = R"("request":{"method":"GET","url":"wss:\/\/example.test/feed","httpVersion":"HTTP/1.1",)"
      R"("headers":[{"name":"Host","value":"example.test"},{"name":"Upgrade","value":"websocket"}]})";
const QByteArray kResponse = R"("response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1",)"
                             R"("headers":[{"name":"Upgrade","value":"websocket"}]})";

// A websocket entry; Chrome writes _webSocketMessages before request and response.
QByteArray wsEntry(const QByteArray& messages, bool messagesFirst = false)
{
    const QByteArray ws = "\"_webSocketMessages\":[" + messages + "]";
    const QByteArray heads = kRequest + "," + kResponse + ",\"startedDateTime\":\"2026-11-30T09:00:01.250Z\"";
    return "{\"_resourceType\":\"websocket\"," + (messagesFirst ? ws + "," + heads : heads + "," + ws) + "}";
}

QByteArray harOf(const QByteArray& entries)
{
    return R"({"log":{"version":"1.2","creator":{"name":"test","version":"1"},"pages":[],"entries":[)" + entries
        + "]}}\n";
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    return path;
}

QList<LogEntry> rowsOf(const CaptureChunk& chunk, int conn)
{
    QList<LogEntry> out;
    for (const auto& [id, batch] : chunk.entries) {
        if (id == conn)
            out.append(batch);
    }
    return out;
}

qint64 messageCount(const QList<LogEntry>& rows)
{
    return std::count_if(rows.begin(), rows.end(), [](const LogEntry& e) { return e.isMessage(); });
}

// Everything one HarReader gives for bytes read through `device`.
struct Whole
{
    CaptureChunk chunk;
    Error error;
};
Whole readThrough(QIODevice* device, qint64 maxString = HarReader::kMaxStringBytes)
{
    HarReader reader(device, maxString);
    Whole out;
    while (reader.step(CaptureFileReader::kBlockBytes)) {
        CaptureChunk c = reader.takeChunk();
        for (auto& e : c.entries)
            out.chunk.entries.append(std::move(e));
        out.chunk.notices.append(c.notices);
        for (const CapturedConnection& conn : c.connections)
            out.chunk.connections.append(conn);
    }
    CaptureChunk c = reader.takeChunk();
    for (auto& e : c.entries)
        out.chunk.entries.append(std::move(e));
    out.chunk.notices.append(c.notices);
    out.chunk.connections.append(c.connections);
    out.error = reader.error();
    return out;
}

Whole readBytes(const QByteArray& bytes, qint64 maxString = HarReader::kMaxStringBytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return readThrough(&buffer, maxString);
}

} // namespace

class tst_HarReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bigHarStreamsWithProgress()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"big.har"_s, harOf(wsEntry(messagesJson(200000))));
        CaptureLoader loader;
        QSignalSpy opened(&loader, &CaptureLoader::opened);
        QSignalSpy chunks(&loader, &CaptureLoader::chunkReady);
        QSignalSpy progress(&loader, &CaptureLoader::progress);
        QSignalSpy finished(&loader, &CaptureLoader::finished);
        loader.start(path);
        QVERIFY(chunks.wait(5000));
        QCOMPARE(opened.first().at(0).value<CaptureFileReader::Format>(), CaptureFileReader::Format::Har);
        // The first rows came while most of the file was still unread.
        QVERIFY(finished.isEmpty());
        QTRY_VERIFY(!progress.isEmpty());
        QVERIFY(progress.first().at(0).toLongLong() < QFileInfo(path).size() / 2);
        QVERIFY(chunks.first().first().value<CaptureChunk>().entryCount > 0);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(), QString());
        qint64 entries = 0;
        for (const QList<QVariant>& c : std::as_const(chunks))
            entries += c.first().value<CaptureChunk>().entryCount;
        QCOMPARE(entries, 200002); // both handshake rows and every message
        QCOMPARE(progress.last().at(0).toLongLong(), QFileInfo(path).size());
        QVERIFY(chunks.size() > 2);
    }

    void cancelKeepsWhatWasRead()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"big.har"_s, harOf(wsEntry(messagesJson(200000))));
        CaptureLoader loader;
        QSignalSpy chunks(&loader, &CaptureLoader::chunkReady);
        QSignalSpy finished(&loader, &CaptureLoader::finished);
        loader.start(path);
        QVERIFY(chunks.wait(5000));
        loader.cancel();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toBool(), true); // cancelled, no error
        QCOMPARE(finished.first().at(1).toString(), QString());
        qint64 messages = 0;
        QString lastText;
        for (const QList<QVariant>& c : std::as_const(chunks)) {
            const QList<LogEntry> rows = rowsOf(c.first().value<CaptureChunk>(), 1);
            messages += messageCount(rows);
            if (!rows.isEmpty())
                lastText = QString::fromUtf8(rows.last().payload);
        }
        QVERIFY2(messages > 0 && messages < 200000, qPrintable(QString::number(messages)));
        QCOMPARE(lastText, u"message %1"_s.arg(messages - 1)); // kept in order, none lost before the stop
    }

    void destroyingTheLoaderStopsTheParse()
    {
        // Closing a tab while a big HAR loads: the destructor joins the worker, which must stop
        // within a block instead of parsing the rest of the file first.
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"big.har"_s, harOf(wsEntry(messagesJson(400000))));
        const qint64 size = QFileInfo(path).size();
        auto* loader = new CaptureLoader;
        const std::shared_ptr<const std::atomic<qint64>> parsed = loader->parsedBytes();
        QSignalSpy chunks(loader, &CaptureLoader::chunkReady);
        loader->start(path);
        QVERIFY(chunks.wait(5000));
        delete loader;
        QVERIFY2(parsed->load() > 0 && parsed->load() < size,
            qPrintable(u"%1 of %2 bytes parsed"_s.arg(parsed->load()).arg(size)));
    }

    void readerStopsAtTheCancelFlag()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"big.har"_s, harOf(wsEntry(messagesJson(50000))));
        auto cancel = std::make_shared<std::atomic<bool>>(false);
        CaptureFileReader reader;
        reader.setCancelFlag(cancel);
        QVERIFY(reader.open(path));
        QVERIFY(reader.step());
        const qint64 before = reader.bytesRead();
        const qint64 rows = reader.takeChunk().entryCount;
        QVERIFY(rows > 0 && rows < 50002);
        cancel->store(true);
        QVERIFY(!reader.step());
        QCOMPARE(reader.bytesRead(), before);
        QVERIFY(!reader.hasChunk());
        QVERIFY(reader.error().message.isEmpty());
    }

    void cutHarKeepsWhatWasComplete()
    {
        const QByteArray whole = harOf(wsEntry(messagesJson(100)) + "," + wsEntry(messagesJson(100, "second ")));
        // Cut in the middle of the second entry's messages, inside a message's "data".
        const qsizetype cut = whole.indexOf("second 50") + 3;
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"cut.har"_s, whole.first(cut));
        QStringList notices;
        const auto sessions = CaptureFileReader::readAll(path, &notices);
        QVERIFY2(sessions, qPrintable(sessions.errorMessage()));
        QCOMPARE(sessions->size(), 2);
        QCOMPARE(messageCount(sessions->at(0).entries), 100);
        QCOMPARE(messageCount(sessions->at(1).entries), 50); // "second 0" to "second 49"
        QCOMPARE(sessions->at(1).entries.last().payload, QByteArray("second 49"));
        QCOMPARE(sessions->at(1).connection.url, QUrl(u"wss://example.test/feed"_s));
        const QString said = notices.join(u'\n');
        QVERIFY2(said.contains(u"cut off at byte %1"_s.arg(cut)) && said.contains(u"HAR entry 2"_s), qPrintable(said));
    }

    void cutBeforeAnyEntryIsAnError()
    {
        const QByteArray whole = harOf(wsEntry(messagesJson(3)));
        const Whole r = readBytes(whole.first(whole.indexOf("\"entries\"") + 5));
        QVERIFY2(r.error.message.contains(u"not valid JSON"_s), qPrintable(r.error.message));
        QVERIFY(r.chunk.connections.isEmpty());
    }

    void invalidJsonInTheMiddleNamesTheByte()
    {
        QByteArray har = harOf(wsEntry(messagesJson(10)) + "," + wsEntry(messagesJson(10)));
        const qsizetype bad = har.indexOf("message 5", har.indexOf("message 9")) - 1; // the 2nd entry's 6th
        har[bad] = '}'; // the string's opening quote
        const Whole r = readBytes(har);
        QVERIFY(r.error.message.isEmpty());
        QCOMPARE(messageCount(rowsOf(r.chunk, 1)), 10);
        QCOMPARE(messageCount(rowsOf(r.chunk, 2)), 5);
        const QString said = r.chunk.notices.join(u'\n');
        QVERIFY2(said.contains(u"not valid JSON at byte %1 (in HAR entry 2"_s.arg(bad + 1)), qPrintable(said));
    }

    void wrongTypesAreSkippedOrRefused_data()
    {
        QTest::addColumn<QByteArray>("har");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("messages");
        QTest::newRow("log is an array") << QByteArray(R"({"log":[{"entries":[]}]})")
                                         << u"no \"log\" object with an \"entries\" array"_s << -1;
        QTest::newRow("entry is a string")
            << harOf("\"x\"," + wsEntry(messagesJson(2))) << u"HAR entry 1 is not a JSON object"_s << 2;
        QTest::newRow("messages not an array")
            << harOf(R"({"_resourceType":"websocket",)" + kRequest + R"(,"_webSocketMessages":{"a":1}})") << QString()
            << 0;
        QTest::newRow("time and opcode strings")
            << harOf(wsEntry(R"({"type":"send","time":"x","opcode":"1","data":"a"})")) << QString() << 1;
        QTest::newRow("data an object") << harOf(
            wsEntry(R"({"type":"send","time":1,"data":{"x":[1]}},)" + messagesJson(1)))
                                        << u"message 1: \"data\" is not a string"_s << 1;
        QTest::newRow("type a number") << harOf(wsEntry(R"({"type":1,"data":"a"})")) << u"unknown type \"\""_s << 0;
        QTest::newRow("headers not an array") << harOf(
            R"({"_resourceType":"websocket","request":{"url":"ws:\/\/a/","headers":{"Host":"a"}},"response":{"status":"101"},"timings":[],"_webSocketMessages":[)"
            + messagesJson(1) + "]}") << QString()
                                              << 1;
    }

    void wrongTypesAreSkippedOrRefused()
    {
        QFETCH(QByteArray, har);
        QFETCH(QString, expected);
        QFETCH(int, messages);
        const Whole r = readBytes(har);
        if (messages < 0) {
            QVERIFY2(r.error.message.contains(expected), qPrintable(r.error.message));
            return;
        }
        QVERIFY2(r.error.message.isEmpty(), qPrintable(r.error.message));
        QCOMPARE(messageCount(rowsOf(r.chunk, 1)), messages);
        const QString said = r.chunk.notices.join(u'\n');
        if (expected.isEmpty())
            QVERIFY2(said.isEmpty(), qPrintable(said));
        else
            QVERIFY2(said.contains(expected), qPrintable(said));
    }

    void entriesAmongOtherLogKeys()
    {
        // Entries before and after other keys of "log" (with decoy "entries" inside them) and of
        // the root; values of every type are skipped on the way.
        const QByteArray har = R"({"comment":"root first","log":{"pages":[{"entries":"decoy","id":1}],"entries":[)"
            + wsEntry(messagesJson(3)) + R"(],"creator":{"name":"x","log":{"entries":[1]}},"n":[1.5e3,true,null,-0],)"
            + R"("version":"1.2"},"after":{"log":{}}})";
        const Whole r = readBytes(har);
        QVERIFY2(r.error.message.isEmpty(), qPrintable(r.error.message));
        QVERIFY2(r.chunk.notices.isEmpty(), qPrintable(r.chunk.notices.join(u'\n')));
        QCOMPARE(messageCount(rowsOf(r.chunk, 1)), 3);

        const QByteArray entriesLast = R"({"log":{"version":"1.2","creator":{"name":"x"},"pages":[],"entries":[)"
            + wsEntry(messagesJson(4)) + "]}}";
        QCOMPARE(messageCount(rowsOf(readBytes(entriesLast).chunk, 1)), 4);
    }

    void chromeOrderPutsTheHandshakeFirst()
    {
        // Chrome writes _webSocketMessages before request and response: the handshake rows still
        // come first, and the connection ends up with its URL and heads.
        const Whole r = readBytes(harOf(wsEntry(messagesJson(5), true)));
        const QList<LogEntry> rows = rowsOf(r.chunk, 1);
        QCOMPARE(rows.size(), 7);
        QCOMPARE(rows.at(0).kind, LogEntry::Kind::Handshake);
        QCOMPARE(rows.at(1).kind, LogEntry::Kind::Handshake);
        QCOMPARE(rows.at(2).payload, QByteArray("message 0"));
        QVERIFY(!r.chunk.connections.isEmpty());
        QCOMPARE(r.chunk.connections.last().url, QUrl(u"wss://example.test/feed"_s));
        QCOMPARE(r.chunk.connections.last().handshake.response.status, 101);
    }

    void hugeStringIsCutWithANotice()
    {
        // A message whose data is far beyond the limit keeps only about the limit (never the whole
        // string in memory); the next message and entry read normally. Escapes across the cut
        // point (\u00e9, a surrogate pair) do not throw the reader off.
        constexpr qint64 limit = 4096;
        QByteArray big;
        for (int i = 0; i < 50000; ++i)
            big += i % 3 == 0 ? "\\u00e9" : i % 3 == 1 ? "\\ud83d\\udca1" : "ab\\\"";
        const QByteArray messages
            = "{\"type\":\"receive\",\"time\":1,\"opcode\":1,\"data\":\"" + big + "\"}," + messagesJson(2);
        const QByteArray unknownHuge = "{\"comment\":\"" + QByteArray(3 << 20, 'x') + "\",\"log\":{\"entries\":[";
        const QByteArray har = unknownHuge + wsEntry(messages) + "," + wsEntry(messagesJson(1)) + "]}}";
        const Whole r = readBytes(har, limit);
        QVERIFY2(r.error.message.isEmpty(), qPrintable(r.error.message));
        const QList<LogEntry> rows = rowsOf(r.chunk, 1);
        QCOMPARE(messageCount(rows), 3);
        const QByteArray cut = rows.at(2).payload;
        // Cut within the stream's look-ahead (16 KiB) after the limit, far before the string's end.
        QVERIFY2(cut.size() >= limit / 3 && cut.size() <= limit + 16 * 1024 && cut.size() < big.size() / 4,
            qPrintable(QString::number(cut.size())));
        QVERIFY(cut.startsWith("é💡ab\"é"));
        QCOMPARE(rows.at(3).payload, QByteArray("message 0"));
        QCOMPARE(messageCount(rowsOf(r.chunk, 2)), 1);
        const QString said = r.chunk.notices.join(u'\n');
        QVERIFY2(said.contains(u"HAR entry 1, message 1: \"data\" is longer than"_s), qPrintable(said));
    }

    void deepNestingIsRefused()
    {
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        const Whole r = readBytes(R"({"log":{"entries":[{"x":)" + deep + "}]}}");
        QVERIFY2(r.error.message.contains(u"nested deeper than"_s), qPrintable(r.error.message));
        const Whole after = readBytes(harOf(wsEntry(messagesJson(2)) + R"(,{"x":)" + deep + "}"));
        QCOMPARE(messageCount(rowsOf(after.chunk, 1)), 2);
        QVERIFY2(after.chunk.notices.join(u'\n').contains(u"nested deeper than"_s),
            qPrintable(after.chunk.notices.join(u'\n')));
    }

    void readSizesDoNotChangeTheResult()
    {
        QFile f(dataFile(u"chrome.har"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const Whole whole = readBytes(bytes);
        QVERIFY(whole.error.message.isEmpty());
        for (qint64 step : { 1, 2, 3, 7, 64 }) {
            TrickleBuffer trickle(step);
            trickle.setData(bytes);
            trickle.open(QIODevice::ReadOnly | QIODevice::Unbuffered);
            const Whole r = readThrough(&trickle);
            QCOMPARE(r.chunk.notices, whole.chunk.notices);
            QCOMPARE(r.chunk.entries.size(), whole.chunk.entries.size());
            for (int conn : { 1, 2 }) {
                const QList<LogEntry> a = rowsOf(r.chunk, conn);
                const QList<LogEntry> b = rowsOf(whole.chunk, conn);
                QCOMPARE(a.size(), b.size());
                for (qsizetype i = 0; i < a.size(); ++i)
                    QCOMPARE(a.at(i).payload, b.at(i).payload);
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_HarReader)
#include "tst_harreader.moc"
