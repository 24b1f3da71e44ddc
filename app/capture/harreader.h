#pragma once

#include "capture/capturedocument.h"
#include "util/result.h"

#include <QCoreApplication>

#include <atomic>
#include <memory>

class QIODevice;

namespace wsi {

// Reads a HAR file as a stream (docs/capture-format.md): the device is read in blocks, the JSON
// walked with a pull parser that takes log.entries one at a time and, inside a WebSocket entry,
// each _webSocketMessages item one at a time, so memory stays at one message plus what was not
// taken yet, whatever the file's size. A cut or invalid file keeps what came before the damage,
// with a notice naming the byte; nothing a file holds makes it hold more than maxStringBytes of
// one string or nest deeper than kMaxDepth.
class HarReader
{
    Q_DECLARE_TR_FUNCTIONS(wsi::HarReader)
public:
    // A message's data (a JSON string) longer than this is cut, with a notice.
    static constexpr qint64 kMaxStringBytes = qint64(256) << 20;
    // Strings of the entry's other fields (headers, URL, the HTTP bodies of skipped entries).
    static constexpr qint64 kMaxFieldStringBytes = qint64(1) << 20;
    static constexpr int kMaxDepth = 256;
    // Messages of an entry held back until its request and response were read (Chrome writes
    // _webSocketMessages before them), so that the handshake rows come first; past this many
    // they are handed on and the handshake rows follow at the entry's end.
    static constexpr qsizetype kMaxHeldMessages = 20000;

    // in must stay open while the reader is used.
    explicit HarReader(QIODevice* in, qint64 maxStringBytes = kMaxStringBytes);
    ~HarReader();

    // Checked at every block the stream reads: once set, step() stops within one block.
    void setCancelFlag(std::shared_ptr<const std::atomic<bool>> cancel);
    // Parses until about budgetBytes more of the file were read, or the end, an error, a cancel.
    // Returns false when there is nothing more to read.
    bool step(qint64 budgetBytes);
    bool atEnd() const { return m_finished; }
    bool cancelled() const { return m_cancelled; }
    // Set when the file is not a HAR file or holds no WebSocket entry (nothing usable was read).
    const Error& error() const { return m_error; }
    bool failed() const { return !m_error.message.isEmpty(); }

    CaptureChunk takeChunk();
    bool hasChunk() const { return !m_chunk.isEmpty(); }

    qint64 bytesRead() const; // the position reached in the file
    int websocketEntries() const { return m_websocketEntries; }
    int httpEntriesSkipped() const { return m_httpEntriesSkipped; }

private:
    struct State;
    class Stream;
    struct Entry;

    bool stepOnce();
    bool enterValue(char open);
    void beginEntry();
    void entryField(const QByteArray& key);
    void ensureConnection();
    void readMessage();
    void finishEntry();
    void emitHandshake();
    void flushHeld();
    void emitConnection();
    void add(LogEntry&& entry);
    void notice(const QString& text);
    bool skipValue();
    bool parseKey(QByteArray* key);
    void fail(const QString& detail, qint64 offset = -1);
    void finish();

    std::unique_ptr<Stream> m_stream;
    std::unique_ptr<State> m_state;
    std::unique_ptr<Entry> m_entry;
    std::shared_ptr<const std::atomic<bool>> m_cancel;
    qint64 m_maxStringBytes;
    CaptureChunk m_chunk;
    Error m_error;
    qint64 m_noticeCount = 0;
    qint64 m_entryIndex = 0; // 1-based position of the current entry in log.entries
    int m_websocketEntries = 0;
    int m_httpEntriesSkipped = 0;
    bool m_sawEntries = false;
    bool m_started = false;
    bool m_finished = false;
    bool m_cancelled = false;
};

} // namespace wsi
