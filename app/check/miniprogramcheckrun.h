#pragma once

#include "check/miniprogramcheck.h"
#include "profiles/profile.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace wsi {

class Session;

// Runs the mini-program check once: opens one connection with the profile's settings (no
// reconnect, nothing sent), closes it with 1000 as soon as it is open, and judges what the
// handshake showed. Ends with finished(report), once.
class MiniProgramCheckRun : public QObject
{
    Q_OBJECT
public:
    explicit MiniProgramCheckRun(const Profile& profile, QObject* parent = nullptr);
    ~MiniProgramCheckRun() override;

    void start();
    bool isRunning() const;
    const MiniProgramReport& report() const { return m_report; }

Q_SIGNALS:
    void finished(const wsi::MiniProgramReport& report);

private:
    void finish(const QString& failure);

    Profile m_profile;
    QPointer<Session> m_session;
    QTimer m_guard; // the connection's own timeout plus a margin: the check always ends
    MiniProgramObservation m_seen;
    MiniProgramReport m_report;
    bool m_done = false;
};

} // namespace wsi
