#pragma once

#include "log/logentry.h"
#include "session/session.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

namespace wsi::test {

// Collects everything a session publishes, in order.
class EntryRecorder : public QObject
{
public:
    explicit EntryRecorder(Session* session)
    {
        QObject::connect(session, &Session::entriesAdded, this, [this](const LogBatch& b) { entries.append(b); });
    }
    QList<LogEntry> entries;

    QList<LogEntry> ofKind(LogEntry::Kind kind, Direction dir) const
    {
        QList<LogEntry> out;
        for (const auto& e : entries) {
            if (e.kind == kind && e.dir == dir)
                out.append(e);
        }
        return out;
    }
};

inline bool waitForState(Session* session, Session::State state, int timeoutMs = 10000)
{
    if (session->state() == state)
        return true;
    QSignalSpy spy(session, &Session::stateChanged);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (session->state() == state)
            return true;
        spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    return session->state() == state;
}

// Makes a self-signed certificate and its unencrypted key with the openssl CLI (RSA 2048 unless
// keyArgs says otherwise, e.g. {"ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"}). Returns
// openssl's complaint, or an empty string on success.
inline QString makeSelfSignedCertificate(const QString& certPath, const QString& keyPath, const QString& subject,
    const QStringList& extraArgs = {}, const QStringList& keyArgs = { QStringLiteral("rsa:2048") })
{
    QStringList args { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey") };
    args << keyArgs
         << QStringList { QStringLiteral("-nodes"), QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"),
                certPath, QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), subject }
         << extraArgs;
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), args);
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
        return QStringLiteral("openssl failed: ") + QString::fromLocal8Bit(openssl.readAllStandardError());
    return {};
}

} // namespace wsi::test
