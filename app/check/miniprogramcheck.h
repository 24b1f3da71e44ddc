#pragma once

#include "profiles/profile.h"
#include "wire/wiretypes.h"

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QString>

namespace wsi {

// One rule of the mini-program check and what was found.
struct MiniProgramFinding
{
    enum class Verdict { Pass, Warning, Fail, CannotTell };
    QString id; // "scheme", "host", "certificate-name", ... (stable, for tests and scripts)
    QString rule; // the rule in the app's words
    Verdict verdict = Verdict::CannotTell;
    QString evidence; // what the check saw
    QString advice; // what to change; empty when there is nothing to change
};

struct MiniProgramReport
{
    QString url;
    bool connected = false; // a connection was tried (false: judged from the profile alone)
    QList<MiniProgramFinding> findings;

    int count(MiniProgramFinding::Verdict verdict) const;
    bool hasFailures() const { return count(MiniProgramFinding::Verdict::Fail) > 0; }
    const MiniProgramFinding* find(const QString& id) const;
    // The whole report as plain text, one rule after another (the terminal's output).
    QString toText() const;
    // "2 failed, 1 warning, 9 passed, 2 cannot tell"
    QString summary() const;
    static QString verdictName(MiniProgramFinding::Verdict verdict);
};

// What one connection attempt of the check showed.
struct MiniProgramObservation
{
    bool opened = false; // the WebSocket handshake completed
    QString failure; // why the connection failed (empty when it opened)
    HandshakeInfo handshake; // as the wire relay saw it (TLS details even when verification failed)
};

// The WeChat mini-program rules for wx.connectSocket (see MiniProgramRules), judged for one profile
// and what its connection showed: each rule passes, fails, warns or cannot be told, with the
// evidence and what to change.
class MiniProgramCheck
{
    Q_DECLARE_TR_FUNCTIONS(wsi::MiniProgramCheck)
public:
    // systemRoots: the CA store phones are assumed to share (public CAs); profileCas: the profile's
    // own CA file, which makes a certificate acceptable here but only earns a warning.
    static MiniProgramReport evaluate(const Profile& profile, const MiniProgramObservation& seen,
        const QList<QSslCertificate>& systemRoots, const QList<QSslCertificate>& profileCas);
    // The same with this computer's CA store and the profile's CA file.
    static MiniProgramReport evaluate(const Profile& profile, const MiniProgramObservation& seen);
    // Only the rules the profile alone decides (URL, host, headers, base library): for the editor.
    static MiniProgramReport evaluateProfile(const Profile& profile);
    // The certificates of the profile's CA file (empty when none or unreadable).
    static QList<QSslCertificate> profileCaCertificates(const Profile& profile);
};

} // namespace wsi

Q_DECLARE_METATYPE(wsi::MiniProgramReport)
