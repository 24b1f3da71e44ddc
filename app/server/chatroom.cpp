#include "chatroom.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wsi {

QString ChatRoom::cleanName(const QString& name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isPrint())
            out += c;
    }
    out = out.simplified();
    if (out.size() > kMaxNameLength)
        out.truncate(kMaxNameLength);
    return out;
}

QList<ChatRoom::Delivery> ChatRoom::join(quint64 id, const QString& requestedName, bool textFormat, qint64 nowMs)
{
    QString name = cleanName(requestedName);
    if (name.isEmpty())
        name = u"guest-%1"_s.arg(++m_guests);
    m_members.insert(id, { name, textFormat });
    m_order.append(id);
    return broadcast(u"join"_s, name, QString(), nowMs);
}

QList<ChatRoom::Delivery> ChatRoom::leave(quint64 id, qint64 nowMs)
{
    if (!m_members.contains(id))
        return {};
    const QString name = m_members.take(id).name;
    m_order.removeAll(id);
    return broadcast(u"leave"_s, name, QString(), nowMs);
}

QList<ChatRoom::Delivery> ChatRoom::message(quint64 id, const QString& text, qint64 nowMs)
{
    auto it = m_members.find(id);
    if (it == m_members.end())
        return {};
    if (text.startsWith(u"/name "_s) || text == u"/name"_s) {
        const QString name = cleanName(text.mid(6));
        if (name.isEmpty()) {
            const QString usage = tr("Usage: /name NEW_NAME (up to %n characters)", nullptr, kMaxNameLength);
            if (it->textFormat)
                return { { id, u"* "_s + usage } };
            QJsonObject o { { u"type"_s, u"error"_s }, { u"text"_s, usage }, { u"time"_s, double(nowMs) } };
            return { { id, QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) } };
        }
        const QString old = it->name;
        it->name = name;
        return broadcast(u"rename"_s, old, name, nowMs);
    }
    return broadcast(u"chat"_s, it->name, text, nowMs);
}

QList<ChatRoom::Delivery> ChatRoom::broadcast(
    const QString& type, const QString& from, const QString& textOrName, qint64 nowMs)
{
    const qint64 seq = ++m_seq;
    QJsonObject o { { u"type"_s, type }, { u"from"_s, from }, { u"time"_s, double(nowMs) }, { u"seq"_s, double(seq) } };
    QString line;
    if (type == u"chat") {
        o.insert(u"text"_s, textOrName);
        line = from + u": "_s + textOrName;
    } else if (type == u"rename") {
        o.insert(u"name"_s, textOrName);
        line = u"* %1 is now %2"_s.arg(from, textOrName);
    } else if (type == u"join") {
        line = u"* %1 joined"_s.arg(from);
    } else {
        line = u"* %1 left"_s.arg(from);
    }
    const QString json = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    QList<Delivery> out;
    out.reserve(m_order.size());
    for (const quint64 member : std::as_const(m_order))
        out.append({ member, m_members.value(member).textFormat ? line : json });
    return out;
}

} // namespace wsi
