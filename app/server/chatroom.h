#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

namespace wsi {

// The chat room's rules without sockets: names, announcements and the two message formats.
// Every call returns what to send to whom; the server does the sending.
//   JSON (default): {"type":"chat","from":NAME,"text":TEXT,"time":UNIX_MS,"seq":N}, and the same
//                   with "type":"join" / "leave" / "rename" (and "name" for the new name)
//   text (?format=text): "NAME: TEXT" lines, "* NAME joined" / "* NAME left" / "* OLD is now NEW"
class ChatRoom
{
    Q_DECLARE_TR_FUNCTIONS(wsi::ChatRoom)
public:
    static constexpr int kMaxNameLength = 32;

    struct Delivery
    {
        quint64 to = 0;
        QString text;
    };

    // Adds a member; an empty or unusable name becomes "guest-N". Returns the join announcement
    // for everyone (the new member included).
    QList<Delivery> join(quint64 id, const QString& requestedName, bool textFormat, qint64 nowMs);
    QList<Delivery> leave(quint64 id, qint64 nowMs);
    // A message from a member: "/name NEW" renames, anything else is said to everyone.
    QList<Delivery> message(quint64 id, const QString& text, qint64 nowMs);

    QString nameOf(quint64 id) const { return m_members.value(id).name; }
    int size() const { return int(m_members.size()); }
    // Trims, drops control characters and cuts to kMaxNameLength; empty if nothing is left.
    static QString cleanName(const QString& name);

private:
    struct Member
    {
        QString name;
        bool textFormat = false;
    };
    QList<Delivery> broadcast(const QString& type, const QString& from, const QString& textOrName, qint64 nowMs);

    QHash<quint64, Member> m_members;
    QList<quint64> m_order; // join order, so everyone receives in the same order
    qint64 m_seq = 0;
    int m_guests = 0;
};

} // namespace wsi
