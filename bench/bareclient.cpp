// wsinspector-bareclient: the baseline of the terminal benchmark. A bare QWebSocket in its own
// process that counts the text messages it receives and exits when the connection closes.
//
//   wsinspector-bareclient URL [--expect N] [--verify SIZE] [--read-buffer BYTES]
//
// Prints one JSON line {"received":N,"bytes":B,"close_code":C,"in_order_byte_exact":bool} on
// stdout. Exit code 0 when the server closed with 1000 and (with --expect) N messages arrived;
// --verify SIZE also compares every message with wsinspector-sender's "push #<n>" of SIZE bytes.
// --read-buffer sets QWebSocket::setReadBufferSize (default: Qt's, unlimited), to see how much of
// the client's memory is bytes read ahead of its processing.
#include "pushmessage.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QWebSocket>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    QUrl url;
    qint64 expect = -1;
    int verifySize = 0;
    qint64 readBuffer = 0;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--expect"_s && i + 1 < args.size()) {
            expect = args.at(++i).toLongLong();
        } else if (args.at(i) == u"--verify"_s && i + 1 < args.size()) {
            verifySize = args.at(++i).toInt();
        } else if (args.at(i) == u"--read-buffer"_s && i + 1 < args.size()) {
            readBuffer = args.at(++i).toLongLong();
        } else if (!url.isValid()) {
            url = QUrl(args.at(i));
        } else {
            std::fprintf(
                stderr, "usage: wsinspector-bareclient URL [--expect N] [--verify SIZE] [--read-buffer BYTES]\n");
            return 2;
        }
    }
    if (!url.isValid() || url.scheme().isEmpty()) {
        std::fprintf(stderr, "usage: wsinspector-bareclient URL [--expect N] [--verify SIZE] [--read-buffer BYTES]\n");
        return 2;
    }

    QWebSocket socket;
    if (readBuffer > 0)
        socket.setReadBufferSize(readBuffer);
    qint64 received = 0;
    qint64 bytes = 0;
    bool inOrder = true;
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [&](const QString& message) {
        ++received;
        bytes += message.size(); // ASCII: characters are bytes
        if (verifySize > 0 && inOrder)
            inOrder = message.toLatin1() == wsi::bench::pushMessage(received, verifySize);
    });
    QObject::connect(&socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), &socket, [&] {
        if (socket.state() != QAbstractSocket::UnconnectedState && socket.state() != QAbstractSocket::ConnectedState)
            socket.abort(); // Qt 6.4.2: a failed handshake stays in ConnectingState
        std::fprintf(stderr, "wsinspector-bareclient: %s\n", qPrintable(socket.errorString()));
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &app, [&] {
        const int code = int(socket.closeCode());
        const bool ok = code == 1000 && (expect < 0 || received == expect) && inOrder;
        QJsonObject o { { u"received"_s, received }, { u"bytes"_s, bytes }, { u"close_code"_s, code } };
        if (verifySize > 0)
            o.insert(u"in_order_byte_exact"_s, inOrder);
        std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
        app.exit(ok ? 0 : 1);
    });
    socket.open(url);
    return app.exec();
}
