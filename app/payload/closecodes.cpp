#include "closecodes.h"

#include <QCoreApplication>

namespace wsi {

QList<CloseCodeInfo> standardCloseCodes()
{
    return {
        { 1000, QCoreApplication::translate("wsi::CloseCodes", "Normal Closure"), true },
        { 1001, QCoreApplication::translate("wsi::CloseCodes", "Going Away"), true },
        { 1002, QCoreApplication::translate("wsi::CloseCodes", "Protocol Error"), true },
        { 1003, QCoreApplication::translate("wsi::CloseCodes", "Unsupported Data"), true },
        { 1005, QCoreApplication::translate("wsi::CloseCodes", "No status code (the close frame had none)"), false },
        { 1006, QCoreApplication::translate("wsi::CloseCodes", "Connection dropped without a close frame"), false },
        { 1007, QCoreApplication::translate("wsi::CloseCodes", "Invalid Frame Payload Data"), true },
        { 1008, QCoreApplication::translate("wsi::CloseCodes", "Policy Violation"), true },
        { 1009, QCoreApplication::translate("wsi::CloseCodes", "Message Too Big"), true },
        { 1010, QCoreApplication::translate("wsi::CloseCodes", "Mandatory Extension"), true },
        { 1011, QCoreApplication::translate("wsi::CloseCodes", "Internal Error"), true },
        { 1012, QCoreApplication::translate("wsi::CloseCodes", "Service Restart"), true },
        { 1013, QCoreApplication::translate("wsi::CloseCodes", "Try Again Later"), true },
        { 1014, QCoreApplication::translate("wsi::CloseCodes", "Bad Gateway"), true },
        { 1015, QCoreApplication::translate("wsi::CloseCodes", "TLS Handshake"), false },
    };
}

QString closeCodeName(int code)
{
    for (const auto& c : standardCloseCodes()) {
        if (c.code == code)
            return c.name;
    }
    if (code >= 3000 && code <= 3999)
        return QCoreApplication::translate("wsi::CloseCodes", "Application-defined");
    if (code >= 4000 && code <= 4999)
        return QCoreApplication::translate("wsi::CloseCodes", "Private use");
    return {};
}

QString closeCodeLabel(int code)
{
    if (code == 0 || code == 1005)
        return QCoreApplication::translate("wsi::CloseCodes", "1005 no status code (the close frame had none)");
    if (code == 1006)
        return QCoreApplication::translate("wsi::CloseCodes", "1006 connection dropped without a close frame");
    const QString name = closeCodeName(code);
    return name.isEmpty() ? QString::number(code) : QString::number(code) + u' ' + name;
}

} // namespace wsi
