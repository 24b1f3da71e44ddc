#pragma once

#include "wire/wiretypes.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <initializer_list>
#include <iterator>

namespace wsi {

// The frames that carried one entry, in wire order. Almost every message is one frame: the first
// is kept inline, so that an entry costs no allocation for its frame; a list holds the rest. The
// subset of QList's API the engine and the views use.
class FrameList
{
public:
    FrameList() = default;
    FrameList(std::initializer_list<FrameInfo> frames)
    {
        for (const FrameInfo& f : frames)
            append(f);
    }
    FrameList(const QList<FrameInfo>& frames) // NOLINT(google-explicit-constructor): LogStore::frames()
    {
        for (const FrameInfo& f : frames)
            append(f);
    }

    qsizetype size() const { return m_hasFirst ? 1 + m_rest.size() : 0; }
    bool isEmpty() const { return !m_hasFirst; }
    const FrameInfo& at(qsizetype i) const
    {
        Q_ASSERT(i >= 0 && i < size());
        return i == 0 ? m_first : m_rest.at(i - 1);
    }
    const FrameInfo& operator[](qsizetype i) const { return at(i); }
    FrameInfo& operator[](qsizetype i)
    {
        Q_ASSERT(i >= 0 && i < size());
        return i == 0 ? m_first : m_rest[i - 1];
    }
    const FrameInfo& first() const { return at(0); }
    FrameInfo& first() { return (*this)[0]; }
    const FrameInfo& last() const { return at(size() - 1); }
    const FrameInfo& constFirst() const { return first(); }
    const FrameInfo& constLast() const { return last(); }
    FrameInfo& last() { return (*this)[size() - 1]; }
    void append(const FrameInfo& f) { append(FrameInfo(f)); }
    void append(FrameInfo&& f)
    {
        if (!m_hasFirst) {
            m_first = std::move(f);
            m_hasFirst = true;
        } else {
            m_rest.append(std::move(f));
        }
    }
    void clear() { *this = FrameList(); }
    QList<FrameInfo> toList() const
    {
        QList<FrameInfo> out;
        for (const FrameInfo& f : *this)
            out.append(f);
        return out;
    }

    class const_iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = FrameInfo;
        using difference_type = qsizetype;
        using pointer = const FrameInfo*;
        using reference = const FrameInfo&;
        const_iterator(const FrameList* list, qsizetype i)
            : m_list(list)
            , m_i(i)
        { }
        const FrameInfo& operator*() const { return m_list->at(m_i); }
        const FrameInfo* operator->() const { return &m_list->at(m_i); }
        const_iterator& operator++()
        {
            ++m_i;
            return *this;
        }
        const_iterator operator++(int)
        {
            const_iterator old = *this;
            ++m_i;
            return old;
        }
        bool operator==(const const_iterator& o) const { return m_i == o.m_i && m_list == o.m_list; }
        bool operator!=(const const_iterator& o) const { return !(*this == o); }

    private:
        const FrameList* m_list;
        qsizetype m_i;
    };
    const_iterator begin() const { return { this, 0 }; }
    const_iterator end() const { return { this, size() }; }
    const_iterator cbegin() const { return begin(); }
    const_iterator cend() const { return end(); }

private:
    FrameInfo m_first;
    QList<FrameInfo> m_rest;
    bool m_hasFirst = false;
};

// One event a session publishes: a message, a control frame, a handshake head, a state change or
// an error. Value type; the log store, the capture writer and the terminal front end consume it.
struct LogEntry
{
    enum class Kind : quint8 {
        Text,
        Binary,
        Ping,
        Pong,
        Close,
        Handshake, // payload = the raw HTTP head (request when Send, response when Receive)
        State, // payload = UTF-8 description ("Connecting to ...", "Open", ...)
        Error, // payload = UTF-8 message for the user
        Info, // payload = UTF-8 note (reconnect scheduled, notice, ...)
    };

    qint64 timeUs = 0; // Unix epoch, microseconds
    Kind kind = Kind::Info;
    Direction dir = Direction::None;
    quint16 closeCode = 0; // Close only (0 = no code in the frame)
    QByteArray payload; // message bytes, control payload, head bytes, or UTF-8 text
    FrameList frames; // the frames that carried it, when the wire relay saw them
    // permessage-deflate messages only: the payload as it was on the wire (compressed; the frames'
    // payloadOffset index into it), while payload holds the inflated message. Empty otherwise.
    // Carried to the capture writer; the log store keeps the inflated payload and the frames.
    QByteArray wirePayload;

    bool isMessage() const { return kind == Kind::Text || kind == Kind::Binary; }
    bool isControl() const { return kind == Kind::Ping || kind == Kind::Pong || kind == Kind::Close; }
    // A message that crossed the wire compressed (RSV1 on its first frame).
    bool isCompressed() const { return isMessage() && !frames.isEmpty() && (frames.first().rsv & 4); }
    // Payload bytes on the wire: the sum of the frames' lengths when known, else the payload's size.
    qint64 wireLength() const;
    // Close frames: the reason after the 2-byte code.
    QByteArray closeReason() const { return kind == Kind::Close && payload.size() > 2 ? payload.mid(2) : QByteArray(); }

    static qint64 nowUs();
    static LogEntry note(Kind kind, const QString& text, Direction dir = Direction::None);
};

using LogBatch = QList<LogEntry>;

QString kindName(LogEntry::Kind kind);

} // namespace wsi

Q_DECLARE_METATYPE(wsi::LogEntry)
Q_DECLARE_METATYPE(wsi::LogBatch)
