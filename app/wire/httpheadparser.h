#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QString>

namespace wsi {

// Incremental reader of one HTTP/1.1 head (request or status line plus headers) as it crosses the
// wire; keeps the raw bytes exactly and tolerates garbage (problems are reported, never fatal).
class HttpHeadParser
{
public:
    enum class Status { NeedMore, Done, Error };
    // Why a head is unusable (Status::Error), so callers can name it without parsing error().
    enum class Fault {
        None,
        TooLong, // no blank line within kMaxHeadSize bytes
        NotHttp, // a response that does not start with "HTTP/"
    };
    static constexpr qsizetype kMaxHeadSize = 64 * 1024;

    explicit HttpHeadParser(bool isRequest);

    // Consumes bytes of data up to the end of the head and returns how many it used; bytes after
    // the head belong to whatever follows (frames, a body, the next request).
    qsizetype feed(QByteArrayView data);
    Status status() const { return m_status; }
    // Why the head is unusable (Error), e.g. too long.
    QString error() const { return m_error; }
    Fault fault() const { return m_fault; }
    // The parsed head (valid when Done; raw holds what was read so far otherwise).
    const HttpHead& head() const { return m_head; }
    HttpHead takeHead();
    // Starts over for the next head on the same connection.
    void reset();

    // Parses a complete head (the bytes up to and including the blank line).
    static HttpHead parse(const QByteArray& raw, bool isRequest);

private:
    bool m_isRequest;
    Status m_status = Status::NeedMore;
    Fault m_fault = Fault::None;
    QString m_error;
    HttpHead m_head;
};

} // namespace wsi
