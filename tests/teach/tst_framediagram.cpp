#include "teach/framediagram.h"
#include "wire/frameparser.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
// Parses wire bytes with the inspector's own frame parser, so the diagram is checked against the
// bytes a peer really sends rather than against fields typed into the test.
ParsedFrame parse(const QByteArray& wire, Direction dir)
{
    FrameParser parser(dir);
    QList<ParsedFrame> out;
    parser.feed(wire, out);
    return out.value(0);
}

QByteArray frame(quint8 opcode, const QByteArray& payload, bool masked, quint32 key = 0x37fa213d)
{
    QByteArray wire;
    wire.append(char(0x80 | opcode));
    const quint8 maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        wire.append(char(maskBit | payload.size()));
    } else if (payload.size() < 65536) {
        wire.append(char(maskBit | 126));
        wire.append(char(payload.size() >> 8));
        wire.append(char(payload.size() & 0xff));
    } else {
        wire.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            wire.append(char((quint64(payload.size()) >> (8 * i)) & 0xff));
    }
    QByteArray body = payload;
    if (masked) {
        const quint8 k[4] = { quint8(key >> 24), quint8(key >> 16), quint8(key >> 8), quint8(key) };
        for (int i = 0; i < 4; ++i)
            wire.append(char(k[i]));
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(quint8(body.at(i)) ^ k[i % 4]);
    }
    return wire + body;
}
} // namespace

class tst_FrameDiagram : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // RFC 6455 §5.7: a single-frame masked text message "Hello".
    void rfcMaskedHello()
    {
        const QByteArray wire = QByteArray::fromHex("818537fa213d7f9f4d5158");
        const ParsedFrame f = parse(wire, Direction::Send);
        QCOMPARE(f.payload, QByteArray("Hello"));
        const FrameDiagram d = FrameDiagram::build(f.info, f.payload);
        QCOMPARE(d.header, wire.left(6)); // 2 header bytes + 4 key bytes, exactly as on the wire
        QCOMPARE(d.payloadOnWire, wire.mid(6));
        QCOMPARE(d.payloadUnmasked, QByteArray("Hello"));
        QStringList names;
        for (const auto& field : d.fields)
            names.append(field.name);
        QCOMPARE(names,
            QStringList({ u"FIN"_s, u"RSV1"_s, u"RSV2"_s, u"RSV3"_s, u"opcode"_s, u"MASK"_s, u"payload length"_s,
                u"masking key"_s }));
        QCOMPARE(d.fields.at(4).value, 1u);
        QCOMPARE(d.fields.at(6).value, 5u);
        QCOMPARE(d.fields.at(7).bitOffset, 16);
        QCOMPARE(d.fields.at(7).value, quint64(0x37fa213d));
        QCOMPARE(d.fieldAt(0), 0);
        QCOMPARE(d.fieldAt(5), 4);
        QCOMPARE(d.fieldAt(8), 5);
        QCOMPARE(d.fieldAt(47), 7);
        QCOMPARE(d.fieldAt(48), -1);
        const QString text = d.textLines().join(u'\n');
        QVERIFY(text.contains(u"Header bytes: 81 85 37 fa 21 3d"_s));
        QVERIFY(text.contains(u"10000001 10000101"_s));
        QVERIFY(text.contains(u"Payload on the wire: 7f 9f 4d 51 58"_s));
        QVERIFY(text.contains(u"Payload unmasked:    48 65 6c 6c 6f"_s));
    }

    void lengthEncodings_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("masked");
        QTest::addColumn<int>("headerSize");
        QTest::addColumn<int>("len7");
        QTest::newRow("7-bit unmasked") << 125 << false << 2 << 125;
        QTest::newRow("7-bit masked") << 0 << true << 6 << 0;
        QTest::newRow("16-bit unmasked") << 126 << false << 4 << 126;
        QTest::newRow("16-bit masked") << 65535 << true << 8 << 126;
        QTest::newRow("64-bit unmasked") << 65536 << false << 10 << 127;
        QTest::newRow("64-bit masked") << 70000 << true << 14 << 127;
    }
    void lengthEncodings()
    {
        QFETCH(int, size);
        QFETCH(bool, masked);
        QFETCH(int, headerSize);
        QFETCH(int, len7);
        QByteArray payload(size, 'x');
        for (int i = 0; i < size; ++i)
            payload[i] = char(i * 7);
        const QByteArray wire = frame(OpBinary, payload, masked);
        const ParsedFrame f = parse(wire, masked ? Direction::Send : Direction::Receive);
        QCOMPARE(f.payload, payload);
        const FrameDiagram d = FrameDiagram::build(f.info, f.payload, 8);
        QCOMPARE(d.header, wire.left(headerSize));
        QCOMPARE(d.payloadLength, quint64(size));
        QCOMPARE(d.payloadUnmasked, payload.left(8));
        QCOMPARE(d.payloadOnWire, wire.mid(headerSize, qMin(8, size)));
        const auto& len = d.fields.at(6);
        QCOMPARE(len.value, quint64(len7));
        if (len7 >= 126) {
            QCOMPARE(d.fields.at(7).name, u"extended payload length"_s);
            QCOMPARE(d.fields.at(7).bitCount, len7 == 126 ? 16 : 64);
            QCOMPARE(d.fields.at(7).value, quint64(size));
        }
        QCOMPARE(d.fields.last().name == u"masking key"_s, masked);
    }

    void closeFrameNamesItsCode()
    {
        const ParsedFrame f = parse(frame(OpClose, QByteArray("\x03\xe9going away", 12), false), Direction::Receive);
        const FrameDiagram d = FrameDiagram::build(f.info, f.payload);
        QCOMPARE(d.fields.last().name, u"close code"_s);
        QCOMPARE(d.fields.last().value, 1001u);
        QVERIFY(d.fields.at(4).meaning.contains(u"close"_s));
    }
};

QTEST_GUILESS_MAIN(tst_FrameDiagram)
#include "tst_framediagram.moc"
