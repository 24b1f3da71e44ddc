#include "jsondiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <set>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

QString escapeToken(QString key)
{
    return key.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
}

bool pointerMatches(const QString& rule, const QString& pointer)
{
    if (rule == pointer)
        return true;
    const QStringList r = rule.split(u'/');
    const QStringList p = pointer.split(u'/');
    if (r.size() != p.size())
        return false;
    for (qsizetype i = 0; i < r.size(); ++i) {
        if (r.at(i) != u"*" && r.at(i) != p.at(i))
            return false;
    }
    return true;
}

QString masked(QString text, const QList<QRegularExpression>& patterns)
{
    for (const QRegularExpression& re : patterns)
        text.replace(re, u"…"_s);
    return text;
}

QString valueText(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::String:
        return u'"' + v.toString() + u'"';
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Null:
        return u"null"_s;
    default:
        return {};
    }
}

QString shortText(const QString& s)
{
    return s.size() > 200 ? s.left(199) + u'…' : s;
}

} // namespace

Result<JsonDiff::Options> JsonDiff::makeOptions(const QStringList& pointers, const QStringList& patterns)
{
    Options o;
    for (const QString& p : pointers) {
        if (!p.isEmpty() && !p.startsWith(u'/'))
            return Error {
                tr("\"%1\" is not a JSON pointer: it must start with / (for example /id or /items/*/time).").arg(p), {}
            };
        o.ignorePointers.append(p);
    }
    for (const QString& p : patterns) {
        QRegularExpression re(p);
        if (!re.isValid())
            return Error { tr("\"%1\" is not a valid regular expression: %2").arg(p, re.errorString()), {} };
        o.ignorePatterns.append(re);
    }
    return o;
}

QString JsonDiff::describe(const Difference& d)
{
    const QString where = d.pointer.isEmpty() ? tr("message") : d.pointer;
    if (d.missingActual)
        return tr("%1: %2 was recorded, now missing").arg(where, shortText(d.recorded));
    if (d.missingRecorded)
        return tr("%1: not recorded, now %2").arg(where, shortText(d.actual));
    return tr("%1: %2 → %3").arg(where, shortText(d.recorded), shortText(d.actual));
}

void JsonDiff::compareValues(
    const QJsonValue& a, const QJsonValue& b, const QString& pointer, const Options& options, QList<Difference>* out)
{
    if (out->size() >= options.maxDifferences)
        return;
    for (const QString& rule : options.ignorePointers) {
        if (pointerMatches(rule, pointer))
            return;
    }
    if (a.type() != b.type()) {
        out->append({ pointer, valueText(a), valueText(b) });
        return;
    }
    switch (a.type()) {
    case QJsonValue::Object: {
        const QJsonObject oa = a.toObject();
        const QJsonObject ob = b.toObject();
        std::set<QString> keys;
        for (auto it = oa.begin(); it != oa.end(); ++it)
            keys.insert(it.key());
        for (auto it = ob.begin(); it != ob.end(); ++it)
            keys.insert(it.key());
        for (const QString& key : keys) {
            const QString child = pointer + u'/' + escapeToken(key);
            if (!ob.contains(key) || !oa.contains(key)) {
                bool ignored = false;
                for (const QString& rule : options.ignorePointers)
                    ignored = ignored || pointerMatches(rule, child);
                if (ignored || out->size() >= options.maxDifferences)
                    continue;
                Difference d { child, valueText(oa.value(key)), valueText(ob.value(key)) };
                d.missingActual = !ob.contains(key);
                d.missingRecorded = !oa.contains(key);
                out->append(d);
                continue;
            }
            compareValues(oa.value(key), ob.value(key), child, options, out);
        }
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray aa = a.toArray();
        const QJsonArray ab = b.toArray();
        const qsizetype n = std::max(aa.size(), ab.size());
        for (qsizetype i = 0; i < n && out->size() < options.maxDifferences; ++i) {
            const QString child = pointer + u'/' + QString::number(i);
            if (i >= aa.size() || i >= ab.size()) {
                bool ignored = false;
                for (const QString& rule : options.ignorePointers)
                    ignored = ignored || pointerMatches(rule, child);
                if (ignored)
                    continue;
                Difference d { child, i < aa.size() ? valueText(aa.at(i)) : QString(),
                    i < ab.size() ? valueText(ab.at(i)) : QString() };
                d.missingActual = i >= ab.size();
                d.missingRecorded = i >= aa.size();
                out->append(d);
                continue;
            }
            compareValues(aa.at(i), ab.at(i), child, options, out);
        }
        break;
    }
    case QJsonValue::String:
        if (masked(a.toString(), options.ignorePatterns) != masked(b.toString(), options.ignorePatterns))
            out->append({ pointer, valueText(a), valueText(b) });
        break;
    case QJsonValue::Double:
        if (a.toDouble() != b.toDouble())
            out->append({ pointer, valueText(a), valueText(b) });
        break;
    default:
        if (a != b)
            out->append({ pointer, valueText(a), valueText(b) });
        break;
    }
}

QList<JsonDiff::Difference> JsonDiff::compare(
    const QByteArray& recorded, const QByteArray& actual, bool text, const Options& options)
{
    QList<Difference> out;
    if (!text) {
        if (recorded != actual)
            out.append({ {},
                tr("%n byte(s): %1", nullptr, int(recorded.size()))
                    .arg(QString::fromLatin1(recorded.left(32).toHex(' '))),
                tr("%n byte(s): %1", nullptr, int(actual.size()))
                    .arg(QString::fromLatin1(actual.left(32).toHex(' '))) });
        return out;
    }
    QJsonParseError ea;
    QJsonParseError eb;
    const QJsonDocument da = QJsonDocument::fromJson(recorded, &ea);
    const QJsonDocument db = QJsonDocument::fromJson(actual, &eb);
    if (ea.error == QJsonParseError::NoError && eb.error == QJsonParseError::NoError) {
        const QJsonValue va = da.isObject() ? QJsonValue(da.object()) : QJsonValue(da.array());
        const QJsonValue vb = db.isObject() ? QJsonValue(db.object()) : QJsonValue(db.array());
        compareValues(va, vb, QString(), options, &out);
        return out;
    }
    const QString a = QString::fromUtf8(recorded);
    const QString b = QString::fromUtf8(actual);
    if (masked(a, options.ignorePatterns) != masked(b, options.ignorePatterns))
        out.append({ {}, a, b });
    return out;
}

} // namespace wsi
