#include "closecodes.h"

#include <QCoreApplication>

namespace wsi {

QList<CloseCodeInfo> standardCloseCodes()
{
    const auto t = [](const char* s) { return QCoreApplication::translate("wsi::CloseCodes", s); };
    return {
        { 1000, t("Normal Closure"), true },
        { 1001, t("Going Away"), true },
        { 1002, t("Protocol Error"), true },
        { 1003, t("Unsupported Data"), true },
        { 1005, t("No Status Received"), false },
        { 1006, t("Abnormal Closure"), false },
        { 1007, t("Invalid Frame Payload Data"), true },
        { 1008, t("Policy Violation"), true },
        { 1009, t("Message Too Big"), true },
        { 1010, t("Mandatory Extension"), true },
        { 1011, t("Internal Error"), true },
        { 1012, t("Service Restart"), true },
        { 1013, t("Try Again Later"), true },
        { 1014, t("Bad Gateway"), true },
        { 1015, t("TLS Handshake"), false },
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

} // namespace wsi
