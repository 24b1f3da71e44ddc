#pragma once

#include "log/logentry.h"
#include "log/logstore.h"

#include <QByteArrayMatcher>
#include <QRegularExpression>
#include <QStringDecoder>

#include <vector>

namespace wsi {

// What the user asked the log to show: directions, kinds, a text or regular expression, a size range.
struct LogFilter
{
    static constexpr quint32 kAllDirections = 0x7; // bit (1 << int(Direction))
    static constexpr quint32 kAllKinds = 0x1ff; // bit (1 << int(LogEntry::Kind))

    quint32 directions = kAllDirections;
    quint32 kinds = kAllKinds;
    QString text;
    bool regularExpression = false;
    Qt::CaseSensitivity caseSensitivity = Qt::CaseInsensitive;
    qint64 minSize = 0;
    qint64 maxSize = -1; // -1 = no upper bound

    bool isActive() const;
    bool operator==(const LogFilter&) const = default;
};

// A LogFilter compiled for fast evaluation over raw stored payloads (UTF-8 bytes, no QString per
// row for plain text). Not thread-safe: one matcher per thread.
class LogMatcher
{
public:
    explicit LogMatcher(const LogFilter& filter);

    bool isValid() const { return m_error.isEmpty(); }
    // Why the expression cannot be used ("missing )" at offset 3), empty when valid.
    QString errorString() const { return m_error; }
    bool matches(const LogStore::Record& record, QByteArrayView payload);
    // Ranges [start, length) of the text/expression inside an already-built preview string.
    QList<std::pair<int, int>> highlights(const QString& text) const;
    bool hasText() const { return !m_filter.text.isEmpty(); }

private:
    bool matchesText(QByteArrayView payload, bool latin1);

    LogFilter m_filter;
    QString m_error;
    QByteArray m_needle; // UTF-8
    QByteArray m_needleLower; // ASCII-lowered, case-insensitive plain text with an ASCII needle
    bool m_asciiNeedle = true;
    QByteArrayMatcher m_byteMatcher;
    QRegularExpression m_regex;
    std::vector<char16_t> m_buffer; // UTF-16 decode buffer reused across rows
    QStringDecoder m_decoder { QStringDecoder::Utf8, QStringDecoder::Flag::Stateless };
};

} // namespace wsi
