#pragma once

#include <QList>
#include <QSslCertificate>
#include <QStringList>

namespace wsi {

// How the certificates a server sent link up to a root this computer trusts, worked out from what
// was sent alone: nothing is fetched, because phones do not fetch missing intermediates either.
// Certificates are linked by issuer and subject name; the signatures were checked by the TLS
// handshake itself.
struct ChainAnalysis
{
    enum class Outcome {
        Empty, // nothing was sent (no TLS, or the handshake did not get that far)
        Complete, // every link was sent, up to a trusted root
        MissingIssuer, // a certificate's issuer was neither sent nor a trusted root
        UntrustedRoot, // the server sent a root that nobody trusts
    };
    enum class Anchor { None, System, ProfileCa };

    Outcome outcome = Outcome::Empty;
    Anchor anchor = Anchor::None;
    QStringList path; // subject names, leaf first, as they were linked
    QString missingIssuer; // MissingIssuer: the issuer's name
    QString anchorName; // Complete: the trusted root's name
    int sentCount = 0;

    // systemRoots: the operating system's CA store; profileCas: the profile's own CA file. Only
    // self-signed certificates count as roots (phones hold no intermediates).
    static ChainAnalysis analyze(const QList<QSslCertificate>& sent, const QList<QSslCertificate>& systemRoots,
        const QList<QSslCertificate>& profileCas);
    // "CN=a, O=b" for a certificate's subject or issuer.
    static QString subjectName(const QSslCertificate& cert);
    static QString issuerName(const QSslCertificate& cert);
};

} // namespace wsi
