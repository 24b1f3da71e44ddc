#pragma once

#include "testhelpers.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

namespace wsi::test {

// A wss:// server on 127.0.0.1 with its own self-signed certificate (not trusted by the system), made
// with openssl at test time; counts the connections it accepted. error says why it could not start.
struct TlsTestServer
{
    QTemporaryDir dir;
    std::unique_ptr<QWebSocketServer> server;
    QString error;
    int accepted = 0;

    explicit TlsTestServer(const QString& commonName)
    {
        using namespace Qt::StringLiterals;
        const QString certPath = dir.filePath(u"cert.pem"_s), keyPath = dir.filePath(u"key.pem"_s);
        error = makeSelfSignedCertificate(
            certPath, keyPath, u"/CN="_s + commonName, { u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s });
        if (!error.isEmpty())
            return;
        QFile certFile(certPath), keyFile(keyPath);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            error = u"cannot read the certificate"_s;
            return;
        }
        QSslConfiguration config;
        config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        server = std::make_unique<QWebSocketServer>(u"tls"_s, QWebSocketServer::SecureMode);
        server->setSslConfiguration(config);
        if (!server->listen(QHostAddress::LocalHost))
            error = server->errorString();
        QObject::connect(server.get(), &QWebSocketServer::newConnection, server.get(), [this] {
            ++accepted;
            server->nextPendingConnection()->setParent(server.get());
        });
    }
    QString url() const { return QStringLiteral("wss://127.0.0.1:%1/").arg(server->serverPort()); }
};

} // namespace wsi::test
