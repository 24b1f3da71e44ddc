#pragma once

#include <QStringList>

class QStringListModel;

namespace wsi {

// The addresses typed into tabs' address bars, newest first, for completion; kept in the
// application settings so they come back after a restart.
class RecentAddresses
{
public:
    static constexpr int kMaxEntries = 30;

    static QStringList load();
    // Puts url first (removing an older copy), saves, and updates model(); returns the new list.
    static QStringList remember(const QString& url);
    // One list for every tab's completer (owned by the application, main thread only), so an
    // address typed in one tab completes in the tabs already open.
    static QStringListModel* model();
};

} // namespace wsi
