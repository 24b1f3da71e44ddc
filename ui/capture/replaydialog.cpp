#include "replaydialog.h"

#include "log/messagelogmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t));
}

QStringList lines(const QPlainTextEdit* edit)
{
    QStringList out;
    for (const QString& l : edit->toPlainText().split(u'\n')) {
        if (!l.trimmed().isEmpty())
            out.append(l.trimmed());
    }
    return out;
}
} // namespace

ReplayDialog::ReplayDialog(const CapturedSession& session, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_base(ReplayPlan::fromSession(session))
    , m_url(new QLineEdit(this))
    , m_headers(new QPlainTextEdit(this))
    , m_subprotocols(new QLineEdit(this))
    , m_pacing(new QComboBox(this))
    , m_speed(new QDoubleSpinBox(this))
    , m_ignore(new QPlainTextEdit(this))
    , m_ignoreRegex(new QPlainTextEdit(this))
    , m_runButton(new QPushButton(tr("Run"), this))
    , m_summary(new QLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_details(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Replay connection %1").arg(session.connection.id));
    m_url->setObjectName(u"replayUrl"_s);
    m_url->setText(m_base.profile.url);
    QStringList headerLines;
    for (const ProfileHeader& h : std::as_const(m_base.profile.headers))
        headerLines.append(h.name + u": "_s + h.value);
    if (!m_base.profile.origin.isEmpty())
        headerLines.append(u"Origin: "_s + m_base.profile.origin);
    m_headers->setPlainText(headerLines.join(u'\n'));
    m_headers->setPlaceholderText(tr("Name: value, one per line"));
    m_headers->setMaximumHeight(64);
    m_subprotocols->setText(m_base.profile.subprotocols.join(u", "_s));
    m_pacing->addItem(tr("Each message after the previous answer"), int(ReplayPlan::Pacing::AfterAnswer));
    m_pacing->addItem(tr("Recorded timing"), int(ReplayPlan::Pacing::Recorded));
    m_pacing->addItem(tr("As fast as possible"), int(ReplayPlan::Pacing::AsFastAsPossible));
    m_speed->setRange(0.01, 1000);
    m_speed->setValue(1);
    m_speed->setSuffix(u" ×"_s);
    m_speed->setEnabled(false);
    connect(m_pacing, &QComboBox::currentIndexChanged, this,
        [this] { m_speed->setEnabled(m_pacing->currentData().toInt() == int(ReplayPlan::Pacing::Recorded)); });
    m_ignore->setObjectName(u"ignorePointers"_s);
    m_ignore->setPlaceholderText(tr("JSON pointers to leave out, one per line: /timestamp, /items/*/id"));
    m_ignore->setMaximumHeight(52);
    m_ignoreRegex->setPlaceholderText(tr("Regular expressions blanked in strings, one per line"));
    m_ignoreRegex->setMaximumHeight(52);

    auto* form = new QFormLayout;
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Headers"), m_headers);
    form->addRow(tr("Subprotocols"), m_subprotocols);
    form->addRow(tr("Pacing"), m_pacing);
    form->addRow(tr("Speed"), m_speed);
    form->addRow(tr("Ignore fields"), m_ignore);
    form->addRow(tr("Ignore text"), m_ignoreRegex);

    m_summary->setObjectName(u"replaySummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setText(tr("%n client message(s) to send", nullptr, int(m_base.toSend.size())) + u", "_s
        + tr("%n recorded answer(s) to compare", nullptr, int(m_base.expected.size())));
    m_table->setObjectName(u"replayTable"_s);
    m_table->setHorizontalHeaderLabels({ tr("#"), tr("Recorded"), tr("Now"), tr("Differences") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_details->setReadOnly(true);
    m_details->setObjectName(u"replayDetails"_s);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showDetails(row); });

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({ 300, 110 });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_runButton, QDialogButtonBox::ActionRole);
    m_runButton->setObjectName(u"runReplayButton"_s);
    connect(m_runButton, &QPushButton::clicked, this, &ReplayDialog::run);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(900, 700);
}

ReplayDialog::~ReplayDialog() = default;

Result<ReplayPlan> ReplayDialog::plan() const
{
    ReplayPlan p = m_base;
    p.profile.url = m_url->text().trimmed();
    if (p.profile.url.isEmpty())
        return Error { tr("Enter the URL to replay to."), {} };
    p.profile.headers.clear();
    p.profile.origin.clear();
    for (const QString& line : lines(m_headers)) {
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            return Error { tr("Header line \"%1\" has no name: write it as Name: value.").arg(line), {} };
        const QString name = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (name.compare(u"Origin"_s, Qt::CaseInsensitive) == 0)
            p.profile.origin = value;
        else
            p.profile.headers.append({ name, value });
    }
    p.profile.subprotocols.clear();
    for (const QString& s : m_subprotocols->text().split(u',')) {
        if (!s.trimmed().isEmpty())
            p.profile.subprotocols.append(s.trimmed());
    }
    p.pacing = ReplayPlan::Pacing(m_pacing->currentData().toInt());
    p.speed = m_speed->value();
    Result<JsonDiff::Options> diff = JsonDiff::makeOptions(lines(m_ignore), lines(m_ignoreRegex));
    if (!diff)
        return diff.error();
    p.diff = *diff;
    return p;
}

void ReplayDialog::run()
{
    if (m_replayer)
        return;
    const Result<ReplayPlan> p = plan();
    if (!p) {
        m_summary->setText(p.errorMessage());
        return;
    }
    m_table->setRowCount(0);
    m_details->clear();
    m_runButton->setEnabled(false);
    m_summary->setText(tr("Replaying to %1…").arg(p->profile.url));
    m_replayer = new Replayer(*p, this);
    connect(m_replayer, &Replayer::progress, this, [this](int sent, int received) {
        m_summary->setText(
            tr("Sent %1 of %2, %n answer(s) so far…", nullptr, received).arg(sent).arg(m_base.toSend.size()));
    });
    connect(m_replayer, &Replayer::finished, this, [this](const ReplayResult& result) {
        m_replayer->deleteLater();
        m_replayer = nullptr;
        m_runButton->setEnabled(true);
        showResult(result);
        Q_EMIT replayFinished(result);
    });
    m_replayer->start();
}

void ReplayDialog::showResult(const ReplayResult& result)
{
    m_result = result;
    if (!result.error.isEmpty()) {
        m_summary->setText(tr("The replay failed: %1").arg(result.error));
        return;
    }
    const int differing = result.differing();
    m_summary->setText(differing == 0 ? tr("All %n answer(s) match the recording.", nullptr, int(result.matches.size()))
                                      : tr("%n answer(s) differ from the recording", nullptr, differing)
                + tr(" (%n compared).", nullptr, int(result.matches.size())));
    const QColor base = palette().color(QPalette::Base);
    const QColor bad = blend(base, QColor(0xd0, 0x30, 0x30), 0.28);
    m_table->setRowCount(int(result.matches.size()));
    for (int row = 0; row < result.matches.size(); ++row) {
        const ReplayMatch& m = result.matches.at(row);
        QStringList diffs;
        for (const JsonDiff::Difference& d : m.differences)
            diffs.append(JsonDiff::describe(d));
        const QString recorded = m.hasRecorded ? MessageLogModel::preview(m.recorded, 120) : tr("(none)");
        const QString now = m.hasActual ? MessageLogModel::preview(m.actual, 120) : tr("(none)");
        const QStringList cells { QString::number(m.index + 1), recorded, now,
            diffs.isEmpty() ? tr("same") : diffs.join(u"; "_s) };
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells.at(c));
            if (!m.matches())
                item->setBackground(bad);
            m_table->setItem(row, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    for (int c : { ColumnRecorded, ColumnNow })
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 260));
    // The first difference is the one to look at.
    for (int row = 0; row < result.matches.size(); ++row) {
        if (!result.matches.at(row).matches()) {
            // Current without selecting, so that its highlight stays visible.
            m_table->setCurrentCell(row, ColumnDifferences, QItemSelectionModel::NoUpdate);
            m_table->scrollToItem(m_table->item(row, 0));
            break;
        }
    }
}

void ReplayDialog::showDetails(int row)
{
    if (row < 0 || row >= m_result.matches.size()) {
        m_details->clear();
        return;
    }
    const ReplayMatch& m = m_result.matches.at(row);
    QString text;
    for (const JsonDiff::Difference& d : m.differences)
        text += JsonDiff::describe(d) + u'\n';
    text += u'\n' + tr("Recorded:") + u'\n'
        + (m.hasRecorded ? MessageLogModel::preview(m.recorded, 4000) : tr("(none)")) + u"\n\n" + tr("Now:") + u'\n'
        + (m.hasActual ? MessageLogModel::preview(m.actual, 4000) : tr("(none)"));
    m_details->setPlainText(text);
}

} // namespace wsi
