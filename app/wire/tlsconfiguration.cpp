#include "tlsconfiguration.h"

#ifndef QT_NO_SSL
#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace wsi {

namespace {
// The translation context of buildTlsConfiguration's messages.
class TlsConfiguration
{
    Q_DECLARE_TR_FUNCTIONS(wsi::TlsConfiguration)
};

// The file's bytes, or an Error saying which file (named by what) could not be read.
Result<QByteArray> readFile(const QString& what, const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error { TlsConfiguration::tr("%1 \"%2\" could not be read: %3").arg(what, path, file.errorString()),
            file.errorString() };
    return file.readAll();
}
} // namespace

Result<QSslConfiguration> buildTlsConfiguration(const TlsSettings& settings)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!settings.caFile.isEmpty()) {
        const Result<QByteArray> pem = readFile(TlsConfiguration::tr("CA file"), settings.caFile);
        if (!pem)
            return pem.error();
        const QList<QSslCertificate> cas = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (cas.isEmpty())
            return Error { TlsConfiguration::tr("CA file \"%1\" holds no PEM certificate.").arg(settings.caFile), {} };
        config.setCaCertificates(config.caCertificates() + cas);
    }
    if (settings.certFile.isEmpty()) {
        if (!settings.keyFile.isEmpty())
            return Error { TlsConfiguration::tr(
                               "Key file \"%1\" is set but no client certificate: choose the certificate (PEM).")
                               .arg(settings.keyFile),
                {} };
        return config;
    }
    const Result<QByteArray> certPem = readFile(TlsConfiguration::tr("Client certificate file"), settings.certFile);
    if (!certPem)
        return certPem.error();
    const QList<QSslCertificate> certs = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (certs.isEmpty())
        return Error {
            TlsConfiguration::tr("Client certificate file \"%1\" holds no PEM certificate.").arg(settings.certFile), {}
        };
    config.setLocalCertificate(certs.first());

    const bool keyInCertFile = settings.keyFile.isEmpty();
    const QString keyPath = keyInCertFile ? settings.certFile : settings.keyFile;
    const Result<QByteArray> keyPem = keyInCertFile ? certPem : readFile(TlsConfiguration::tr("Key file"), keyPath);
    if (!keyPem)
        return keyPem.error();
    QSslKey key;
    // The PEM does not say its algorithm in a way QSslKey reads by itself: try each.
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey, settings.keyPassphrase.toUtf8());
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return Error { TlsConfiguration::tr("Key file \"%1\" could not be read as a private key (wrong passphrase?).")
                           .arg(keyPath),
            {} };
    config.setPrivateKey(key);
    return config;
}

} // namespace wsi
#endif
