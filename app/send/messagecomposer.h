#pragma once

#include "payload/placeholderexpander.h"
#include "util/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace wsi {

// What the user asked to send, before it is turned into bytes.
struct MessageRequest
{
    enum class Kind { Text, Json, Hex, Base64, File, Bytes };
    Kind kind = Kind::Text;
    QString input; // the text, JSON, hex or base64 as typed; the file's path for File
    QByteArray bytes; // Bytes: a binary message that is bytes already
    bool placeholders = true; // expand {{…}} in Text and Json
    qint64 frameSize = -1; // outgoing frame size to use for it: -1 = leave as is, 0 = Qt's default
    // permessage-deflate, when negotiated: compress this message or not (RFC 7692 lets a client
    // send any message uncompressed); none = the profile's "compress outgoing messages".
    std::optional<bool> compress;
    // The user agreed to what question() asked (a large file, JSON that does not parse).
    bool confirmed = false;

    bool isBinary() const
    {
        return kind == Kind::Hex || kind == Kind::Base64 || kind == Kind::File || kind == Kind::Bytes;
    }
};

// A message ready for the wire.
struct ComposedMessage
{
    bool binary = false;
    QString text; // text messages
    QByteArray bytes; // binary messages; the UTF-8 of text messages
    qint64 frameSize = -1; // as in MessageRequest
    std::optional<bool> compress; // as in MessageRequest

    qint64 size() const { return bytes.size(); }
};

// Turns a MessageRequest into a message or an error that names the problem and where it is; the
// one place where text, JSON, hex, base64 and files become bytes, for every front end.
class MessageComposer
{
    Q_DECLARE_TR_FUNCTIONS(wsi::MessageComposer)
public:
    static constexpr qint64 kDefaultConfirmFileSize = qint64(16) * 1024 * 1024;
    static constexpr qint64 kDefaultMaxFileSize = qint64(1) * 1024 * 1024 * 1024;
    static constexpr qint64 kMaxFrameSize = qint64(1) << 30;

    // Files above maxFileSize are refused; files above confirmFileSize need request.confirmed.
    explicit MessageComposer(
        qint64 maxFileSize = kDefaultMaxFileSize, qint64 confirmFileSize = kDefaultConfirmFileSize);

    qint64 maxFileSize() const { return m_maxFileSize; }
    qint64 confirmFileSize() const { return m_confirmFileSize; }
    // {{counter}} and friends; the counter advances with every composed message that used it.
    PlaceholderExpander& placeholders() { return m_expander; }
    const PlaceholderExpander& placeholders() const { return m_expander; }

    // What the user must agree to before compose() sends it (a file above the confirmation size,
    // JSON that does not parse), as a question; empty when nothing. An error when the request can
    // never be sent. Reads no file (only its size) and does not advance the counter.
    Result<QString> question(const MessageRequest& request) const;
    // The message, with placeholders expanded (the counter advances). An unconfirmed request that
    // question() would ask about fails without reading the file.
    Result<ComposedMessage> compose(const MessageRequest& request);
    // Like compose() but leaves the counter alone and refuses to read a file (for previews).
    Result<ComposedMessage> preview(const MessageRequest& request) const;

private:
    // advancing: the expander whose counter moves on (compose), or null (preview).
    Result<ComposedMessage> build(const MessageRequest& request, PlaceholderExpander* advancing, bool readFiles) const;
    Result<qint64> checkFile(const QString& path) const;
    Result<QByteArray> readFile(const QString& path) const;

    PlaceholderExpander m_expander;
    qint64 m_maxFileSize;
    qint64 m_confirmFileSize;
};

} // namespace wsi
