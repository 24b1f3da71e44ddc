#pragma once

#include "capture/capturedocument.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>

#include <array>
#include <memory>

namespace rapidjson {
class CrtAllocator;
template <typename CharType> struct UTF8;
template <typename SourceEncoding, typename TargetEncoding, typename StackAllocator> class GenericReader;
} // namespace rapidjson

class QJsonObject;

namespace wsi {

// Reads a capture file (JSON Lines, docs/capture-format.md) as it arrives, bytes in, log entries
// and connections out: frames become messages again (fragments joined, a `message` event's
// decompressed payload preferred), handshake events fill each connection's HandshakeInfo. A line
// that cannot be used is skipped and named by its number; nothing a file holds makes it crash or
// hold more than kMaxLineBytes of one line or kMaxMessageBytes of one message.
class JsonlReader
{
    Q_DECLARE_TR_FUNCTIONS(wsi::JsonlReader)
public:
    static constexpr qsizetype kMaxLineBytes = 256 << 20;
    static constexpr qsizetype kMaxMessageBytes = 256 << 20;
    static constexpr qsizetype kMaxNotices = 1000;
    // Connections one file may hold (each opens a view): more are skipped with a notice.
    static constexpr qsizetype kMaxConnections = 1000;

    explicit JsonlReader(qsizetype maxLineBytes = kMaxLineBytes);
    ~JsonlReader();

    // Bytes as read from the file, cut anywhere.
    void feed(QByteArrayView bytes);
    // End of the file: a last line without its newline is reported as cut off, unfinished
    // messages are kept as they are.
    void finish();
    // What was read since the last call.
    CaptureChunk takeChunk();
    bool hasChunk() const { return !m_chunk.isEmpty(); }

    qint64 lineCount() const { return m_line; }
    qint64 validLines() const { return m_validLines; }
    qint64 skippedLines() const { return m_skippedLines; }
    bool lastLineCut() const { return m_lastLineCut; }

    // Whether the start of a file looks like a capture: its first line is a JSON object with
    // "event" (or the line is still incomplete and starts like one).
    static bool looksLikeCapture(QByteArrayView head);

private:
    struct Assembly
    {
        bool active = false;
        LogEntry entry;
    };
    struct Conn
    {
        CapturedConnection info;
        bool dirty = false;
        std::array<Assembly, 2> assembling; // per direction (send, receive)
        std::array<Assembly, 2> held; // a finished message that a `message` event may still replace
    };

    void parseLine(QByteArrayView line);
    void handle(const QJsonObject& o, qint64 timeUs, int conn);
    void frame(Conn& c, int connId, const QJsonObject& o, qint64 timeUs);
    void addFrame(Conn& c, int connId, Direction dir, FrameInfo&& f, QByteArray&& payload, qint64 timeUs);
    // The recorder's frame lines without QJsonDocument; false leaves the line to the full parser.
    bool fastFrame(QByteArrayView line);
    void message(Conn& c, int connId, const QJsonObject& o, qint64 timeUs);
    void addMessage(Conn& c, int connId, Direction dir, LogEntry::Kind kind, QByteArray&& payload, qint64 timeUs);
    void flushHeld(Conn& c, int connId);
    void emitEntry(int conn, LogEntry&& entry);
    void skip(const QString& why);
    Conn& conn(int id, qint64 timeUs);

    qsizetype m_maxLineBytes;
    QByteArray m_partial; // the current line so far
    QByteArray m_scratch; // a copy of the line that rapidjson parses in place
    std::unique_ptr<rapidjson::GenericReader<rapidjson::UTF8<char>, rapidjson::UTF8<char>, rapidjson::CrtAllocator>>
        m_parser;
    bool m_overlong = false; // the current line passed kMaxLineBytes: its bytes are dropped
    qint64 m_line = 0; // lines completed
    qint64 m_validLines = 0;
    qint64 m_skippedLines = 0;
    bool m_lastLineCut = false;
    bool m_lineCounted = false; // the current line is in m_validLines
    QHash<int, Conn> m_conns;
    CaptureChunk m_chunk;
    qint64 m_noticeCount = 0;
};

} // namespace wsi
