#include "sendpanel.h"

#include "payload/closecodes.h"
#include "payload/payloadcodec.h"
#include "payload/payloadtext.h"
#include "profiles/profilevalidator.h"
#include "savedmessageswidget.h"
#include "session/session.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSpinBox>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// Live checks (preview, JSON and hex validation) stop above this size so typing stays fast.
constexpr qsizetype kLiveCheckLimit = 256 * 1024;

QString modeKey(SendPanel::Mode mode)
{
    switch (mode) {
    case SendPanel::Mode::Json:
        return u"json"_s;
    case SendPanel::Mode::Hex:
        return u"hex"_s;
    case SendPanel::Mode::Base64:
        return u"base64"_s;
    default:
        return u"text"_s;
    }
}

SendPanel::Mode modeFromKey(const QString& key)
{
    if (key == u"json")
        return SendPanel::Mode::Json;
    if (key == u"hex")
        return SendPanel::Mode::Hex;
    if (key == u"base64")
        return SendPanel::Mode::Base64;
    return SendPanel::Mode::Text;
}

QString byteCount(qint64 n)
{
    return n < 1024 ? SendPanel::tr("%n byte(s)", nullptr, int(n))
                    : SendPanel::tr("%1 (%2 bytes)").arg(QLocale().formattedDataSize(n), QLocale().toString(n));
}
} // namespace

SendPanel::SendPanel(QWidget* parent)
    : QWidget(parent)
    , m_mode(new QComboBox(this))
    , m_jsonFormat(new QToolButton(this))
    , m_savedToggle(new QToolButton(this))
    , m_fileRow(new QWidget(this))
    , m_filePath(new QLineEdit(m_fileRow))
    , m_fileInfo(new QLabel(m_fileRow))
    , m_editor(new QPlainTextEdit(this))
    , m_preview(new QLabel(this))
    , m_status(new QLabel(this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_repeatCount(new QSpinBox(this))
    , m_repeatInterval(new QSpinBox(this))
    , m_repeatButton(new QPushButton(tr("Repeat"), this))
    , m_repeatLabel(new QLabel(this))
    , m_frameSize(new QSpinBox(this))
    , m_pingPayload(new QLineEdit(this))
    , m_pingButton(new QPushButton(tr("Ping"), this))
    , m_closeCode(new QComboBox(this))
    , m_closeReason(new QLineEdit(this))
    , m_closeButton(new QPushButton(tr("Close"), this))
    , m_saved(new SavedMessagesWidget(this))
{
    m_mode->addItem(tr("Text"), int(Mode::Text));
    m_mode->addItem(tr("JSON"), int(Mode::Json));
    m_mode->addItem(tr("Binary (hex)"), int(Mode::Hex));
    m_mode->addItem(tr("Binary (base64)"), int(Mode::Base64));
    m_mode->addItem(tr("Binary (file)"), int(Mode::File));
    m_mode->setObjectName(u"sendMode"_s);
    m_jsonFormat->setText(tr("Pretty"));
    m_jsonFormat->setObjectName(u"sendJsonFormat"_s);
    m_jsonFormat->setToolTip(tr("Switch the JSON between pretty and compact (keeps key order)"));
    m_savedToggle->setText(tr("Saved"));
    m_savedToggle->setObjectName(u"sendSavedToggle"_s);
    m_savedToggle->setCheckable(true);
    m_savedToggle->setToolTip(tr("Show the saved messages of this profile"));

    m_filePath->setObjectName(u"sendFilePath"_s);
    m_filePath->setPlaceholderText(tr("File to send as one binary message"));
    m_fileInfo->setObjectName(u"sendFileInfo"_s);
    auto* browse = new QToolButton(m_fileRow);
    browse->setText(tr("Browse…"));
    auto* fileLayout = new QHBoxLayout(m_fileRow);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    fileLayout->addWidget(m_filePath, 1);
    fileLayout->addWidget(browse);
    fileLayout->addWidget(m_fileInfo);

    m_editor->setObjectName(u"sendEditor"_s);
    m_editor->setPlaceholderText(
        tr("Type a message; Ctrl+Enter sends it, Up/Down browse the history.\nPlaceholders: {{timestamp}} "
           "{{iso8601}} {{uuid}} {{counter}} {{random:N}}"));
    m_editor->setTabChangesFocus(true);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setMinimumHeight(60);
    m_editor->installEventFilter(this);
    m_preview->setObjectName(u"sendPreview"_s);
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sendButton->setObjectName(u"sendButton"_s);
    m_sendButton->setToolTip(tr("Send the message (Ctrl+Enter)"));
    m_sendButton->setDefault(true);
    m_status->setObjectName(u"sendStatus"_s);
    m_status->setWordWrap(true);

    m_repeatCount->setObjectName(u"sendRepeatCount"_s);
    m_repeatCount->setRange(0, 1000000);
    m_repeatCount->setValue(10);
    m_repeatCount->setSpecialValueText(tr("until stopped"));
    m_repeatCount->setSuffix(tr(" ×"));
    m_repeatCount->setToolTip(tr("How many times to send (0 = until you press Stop)"));
    m_repeatInterval->setObjectName(u"sendRepeatInterval"_s);
    m_repeatInterval->setRange(0, 3600000);
    m_repeatInterval->setValue(1000);
    m_repeatInterval->setPrefix(tr("every "));
    m_repeatInterval->setSuffix(tr(" ms"));
    m_repeatButton->setObjectName(u"sendRepeatButton"_s);
    m_repeatLabel->setObjectName(u"sendRepeatLabel"_s);

    m_frameSize->setObjectName(u"sendFrameSize"_s);
    m_frameSize->setRange(0, 1 << 30);
    m_frameSize->setSpecialValueText(tr("Qt default (512 KiB)"));
    m_frameSize->setSuffix(tr(" bytes"));
    m_frameSize->setToolTip(tr("Split the next messages into frames of this many bytes, to watch continuation frames"));

    m_pingPayload->setObjectName(u"sendPingPayload"_s);
    m_pingPayload->setPlaceholderText(tr("Ping payload (≤ 125 bytes)"));
    m_pingButton->setObjectName(u"sendPingButton"_s);
    m_closeCode->setObjectName(u"sendCloseCode"_s);
    m_closeCode->setEditable(true);
    m_closeCode->setInsertPolicy(QComboBox::NoInsert);
    for (const auto& c : standardCloseCodes()) {
        if (c.sendable)
            m_closeCode->addItem(u"%1 %2"_s.arg(c.code).arg(c.name), c.code);
    }
    m_closeCode->setToolTip(tr("A standard code, or type 3000-3999 (registered) or 4000-4999 (private)"));
    m_closeReason->setObjectName(u"sendCloseReason"_s);
    m_closeReason->setPlaceholderText(tr("Reason (≤ 123 bytes)"));
    m_closeButton->setObjectName(u"sendCloseButton"_s);

    m_saved->setObjectName(u"sendSaved"_s);
    m_saved->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(m_mode);
    top->addWidget(m_jsonFormat);
    top->addStretch();
    top->addWidget(m_savedToggle);

    auto* sendRow = new QHBoxLayout;
    sendRow->addWidget(m_status, 1);
    sendRow->addWidget(m_sendButton);

    auto* grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(new QLabel(tr("Repeat"), this), 0, 0);
    auto* repeatRow = new QHBoxLayout;
    repeatRow->addWidget(m_repeatCount);
    repeatRow->addWidget(m_repeatInterval);
    repeatRow->addWidget(m_repeatButton);
    repeatRow->addWidget(m_repeatLabel, 1);
    grid->addLayout(repeatRow, 0, 1);
    grid->addWidget(new QLabel(tr("Frames"), this), 1, 0);
    auto* frameRow = new QHBoxLayout;
    frameRow->addWidget(new QLabel(tr("split into frames of"), this));
    frameRow->addWidget(m_frameSize);
    frameRow->addStretch();
    grid->addLayout(frameRow, 1, 1);
    grid->addWidget(new QLabel(tr("Ping"), this), 2, 0);
    auto* pingRow = new QHBoxLayout;
    pingRow->addWidget(m_pingPayload, 1);
    pingRow->addWidget(m_pingButton);
    grid->addLayout(pingRow, 2, 1);
    grid->addWidget(new QLabel(tr("Close"), this), 3, 0);
    auto* closeRow = new QHBoxLayout;
    closeRow->addWidget(m_closeCode, 1);
    closeRow->addWidget(m_closeReason, 1);
    closeRow->addWidget(m_closeButton);
    grid->addLayout(closeRow, 3, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_saved);
    layout->addWidget(m_fileRow);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_preview);
    layout->addLayout(sendRow);
    layout->addLayout(grid);

    connect(m_sendButton, &QPushButton::clicked, this, &SendPanel::send);
    connect(m_pingButton, &QPushButton::clicked, this, &SendPanel::ping);
    connect(m_pingPayload, &QLineEdit::returnPressed, this, &SendPanel::ping);
    connect(m_closeButton, &QPushButton::clicked, this, &SendPanel::closeSession);
    connect(m_repeatButton, &QPushButton::clicked, this, [this] {
        if (isRepeating())
            stopRepeat();
        else
            startRepeat(m_repeatCount->value(), m_repeatInterval->value());
    });
    connect(&m_repeatTimer, &QTimer::timeout, this, &SendPanel::repeatTick);
    for (auto key : { Qt::Key_Return, Qt::Key_Enter }) {
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &SendPanel::send);
    }
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_settingText)
            m_historyIndex = -1; // typing leaves history browsing; the text is the new draft
        m_status->clear();
        updatePreview();
    });
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateModeUi();
        updatePreview();
    });
    connect(m_jsonFormat, &QToolButton::clicked, this, &SendPanel::toggleJsonFormat);
    connect(m_savedToggle, &QToolButton::toggled, m_saved, &QWidget::setVisible);
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Send a file"), m_filePath->text());
        if (!path.isEmpty())
            m_filePath->setText(path);
    });
    connect(m_filePath, &QLineEdit::textChanged, this, &SendPanel::updateFileInfo);
    connect(m_saved, &SavedMessagesWidget::messagesChanged, this, &SendPanel::savedMessagesChanged);
    connect(m_saved, &SavedMessagesWidget::insertRequested, this, &SendPanel::insertSavedMessage);
    connect(m_saved, &SavedMessagesWidget::saveCurrentRequested, this, [this] {
        bool ok = false;
        const QString firstLine = text().section(u'\n', 0, 0).left(40);
        const QString name = QInputDialog::getText(this, tr("Save message"), tr("Name:"), QLineEdit::Normal,
            firstLine.isEmpty() ? tr("Message") : firstLine, &ok);
        if (ok)
            saveCurrentMessage(name);
    });
    updateModeUi();
    updatePreview();
    updateRepeatUi();
    updateEnabled();
}

SendPanel::~SendPanel() = default;

void SendPanel::setSession(Session* session)
{
    stopRepeat();
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    if (m_session) {
        connect(m_session, &Session::stateChanged, this, [this](Session::State state) {
            if (state != Session::State::Open)
                stopRepeat();
            updateEnabled();
        });
        const Profile& profile = m_session->profile();
        const QString id = profile.id.isEmpty() ? profile.url : profile.id;
        if (!m_history.contains(id) && !profile.sendHistory.isEmpty())
            m_history.insert(id, profile.sendHistory);
        setProfileId(id);
        m_saved->setMessages(profile.savedMessages);
    }
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

SendPanel::Mode SendPanel::mode() const
{
    return Mode(m_mode->currentData().toInt());
}

void SendPanel::setMode(Mode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void SendPanel::setFilePath(const QString& path)
{
    m_filePath->setText(path);
}

QString SendPanel::statusText() const
{
    return m_status->text();
}

void SendPanel::updateEnabled()
{
    const bool open = m_session && m_session->state() == Session::State::Open;
    m_sendButton->setEnabled(open);
    m_pingButton->setEnabled(open);
    m_closeButton->setEnabled(open);
    m_repeatButton->setEnabled(open || isRepeating());
}

void SendPanel::updateModeUi()
{
    const Mode m = mode();
    m_fileRow->setVisible(m == Mode::File);
    m_editor->setVisible(m != Mode::File);
    m_jsonFormat->setVisible(m == Mode::Json);
    if (m == Mode::File)
        updateFileInfo();
}

void SendPanel::updateFileInfo()
{
    const QFileInfo info(m_filePath->text());
    if (m_filePath->text().isEmpty())
        m_fileInfo->clear();
    else if (!info.isFile())
        m_fileInfo->setText(tr("not a file"));
    else
        m_fileInfo->setText(byteCount(info.size()));
}

void SendPanel::showError(const QString& message)
{
    m_status->setText(u"<span style='color:#b00020'>%1</span>"_s.arg(message.toHtmlEscaped()));
}

void SendPanel::showInfo(const QString& message)
{
    m_status->setText(message.toHtmlEscaped());
}

bool SendPanel::confirm(const QString& question)
{
    if (m_confirm)
        return m_confirm(question);
    return QMessageBox::question(this, tr("Send anyway?"), question) == QMessageBox::Yes;
}

QString SendPanel::previewText() const
{
    const auto r = m_expander.preview(text());
    return r.ok() ? r.text : r.error;
}

void SendPanel::updatePreview()
{
    const Mode m = mode();
    const QString input = text();
    QString note;
    bool bad = false;
    if (m == Mode::File || input.size() > kLiveCheckLimit || input.isEmpty()) {
        note.clear();
    } else if (m == Mode::Hex || m == Mode::Base64) {
        const auto r = m == Mode::Hex ? PayloadCodec::parseHex(input) : PayloadCodec::parseBase64(input);
        bad = !r.ok();
        note = bad ? r.error : byteCount(r.bytes.size());
    } else {
        QString expanded = input;
        if (PlaceholderExpander::hasPlaceholders(input)) {
            const auto r = m_expander.preview(input);
            bad = !r.ok();
            expanded = bad ? QString() : r.text;
            note = bad ? r.error : tr("Preview: %1").arg(r.text.size() > 300 ? r.text.left(300) + u'…' : r.text);
        }
        if (!bad && m == Mode::Json) {
            const auto check = PayloadText::checkJson(expanded.toUtf8());
            if (!check.ok()) {
                note = (note.isEmpty() ? QString() : note + u'\n') + tr("Invalid JSON: %1").arg(check.error);
                bad = true;
            }
        }
    }
    m_preview->setText(note);
    m_preview->setStyleSheet(bad ? u"QLabel { color: #b00020; }"_s : u"QLabel { color: #555555; }"_s);
    m_preview->setVisible(!note.isEmpty());
}

void SendPanel::toggleJsonFormat()
{
    const QByteArray json = text().toUtf8();
    const auto check = PayloadText::checkJson(json);
    if (!check.ok()) {
        showError(tr("Cannot reformat: invalid JSON: %1").arg(check.error));
        return;
    }
    const bool isPretty = json.contains('\n');
    setText(QString::fromUtf8(PayloadText::reformatJson(json, isPretty ? -1 : 2)));
    m_jsonFormat->setText(isPretty ? tr("Pretty") : tr("Compact"));
}

SendPanel::Prepared SendPanel::prepare(bool advanceCounter)
{
    Prepared p;
    const Mode m = mode();
    switch (m) {
    case Mode::Text:
    case Mode::Json: {
        const auto r = advanceCounter ? m_expander.expand(text()) : m_expander.preview(text());
        if (!r.ok()) {
            p.error = r.error + u' ' + tr("Nothing was sent.");
            return p;
        }
        p.text = r.text;
        if (m == Mode::Json) {
            const auto check = PayloadText::checkJson(p.text.toUtf8());
            if (!check.ok())
                p.question = tr("This is not valid JSON: %1\nSend it anyway?").arg(check.error);
        }
        break;
    }
    case Mode::Hex:
    case Mode::Base64: {
        const auto r = m == Mode::Hex ? PayloadCodec::parseHex(text()) : PayloadCodec::parseBase64(text());
        if (!r.ok()) {
            p.error = r.error + u' ' + tr("Nothing was sent.");
            return p;
        }
        p.binary = true;
        p.bytes = r.bytes;
        break;
    }
    case Mode::File: {
        const QString path = m_filePath->text();
        if (path.isEmpty()) {
            p.error = tr("Choose a file to send.");
            return p;
        }
        QFile file(path);
        if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly)) {
            p.error = tr("Cannot read %1: %2. Nothing was sent.")
                          .arg(path, QFileInfo(path).isFile() ? file.errorString() : tr("no such file"));
            return p;
        }
        p.binary = true;
        p.bytes = file.readAll();
        if (p.bytes.size() > kConfirmFileSize)
            p.question = tr("%1 is %2. Send it as one binary message?")
                             .arg(QFileInfo(path).fileName(), byteCount(p.bytes.size()));
        break;
    }
    }
    return p;
}

bool SendPanel::transmit(const Prepared& p)
{
    m_session->setOutgoingFrameSize(quint64(m_frameSize->value()));
    const QString error = p.binary ? m_session->sendBinary(p.bytes) : m_session->sendText(p.text);
    if (!error.isEmpty()) {
        showError(error);
        return false;
    }
    const qint64 size = p.binary ? p.bytes.size() : p.text.toUtf8().size();
    const int frames = m_frameSize->value();
    showInfo(frames > 0 && size > frames ? tr("Sent %1 in %2 frames of ≤ %3 bytes.")
                                               .arg(byteCount(size))
                                               .arg((size + frames - 1) / frames)
                                               .arg(frames)
                                         : tr("Sent %1.").arg(byteCount(size)));
    Q_EMIT sent();
    return true;
}

bool SendPanel::send()
{
    if (!m_session) {
        showError(tr("No session: connect first."));
        return false;
    }
    if (m_session->state() != Session::State::Open) {
        showError(tr("Not connected: the message was not sent."));
        return false;
    }
    const qint64 counterBefore = m_expander.counter();
    const Prepared p = prepare(true);
    if (!p.error.isEmpty()) {
        showError(p.error);
        return false;
    }
    if (!p.question.isEmpty() && !confirm(p.question)) {
        m_expander.setCounter(counterBefore);
        showInfo(tr("Not sent."));
        return false;
    }
    if (!transmit(p)) {
        m_expander.setCounter(counterBefore);
        return false;
    }
    if (mode() != Mode::File)
        rememberInHistory(text());
    updatePreview(); // the counter moved on
    return true;
}

void SendPanel::rememberInHistory(const QString& input)
{
    if (input.isEmpty() || input.size() > kLiveCheckLimit)
        return;
    QStringList& list = m_history[m_profileId];
    if (list.isEmpty() || list.last() != input)
        list.append(input);
    while (list.size() > kMaxHistory)
        list.removeFirst();
    m_historyIndex = -1;
    Q_EMIT historyChanged(m_profileId, list);
}

void SendPanel::setProfileId(const QString& id)
{
    m_profileId = id;
    m_historyIndex = -1;
}

void SendPanel::setHistory(const QString& profileId, const QStringList& history)
{
    m_history.insert(profileId, history.mid(std::max<qsizetype>(0, history.size() - kMaxHistory)));
    if (profileId == m_profileId)
        m_historyIndex = -1;
}

bool SendPanel::historyUp()
{
    const QStringList list = history();
    if (list.isEmpty() || m_historyIndex == 0)
        return false;
    if (m_historyIndex < 0) {
        m_draft = text();
        m_historyIndex = int(list.size()) - 1;
    } else {
        --m_historyIndex;
    }
    m_settingText = true;
    setText(list.at(m_historyIndex));
    m_settingText = false;
    return true;
}

bool SendPanel::historyDown()
{
    const QStringList list = history();
    if (m_historyIndex < 0)
        return false;
    m_settingText = true;
    if (++m_historyIndex >= list.size()) {
        m_historyIndex = -1;
        setText(m_draft);
    } else {
        setText(list.at(m_historyIndex));
    }
    m_settingText = false;
    m_editor->moveCursor(QTextCursor::End);
    return true;
}

bool SendPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier) {
            const QTextCursor c = m_editor->textCursor();
            if (key->key() == Qt::Key_Up && c.block() == m_editor->document()->firstBlock() && historyUp())
                return true;
            if (key->key() == Qt::Key_Down && c.block() == m_editor->document()->lastBlock() && historyDown())
                return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QList<SavedMessage> SendPanel::savedMessages() const
{
    return m_saved->messages();
}

void SendPanel::setSavedMessages(const QList<SavedMessage>& messages)
{
    m_saved->setMessages(messages);
}

void SendPanel::saveCurrentMessage(const QString& name)
{
    SavedMessage m;
    m.name = name;
    m.mode = modeKey(mode());
    m.body = mode() == Mode::File ? m_filePath->text() : text();
    if (mode() == Mode::File)
        m.mode = u"text"_s; // a file is not a snippet; keep its path as text
    m_saved->add(m);
    m_savedToggle->setChecked(true);
}

void SendPanel::insertSavedMessage(const SavedMessage& message)
{
    setMode(modeFromKey(message.mode));
    setText(message.body);
    m_editor->setFocus();
}

bool SendPanel::startRepeat(int count, int intervalMs)
{
    stopRepeat();
    if (!m_session || m_session->state() != Session::State::Open) {
        showError(tr("Not connected: nothing was sent."));
        return false;
    }
    // Validate and ask once; text is expanded again on every send so placeholders change.
    const qint64 counterBefore = m_expander.counter();
    const Prepared first = prepare(false);
    if (!first.error.isEmpty()) {
        showError(first.error);
        return false;
    }
    if (!first.question.isEmpty() && !confirm(first.question)) {
        showInfo(tr("Not sent."));
        return false;
    }
    m_expander.setCounter(counterBefore);
    m_repeatBinary = first.binary ? first : Prepared {};
    m_repeatTarget = std::max(0, count);
    m_repeatSent = 0;
    if (mode() != Mode::File)
        rememberInHistory(text());
    m_repeatTimer.start(std::max(0, intervalMs));
    updateRepeatUi();
    Q_EMIT repeatStateChanged(true);
    repeatTick(); // the first one goes at once
    return true;
}

void SendPanel::stopRepeat()
{
    if (!m_repeatTimer.isActive())
        return;
    m_repeatTimer.stop();
    m_repeatBinary = {};
    updateRepeatUi();
    Q_EMIT repeatStateChanged(false);
}

void SendPanel::repeatTick()
{
    if (!m_repeatTimer.isActive())
        return;
    Prepared p = m_repeatBinary;
    if (!p.binary) {
        p = prepare(true);
        if (!p.error.isEmpty()) {
            showError(p.error);
            stopRepeat();
            return;
        }
    }
    if (!transmit(p)) {
        stopRepeat();
        return;
    }
    ++m_repeatSent;
    if (m_repeatTarget > 0 && m_repeatSent >= m_repeatTarget)
        stopRepeat();
    updateRepeatUi();
}

void SendPanel::updateRepeatUi()
{
    const bool running = isRepeating();
    m_repeatButton->setText(running ? tr("Stop") : tr("Repeat"));
    m_repeatCount->setEnabled(!running);
    m_repeatInterval->setEnabled(!running);
    if (m_repeatSent == 0 && !running)
        m_repeatLabel->clear();
    else if (m_repeatTarget > 0)
        m_repeatLabel->setText(tr("sent %1 / %2").arg(m_repeatSent).arg(m_repeatTarget));
    else
        m_repeatLabel->setText(tr("sent %1").arg(m_repeatSent));
    updateEnabled();
}

void SendPanel::setPingPayload(const QString& payload)
{
    m_pingPayload->setText(payload);
}

bool SendPanel::ping()
{
    if (!m_session) {
        showError(tr("No session: connect first."));
        return false;
    }
    const QByteArray payload = m_pingPayload->text().toUtf8();
    if (const QString e = ProfileValidator::checkPingPayload(payload); !e.isEmpty()) {
        showError(e + u' ' + tr("No ping was sent."));
        return false;
    }
    if (const QString e = m_session->ping(payload); !e.isEmpty()) {
        showError(e);
        return false;
    }
    showInfo(payload.isEmpty() ? tr("Ping sent.") : tr("Ping sent with %1.").arg(byteCount(payload.size())));
    return true;
}

void SendPanel::setCloseCode(int code)
{
    const int index = m_closeCode->findData(code);
    if (index >= 0)
        m_closeCode->setCurrentIndex(index);
    else
        m_closeCode->setEditText(QString::number(code));
}

void SendPanel::setCloseReason(const QString& reason)
{
    m_closeReason->setText(reason);
}

int SendPanel::closeCode(bool* ok) const
{
    // "1000 Normal Closure" from the list, or a number the user typed.
    static const QRegularExpression leading(u"^\\s*(\\d+)"_s);
    const auto match = leading.match(m_closeCode->currentText());
    *ok = match.hasMatch();
    return *ok ? match.captured(1).toInt(ok) : -1;
}

bool SendPanel::closeSession()
{
    if (!m_session) {
        showError(tr("No session: connect first."));
        return false;
    }
    bool ok = false;
    const int code = closeCode(&ok);
    if (!ok) {
        showError(
            tr("\"%1\" is not a close code: pick one from the list or type a number.").arg(m_closeCode->currentText()));
        return false;
    }
    if (const QString e = ProfileValidator::checkCloseCode(code); !e.isEmpty()) {
        showError(e);
        return false;
    }
    if (const QString e = ProfileValidator::checkCloseReason(m_closeReason->text()); !e.isEmpty()) {
        showError(e);
        return false;
    }
    stopRepeat();
    if (const QString e = m_session->close(code, m_closeReason->text()); !e.isEmpty()) {
        showError(e);
        return false;
    }
    showInfo(tr("Close %1 sent.").arg(code));
    return true;
}

void SendPanel::setFrameSize(int bytes)
{
    m_frameSize->setValue(bytes);
}

int SendPanel::frameSize() const
{
    return m_frameSize->value();
}

} // namespace wsi
