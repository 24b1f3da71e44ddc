#include "recentaddresses.h"

#include "settings/appsettings.h"

#include <QCoreApplication>
#include <QPointer>
#include <QStringListModel>

namespace wsi {

namespace {
QPointer<QStringListModel>& sharedModel()
{
    static QPointer<QStringListModel> model;
    return model;
}
} // namespace

QStringList RecentAddresses::load()
{
    QStringList list = AppSettings::recentAddresses();
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
    AppSettings::setRecentAddresses(list);
    if (QStringListModel* m = sharedModel())
        m->setStringList(list);
    return list;
}

QStringListModel* RecentAddresses::model()
{
    QPointer<QStringListModel>& m = sharedModel();
    if (!m)
        m = new QStringListModel(load(), QCoreApplication::instance());
    return m;
}

} // namespace wsi
