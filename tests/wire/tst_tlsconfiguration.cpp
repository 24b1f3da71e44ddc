#include "testhelpers.h"
#include "wire/tlsconfiguration.h"

#include <QFile>
#include <QProcess>
#include <QSslKey>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
QSslCertificate certificateIn(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QSslCertificate(&f, QSsl::Pem) : QSslCertificate();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class tst_TlsConfiguration : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_rsaCert, m_rsaKey, m_ecCert, m_ecKey;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_rsaCert = path(u"rsa-cert.pem"_s);
        m_rsaKey = path(u"rsa-key.pem"_s);
        m_ecCert = path(u"ec-cert.pem"_s);
        m_ecKey = path(u"ec-key.pem"_s);
        QString made = test::makeSelfSignedCertificate(m_rsaCert, m_rsaKey, u"/CN=rsa test"_s);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        made = test::makeSelfSignedCertificate(
            m_ecCert, m_ecKey, u"/CN=ec test"_s, {}, { u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s });
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    void nothingSetGivesTheSystemDefaults()
    {
        const Result<QSslConfiguration> r = buildTlsConfiguration(TlsSettings {});
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r->caCertificates(), QSslConfiguration::defaultConfiguration().caCertificates());
        QVERIFY(r->localCertificate().isNull());
        QVERIFY(r->privateKey().isNull());
        // Verification stays on: verify=false and pins are applied to the errors the handshake reports.
        QCOMPARE(r->peerVerifyMode(), QSslConfiguration::defaultConfiguration().peerVerifyMode());
    }

    void aCaFileIsAddedToTheSystemCas()
    {
        TlsSettings s;
        s.caFile = m_rsaCert;
        const Result<QSslConfiguration> r = buildTlsConfiguration(s);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QVERIFY(r->caCertificates().contains(certificateIn(m_rsaCert)));
        QCOMPARE(r->caCertificates().size(), QSslConfiguration::defaultConfiguration().caCertificates().size() + 1);
    }

    void clientKeysOfEachAlgorithmLoad_data()
    {
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("algorithm");
        QTest::newRow("rsa") << m_rsaCert << m_rsaKey << int(QSsl::Rsa);
        QTest::newRow("ec") << m_ecCert << m_ecKey << int(QSsl::Ec);
    }

    void clientKeysOfEachAlgorithmLoad()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(int, algorithm);
        TlsSettings s;
        s.certFile = cert;
        s.keyFile = key;
        const Result<QSslConfiguration> r = buildTlsConfiguration(s);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r->localCertificate(), certificateIn(cert));
        QCOMPARE(int(r->privateKey().algorithm()), algorithm);
        QCOMPARE(r->privateKey().type(), QSsl::PrivateKey);
    }

    void aKeyInTheCertificateFileIsFound()
    {
        const QString both = path(u"both.pem"_s);
        QVERIFY(writeFile(both, readFile(m_ecCert) + readFile(m_ecKey)));
        TlsSettings s;
        s.certFile = both;
        const Result<QSslConfiguration> r = buildTlsConfiguration(s);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r->privateKey().algorithm(), QSsl::Ec);
    }

    void anEncryptedKeyNeedsItsPassphrase()
    {
        const QString encrypted = path(u"encrypted-key.pem"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s,
            { u"pkey"_s, u"-in"_s, m_rsaKey, u"-out"_s, encrypted, u"-aes256"_s, u"-passout"_s, u"pass:s3cret"_s });
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);
        TlsSettings s;
        s.certFile = m_rsaCert;
        s.keyFile = encrypted;
        s.keyPassphrase = u"s3cret"_s;
        const Result<QSslConfiguration> right = buildTlsConfiguration(s);
        QVERIFY2(right.ok(), qPrintable(right.errorMessage()));
        QCOMPARE(right->privateKey().algorithm(), QSsl::Rsa);

        s.keyPassphrase = u"wrong"_s;
        const Result<QSslConfiguration> wrong = buildTlsConfiguration(s);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().message,
            u"Key file \"%1\" could not be read as a private key (wrong passphrase?)."_s.arg(encrypted));
    }

    void eachUnreadableFileIsNamed_data()
    {
        QTest::addColumn<QString>("ca");
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        const QString missing = path(u"missing.pem"_s);
        const QString notes = path(u"notes.txt"_s);
        QVERIFY(writeFile(notes, "just some text\n"));
        const QString junkKey = path(u"junk-key.pem"_s);
        QVERIFY(writeFile(junkKey, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"));

        QTest::newRow("ca missing") << missing << QString() << QString()
                                    << u"CA file \"%1\" could not be read: No such file or directory"_s.arg(missing);
        QTest::newRow("ca not pem") << notes << QString() << QString()
                                    << u"CA file \"%1\" holds no PEM certificate."_s.arg(notes);
        QTest::newRow("ca is a folder") << m_dir.path() << QString() << QString()
                                        << u"CA file \"%1\" could not be read: file to open is a directory"_s.arg(
                                               m_dir.path());
        QTest::newRow("cert missing")
            << QString() << missing << m_rsaKey
            << u"Client certificate file \"%1\" could not be read: No such file or directory"_s.arg(missing);
        QTest::newRow("cert not pem") << QString() << notes << m_rsaKey
                                      << u"Client certificate file \"%1\" holds no PEM certificate."_s.arg(notes);
        QTest::newRow("key missing") << QString() << m_rsaCert << missing
                                     << u"Key file \"%1\" could not be read: No such file or directory"_s.arg(missing);
        QTest::newRow("key is junk")
            << QString() << m_rsaCert << junkKey
            << u"Key file \"%1\" could not be read as a private key (wrong passphrase?)."_s.arg(junkKey);
        QTest::newRow("key is a certificate")
            << QString() << m_rsaCert << m_ecCert
            << u"Key file \"%1\" could not be read as a private key (wrong passphrase?)."_s.arg(m_ecCert);
        QTest::newRow("certificate without key")
            << QString() << m_rsaCert << QString()
            << u"Key file \"%1\" could not be read as a private key (wrong passphrase?)."_s.arg(m_rsaCert);
        QTest::newRow("key without certificate")
            << QString() << QString() << m_rsaKey
            << u"Key file \"%1\" is set but no client certificate: choose the certificate (PEM)."_s.arg(m_rsaKey);
    }

    void eachUnreadableFileIsNamed()
    {
        QFETCH(QString, ca);
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, message);
        TlsSettings s;
        s.caFile = ca;
        s.certFile = cert;
        s.keyFile = key;
        const Result<QSslConfiguration> r = buildTlsConfiguration(s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, message);
    }
};

QTEST_GUILESS_MAIN(tst_TlsConfiguration)
#include "tst_tlsconfiguration.moc"
