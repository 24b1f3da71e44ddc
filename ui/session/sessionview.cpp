#include "sessionview.h"

#include "check/miniprogrampanel.h"
#include "log/logdelegate.h"
#include "log/logpanel.h"
#include "log/logstatspanel.h"
#include "log/messagelogmodel.h"
#include "payload/payloadview.h"
#include "profiles/profileeditor.h"
#include "profiles/profilemerge.h"
#include "profiles/profilerepository.h"
#include "profiles/profilevalidator.h"
#include "profiles/recentaddresses.h"
#include "send/actionrunner.h"
#include "send/sendpanel.h"
#include "server/builtinserver.h"
#include "style/style.h"
#include "teach/codepanel.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QCompleter>
#include <QDateTime>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QSslCertificate>
#include <QStringListModel>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

using namespace MessageLogModelDefs;

namespace {
// Average characters the address field shows at least: "wss://echo.example.com:8443/ws".
constexpr int kAddressMinimumChars = 32;
} // namespace

SessionView::SessionView(const Profile& profile, QWidget* parent)
    : QWidget(parent)
    , m_session(new Session(profile, this))
    , m_model(new MessageLogModel(this))
    , m_url(new QLineEdit(this))
    , m_connectButton(new QPushButton(tr("Connect"), this))
    , m_recordButton(new QPushButton(tr("Record…"), this))
    , m_stateLabel(new QLabel(this))
    , m_logPanel(new LogPanel(m_model, this))
    , m_logView(m_logPanel->view())
    , m_details(new QTabWidget(this))
    , m_payloadView(new PayloadView(this))
    , m_sendPanel(new SendPanel(this))
    , m_handshakePanel(new HandshakePanel(this))
    , m_tlsPanel(new TlsPanel(this))
    , m_codePanel(new CodePanel(this))
    , m_miniProgramPanel(new MiniProgramPanel(this))
    , m_checkButton(new QPushButton(tr("Mini-program check"), this))
{
    m_settingsBaseline = profile;
    m_url->setText(profile.url);
    m_url->setObjectName(u"urlField"_s);
    m_url->setPlaceholderText(tr("ws://host:port/path, wss://…, host:port or builtin:echo"));
    m_url->setToolTip(tr("The address to connect to. Enter connects, or reconnects after a change."));
    m_url->setClearButtonEnabled(true);
    m_recent = RecentAddresses::model(); // shared: what one tab remembers, every open tab completes
    m_completer = new QCompleter(m_recent, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_url->setCompleter(m_completer);
    connect(m_url, &QLineEdit::returnPressed, this, &SessionView::goToAddress);
    m_addressMessage = new QLabel(this);
    m_addressMessage->setObjectName(u"addressMessage"_s);
    m_addressMessage->setWordWrap(true);
    m_addressMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_addressMessage->hide();
    m_saveOfferButton = new QPushButton(tr("Save as profile…"), this);
    m_saveOfferButton->setObjectName(u"saveOfferButton"_s);
    m_saveOfferButton->hide();
    connect(m_saveOfferButton, &QPushButton::clicked, this, &SessionView::saveAsProfileInteractive);
    m_showCertificateButton = new QPushButton(tr("Show certificate…"), this);
    m_showCertificateButton->setObjectName(u"showCertificateButton"_s);
    m_showCertificateButton->setToolTip(tr("See the server's certificate and why it was refused; you can trust it "
                                           "there"));
    m_showCertificateButton->hide();
    connect(m_showCertificateButton, &QPushButton::clicked, this, [this] { showDetail(m_tlsPanel); });
    m_connectButton->setObjectName(u"connectButton"_s);
    m_stateLabel->setObjectName(u"stateLabel"_s);
    // Bold through the font's weight alone (not a style sheet, which would freeze the label's font):
    // the size still follows View → Zoom like the rest of the tab.
    QFont bold;
    bold.setBold(true);
    m_stateLabel->setFont(bold);
    // As wide as the longest state name, so the address field does not jump as the state changes,
    // and not wider, so it leaves the field its room.
    int stateWidth = 0;
    for (auto state : { Session::State::Idle, Session::State::Connecting, Session::State::Open, Session::State::Closing,
             Session::State::Closed, Session::State::Failed })
        stateWidth = std::max(stateWidth, m_stateLabel->fontMetrics().horizontalAdvance(Session::stateName(state)));
    m_stateLabel->setMinimumWidth(stateWidth + m_stateLabel->fontMetrics().averageCharWidth());

    m_logPanel->setObjectName(u"logPanel"_s);
    m_logPanel->setSession(m_session);

    m_details->setObjectName(u"detailTabs"_s);
    m_details->setUsesScrollButtons(true);
    m_details->setDocumentMode(true); // slimmer tabs: all six fit beside the send panel at 1024 px
    Style::makeTabsCompact(m_details->tabBar(), this);
    m_maximizeButton = new QToolButton(m_details);
    m_maximizeButton->setObjectName(u"maximizeDetailsButton"_s);
    m_maximizeButton->setCheckable(true);
    m_maximizeButton->setAutoRaise(true);
    m_maximizeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarMaxButton));
    m_maximizeButton->setToolTip(tr("Show the details over the whole tab (F10)"));
    connect(m_maximizeButton, &QToolButton::clicked, this, &SessionView::setDetailsMaximized);
    m_details->setCornerWidget(m_maximizeButton, Qt::TopRightCorner);
    m_details->addTab(m_payloadView, tr("Payload"));
    m_details->addTab(m_handshakePanel, tr("Handshake"));
    m_details->addTab(m_tlsPanel, tr("TLS"));
    m_details->addTab(m_codePanel, tr("Code"));
    m_details->addTab(m_miniProgramPanel, tr("Mini program"));
    m_miniProgramPanel->setProfile(profile);
    m_checkButton->setObjectName(u"miniProgramCheckButton"_s);
    m_checkButton->setToolTip(tr("Connect once more and check this server against the WeChat mini-program rules "
                                 "for wx.connectSocket"));
    connect(m_checkButton, &QPushButton::clicked, this, &SessionView::runMiniProgramCheck);
    m_codePanel->setConnection(profile);
    m_tlsPanel->setPinnedFingerprints(profile.tls.pinnedFingerprints);
    // Saved or not changes with the title (saved as, removed): the trust wording follows.
    connect(this, &SessionView::titleChanged, m_tlsPanel, [this] { m_tlsPanel->setSavedProfile(isSavedProfile()); });
    connect(m_handshakePanel, &HandshakePanel::retryRequested, this, &SessionView::retryRequested);
    // Trusting one certificate pins its fingerprint in the profile and connects again.
    connect(m_tlsPanel, &TlsPanel::trustRequested, this, [this](const QString& fingerprint) {
        pinCertificate(fingerprint);
        m_session->open();
    });
    connect(m_sendPanel, &SendPanel::savedMessagesChanged, this, [this](const QList<SavedMessage>& messages) {
        if (m_repository && m_repository->setSavedMessages(m_profileId, messages))
            return; // the repository announces it back (applyProfile)
        Profile p = m_session->profile();
        p.savedMessages = messages;
        m_session->setProfile(p);
    });
    // One panel per tab: its history is this tab's. A saved profile gets the new entry appended
    // (other tabs of the profile add theirs); an unsaved connection keeps the list itself.
    connect(m_sendPanel, &SendPanel::historyChanged, this, [this](const QString&, const QStringList& history) {
        if (history.isEmpty())
            return;
        if (m_repository && m_repository->appendSendHistory(m_profileId, history.last(), SendPanel::kMaxHistory))
            return;
        Profile p = m_session->profile();
        p.sendHistory = history;
        m_session->setProfile(p);
    });
    // A TLS failure's log row leads to the certificate too (double-click or the context menu).
    m_logView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_logView, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_logView->indexAt(pos);
        const int row = index.isValid() ? m_logPanel->sourceRow(index.row()) : -1;
        if (row < 0 || m_model->entryAt(row).kind != LogEntry::Kind::Error || !isTlsCertificateFailure())
            return;
        QMenu menu(this);
        menu.addAction(tr("Show certificate…"), this, [this] { showDetail(m_tlsPanel); });
        menu.exec(m_logView->viewport()->mapToGlobal(pos));
    });
    connect(m_logView, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        const int row = m_logPanel->sourceRow(index.row());
        if (row >= 0 && m_model->entryAt(row).kind == LogEntry::Kind::Error && isTlsCertificateFailure())
            showDetail(m_tlsPanel);
    });

    auto* bar = new QHBoxLayout;
    auto* addressLabel = new QLabel(tr("&Address"), this);
    addressLabel->setBuddy(m_url);
    bar->addWidget(addressLabel);
    bar->addWidget(m_url, 1);
    bar->addWidget(m_stateLabel);
    bar->addWidget(m_checkButton);
    bar->addWidget(m_recordButton);
    bar->addWidget(m_connectButton);
    // The address stays readable beside the state and the buttons (a typical wss:// URL with a port).
    m_url->setMinimumWidth(m_url->fontMetrics().averageCharWidth() * kAddressMinimumChars);
    // The failure's action goes on the row below, which has room for it, so the address row never
    // narrows the field when a TLS failure offers the certificate.
    auto* messageRow = new QHBoxLayout;
    messageRow->addWidget(m_addressMessage, 1);
    messageRow->addWidget(m_showCertificateButton);
    messageRow->addWidget(m_saveOfferButton);
    messageRow->addStretch();

    m_recordButton->setObjectName(u"recordButton"_s);
    m_recordButton->setCheckable(true);
    m_recordButton->setToolTip(tr("Record every event of this session to a capture file (JSON Lines)"));
    connect(m_recordButton, &QPushButton::clicked, this, [this](bool on) {
        QString path;
        if (on) {
            path = QFileDialog::getSaveFileName(this, tr("Record to capture file"),
                u"capture-%1.jsonl"_s.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s)),
                tr("Capture files (*.jsonl);;All files (*)"));
            if (path.isEmpty()) {
                m_recordButton->setChecked(false);
                return;
            }
        }
        if (const QString error = setRecording(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Recording"), error);
    });

    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->setObjectName(u"detailSplitter"_s); // sizes remembered by the window
    lower->setChildrenCollapsible(false);
    lower->addWidget(m_details);
    auto* sendBox = m_sendBox = new QWidget(this);
    auto* sendLayout = new QVBoxLayout(sendBox);
    sendLayout->setContentsMargins(0, 0, 0, 0);
    sendLayout->addWidget(new QLabel(tr("Send"), sendBox));
    sendLayout->addWidget(m_sendPanel, 1);
    lower->addWidget(sendBox);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    lower->setSizes({ 640, 360 }); // proportions, until the user moves the handle (then remembered)

    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"logSplitter"_s);
    split->setChildrenCollapsible(false);
    split->addWidget(m_logPanel);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(messageRow);
    layout->addWidget(split, 1);

    m_sendPanel->setSession(m_session);
    connect(m_session, &Session::stateChanged, this, &SessionView::onStateChanged);
    connect(m_session, &Session::entriesAdded, this, &SessionView::onEntries);
    // A write error stopped recording (the log has the Error entry); the session goes on.
    connect(m_session, &Session::captureStopped, this, [this](const QString& text) {
        setRecording({});
        Q_EMIT message(text);
    });
    connect(m_session, &Session::handshakeUpdated, this, [this] {
        m_handshakePanel->setHandshake(m_session->handshake(), m_session->connectedUrl());
        m_tlsPanel->setTlsInfo(m_session->handshake().tls);
        updateCertificateOffer();
    });
    connect(m_connectButton, &QPushButton::clicked, this, &SessionView::toggleConnection);
    connect(m_logView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showRow(m_logPanel->sourceRow(current.row())); });
    onStateChanged(m_session->state(), {});
    createSettingsEditor();
}

SessionView::~SessionView() = default;

QString SessionView::title() const
{
    const Profile& p = m_session->profile();
    // A built-in server's tab keeps its name until another address is typed in it.
    const bool named = isSavedProfile() || (p.isBuiltin() && BuiltinServers::isBuiltinUrl(p.url));
    if (!named)
        return p.url.isEmpty() ? tr("New connection") : p.url;
    return p.name.isEmpty() ? p.url : p.name;
}

QString SessionView::elapsedText() const
{
    if (m_session->state() != Session::State::Open || !m_openSince.isValid())
        return {};
    const qint64 s = m_openSince.elapsed() / 1000;
    return u"%1:%2:%3"_s.arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString SessionView::statusText() const
{
    QString text = Session::stateName(m_session->state());
    if (const QString elapsed = elapsedText(); !elapsed.isEmpty())
        text += u" · "_s + elapsed;
    if (!m_session->connectedUrl().isEmpty())
        text += u" · "_s + m_session->connectedUrl().toDisplayString();
    return text;
}

QString SessionView::setRecording(const QString& path)
{
    const Result<void> opened = m_session->setCaptureFile(path);
    const bool recording = opened.ok() && !path.isEmpty();
    m_recordButton->setChecked(recording);
    m_recordButton->setText(recording ? tr("Recording") : tr("Record…"));
    m_recordButton->setToolTip(recording ? tr("Recording to %1; click to stop").arg(path)
                                         : tr("Record every event of this session to a capture file (JSON Lines)"));
    Q_EMIT statusChanged();
    return opened.errorMessage();
}

bool SessionView::isRecording() const
{
    return m_recordButton->isChecked();
}

void SessionView::runActions(const QList<Action>& actions)
{
    if (!m_actionRunner) {
        m_actionRunner = new ActionRunner(m_session, this);
        m_actionRunner->setComposer(m_sendPanel->composer());
        connect(m_actionRunner, &ActionRunner::failed, this, &SessionView::logError);
    }
    m_actionRunner->start(actions);
}

void SessionView::logError(const QString& message)
{
    m_model->appendBatch({ LogEntry::note(LogEntry::Kind::Error, message) });
}

QString SessionView::readyStateName(Session::State state)
{
    switch (state) {
    case Session::State::Connecting:
        return u"0 CONNECTING"_s;
    case Session::State::Open:
        return u"1 OPEN"_s;
    case Session::State::Closing:
        return u"2 CLOSING"_s;
    default:
        return u"3 CLOSED"_s;
    }
}

QString SessionView::readyStateExplanation(Session::State state)
{
    switch (state) {
    case Session::State::Connecting:
        return tr("In a browser, WebSocket.readyState is 0 (CONNECTING): the handshake is under way. A mini program's "
                  "SocketTask has not called onOpen yet.");
    case Session::State::Open:
        return tr("In a browser, readyState is 1 (OPEN): both sides may send. A mini program's SocketTask has called "
                  "onOpen, and send() works.");
    case Session::State::Closing:
        return tr("In a browser, readyState is 2 (CLOSING): a close frame was sent and the answer is awaited.");
    case Session::State::Failed:
        return tr("In a browser, readyState is 3 (CLOSED) after an error event. A mini program's SocketTask calls "
                  "onError, then onClose.");
    default:
        return tr("In a browser, readyState is 3 (CLOSED). A mini program's SocketTask has called onClose with the "
                  "close code and reason.");
    }
}

void SessionView::setHighContrast(bool on)
{
    m_logPanel->delegate()->setHighContrast(on);
    m_logView->viewport()->update();
}

void SessionView::setExplainMode(bool on)
{
    m_explain = on;
    m_handshakePanel->setExplainMode(on);
    onStateChanged(m_session->state(), m_session->stateReason());
}

void SessionView::showDetail(QWidget* page)
{
    if (const int index = m_details->indexOf(page); index >= 0)
        m_details->setCurrentIndex(index);
}

bool SessionView::isBusy() const
{
    const auto s = m_session->state();
    return s == Session::State::Connecting || s == Session::State::Open || s == Session::State::Closing
        || m_session->isReconnectPending();
}

void SessionView::toggleConnection()
{
    if (isBusy())
        disconnectSession();
    else if (m_url->text().trimmed() != m_session->profile().url)
        goToAddress(); // the address was edited: take it
    else
        connectSession();
}

void SessionView::toggleRecording()
{
    m_recordButton->click();
}

void SessionView::setDetailsMaximized(bool on)
{
    m_maximizeButton->setChecked(on);
    m_maximizeButton->setIcon(
        style()->standardIcon(on ? QStyle::SP_TitleBarNormalButton : QStyle::SP_TitleBarMaxButton));
    m_maximizeButton->setToolTip(
        on ? tr("Show the log and the send panel again (F10)") : tr("Show the details over the whole tab (F10)"));
    if (on == m_detailsMaximized)
        return;
    m_detailsMaximized = on;
    m_logPanel->setVisible(!on);
    m_sendBox->setVisible(!on);
    Q_EMIT detailsMaximizedChanged(on);
}

void SessionView::setStatisticsVisible(bool on)
{
    m_logPanel->statsPanel()->setVisible(on);
}

void SessionView::runMiniProgramCheck()
{
    m_miniProgramPanel->setProfile(m_session->profile());
    showDetail(m_miniProgramPanel);
    m_miniProgramPanel->runCheck();
}

void SessionView::connectSession()
{
    m_session->open();
}

void SessionView::disconnectSession()
{
    if (m_session->state() == Session::State::Open)
        (void)m_session->close(1000, {}); // valid code and reason, and open: nothing to refuse
    else // connecting, closing, or waiting to reconnect
        m_session->abort(tr("Cancelled by you."));
}

void SessionView::onStateChanged(Session::State state, const QString& reason)
{
    if (m_reopenWhenClosed && (state == Session::State::Closed || state == Session::State::Failed)) {
        m_reopenWhenClosed = false; // the address changed while connected: connect to the new one
        m_session->open();
    }
    updateCertificateOffer();
    const bool busy = isBusy();
    m_connectButton->setText(busy ? tr("Disconnect") : tr("Connect"));
    if (state == Session::State::Connecting)
        m_settingsInUse = m_session->profile();
    updateSettingsConnectOffer();
    if (state == Session::State::Open) {
        m_openSince.start();
        m_model->setConnectTimeUs(m_session->connectedAtUs());
        m_codePanel->setConnection(m_session->profile(), m_session->connectedUrl());
    } else {
        m_openSince.invalidate();
    }
    m_stateLabel->setText(m_explain ? tr("%1 · readyState %2").arg(Session::stateName(state), readyStateName(state))
                                    : Session::stateName(state));
    m_stateLabel->setToolTip(reason + u"\n\n"_s + readyStateExplanation(state));
    const Style::Tone tone = state == Session::State::Open ? Style::Tone::Good
        : state == Session::State::Failed                  ? Style::Tone::Bad
        : state == Session::State::Connecting              ? Style::Tone::Warning
                                                           : Style::Tone::Muted;
    QPalette statePalette; // only the text colour, the rest follows the window
    statePalette.setColor(QPalette::WindowText, Style::color(tone, palette()));
    m_stateLabel->setPalette(statePalette);
    Q_EMIT statusChanged();
}

void SessionView::onEntries(const LogBatch& batch)
{
    // The log panel follows the tail itself (unless the user scrolled away or paused the display).
    m_model->appendBatch(batch);
}

void SessionView::showRow(int row)
{
    if (row < 0) {
        m_payloadView->clear();
        return;
    }
    m_payloadView->setEntry(m_model->entryAt(row));
}

void SessionView::setProfileRepository(ProfileRepository* repository)
{
    if (m_repository)
        m_repository->disconnect(this);
    m_repository = repository;
    m_profileId.clear();
    if (!m_repository)
        return;
    connect(m_repository, &ProfileRepository::profileChanged, this, &SessionView::onRepositoryChanged);
    connect(m_repository, &ProfileRepository::profileRemoved, this, [this](const QString& id) {
        if (id != m_profileId)
            return;
        // The profile was deleted: the tab goes on as an unsaved connection with what it had. That
        // was the user's choice, so only what changes from now on is offered for saving again.
        m_profileId.clear();
        m_settingsBaseline = m_session->profile();
        createSettingsEditor();
        Q_EMIT titleChanged(title());
    });
    if (const Profile* saved = m_repository->find(m_session->profile().id)) {
        m_profileId = saved->id;
        dropSettingsEditor();
        // A redirect's tab goes to the new location with the profile's other settings.
        Profile p = *saved;
        if (m_session->profile().url != saved->url)
            p.url = m_addressOverride = m_session->profile().url;
        applyProfile(p);
    }
}

bool SessionView::isSavedProfile() const
{
    return m_repository && !m_profileId.isEmpty() && m_repository->contains(m_profileId);
}

void SessionView::onRepositoryChanged(const QString& id)
{
    if (id.isEmpty() || id != m_profileId)
        return;
    if (const Profile* saved = m_repository->find(id)) {
        Profile p = *saved;
        if (!m_addressOverride.isEmpty())
            p.url = m_addressOverride;
        applyProfile(p);
    }
}

void SessionView::applyProfile(const Profile& profile)
{
    // Takes effect at the next connect; what is open stays open.
    m_session->setProfile(profile);
    if (!m_url->hasFocus() || !m_url->isModified()) {
        m_url->setText(profile.url);
        m_url->setModified(false);
    }
    if (m_sendPanel->savedMessages() != profile.savedMessages)
        m_sendPanel->setSavedMessages(profile.savedMessages);
    m_tlsPanel->setPinnedFingerprints(profile.tls.pinnedFingerprints);
    m_codePanel->setConnection(profile, m_session->connectedUrl());
    m_miniProgramPanel->setProfile(profile);
    updateSettingsConnectOffer();
    Q_EMIT titleChanged(title());
}

void SessionView::focusAddressBar()
{
    m_url->setFocus(Qt::ShortcutFocusReason);
    m_url->selectAll();
}

QString SessionView::addressMessage() const
{
    return m_addressMessage->isHidden() ? QString() : m_addressMessage->text();
}

void SessionView::showAddressMessage(const QString& text, bool error)
{
    m_addressMessage->setText(text);
    // The palette's colours, so that a dark theme stays readable.
    QPalette pal = m_addressMessage->palette();
    pal.setColor(QPalette::WindowText,
        error ? Style::color(Style::Tone::Bad, palette()) : palette().color(QPalette::Disabled, QPalette::WindowText));
    m_addressMessage->setPalette(pal);
    m_addressMessage->setVisible(!text.isEmpty());
}

bool SessionView::goToAddress()
{
    const Result<TypedAddress> address = ProfileValidator::interpretAddress(m_url->text());
    if (!address) {
        showAddressMessage(address.error().message, true);
        return false;
    }
    Profile p = m_session->profile();
    const bool changed = p.url != address->url;
    p.url = address->url;
    showAddressMessage(address->notices.join(u' '), false);
    m_url->setText(p.url);
    m_url->setModified(false);
    RecentAddresses::remember(p.url);
    if (changed) {
        if (isSavedProfile()) {
            const Profile* saved = m_repository->find(m_profileId);
            m_addressOverride = saved && saved->url == p.url ? QString() : p.url;
        } else if (m_settingsEditor) {
            m_settingsEditor->takeOutsideChange(p);
        }
        applyProfile(p);
    }
    const Session::State state = m_session->state();
    const bool busy = state == Session::State::Connecting || state == Session::State::Open
        || state == Session::State::Closing || m_session->isReconnectPending();
    if (!busy) {
        m_session->open();
    } else if (changed) {
        if (state == Session::State::Open) {
            m_reopenWhenClosed = true;
            (void)m_session->close(1000, {}); // fails only when nothing is open, then nothing is to close
        } else {
            m_session->abort(tr("Connecting to %1 instead.").arg(p.url));
            m_session->open();
        }
    }
    return true;
}

Result<QString> SessionView::saveAsProfile(const QString& name)
{
    if (!m_repository)
        return Error { tr("Profiles cannot be saved here."), {} };
    if (isSavedProfile()) {
        // A saved profile's tab: the address typed in the bar becomes the profile's.
        const Profile* saved = m_repository->find(m_profileId);
        Profile edited = *saved;
        edited.url = m_session->profile().url;
        m_repository->applyEdit(m_profileId, *saved, edited);
        m_addressOverride.clear();
        return m_profileId;
    }
    Profile p = connectionToSave();
    if (const QString problem = saveProblem(p); !problem.isEmpty())
        return Error { problem, {} };
    p.name = name.trimmed().isEmpty() ? p.url : name.trimmed();
    p.id.clear();
    const QString id = m_repository->add(p);
    m_profileId = id;
    dropSettingsEditor();
    m_saveOfferButton->hide();
    showAddressMessage({}, false);
    applyProfile(*m_repository->find(id));
    // History kept under the unsaved tab's key carries on under the profile.
    m_sendPanel->setHistory(id, m_sendPanel->history());
    m_sendPanel->setProfileId(id);
    Q_EMIT savedAsProfile(id);
    return id;
}

bool SessionView::saveAsProfileInteractive()
{
    QString name;
    if (!isSavedProfile()) {
        // A problem is said before a name is asked for.
        if (const QString problem = saveProblem(connectionToSave()); !problem.isEmpty()) {
            showAddressMessage(problem, true);
            showSettings();
            return false;
        }
        bool ok = false;
        const Profile& p = m_session->profile();
        const QString suggested = p.isBuiltin() && BuiltinServers::isBuiltinUrl(p.url) ? p.name : QUrl(p.url).host();
        name = QInputDialog::getText(this, tr("Save as profile"), tr("Profile name:"), QLineEdit::Normal,
            m_repository ? m_repository->uniqueName(suggested) : suggested, &ok);
        if (!ok)
            return false;
    }
    const Result<QString> saved = saveAsProfile(name);
    if (!saved) {
        showAddressMessage(saved.error().message, true);
        showSettings();
        return false;
    }
    Q_EMIT message(tr("Saved as profile \"%1\".").arg(m_session->profile().name));
    return true;
}

Profile SessionView::connectionToSave() const
{
    // The page's valid input is applied as it is typed (edited()); merged once more so that nothing
    // typed is missed, over what the session holds (history, saved messages, pins).
    const Profile p = m_settingsEditor && m_settingsEditor->isValid()
        ? ProfileMerge::merge(m_settingsEditor->original(), m_settingsEditor->profile(), m_session->profile()).merged
        : m_session->profile();
    return ProfileValidator::normalized(p);
}

QString SessionView::saveProblem(const Profile& connection) const
{
    // Input the Settings page cannot take yet (a header value with a line break) would be dropped
    // from the profile without a word: it blocks saving until it is fixed or undone.
    QString problem;
    if (m_settingsEditor && !m_settingsEditor->isValid()) {
        problem = m_settingsEditor->plan().firstError();
        if (problem.isEmpty())
            problem = tr("the Settings page shows a problem.");
    } else {
        problem = ProfileValidator::validate(connection).firstError();
    }
    return problem.isEmpty() ? QString() : tr("This connection cannot be saved as a profile yet: %1").arg(problem);
}

QStringList SessionView::unsavedSettings() const
{
    if (!m_repository || isSavedProfile())
        return {};
    // What a profile keeps beyond the address: every setting and the saved messages.
    const auto keepable = [](Profile p) {
        p = ProfileValidator::normalized(p);
        p.id.clear();
        p.name.clear();
        p.url.clear();
        p.sendHistory.clear();
        return p;
    };
    QStringList lost = ProfileMerge::differences(keepable(m_settingsBaseline), keepable(connectionToSave()));
    if (m_settingsEditor && !m_settingsEditor->isValid() && m_settingsEditor->isModified()) {
        const QStringList typed = ProfileMerge::differences(m_settingsEditor->original(), m_settingsEditor->profile());
        for (const QString& label : typed) {
            if (!lost.contains(label))
                lost.append(label);
        }
    }
    return lost;
}

QWidget* SessionView::settingsPage() const
{
    QWidget* page = m_settingsEditor ? m_settingsEditor->parentWidget() : nullptr;
    while (page && !qobject_cast<QScrollArea*>(page))
        page = page->parentWidget();
    return page;
}

void SessionView::showSettings()
{
    QWidget* page = settingsPage();
    if (!page)
        return;
    showDetail(page);
    // The keyboard goes to the page's first control, ready to fix or finish what is there.
    for (QWidget* w = m_settingsEditor->nextInFocusChain(); w && w != m_settingsEditor; w = w->nextInFocusChain()) {
        if (m_settingsEditor->isAncestorOf(w) && w->isVisibleTo(m_settingsEditor) && w->isEnabled()
            && (w->focusPolicy() & Qt::TabFocus)) {
            w->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

void SessionView::pinCertificate(const QString& fingerprint)
{
    const QByteArray leafPem = m_session->handshake().tls.peerChainPem.value(0);
    const QList<QSslCertificate> certs = QSslCertificate::fromData(leafPem, QSsl::Pem);
    const QString subject = certs.isEmpty() ? QString() : certs.first().subjectDisplayName();
    if (isSavedProfile()) {
        m_repository->pinCertificate(m_profileId, fingerprint, subject); // announced back: applyProfile
        return;
    }
    Profile p = m_session->profile();
    if (!p.tls.pinnedFingerprints.contains(fingerprint))
        p.tls.pinnedFingerprints.append(fingerprint);
    if (!subject.isEmpty())
        p.tls.pinnedSubjects.insert(fingerprint, subject);
    if (m_settingsEditor)
        m_settingsEditor->takeOutsideChange(p);
    applyProfile(p);
    if (m_repository) {
        // Trust in an unsaved tab ends with the tab: offer to keep it.
        showAddressMessage(tr("This certificate is trusted in this tab only. Save the connection as a profile to "
                              "keep the trust after a restart."),
            false);
        m_saveOfferButton->show();
    }
}

bool SessionView::isTlsCertificateFailure() const
{
    const TlsInfo& tls = m_session->handshake().tls;
    return m_session->state() == Session::State::Failed && !tls.peerChainPem.isEmpty() && !tls.verified
        && !tls.verificationErrors.isEmpty();
}

void SessionView::updateCertificateOffer()
{
    m_showCertificateButton->setVisible(isTlsCertificateFailure());
}

void SessionView::createSettingsEditor()
{
    if (m_settingsEditor)
        return;
    m_settingsEditor = new ProfileEditor(this);
    m_settingsEditor->setObjectName(u"settingsEditor"_s);
    m_settingsEditor->setUnsavedMode(true);
    m_settingsEditor->setProfile(m_session->profile(), false, {});
    m_settingsBase = ProfileValidator::normalized(m_settingsEditor->profile());
    updateSettingsConnectOffer();
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(u"settingsPage"_s);
    scroll->setWidget(m_settingsEditor);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_details->addTab(scroll, tr("Settings"));
    m_details->setTabToolTip(m_details->indexOf(scroll),
        tr("This connection's headers, subprotocols, timeout, TLS and proxy; Save as profile keeps them"));
    connect(m_settingsEditor, &ProfileEditor::edited, this, [this](const Profile& edited) {
        // What the user changed since the form was last applied, over what the session holds
        // (history, saved messages, pins). The base moves on with every applied edit: a field changed
        // and changed back is applied both times.
        Profile p = ProfileMerge::merge(m_settingsBase, edited, m_session->profile()).merged;
        m_settingsBase = edited;
        if (p != m_session->profile())
            applyProfile(p);
    });
    connect(m_settingsEditor, &ProfileEditor::saveAsRequested, this, &SessionView::saveAsProfileInteractive);
    connect(m_settingsEditor, &ProfileEditor::connectRequested, this, [this] {
        if (m_session->state() == Session::State::Open) {
            m_reopenWhenClosed = true; // with the edited settings
            (void)m_session->close(1000, {}); // fails only when nothing is open, then nothing is to close
        } else {
            connectSession();
        }
    });
}

void SessionView::updateSettingsConnectOffer()
{
    if (!m_settingsEditor)
        return;
    // What decides how the next connection is made: the name, the messages and the history do not.
    const auto connectionPart = [](Profile p) {
        p.name.clear();
        p.savedMessages.clear();
        p.sendHistory.clear();
        p.forMiniProgram = false;
        return p;
    };
    const bool busy = isBusy();
    const bool changed = connectionPart(m_session->profile()) != connectionPart(m_settingsInUse);
    m_settingsEditor->setConnectText(busy && changed ? tr("Reconnect with these settings") : QString());
}

void SessionView::dropSettingsEditor()
{
    if (!m_settingsEditor)
        return;
    QWidget* page = settingsPage();
    m_settingsEditor = nullptr;
    if (page) {
        m_details->removeTab(m_details->indexOf(page));
        page->deleteLater();
    }
}

} // namespace wsi
