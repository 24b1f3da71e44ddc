#include "appsettings.h"

#include "log/logstore.h"

#include <QSettings>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// The keys, in one place. Changing one forgets what users had chosen: add a migration instead.
const auto kLogMemoryCapMiB = u"log/memoryCapMiB"_s;
const auto kLogStatistics = u"log/showStatistics"_s;
const auto kZoom = u"view/zoomPercent"_s;
const auto kGeometry = u"window/geometry"_s;
const auto kState = u"window/state"_s;
const auto kSplitters = u"window/splitters/"_s;
const auto kRecentAddresses = u"addressBar/recent"_s;

constexpr std::array kZoomSteps { 50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300 };
} // namespace

qint64 AppSettings::logMemoryCap()
{
    bool ok = false;
    const qint64 mib = QSettings().value(kLogMemoryCapMiB).toLongLong(&ok);
    if (!ok || mib <= 0)
        return LogStore::kDefaultMemoryCap;
    return std::max(mib << 20, kMinLogMemoryCap);
}

void AppSettings::setLogMemoryCap(qint64 bytes)
{
    QSettings().setValue(kLogMemoryCapMiB, std::max(bytes, kMinLogMemoryCap) >> 20);
}

int AppSettings::zoomPercent()
{
    bool ok = false;
    const int percent = QSettings().value(kZoom, kZoomDefault).toInt(&ok);
    return ok ? std::clamp(percent, kZoomMin, kZoomMax) : kZoomDefault;
}

void AppSettings::setZoomPercent(int percent)
{
    QSettings().setValue(kZoom, std::clamp(percent, kZoomMin, kZoomMax));
}

int AppSettings::zoomStep(int percent, bool in)
{
    if (in) {
        const auto next = std::upper_bound(kZoomSteps.begin(), kZoomSteps.end(), percent);
        return next == kZoomSteps.end() ? kZoomMax : *next;
    }
    const auto first = std::lower_bound(kZoomSteps.begin(), kZoomSteps.end(), percent);
    return first == kZoomSteps.begin() ? kZoomMin : *(first - 1);
}

QByteArray AppSettings::windowGeometry()
{
    return QSettings().value(kGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry)
{
    QSettings().setValue(kGeometry, geometry);
}

QByteArray AppSettings::windowState()
{
    return QSettings().value(kState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray& state)
{
    QSettings().setValue(kState, state);
}

QByteArray AppSettings::splitterState(const QString& name)
{
    return QSettings().value(kSplitters + name).toByteArray();
}

void AppSettings::setSplitterState(const QString& name, const QByteArray& state)
{
    QSettings().setValue(kSplitters + name, state);
}

bool AppSettings::showLogStatistics()
{
    // Off at first: on a 1024×700 screen the log keeps its rows; View → Statistics shows them.
    return QSettings().value(kLogStatistics, false).toBool();
}

void AppSettings::setShowLogStatistics(bool on)
{
    QSettings().setValue(kLogStatistics, on);
}

QStringList AppSettings::recentAddresses()
{
    QStringList list = QSettings().value(kRecentAddresses).toStringList();
    list.removeAll(QString());
    return list;
}

void AppSettings::setRecentAddresses(const QStringList& addresses)
{
    QSettings().setValue(kRecentAddresses, addresses);
}

} // namespace wsi
