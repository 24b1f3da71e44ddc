#include "sendpanel.h"

#include "payload/closecodes.h"
#include "payload/payloadtext.h"
#include "profiles/profilevalidator.h"
#include "savedmessageswidget.h"
#include "send/actionrunner.h"
#include "session/session.h"
#include "style/style.h"
#include "util/bytecount.h"

#include <QCheckBox>
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
    , m_compress(new QCheckBox(tr("compress"), this))
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
    m_editor->setFont(Style::monospace());
    m_editor->setMinimumHeight(m_editor->fontMetrics().lineSpacing() * 2 + 12);
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

    m_compress->setObjectName(u"sendCompress"_s);
    m_compress->setChecked(true);
    m_compress->setToolTip(tr("When permessage-deflate was negotiated: compress the next messages (RFC 7692 lets a "
                              "client send any message uncompressed). Without deflate it changes nothing."));
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
    m_closeCode->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_closeCode->setMinimumContentsLength(12); // the list shows the whole names
    m_closeCode->setToolTip(tr("A standard code, or type 3000-3999 (registered) or 4000-4999 (private)"));
    // A narrow field shows the start of "1000 Normal Closure", not its end.
    m_closeCode->lineEdit()->setCursorPosition(0);
    connect(m_closeCode, &QComboBox::currentIndexChanged, m_closeCode,
        [this] { m_closeCode->lineEdit()->setCursorPosition(0); });
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
    // Repeat starts here, beside Send, with the count and interval of the row below: the panel
    // then fits beside the details on a 1024 px screen.
    sendRow->addWidget(m_repeatButton);
    sendRow->addWidget(m_sendButton);

    auto* grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(new QLabel(tr("Repeat"), this), 0, 0);
    auto* repeatRow = new QHBoxLayout;
    repeatRow->addWidget(m_repeatCount);
    repeatRow->addWidget(m_repeatInterval);
    repeatRow->addWidget(m_repeatLabel, 1);
    grid->addLayout(repeatRow, 0, 1);
    grid->addWidget(new QLabel(tr("Frames"), this), 1, 0);
    auto* frameRow = new QHBoxLayout;
    frameRow->addWidget(m_frameSize);
    frameRow->addWidget(m_compress);
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
    closeRow->addWidget(m_closeButton);
    grid->addLayout(closeRow, 3, 1);
    // The reason under the code: the panel stays narrow enough for six detail tabs beside it.
    grid->addWidget(m_closeReason, 4, 1);

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
    delete m_runner;
    delete m_repeatRunner;
    m_runner = m_repeatRunner = nullptr;
    m_session = session;
    if (m_session) {
        m_compress->setChecked(m_session->profile().deflateOutgoing);
        m_runner = new ActionRunner(m_session, this);
        m_runner->setComposer(&m_composer);
        m_repeatRunner = new ActionRunner(m_session, this);
        m_repeatRunner->setComposer(&m_composer);
        connect(m_repeatRunner, &ActionRunner::messageSent, this, [this](const ComposedMessage& m) {
            showSent(m);
            updatePreview(); // the counter moved on
            Q_EMIT sent();
        });
        connect(m_repeatRunner, &ActionRunner::failed, this, &SendPanel::showError);
        connect(m_repeatRunner, &ActionRunner::repeatProgress, this, &SendPanel::updateRepeatUi);
        connect(m_repeatRunner, &ActionRunner::runningChanged, this, [this](bool running) {
            updateRepeatUi();
            Q_EMIT repeatStateChanged(running);
        });
        connect(m_session, &Session::stateChanged, this, &SendPanel::updateEnabled); // the runner stops itself
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
        m_fileInfo->setText(ByteCount::readable(info.size()));
}

void SendPanel::showError(const QString& message)
{
    m_status->setText(u"<span style='color:%1'>%2</span>"_s.arg(
        Style::color(Style::Tone::Bad, palette()).name(), message.toHtmlEscaped()));
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
    const auto r = m_composer.placeholders().preview(text());
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
        const Result<ComposedMessage> r = m_composer.preview(request());
        bad = !r.ok();
        note = bad ? r.error().message : ByteCount::readable(r->size());
    } else {
        QString expanded = input;
        if (PlaceholderExpander::hasPlaceholders(input)) {
            const auto r = m_composer.placeholders().preview(input);
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
    m_preview->setStyleSheet(Style::labelStyleSheet(bad ? Style::Tone::Bad : Style::Tone::Muted, palette()));
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

MessageRequest SendPanel::request() const
{
    MessageRequest r;
    switch (mode()) {
    case Mode::Text:
        r.kind = MessageRequest::Kind::Text;
        break;
    case Mode::Json:
        r.kind = MessageRequest::Kind::Json;
        break;
    case Mode::Hex:
        r.kind = MessageRequest::Kind::Hex;
        break;
    case Mode::Base64:
        r.kind = MessageRequest::Kind::Base64;
        break;
    case Mode::File:
        r.kind = MessageRequest::Kind::File;
        break;
    }
    r.input = r.kind == MessageRequest::Kind::File ? m_filePath->text() : text();
    r.frameSize = m_frameSize->value();
    r.compress = m_compress->isChecked();
    return r;
}

std::optional<MessageRequest> SendPanel::confirmedRequest()
{
    MessageRequest r = request();
    // Checked before anything is read or expanded: a file's size, a placeholder, hex, JSON.
    const Result<QString> question = m_composer.question(r);
    if (!question) {
        showError(question.error().message + u' ' + tr("Nothing was sent."));
        return std::nullopt;
    }
    if (!question->isEmpty()) {
        if (!confirm(*question)) {
            showInfo(tr("Not sent."));
            return std::nullopt;
        }
        r.confirmed = true;
    }
    return r;
}

void SendPanel::showSent(const ComposedMessage& m)
{
    const qint64 size = m.size();
    const qint64 frames = m.frameSize;
    // %n: a frame size of 1 byte reads "≤ 1 byte" (there are at least 2 frames here).
    showInfo(frames > 0 && size > frames
            ? tr("Sent %1 in %2 frames of ≤ %n byte(s).", nullptr, int(std::min<qint64>(frames, INT_MAX)))
                  .arg(ByteCount::readable(size))
                  .arg((size + frames - 1) / frames)
            : tr("Sent %1.").arg(ByteCount::readable(size)));
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
    const std::optional<MessageRequest> r = confirmedRequest();
    if (!r)
        return false;
    const Result<ComposedMessage> m = m_runner->runOne(Action::send(*r));
    if (!m) {
        showError(m.error().message);
        return false;
    }
    showSent(*m);
    Q_EMIT sent();
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
    // Asked once; text is expanded again on every send so placeholders change.
    const std::optional<MessageRequest> r = confirmedRequest();
    if (!r)
        return false;
    if (mode() != Mode::File)
        rememberInHistory(text());
    m_repeatRunner->start({ Action::send(*r, std::max(0, count), std::max(0, intervalMs)) });
    return m_repeatRunner->repeatSent() > 0; // the first one goes at once
}

void SendPanel::stopRepeat()
{
    if (m_repeatRunner)
        m_repeatRunner->stop();
}

bool SendPanel::isRepeating() const
{
    return m_repeatRunner && m_repeatRunner->isRunning();
}

int SendPanel::repeatSent() const
{
    return m_repeatRunner ? m_repeatRunner->repeatSent() : 0;
}

void SendPanel::updateRepeatUi()
{
    const bool running = isRepeating();
    const int sent = repeatSent();
    const int target = m_repeatRunner ? m_repeatRunner->repeatTarget() : 0;
    m_repeatButton->setText(running ? tr("Stop") : tr("Repeat"));
    m_repeatCount->setEnabled(!running);
    m_repeatInterval->setEnabled(!running);
    if (sent == 0 && !running)
        m_repeatLabel->clear();
    else if (target > 0)
        m_repeatLabel->setText(tr("sent %1 / %2").arg(sent).arg(target));
    else
        m_repeatLabel->setText(tr("sent %1").arg(sent));
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
    if (const Result<ComposedMessage> r = m_runner->runOne(Action::ping(payload)); !r) {
        showError(r.error().message);
        return false;
    }
    showInfo(payload.isEmpty() ? tr("Ping sent.") : tr("Ping sent with %1.").arg(ByteCount::readable(payload.size())));
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
    if (const Result<ComposedMessage> r = m_runner->runOne(Action::close(code, m_closeReason->text())); !r) {
        showError(r.error().message);
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
