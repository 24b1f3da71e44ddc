#include "sendpanel.h"

#include "payload/payloadcodec.h"
#include "session/session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
enum Mode { TextMode, JsonMode, HexMode, Base64Mode };
}

SendPanel::SendPanel(QWidget* parent)
    : QWidget(parent)
    , m_mode(new QComboBox(this))
    , m_editor(new QPlainTextEdit(this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_pingButton(new QPushButton(tr("Ping"), this))
    , m_status(new QLabel(this))
{
    m_mode->addItem(tr("Text"), TextMode);
    m_mode->addItem(tr("JSON"), JsonMode);
    m_mode->addItem(tr("Binary (hex)"), HexMode);
    m_mode->addItem(tr("Binary (base64)"), Base64Mode);
    m_mode->setObjectName(u"sendMode"_s);
    m_editor->setObjectName(u"sendEditor"_s);
    m_editor->setPlaceholderText(tr("Type a message; Ctrl+Enter sends it."));
    m_editor->setTabChangesFocus(true);
    m_editor->setMaximumHeight(110);
    m_sendButton->setObjectName(u"sendButton"_s);
    m_sendButton->setToolTip(tr("Send the message (Ctrl+Enter)"));
    m_status->setObjectName(u"sendStatus"_s);
    m_status->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_mode);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_pingButton);
    buttons->addWidget(m_sendButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor);
    layout->addLayout(buttons);

    connect(m_sendButton, &QPushButton::clicked, this, &SendPanel::send);
    connect(m_pingButton, &QPushButton::clicked, this, [this] {
        if (!m_session)
            return;
        if (QString e = m_session->ping(); !e.isEmpty())
            showError(e);
    });
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_editor);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &SendPanel::send);
    auto* shortcutEnter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), m_editor);
    shortcutEnter->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcutEnter, &QShortcut::activated, this, &SendPanel::send);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] { m_status->clear(); });
    updateEnabled();
}

SendPanel::~SendPanel() = default;

void SendPanel::setSession(Session* session)
{
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    if (m_session)
        connect(m_session, &Session::stateChanged, this, &SendPanel::updateEnabled);
    updateEnabled();
}

void SendPanel::setText(const QString& text)
{
    m_editor->setPlainText(text);
}

QString SendPanel::text() const
{
    return m_editor->toPlainText();
}

void SendPanel::updateEnabled()
{
    const bool open = m_session && m_session->state() == Session::State::Open;
    m_sendButton->setEnabled(open);
    m_pingButton->setEnabled(open);
}

void SendPanel::showError(const QString& message)
{
    m_status->setText(u"<span style='color:#b00020'>%1</span>"_s.arg(message.toHtmlEscaped()));
}

bool SendPanel::send()
{
    if (!m_session) {
        showError(tr("No session: connect first."));
        return false;
    }
    const QString input = m_editor->toPlainText();
    QString error;
    switch (m_mode->currentData().toInt()) {
    case JsonMode: {
        QJsonParseError parseError;
        QJsonDocument::fromJson(input.toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            showError(tr("Invalid JSON at byte %1: %2. Nothing was sent.")
                          .arg(parseError.offset)
                          .arg(parseError.errorString()));
            return false;
        }
        error = m_session->sendText(input);
        break;
    }
    case HexMode:
    case Base64Mode: {
        const auto r = m_mode->currentData().toInt() == HexMode ? PayloadCodec::parseHex(input)
                                                                : PayloadCodec::parseBase64(input);
        if (!r.ok()) {
            showError(r.error + u' ' + tr("Nothing was sent."));
            return false;
        }
        error = m_session->sendBinary(r.bytes);
        break;
    }
    default:
        error = m_session->sendText(input);
        break;
    }
    if (!error.isEmpty()) {
        showError(error);
        return false;
    }
    m_status->setText(tr("Sent."));
    Q_EMIT sent();
    return true;
}

} // namespace wsi
