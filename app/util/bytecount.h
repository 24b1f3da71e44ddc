#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QString>

#include <limits>

namespace wsi {

// Byte counts in words, with their plural forms ("1 byte", "27 bytes"), for every place that says one.
class ByteCount
{
    Q_DECLARE_TR_FUNCTIONS(ByteCount)

public:
    // The exact count: "1 byte", "1536 bytes" (beyond an int, where %n cannot go: "… bytes").
    static QString exact(qint64 n)
    {
        return n <= std::numeric_limits<int>::max() ? tr("%n byte(s)", nullptr, int(n)) : tr("%1 bytes").arg(n);
    }
    // Readable at a glance: "27 bytes" below 1 KiB, "1.50 KiB (1,536 bytes)" from there on.
    static QString readable(qint64 n)
    {
        return n < 1024 ? tr("%n byte(s)", nullptr, int(n))
                        : tr("%1 (%2 bytes)").arg(QLocale().formattedDataSize(n), QLocale().toString(n));
    }
};

} // namespace wsi
