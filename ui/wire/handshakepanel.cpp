#include "handshakepanel.h"

#include "style/style.h"
#include "teach/acceptderivation.h"
#include "teach/headerglossary.h"
#include "wire/httpbody.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QPlainTextEdit* makeRawView(QWidget* parent, const QString& name)
{
    auto* view = new QPlainTextEdit(parent);
    view->setObjectName(name);
    view->setReadOnly(true);
    // Long lines (Sec-WebSocket-Key, a cookie) wrap instead of hiding behind a scroll bar.
    view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    view->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    view->setFont(Style::monospace());
    return view;
}

QTableWidget* makeTable(QWidget* parent, const QString& name)
{
    auto* table = new QTableWidget(0, 3, parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(
        { HandshakePanel::tr("Name"), HandshakePanel::tr("Value"), HandshakePanel::tr("Meaning") });
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    return table;
}

// Marks each CR LF with a visible "↵" a teacher can point at (the ␍␊ symbols are missing from
// common fonts), then breaks the line.
QString showLineEnds(const QByteArray& raw)
{
    QString text = QString::fromLatin1(raw); // HTTP heads are bytes; Latin-1 shows every byte
    text.replace(u"\r\n"_s, u" ↵\n"_s);
    return text;
}
} // namespace

HandshakePanel::HandshakePanel(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_requestRaw(makeRawView(this, u"requestRaw"_s))
    , m_requestTable(makeTable(this, u"requestTable"_s))
    , m_responseRaw(makeRawView(this, u"responseRaw"_s))
    , m_responseTable(makeTable(this, u"responseTable"_s))
    , m_acceptCheck(makeRawView(this, u"acceptCheck"_s))
    , m_retryButton(new QPushButton(this))
{
    m_summary->setObjectName(u"handshakeSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retryButton->hide();
    connect(m_retryButton, &QPushButton::clicked, this, [this] { Q_EMIT retryRequested(m_retryUrl); });

    auto* request = new QTabWidget(this);
    request->addTab(m_requestRaw, tr("Raw"));
    request->addTab(m_requestTable, tr("Headers"));
    auto* response = m_responseTabs = new QTabWidget(this);
    for (QTabWidget* tabs : { request, response }) {
        tabs->setDocumentMode(true);
        Style::makeTabsCompact(tabs->tabBar(), this);
    }
    response->addTab(m_responseRaw, tr("Raw"));
    response->addTab(m_responseTable, tr("Headers"));
    response->addTab(m_acceptCheck, tr("Accept check"));
    response->setTabToolTip(2, tr("How Sec-WebSocket-Accept is derived from the request's key, step by step"));

    auto* requestBox = new QWidget(this);
    auto* rl = new QVBoxLayout(requestBox);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addWidget(new QLabel(tr("<b>Request</b> (sent)"), requestBox));
    rl->addWidget(request);
    auto* responseBox = new QWidget(this);
    auto* sl = new QVBoxLayout(responseBox);
    sl->setContentsMargins(0, 0, 0, 0);
    sl->addWidget(new QLabel(tr("<b>Response</b> (received)"), responseBox));
    sl->addWidget(response);

    auto* split = m_split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"handshakeSplitter"_s);
    split->setChildrenCollapsible(false);
    split->addWidget(requestBox);
    split->addWidget(responseBox);
    split->setStretchFactor(0, 1); // halves, so that each has the width resizeEvent() counted on
    split->setStretchFactor(1, 1);

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_retryButton, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    setExplainMode(false);
    clear();
}

HandshakePanel::~HandshakePanel() = default;

void HandshakePanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    // Request beside response when each half gets the width of the response's tabs with room to
    // spare (the profile list hidden, the details maximized, a wide window); stacked otherwise, so that neither the key
    // lines nor the "Accept check" tab are cut.
    const int wanted = 2 * (m_responseTabs->tabBar()->sizeHint().width() + fontMetrics().averageCharWidth() * 2);
    const Qt::Orientation orientation = width() >= wanted ? Qt::Horizontal : Qt::Vertical;
    if (m_split->orientation() != orientation) {
        m_split->setOrientation(orientation);
        m_split->setSizes({ 1, 1 }); // halves again (scaled to the space there is)
    }
}

QString HandshakePanel::formatDuration(qint64 us)
{
    if (us < 0)
        return tr("—");
    if (us < 1000)
        return tr("%1 µs").arg(us);
    return tr("%1 ms").arg(double(us) / 1000.0, 0, 'f', us < 10000 ? 2 : 1);
}

void HandshakePanel::clear()
{
    m_summary->setText(tr("The handshake appears here once the connection starts."));
    m_requestRaw->clear();
    m_responseRaw->clear();
    m_requestTable->setRowCount(0);
    m_responseTable->setRowCount(0);
    m_acceptCheck->clear();
    m_retryButton->hide();
}

void HandshakePanel::setExplainMode(bool on)
{
    m_explain = on;
    m_requestTable->setColumnHidden(2, !on);
    m_responseTable->setColumnHidden(2, !on);
}

void HandshakePanel::fillTable(QTableWidget* table, const HttpHead& head)
{
    table->setRowCount(int(head.headers.size()));
    for (int i = 0; i < head.headers.size(); ++i) {
        const QString meaning = HeaderGlossary::explain(head.headers.at(i).first, head.isRequest);
        auto* name = new QTableWidgetItem(QString::fromLatin1(head.headers.at(i).first));
        name->setToolTip(meaning);
        table->setItem(i, 0, name);
        auto* value = new QTableWidgetItem(QString::fromLatin1(head.headers.at(i).second));
        value->setToolTip(value->text()); // the whole value when the column elides it
        table->setItem(i, 1, value);
        auto* explanation = new QTableWidgetItem(meaning);
        explanation->setToolTip(meaning);
        table->setItem(i, 2, explanation);
    }
    table->resizeColumnToContents(0);
}

void HandshakePanel::setHandshake(const HandshakeInfo& info, const QUrl& requestUrl)
{
    m_requestRaw->setPlainText(showLineEnds(info.request.raw));
    fillTable(m_requestTable, info.request);
    QString response = showLineEnds(info.response.raw);
    if (!info.response.body.isEmpty()) {
        // A chunked 404 page reads as the page, not as hex sizes between its pieces.
        const HttpBodyText body = HttpBody::decode(info.response, info.response.body);
        if (!body.note.isEmpty())
            response += u"["_s + body.note + u"]\n"_s;
        response += QString::fromUtf8(body.data);
    }
    m_responseRaw->setPlainText(response);
    fillTable(m_responseTable, info.response);
    const QByteArray key = info.request.header("Sec-WebSocket-Key");
    if (key.isNull()) {
        m_acceptCheck->setPlainText(tr("The request carries no Sec-WebSocket-Key yet."));
    } else {
        std::optional<QByteArray> seen; // no 101 response yet: nothing to compare
        if (info.response.status == 101)
            seen = info.response.header("Sec-WebSocket-Accept");
        m_acceptCheck->setPlainText(AcceptDerivation::derive(key).explain(seen).join(u'\n'));
    }

    QStringList lines;
    if (info.response.isEmpty()) {
        lines << (info.request.isEmpty() ? tr("Waiting for the connection…")
                                         : tr("Request sent; waiting for the response…"));
    } else if (info.response.status == 101) {
        lines << tr("<b>101 Switching Protocols</b>: the server accepted the upgrade.");
        const QByteArray accept = info.response.header("Sec-WebSocket-Accept");
        if (info.acceptMatches())
            lines << tr("Sec-WebSocket-Accept <span style='color:#1b7f3a'>✓ matches</span> the key (%1).")
                         .arg(QString::fromLatin1(accept));
        else
            lines << tr("Sec-WebSocket-Accept <span style='color:#b00020'>✗ wrong</span>: expected %1, got %2.")
                         .arg(QString::fromLatin1(info.expectedAccept),
                             accept.isEmpty() ? tr("nothing") : QString::fromLatin1(accept));
        const QByteArray protocol = info.response.header("Sec-WebSocket-Protocol");
        const QByteArray extensions = info.response.header("Sec-WebSocket-Extensions");
        lines << tr("Subprotocol: %1 · Extensions: %2")
                     .arg(protocol.isEmpty() ? tr("none") : QString::fromLatin1(protocol).toHtmlEscaped(),
                         extensions.isEmpty() ? tr("none") : QString::fromLatin1(extensions).toHtmlEscaped());
        if (!info.extensions.isEmpty())
            lines << tr("Negotiated by the relay: %1").arg(info.extensions.toHtmlEscaped());
    } else {
        lines << tr("<b style='color:#b00020'>HTTP %1 %2</b>: the server refused the upgrade.")
                     .arg(info.response.status)
                     .arg(QString::fromLatin1(info.response.reason).toHtmlEscaped());
        const QByteArray auth = info.response.header("WWW-Authenticate");
        if (!auth.isEmpty())
            lines << tr("It asks for authentication: WWW-Authenticate: %1")
                         .arg(QString::fromLatin1(auth).toHtmlEscaped());
    }
    const ConnectionTimings& t = info.timings;
    lines << tr("DNS %1 · TCP connect %2 · TLS %3 · upgrade %4")
                 .arg(formatDuration(t.dnsUs), formatDuration(t.tcpConnectUs), formatDuration(t.tlsHandshakeUs),
                     formatDuration(t.upgradeUs));
    m_summary->setText(Style::themedHtml(lines.join(u"<br>"_s), palette()));

    const int status = info.response.status;
    const QByteArray location = info.response.header("Location");
    if ((status == 301 || status == 302 || status == 307 || status == 308) && !location.isEmpty()) {
        QUrl target = requestUrl.resolved(QUrl::fromEncoded(location));
        if (target.scheme() == u"http")
            target.setScheme(u"ws"_s);
        else if (target.scheme() == u"https")
            target.setScheme(u"wss"_s);
        m_retryUrl = target;
        m_retryButton->setText(tr("Retry at %1").arg(target.toDisplayString()));
        m_retryButton->show();
    } else {
        m_retryButton->hide();
    }
}

} // namespace wsi
