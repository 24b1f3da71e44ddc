#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace wsi {

// The body of a refused upgrade as a person reads it: a chunked body (Transfer-Encoding: chunked)
// decoded, anything else as received.
struct HttpBodyText
{
    QByteArray data;
    // Why data differs from the bytes received ("chunked transfer encoding decoded"), or what could
    // not be decoded; empty when data is the body as received.
    QString note;
};

class HttpBody
{
    Q_DECLARE_TR_FUNCTIONS(wsi::HttpBody)
public:
    static HttpBodyText decode(const HttpHead& head, const QByteArray& body);
    // RFC 9112 §7.1: hex size [;extensions] CRLF, data CRLF, …, 0 CRLF, trailers, CRLF. A body cut
    // short keeps what arrived and says so; a malformed size line leaves the body as received.
    static HttpBodyText decodeChunked(const QByteArray& body);
};

} // namespace wsi
