#pragma once

#include <QCoreApplication>
#include <QString>

namespace wsi {

// Expands {{timestamp}}, {{iso8601}}, {{uuid}}, {{counter}} and {{random:N}} in a message at send
// time; an unknown or malformed placeholder is an error that names it, so nothing half-expanded is sent.
class PlaceholderExpander
{
    Q_DECLARE_TR_FUNCTIONS(wsi::PlaceholderExpander)
public:
    struct Result
    {
        QString text;
        QString error; // empty when fine
        qsizetype errorPosition = -1; // character offset of the bad placeholder
        bool ok() const { return error.isEmpty(); }
    };

    // The value {{counter}} takes on the next expand() (starts at 1).
    qint64 counter() const { return m_counter; }
    void setCounter(qint64 next) { m_counter = next; }

    // Expands and, when the text used {{counter}} and expansion succeeded, advances the counter.
    Result expand(QStringView input);
    // Same expansion without advancing the counter: for the live preview.
    Result preview(QStringView input) const;

    static bool hasPlaceholders(QStringView input);
    static constexpr qint64 kMaxRandom = 1000000;

private:
    Result run(QStringView input, qint64 counter, bool* usedCounter) const;

    qint64 m_counter = 1;
};

} // namespace wsi
