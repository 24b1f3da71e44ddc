#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace wsi::test {

// A three-level PKI made with the openssl CLI in a temporary folder: a root CA, an intermediate CA
// it signed, and server certificates the intermediate signed (for any name, or expired in 2020).
class TestPki
{
public:
    // Empty string on success, else what openssl said.
    QString create()
    {
        if (!m_dir.isValid())
            return QStringLiteral("no temporary folder");
        QString e = run({ QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), path("root.key"),
            QStringLiteral("-out"), path("root.pem"), QStringLiteral("-days"), QStringLiteral("3"),
            QStringLiteral("-subj"), QStringLiteral("/CN=WSI Test Root/O=wsinspector tests"), QStringLiteral("-addext"),
            QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
            QStringLiteral("keyUsage=critical,keyCertSign,cRLSign") });
        if (!e.isEmpty())
            return e;
        write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        if (e = request(QStringLiteral("int"), QStringLiteral("/CN=WSI Test Intermediate/O=wsinspector tests"));
            !e.isEmpty())
            return e;
        e = run({ QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), path("int.csr"),
            QStringLiteral("-CA"), path("root.pem"), QStringLiteral("-CAkey"), path("root.key"),
            QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), path("int.pem"), QStringLiteral("-days"),
            QStringLiteral("3"), QStringLiteral("-extfile"), path("ca.ext") });
        if (!e.isEmpty())
            return e;
        // For expired certificates: "openssl ca" is the one that takes explicit dates.
        QDir(m_dir.path()).mkpath(QStringLiteral("cadb"));
        write("cadb/index.txt", "");
        write("cadb/serial", "1000\n");
        write("ca.cnf",
            "[ca]\ndefault_ca = test\n[test]\ndatabase = cadb/index.txt\nnew_certs_dir = cadb\nserial = cadb/serial\n"
            "default_md = sha256\npolicy = any\ncopy_extensions = none\nunique_subject = no\n"
            "[any]\ncommonName = supplied\n");
        return {};
    }

    // A server certificate for dnsName signed by the intermediate; expired: valid only in January 2020.
    QString issue(const QString& name, const QString& dnsName, bool expired = false)
    {
        if (QString e = request(name, QStringLiteral("/CN=") + dnsName); !e.isEmpty())
            return e;
        write(name + QStringLiteral(".ext"),
            QStringLiteral("subjectAltName=DNS:%1\nextendedKeyUsage=serverAuth\n").arg(dnsName).toUtf8());
        if (expired)
            return run({ QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"), path("ca.cnf"),
                QStringLiteral("-cert"), path("int.pem"), QStringLiteral("-keyfile"), path("int.key"),
                QStringLiteral("-in"), path(name + QStringLiteral(".csr")), QStringLiteral("-out"),
                path(name + QStringLiteral(".pem")), QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"),
                QStringLiteral("-enddate"), QStringLiteral("20200201000000Z"), QStringLiteral("-extfile"),
                path(name + QStringLiteral(".ext")), QStringLiteral("-notext") });
        return run({ QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
            path(name + QStringLiteral(".csr")), QStringLiteral("-CA"), path("int.pem"), QStringLiteral("-CAkey"),
            path("int.key"), QStringLiteral("-CAcreateserial"), QStringLiteral("-out"),
            path(name + QStringLiteral(".pem")), QStringLiteral("-days"), QStringLiteral("3"),
            QStringLiteral("-extfile"), path(name + QStringLiteral(".ext")) });
    }

    QString path(const QString& file) const { return m_dir.filePath(file); }
    QString path(const char* file) const { return path(QString::fromLatin1(file)); }
    QSslCertificate certificate(const QString& name) const
    {
        QFile f(path(name + QStringLiteral(".pem")));
        return f.open(QIODevice::ReadOnly) ? QSslCertificate(f.readAll(), QSsl::Pem) : QSslCertificate();
    }
    QSslKey key(const QString& name) const
    {
        QFile f(path(name + QStringLiteral(".key")));
        return f.open(QIODevice::ReadOnly) ? QSslKey(f.readAll(), QSsl::Rsa) : QSslKey();
    }

private:
    QString request(const QString& name, const QString& subject)
    {
        return run({ QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-keyout"), path(name + QStringLiteral(".key")),
            QStringLiteral("-out"), path(name + QStringLiteral(".csr")), QStringLiteral("-subj"), subject });
    }
    void write(const QString& file, const QByteArray& data)
    {
        QFile f(path(file));
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
    }
    void write(const char* file, const QByteArray& data) { write(QString::fromLatin1(file), data); }
    QString run(const QStringList& args)
    {
        QProcess openssl;
        openssl.setWorkingDirectory(m_dir.path());
        openssl.start(QStringLiteral("openssl"), args);
        if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0)
            return QStringLiteral("openssl %1 failed: %2")
                .arg(args.first(), QString::fromLocal8Bit(openssl.readAllStandardError()));
        return {};
    }

    QTemporaryDir m_dir;
};

} // namespace wsi::test
