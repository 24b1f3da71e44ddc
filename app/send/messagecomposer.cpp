#include "messagecomposer.h"

#include "payload/payloadcodec.h"
#include "payload/payloadtext.h"
#include "util/bytecount.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace wsi {

MessageComposer::MessageComposer(qint64 maxFileSize, qint64 confirmFileSize)
    : m_maxFileSize(maxFileSize)
    , m_confirmFileSize(confirmFileSize)
{ }

Result<qint64> MessageComposer::checkFile(const QString& path) const
{
    if (path.isEmpty())
        return Error { tr("Choose a file to send."), {} };
    const QFileInfo info(path);
    if (!info.exists())
        return Error { tr("Cannot read %1: no such file.").arg(path), {} };
    if (!info.isFile())
        return Error { tr("Cannot read %1: not a regular file.").arg(path), {} };
    if (info.size() > m_maxFileSize)
        return Error { tr("%1 is %2, more than the %3 a message may have.")
                           .arg(path, ByteCount::readable(info.size()), ByteCount::readable(m_maxFileSize)),
            {} };
    return info.size();
}

Result<QByteArray> MessageComposer::readFile(const QString& path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error { tr("Cannot read %1: %2.").arg(path, file.errorString()), file.errorString() };
    // Read what its size says (QIODevice::read(n) reserves n bytes first), and never past the limit
    // if it grew since it was checked.
    const qint64 size = file.size();
    if (size > m_maxFileSize)
        return Error { tr("%1 is %2, more than the %3 a message may have.")
                           .arg(path, ByteCount::readable(size), ByteCount::readable(m_maxFileSize)),
            {} };
    QByteArray data = file.read(size);
    if (file.error() == QFileDevice::NoError && data.size() == size && !file.read(1).isEmpty())
        return Error { tr("%1 grew while it was read; nothing was sent.").arg(path), {} };
    if (file.error() != QFileDevice::NoError)
        return Error { tr("Cannot read %1: %2.").arg(path, file.errorString()), file.errorString() };
    return data;
}

Result<QString> MessageComposer::question(const MessageRequest& request) const
{
    if (request.kind == MessageRequest::Kind::File) {
        const Result<qint64> size = checkFile(request.input);
        if (!size)
            return size.error();
        if (*size > m_confirmFileSize)
            return tr("%1 is %2. Send it as one binary message?")
                .arg(QFileInfo(request.input).fileName(), ByteCount::readable(*size));
        return QString();
    }
    MessageRequest unconfirmed = request;
    unconfirmed.confirmed = true;
    const Result<ComposedMessage> m = preview(unconfirmed);
    if (!m)
        return m.error();
    if (request.kind == MessageRequest::Kind::Json) {
        const auto check = PayloadText::checkJson(m->bytes);
        if (!check.ok())
            return tr("This is not valid JSON: %1\nSend it anyway?").arg(check.error);
    }
    return QString();
}

Result<ComposedMessage> MessageComposer::compose(const MessageRequest& request)
{
    return build(request, &m_expander, true);
}

Result<ComposedMessage> MessageComposer::preview(const MessageRequest& request) const
{
    return build(request, nullptr, false);
}

Result<ComposedMessage> MessageComposer::build(
    const MessageRequest& request, PlaceholderExpander* advancing, bool readFiles) const
{
    if (request.frameSize > kMaxFrameSize)
        return Error {
            tr("A frame size of %1 bytes is too large: at most %2.").arg(request.frameSize).arg(kMaxFrameSize), {}
        };
    ComposedMessage m;
    m.frameSize = std::max<qint64>(-1, request.frameSize);
    m.compress = request.compress;
    switch (request.kind) {
    case MessageRequest::Kind::Text:
    case MessageRequest::Kind::Json: {
        const qint64 counterBefore = m_expander.counter();
        if (request.placeholders && PlaceholderExpander::hasPlaceholders(request.input)) {
            const auto r = advancing ? advancing->expand(request.input) : m_expander.preview(request.input);
            if (!r.ok())
                return Error { r.error, {} };
            m.text = r.text;
        } else {
            m.text = request.input;
        }
        m.bytes = m.text.toUtf8();
        if (request.kind == MessageRequest::Kind::Json && !request.confirmed) {
            const auto check = PayloadText::checkJson(m.bytes);
            if (!check.ok()) {
                if (advancing)
                    advancing->setCounter(counterBefore); // nothing is sent, so no number is used up
                return Error { tr("Invalid JSON: %1").arg(check.error), {} };
            }
        }
        return m;
    }
    case MessageRequest::Kind::Hex:
    case MessageRequest::Kind::Base64: {
        const auto r = request.kind == MessageRequest::Kind::Hex ? PayloadCodec::parseHex(request.input)
                                                                 : PayloadCodec::parseBase64(request.input);
        if (!r.ok())
            return Error { r.error, {} };
        m.binary = true;
        m.bytes = r.bytes;
        return m;
    }
    case MessageRequest::Kind::Bytes:
        m.binary = true;
        m.bytes = request.bytes;
        return m;
    case MessageRequest::Kind::File: {
        const Result<qint64> size = checkFile(request.input);
        if (!size)
            return size.error();
        if (*size > m_confirmFileSize && !request.confirmed)
            return Error { tr("%1 is %2: confirm before sending a file larger than %3.")
                               .arg(request.input, ByteCount::readable(*size), ByteCount::readable(m_confirmFileSize)),
                {} };
        if (!readFiles)
            return Error { tr("%1 is read only when it is sent.").arg(request.input), {} };
        Result<QByteArray> data = readFile(request.input);
        if (!data)
            return data.error();
        m.binary = true;
        m.bytes = std::move(data).value();
        return m;
    }
    }
    return Error { tr("Unknown kind of message."), {} };
}

} // namespace wsi
