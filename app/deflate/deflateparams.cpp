#include "deflateparams.h"

#include <QCoreApplication>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

constexpr QByteArrayView kExtensionName = "permessage-deflate";
constexpr QByteArrayView kClientBits = "client_max_window_bits";
constexpr QByteArrayView kServerBits = "server_max_window_bits";
constexpr QByteArrayView kClientReset = "client_no_context_takeover";
constexpr QByteArrayView kServerReset = "server_no_context_takeover";

} // namespace

QByteArray DeflateParams::offerHeaderValue() const
{
    QByteArray out = kExtensionName.toByteArray();
    const QString params = toParamString();
    if (!params.isEmpty())
        out += "; " + params.toLatin1();
    return out;
}

QString DeflateParams::toParamString() const
{
    QStringList parts;
    if (serverNoContextTakeover)
        parts.append(QString::fromLatin1(kServerReset));
    if (clientNoContextTakeover)
        parts.append(QString::fromLatin1(kClientReset));
    if (serverMaxWindowBits != kNotOffered)
        parts.append(QString::fromLatin1(kServerBits) + u'=' + QString::number(serverMaxWindowBits));
    if (clientMaxWindowBits == kOfferedWithoutValue)
        parts.append(QString::fromLatin1(kClientBits));
    else if (clientMaxWindowBits != kNotOffered)
        parts.append(QString::fromLatin1(kClientBits) + u'=' + QString::number(clientMaxWindowBits));
    return parts.join(u"; "_s);
}

QList<DeflateParamProblem> DeflateParams::problems() const
{
    QList<DeflateParamProblem> out;
    auto inRange = [](int bits) { return bits >= kMinWindowBits && bits <= kMaxWindowBits; };
    if (clientMaxWindowBits != kNotOffered && clientMaxWindowBits != kOfferedWithoutValue
        && !inRange(clientMaxWindowBits))
        out.append({ QString::fromLatin1(kClientBits),
            QCoreApplication::translate("wsi::DeflateNegotiation",
                "Deflate parameter client_max_window_bits=%1 is out of range: use 8 to 15, "
                "no value (the server chooses), or leave it out.")
                .arg(clientMaxWindowBits) });
    if (serverMaxWindowBits != kNotOffered && !inRange(serverMaxWindowBits))
        out.append({ QString::fromLatin1(kServerBits),
            QCoreApplication::translate("wsi::DeflateNegotiation",
                "Deflate parameter server_max_window_bits=%1 is out of range: use 8 to 15, or leave "
                "it out.")
                .arg(serverMaxWindowBits) });
    return out;
}

} // namespace wsi
