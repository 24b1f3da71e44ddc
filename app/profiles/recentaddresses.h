#pragma once

#include <QStringList>

namespace wsi {

// The addresses typed into tabs' address bars, newest first, for completion; kept in the
// application settings so they come back after a restart.
class RecentAddresses
{
public:
    static constexpr int kMaxEntries = 30;

    static QStringList load();
    // Puts url first (removing an older copy) and saves; returns the new list.
    static QStringList remember(const QString& url);
};

} // namespace wsi
