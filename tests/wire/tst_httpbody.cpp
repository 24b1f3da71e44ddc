#include "wire/httpbody.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_HttpBody : public QObject
{
    Q_OBJECT

    static HttpHead head(const QByteArray& transferEncoding)
    {
        HttpHead h;
        h.status = 404;
        if (!transferEncoding.isEmpty())
            h.headers.append({ "Transfer-Encoding", transferEncoding });
        return h;
    }

private Q_SLOTS:
    // What a Node or nginx 404 sends: the page in chunks, then the last chunk.
    void chunkedBodyIsDecoded()
    {
        const HttpBodyText text
            = HttpBody::decode(head("chunked"), "9\r\nNot Found\r\n7;ext=1\r\n: /feed\r\n0\r\nX-Trailer: 1\r\n\r\n");
        QCOMPARE(text.data, QByteArray("Not Found: /feed"));
        QVERIFY2(text.note.startsWith(u"Chunked transfer encoding decoded"_s), qPrintable(text.note));
    }

    void chunkSizesAreHexAndCaseInsensitive()
    {
        const QByteArray data(26, 'x');
        QCOMPARE(HttpBody::decode(head("Chunked"), "1A\r\n" + data + "\r\n0\r\n\r\n").data, data);
        QCOMPARE(HttpBody::decode(head("chunked"), "1a\n" + data + "\n0\n\n").data, data); // bare LF
    }

    void bodyCutShortKeepsWhatArrived()
    {
        const HttpBodyText text = HttpBody::decode(head("chunked"), "5\r\nHello\r\n10\r\nWor");
        QCOMPARE(text.data, QByteArray("HelloWor"));
        QVERIFY2(text.note.contains(u"cut short"_s), qPrintable(text.note));
    }

    void malformedSizeShowsTheBodyAsReceived()
    {
        const QByteArray raw = "<html>not chunked at all</html>";
        const HttpBodyText text = HttpBody::decode(head("chunked"), raw);
        QCOMPARE(text.data, raw);
        QVERIFY2(text.note.contains(u"is not a chunk size"_s), qPrintable(text.note));
        QVERIFY2(text.note.contains(u"byte 0"_s), qPrintable(text.note));
    }

    void plainBodyIsLeftAlone()
    {
        const QByteArray raw = "5\r\nHello\r\n0\r\n\r\n"; // looks chunked, but the header does not say so
        const HttpBodyText text = HttpBody::decode(head({}), raw);
        QCOMPARE(text.data, raw);
        QVERIFY(text.note.isEmpty());
    }

    // Every prefix of a chunked body decodes without reading past the end.
    void everyPrefixIsSafe()
    {
        const QByteArray raw = "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
        for (qsizetype n = 0; n <= raw.size(); ++n) {
            const HttpBodyText text = HttpBody::decodeChunked(raw.left(n));
            QVERIFY(QByteArray("Wikipedia in\r\n\r\nchunks.").startsWith(text.data));
        }
        QCOMPARE(HttpBody::decodeChunked(raw).data, QByteArray("Wikipedia in\r\n\r\nchunks."));
    }
};

QTEST_GUILESS_MAIN(tst_HttpBody)
#include "tst_httpbody.moc"
