#include "sessionview.h"

#include "check/miniprogrampanel.h"
#include "log/logdelegate.h"
#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "payload/payloadview.h"
#include "send/actionrunner.h"
#include "send/sendpanel.h"
#include "teach/codepanel.h"
#include "wire/handshakepanel.h"
#include "wire/tlspanel.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

using namespace MessageLogModelDefs;

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
    m_url->setText(profile.url);
    m_url->setReadOnly(true);
    m_url->setObjectName(u"urlField"_s);
    m_connectButton->setObjectName(u"connectButton"_s);
    m_stateLabel->setObjectName(u"stateLabel"_s);
    m_stateLabel->setMinimumWidth(160);

    m_logPanel->setObjectName(u"logPanel"_s);
    m_logPanel->setSession(m_session);

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
    connect(this, &SessionView::profileChanged, m_codePanel,
        [this](const Profile& p) { m_codePanel->setConnection(p, m_session->connectedUrl()); });
    connect(m_handshakePanel, &HandshakePanel::retryRequested, this, &SessionView::retryRequested);
    // Trusting one certificate pins its fingerprint in the profile and connects again.
    connect(m_tlsPanel, &TlsPanel::trustRequested, this, [this](const QString& fingerprint) {
        Profile p = m_session->profile();
        if (!p.tls.pinnedFingerprints.contains(fingerprint))
            p.tls.pinnedFingerprints.append(fingerprint);
        m_session->setProfile(p);
        Q_EMIT profileChanged(p);
        m_session->open();
    });
    connect(m_sendPanel, &SendPanel::savedMessagesChanged, this, [this](const QList<SavedMessage>& messages) {
        Profile p = m_session->profile();
        p.savedMessages = messages;
        m_session->setProfile(p);
        Q_EMIT profileChanged(p);
    });
    connect(m_sendPanel, &SendPanel::historyChanged, this, [this](const QString& id, const QStringList& history) {
        Profile p = m_session->profile();
        if (id != p.id)
            return;
        p.sendHistory = history;
        m_session->setProfile(p);
        Q_EMIT profileChanged(p);
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("URL"), this));
    bar->addWidget(m_url, 1);
    bar->addWidget(m_stateLabel);
    bar->addWidget(m_checkButton);
    bar->addWidget(m_recordButton);
    bar->addWidget(m_connectButton);

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
    lower->addWidget(m_details);
    auto* sendBox = new QWidget(this);
    auto* sendLayout = new QVBoxLayout(sendBox);
    sendLayout->setContentsMargins(0, 0, 0, 0);
    sendLayout->addWidget(new QLabel(tr("Send"), sendBox));
    sendLayout->addWidget(m_sendPanel, 1);
    lower->addWidget(sendBox);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_logPanel);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
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
    });
    connect(m_connectButton, &QPushButton::clicked, this, [this] {
        const auto s = m_session->state();
        if (s == Session::State::Connecting || s == Session::State::Open || s == Session::State::Closing
            || m_session->isReconnectPending())
            disconnectSession();
        else
            connectSession();
    });
    connect(m_logView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showRow(m_logPanel->sourceRow(current.row())); });
    onStateChanged(m_session->state(), {});
}

SessionView::~SessionView() = default;

QString SessionView::title() const
{
    return m_session->profile().name.isEmpty() ? m_session->profile().url : m_session->profile().name;
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
    const bool busy = state == Session::State::Connecting || state == Session::State::Open
        || state == Session::State::Closing || m_session->isReconnectPending();
    m_connectButton->setText(busy ? tr("Disconnect") : tr("Connect"));
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
    const char* color = state == Session::State::Open ? "#1b7f3a"
        : state == Session::State::Failed             ? "#b00020"
        : state == Session::State::Connecting         ? "#a06000"
                                                      : "#555555";
    m_stateLabel->setStyleSheet(u"QLabel { color: %1; font-weight: bold; }"_s.arg(QLatin1StringView(color)));
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

} // namespace wsi
