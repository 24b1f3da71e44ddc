#include "acceptderivation.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace wsi {

AcceptDerivation AcceptDerivation::derive(const QByteArray& key)
{
    AcceptDerivation d;
    d.key = key.trimmed();
    d.concatenated = d.key + kGuid.toByteArray();
    d.sha1 = QCryptographicHash::hash(d.concatenated, QCryptographicHash::Sha1);
    d.accept = d.sha1.toBase64();
    const auto decoded = QByteArray::fromBase64Encoding(d.key, QByteArray::AbortOnBase64DecodingErrors);
    if (d.key.isEmpty()) {
        d.keyProblems.append(tr("The key is empty."));
    } else if (!decoded) {
        d.keyProblems.append(tr("The key is not valid base64."));
    } else {
        d.keyBytes = decoded.decoded;
        if (d.keyBytes.size() != 16)
            d.keyProblems.append(tr("The key decodes to %n byte(s); RFC 6455 §4.1 asks for 16 random bytes.", nullptr,
                int(d.keyBytes.size())));
    }
    return d;
}

QByteArray AcceptDerivation::generateKey()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char*>(words), sizeof(words)).toBase64();
}

QStringList AcceptDerivation::explain(std::optional<QByteArray> seenAccept) const
{
    QStringList lines;
    lines.append(tr("1. Sec-WebSocket-Key sent by the client:  %1").arg(QString::fromLatin1(key)));
    if (keyProblems.isEmpty())
        lines.append(tr("   (base64 of 16 random bytes: %1)").arg(QString::fromLatin1(keyBytes.toHex(' '))));
    for (const QString& problem : keyProblems)
        lines.append(tr("   Note: %1").arg(problem));
    lines.append(tr("2. The fixed GUID from RFC 6455:          %1").arg(QString::fromLatin1(kGuid.toByteArray())));
    lines.append(tr("3. Key + GUID (the text that is hashed):  %1").arg(QString::fromLatin1(concatenated)));
    lines.append(tr("4. SHA-1 of that text, in hex:            %1").arg(QString::fromLatin1(sha1.toHex(' '))));
    lines.append(tr("5. Those 20 bytes in base64:              %1").arg(QString::fromLatin1(accept)));
    lines.append(tr("=> The server must answer Sec-WebSocket-Accept: %1").arg(QString::fromLatin1(accept)));
    if (seenAccept) {
        const QByteArray seen = seenAccept->trimmed();
        if (seen.isEmpty())
            lines.append(tr("✗ The server sent no Sec-WebSocket-Accept, so a client must fail the connection."));
        else if (seen == accept)
            lines.append(tr("✓ The server sent %1: it matches.").arg(QString::fromLatin1(seen)));
        else
            lines.append(tr("✗ The server sent %1: it does not match, so a client must fail the connection.")
                             .arg(QString::fromLatin1(seen)));
    }
    return lines;
}

} // namespace wsi
