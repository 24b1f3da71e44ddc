#include "logfilter.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
inline char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

// Case-insensitive search of an ASCII needle (already lowered) in UTF-8/latin-1 bytes.
bool containsAsciiInsensitive(QByteArrayView hay, const QByteArray& lowerNeedle)
{
    const qsizetype n = lowerNeedle.size();
    if (n == 0)
        return true;
    if (hay.size() < n)
        return false;
    const char first = lowerNeedle.at(0);
    const char firstUpper = (first >= 'a' && first <= 'z') ? char(first - 32) : first;
    const char* p = hay.data();
    const char* const last = p + hay.size() - n;
    while (p <= last) {
        // memchr runs vectorised; look for either case of the first byte.
        const char* a = static_cast<const char*>(std::memchr(p, first, size_t(last - p + 1)));
        const char* b = first == firstUpper
            ? nullptr
            : static_cast<const char*>(std::memchr(p, firstUpper, size_t((a ? a : last + 1) - p)));
        const char* hit = b ? b : a;
        if (!hit)
            return false;
        qsizetype i = 1;
        while (i < n && asciiLower(hit[i]) == lowerNeedle.at(i))
            ++i;
        if (i == n)
            return true;
        p = hit + 1;
    }
    return false;
}
} // namespace

bool LogFilter::isActive() const
{
    return directions != kAllDirections || kinds != kAllKinds || !text.isEmpty() || minSize > 0 || maxSize >= 0;
}

LogMatcher::LogMatcher(const LogFilter& filter)
    : m_filter(filter)
{
    if (filter.text.isEmpty())
        return;
    if (filter.regularExpression) {
        QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
        if (filter.caseSensitivity == Qt::CaseInsensitive)
            options |= QRegularExpression::CaseInsensitiveOption;
        m_regex = QRegularExpression(filter.text, options);
        if (!m_regex.isValid()) {
            m_error = QObject::tr("Invalid regular expression at position %1: %2")
                          .arg(m_regex.patternErrorOffset())
                          .arg(m_regex.errorString());
            return;
        }
        m_regex.optimize(); // JIT-compile now, not on the first row
        return;
    }
    m_needle = filter.text.toUtf8();
    for (char c : std::as_const(m_needle)) {
        if (uchar(c) >= 0x80)
            m_asciiNeedle = false;
    }
    m_needleLower = m_needle;
    for (char& c : m_needleLower)
        c = asciiLower(c);
    m_byteMatcher.setPattern(m_needle);
}

bool LogMatcher::matchesText(QByteArrayView payload, bool latin1)
{
    if (!m_filter.regularExpression) {
        if (m_filter.caseSensitivity == Qt::CaseSensitive)
            return m_byteMatcher.indexIn(payload) >= 0;
        if (m_asciiNeedle)
            return containsAsciiInsensitive(payload, m_needleLower);
        const QString text = latin1 ? QString::fromLatin1(payload) : QString::fromUtf8(payload);
        return text.contains(m_filter.text, Qt::CaseInsensitive);
    }
    // Decode into a reused buffer: no allocation per row for the subject.
    if (m_buffer.size() < size_t(payload.size()) + 1)
        m_buffer.resize(size_t(payload.size()) + 64);
    qsizetype len = 0;
    if (latin1) {
        for (qsizetype i = 0; i < payload.size(); ++i)
            m_buffer[size_t(i)] = uchar(payload[i]);
        len = payload.size();
    } else {
        QChar* out = reinterpret_cast<QChar*>(m_buffer.data());
        len = m_decoder.appendToBuffer(out, payload) - out;
    }
    return m_regex.match(QStringView(m_buffer.data(), len)).hasMatch();
}

bool LogMatcher::matches(const LogStore::Record& record, QByteArrayView payload)
{
    if (!(m_filter.directions & (1u << quint32(record.dir))))
        return false;
    if (!(m_filter.kinds & (1u << quint32(record.kind))))
        return false;
    if (qint64(record.length) < m_filter.minSize)
        return false;
    if (m_filter.maxSize >= 0 && qint64(record.length) > m_filter.maxSize)
        return false;
    if (m_filter.text.isEmpty())
        return true;
    if (!isValid())
        return false;
    return matchesText(payload, record.kind == LogEntry::Kind::Binary);
}

QList<std::pair<int, int>> LogMatcher::highlights(const QString& text) const
{
    QList<std::pair<int, int>> out;
    if (m_filter.text.isEmpty() || !isValid())
        return out;
    if (m_filter.regularExpression) {
        auto it = m_regex.globalMatch(text);
        while (it.hasNext() && out.size() < 64) {
            const auto m = it.next();
            if (m.capturedLength() > 0)
                out.append({ int(m.capturedStart()), int(m.capturedLength()) });
        }
        return out;
    }
    qsizetype from = 0;
    while (out.size() < 64) {
        const qsizetype at = text.indexOf(m_filter.text, from, m_filter.caseSensitivity);
        if (at < 0)
            break;
        out.append({ int(at), int(m_filter.text.size()) });
        from = at + m_filter.text.size();
    }
    return out;
}

} // namespace wsi
