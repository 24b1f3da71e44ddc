#pragma once

#include "profiles/profile.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace wsi {

// What the WeChat platform adds to RFC 6455 for wx.connectSocket / SocketTask, in one place: the
// mini-program check judges by it and the wx.connectSocket snippet is written from it, so that the
// code and the check never disagree.
namespace MiniProgramRules {

// Sockets a mini program may have open at once (kMaxSocketsOld before base library 1.7.0).
constexpr int kMaxSockets = 5;
constexpr int kMaxSocketsOld = 1;
inline constexpr char kMaxSocketsVersion[] = "1.7.0";
// wx.connectSocket's timeout when neither the call nor networkTimeout.connectSocket in app.json sets one.
constexpr int kDefaultTimeoutMs = 60000;

// Headers a mini program cannot set (wx.connectSocket's header option ignores or refuses them).
QStringList forbiddenHeaders();
bool isForbiddenHeader(const QString& name);

// One wx.connectSocket option and the base library version that introduced it.
struct OptionVersion
{
    QString option; // "protocols", "tcpNoDelay", "perMessageDeflate", "timeout"
    QString version; // "1.4.0"
};
// Every versioned option, oldest first.
QList<OptionVersion> optionVersions();

// The options whose value in a profile differs from the platform's default (so they only take
// effect from their base library on), oldest first.
QList<OptionVersion> optionsThatMatter(const Profile& profile);
// The lowest base library the profile's settings need ("1.0.0" when no option matters).
QString lowestBaseLibrary(const Profile& profile);
// -1, 0, 1 like strcmp for dotted versions ("2.10.0" > "2.8.0").
int compareVersions(const QString& a, const QString& b);

} // namespace MiniProgramRules

} // namespace wsi
