#include "certificatechain.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

enum class Side { Subject, Issuer };

// Attribute=value pairs in a stable order, for comparing an issuer with a subject.
QString nameKey(const QSslCertificate& cert, Side side)
{
    QList<QByteArray> attributes = side == Side::Subject ? cert.subjectInfoAttributes() : cert.issuerInfoAttributes();
    std::sort(attributes.begin(), attributes.end());
    QStringList parts;
    for (const QByteArray& a : std::as_const(attributes)) {
        const QStringList values = side == Side::Subject ? cert.subjectInfo(a) : cert.issuerInfo(a);
        parts.append(QString::fromLatin1(a) + u'=' + values.join(u'+'));
    }
    return parts.join(u", "_s);
}

QString displayName(const QSslCertificate& cert, Side side)
{
    // The usual order: CN first, then organisation and country.
    QStringList parts;
    for (const QByteArray& a :
        { QByteArrayLiteral("CN"), QByteArrayLiteral("OU"), QByteArrayLiteral("O"), QByteArrayLiteral("C") }) {
        const QStringList values = side == Side::Subject ? cert.subjectInfo(a) : cert.issuerInfo(a);
        if (!values.isEmpty())
            parts.append(QString::fromLatin1(a) + u'=' + values.join(u'+'));
    }
    return parts.isEmpty() ? nameKey(cert, side) : parts.join(u", "_s);
}

bool selfSigned(const QSslCertificate& cert)
{
    return nameKey(cert, Side::Subject) == nameKey(cert, Side::Issuer);
}

const QSslCertificate* findRoot(const QList<QSslCertificate>& roots, const QString& issuerKey)
{
    for (const QSslCertificate& r : roots) {
        if (selfSigned(r) && nameKey(r, Side::Subject) == issuerKey)
            return &r;
    }
    return nullptr;
}

} // namespace

QString ChainAnalysis::subjectName(const QSslCertificate& cert)
{
    return displayName(cert, Side::Subject);
}

QString ChainAnalysis::issuerName(const QSslCertificate& cert)
{
    return displayName(cert, Side::Issuer);
}

ChainAnalysis ChainAnalysis::analyze(const QList<QSslCertificate>& sent, const QList<QSslCertificate>& systemRoots,
    const QList<QSslCertificate>& profileCas)
{
    ChainAnalysis a;
    a.sentCount = int(sent.size());
    if (sent.isEmpty() || sent.first().isNull())
        return a;
    auto isIn = [](const QList<QSslCertificate>& list, const QSslCertificate& c) {
        return std::any_of(list.begin(), list.end(), [&c](const QSslCertificate& x) { return x == c; });
    };
    QSslCertificate current = sent.first();
    a.path.append(subjectName(current));
    // A chain longer than the list sent would repeat itself: stop there.
    for (qsizetype step = 0; step <= sent.size(); ++step) {
        if (selfSigned(current)) {
            // The server sent a root itself (harmless): it counts only if it is trusted.
            if (isIn(systemRoots, current) || isIn(profileCas, current)) {
                a.outcome = Outcome::Complete;
                a.anchor = isIn(systemRoots, current) ? Anchor::System : Anchor::ProfileCa;
                a.anchorName = subjectName(current);
            } else {
                a.outcome = Outcome::UntrustedRoot;
                a.missingIssuer = subjectName(current);
            }
            return a;
        }
        const QString issuerKey = nameKey(current, Side::Issuer);
        if (const QSslCertificate* root = findRoot(systemRoots, issuerKey)) {
            a.outcome = Outcome::Complete;
            a.anchor = Anchor::System;
            a.anchorName = subjectName(*root);
            a.path.append(a.anchorName);
            return a;
        }
        if (const QSslCertificate* root = findRoot(profileCas, issuerKey)) {
            a.outcome = Outcome::Complete;
            a.anchor = Anchor::ProfileCa;
            a.anchorName = subjectName(*root);
            a.path.append(a.anchorName);
            return a;
        }
        const auto next = std::find_if(sent.begin(), sent.end(),
            [&](const QSslCertificate& c) { return c != current && nameKey(c, Side::Subject) == issuerKey; });
        if (next == sent.end())
            break;
        current = *next;
        a.path.append(subjectName(current));
    }
    a.outcome = Outcome::MissingIssuer;
    a.missingIssuer = issuerName(current);
    return a;
}

} // namespace wsi
