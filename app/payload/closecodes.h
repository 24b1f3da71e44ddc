#pragma once

#include <QList>
#include <QString>

namespace wsi {

// The RFC 6455 / IANA close codes with their registered names, for pickers and log details.
struct CloseCodeInfo
{
    int code;
    QString name;
    bool sendable; // a client may put it in a Close frame (1005, 1006, 1015 are reserved)
};

QList<CloseCodeInfo> standardCloseCodes();
// "Normal Closure" for 1000, "Application-defined" for 3000-3999, "Private use" for 4000-4999, else empty.
QString closeCodeName(int code);
// "1000 Normal Closure" for a log line. 0 (a close frame without a code, as LogEntry stores it)
// and 1005 read "1005 no status code ...", 1006 "1006 connection dropped without a close frame":
// never "code 0".
QString closeCodeLabel(int code);

} // namespace wsi
