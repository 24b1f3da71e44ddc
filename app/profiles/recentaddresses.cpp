#include "recentaddresses.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
const QString kKey = u"addressBar/recent"_s;
} // namespace

QStringList RecentAddresses::load()
{
    QStringList list = QSettings().value(kKey).toStringList();
    list.removeAll(QString());
    if (list.size() > kMaxEntries)
        list.resize(kMaxEntries);
    return list;
}

QStringList RecentAddresses::remember(const QString& url)
{
    QStringList list = load();
    list.removeAll(url);
    list.prepend(url);
    if (list.size() > kMaxEntries)
        list.resize(kMaxEntries);
    QSettings().setValue(kKey, list);
    return list;
}

} // namespace wsi
