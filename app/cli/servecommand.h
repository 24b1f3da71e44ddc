#pragma once

#include "server/serverhost.h"

#include <QCoreApplication>
#include <QObject>
#include <QTextStream>

namespace wsi {

// `wsinspector --serve [--listen ADDR:PORT] [--max-clients N]`: the classroom server without a
// window. Prints the addresses (with a QR code for the first one students can reach) and one line
// per client event; runs until stop().
class ServeCommand : public QObject
{
    Q_OBJECT
public:
    enum Exit { ExitClean = 0, ExitFailed = 1, ExitUsage = 2 };

    ServeCommand(QTextStream& out, QTextStream& err, QObject* parent = nullptr);
    ~ServeCommand() override;

    static bool isServeCommand(const QStringList& arguments);
    // Parses "ADDR:PORT", "[V6]:PORT", "ADDR" or ":PORT"/"PORT" into options (a non-loopback
    // address given here is the user's explicit choice).
    static Result<ListenOptions> parseListen(const QString& text);
    static Result<ListenOptions> parse(const QStringList& arguments);

    // Starts; false with the message printed (and exitCode set) when it cannot.
    bool start(const QStringList& arguments);
    void stop();
    int exitCode() const { return m_exitCode; }
    quint16 port() const { return m_host.port(); }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void print(const ServerEvent& event);

    QTextStream& m_out;
    QTextStream& m_err;
    ServerHost m_host;
    int m_exitCode = ExitClean;
};

} // namespace wsi
