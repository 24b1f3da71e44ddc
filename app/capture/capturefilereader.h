#pragma once

#include "capture/capturedocument.h"
#include "capture/harreader.h"
#include "capture/jsonlreader.h"
#include "util/result.h"

#include <QCoreApplication>
#include <QFile>

#include <atomic>
#include <memory>

namespace wsi {

// Reads a capture (.jsonl) or HAR file in steps, without threads: open() detects the format,
// each step() reads the next block, takeChunk() hands out what was parsed. CaptureLoader runs it
// in a worker thread; --convert, --replay and the tests run it straight through with readAll().
class CaptureFileReader
{
    Q_DECLARE_TR_FUNCTIONS(wsi::CaptureFileReader)
public:
    enum class Format { Jsonl, Har };
    static constexpr qint64 kBlockBytes = 1 << 20;

    CaptureFileReader();
    ~CaptureFileReader();

    // Checked while a block is parsed: once set, step() returns within about 64 KiB of reading.
    void setCancelFlag(std::shared_ptr<const std::atomic<bool>> cancel);
    // Opens path and finds its format from its first bytes (the extension only breaks a tie).
    Result<Format> open(const QString& path);
    // Reads and parses the next block. Returns false at the end of the file or on an error
    // (error() then says which).
    bool step();
    bool atEnd() const { return m_done; }
    CaptureChunk takeChunk();
    bool hasChunk() const;
    const Error& error() const { return m_error; }
    qint64 bytesRead() const { return m_read; }
    qint64 totalBytes() const { return m_total; }
    Format format() const { return m_format; }

    // Every connection of a file in memory, in the order they first appear; notices (skipped
    // lines, a cut last line) are appended to *notices.
    static Result<QList<CapturedSession>> readAll(const QString& path, QStringList* notices = nullptr);
    // Adds a chunk to sessions (connections by id, in the order first seen).
    static void merge(QList<CapturedSession>* sessions, CaptureChunk&& chunk);

private:
    QFile m_file;
    Format m_format = Format::Jsonl;
    std::unique_ptr<JsonlReader> m_jsonl;
    std::unique_ptr<HarReader> m_har;
    std::shared_ptr<const std::atomic<bool>> m_cancel;
    QByteArray m_block; // the read buffer, reused
    Error m_error;
    qint64 m_read = 0;
    qint64 m_total = 0;
    bool m_done = false;
    bool m_failed = false;
};

} // namespace wsi
Q_DECLARE_METATYPE(wsi::CaptureFileReader::Format)
