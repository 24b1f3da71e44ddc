#include "placeholderexpander.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace wsi {

PlaceholderExpander::Result PlaceholderExpander::expand(QStringView input)
{
    bool usedCounter = false;
    Result r = run(input, m_counter, &usedCounter);
    if (r.ok() && usedCounter)
        ++m_counter;
    return r;
}

PlaceholderExpander::Result PlaceholderExpander::preview(QStringView input) const
{
    bool usedCounter = false;
    return run(input, m_counter, &usedCounter);
}

bool PlaceholderExpander::hasPlaceholders(QStringView input)
{
    return input.contains(u"{{");
}

PlaceholderExpander::Result PlaceholderExpander::run(QStringView input, qint64 counter, bool* usedCounter) const
{
    Result r;
    if (!hasPlaceholders(input)) {
        r.text = input.toString();
        return r;
    }
    static constexpr char16_t kAlnum[] = u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString out;
    out.reserve(input.size());
    qsizetype i = 0;
    while (i < input.size()) {
        const qsizetype open = input.indexOf(u"{{", i);
        if (open < 0) {
            out += input.mid(i);
            break;
        }
        out += input.mid(i, open - i);
        const qsizetype close = input.indexOf(u"}}", open + 2);
        if (close < 0) {
            r.error = tr("Placeholder at position %1 is not closed with \"}}\".").arg(open + 1);
            r.errorPosition = open;
            return r;
        }
        const QStringView name = input.mid(open + 2, close - open - 2).trimmed();
        if (name == u"timestamp") {
            out += QString::number(now.toMSecsSinceEpoch());
        } else if (name == u"iso8601") {
            out += now.toString(Qt::ISODateWithMs);
        } else if (name == u"uuid") {
            out += QUuid::createUuid().toString(QUuid::WithoutBraces);
        } else if (name == u"counter") {
            out += QString::number(counter);
            *usedCounter = true;
        } else if (name.startsWith(u"random:")) {
            bool ok = false;
            const qint64 n = name.mid(7).trimmed().toLongLong(&ok);
            if (!ok || n < 1 || n > kMaxRandom) {
                r.error = tr("{{%1}} at position %2: the length must be a number from 1 to %3.")
                              .arg(name)
                              .arg(open + 1)
                              .arg(kMaxRandom);
                r.errorPosition = open;
                return r;
            }
            auto* gen = QRandomGenerator::global();
            for (qint64 k = 0; k < n; ++k)
                out += QChar(kAlnum[gen->bounded(62)]);
        } else {
            r.error
                = tr("Unknown placeholder {{%1}} at position %2 (known: timestamp, iso8601, uuid, counter, random:N).")
                      .arg(name)
                      .arg(open + 1);
            r.errorPosition = open;
            return r;
        }
        i = close + 2;
    }
    r.text = out;
    return r;
}

} // namespace wsi
