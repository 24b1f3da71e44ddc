#include "miniprogrampanel.h"

#include "check/miniprogramcheckrun.h"
#include "check/miniprogramreportmodel.h"
#include "style/style.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// A frameless vertical scroll area as tall as `lines` lines of its widget's font (zoom included).
class LinesScrollArea : public QScrollArea
{
public:
    LinesScrollArea(int lines, QWidget* parent)
        : QScrollArea(parent)
        , m_lines(lines)
    {
        setFrameShape(QFrame::NoFrame);
        setWidgetResizable(true);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }
    QSize sizeHint() const override { return { QScrollArea::sizeHint().width(), linesHeight() }; }
    QSize minimumSizeHint() const override { return { QScrollArea::minimumSizeHint().width(), linesHeight() }; }

private:
    int linesHeight() const
    {
        const QFontMetrics metrics = widget() ? widget()->fontMetrics() : fontMetrics();
        return metrics.lineSpacing() * m_lines + 2;
    }
    int m_lines;
};

// The verdict column in colour and bold (the word is there too, for anyone who cannot tell the colours).
class VerdictColorModel : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    QVariant data(const QModelIndex& index, int role) const override
    {
        if (index.column() == MiniProgramReportModel::VerdictColumn && role == Qt::ForegroundRole) {
            switch (MiniProgramFinding::Verdict(index.data(MiniProgramReportModel::VerdictRole).toInt())) {
            // The palette's tones, so the verdicts stay readable on a dark theme.
            case MiniProgramFinding::Verdict::Pass:
                return Style::color(Style::Tone::Good);
            case MiniProgramFinding::Verdict::Warning:
                return Style::color(Style::Tone::Warning);
            case MiniProgramFinding::Verdict::Fail:
                return Style::color(Style::Tone::Bad);
            case MiniProgramFinding::Verdict::CannotTell:
                return QVariant(); // the palette's text colour
            }
        }
        if (index.column() == MiniProgramReportModel::VerdictColumn && role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return QIdentityProxyModel::data(index, role);
    }
};
} // namespace

MiniProgramPanel::MiniProgramPanel(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_runButton(new QPushButton(tr("Run check"), this))
    , m_view(new QTreeView(this))
    , m_details(new QLabel(this))
    , m_model(new MiniProgramReportModel(this))
{
    m_summary->setObjectName(u"miniProgramSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setText(tr("Checks this connection against the WeChat mini-program rules for wx.connectSocket: "
                          "wss://, a domain name, the certificate and its whole chain, TLS 1.2 or newer, headers "
                          "a mini program cannot set, and the base library the settings need."));
    m_runButton->setObjectName(u"miniProgramRunButton"_s);
    connect(m_runButton, &QPushButton::clicked, this, &MiniProgramPanel::runCheck);

    auto* colors = new VerdictColorModel(this);
    colors->setSourceModel(m_model);
    m_view->setObjectName(u"miniProgramReport"_s);
    m_view->setModel(colors);
    m_view->setRootIsDecorated(false);
    m_view->setWordWrap(true);
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(false);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(MiniProgramReportModel::VerdictColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(MiniProgramReportModel::RuleColumn, QHeaderView::Interactive);
    m_view->header()->setSectionResizeMode(MiniProgramReportModel::EvidenceColumn, QHeaderView::Interactive);
    m_view->header()->resizeSection(MiniProgramReportModel::RuleColumn, 300);
    m_view->header()->resizeSection(MiniProgramReportModel::EvidenceColumn, 360);

    m_details->setObjectName(u"miniProgramDetails"_s);
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showDetails(current); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_runButton, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    // Four lines of the finding, scrolling when a long one wraps to more: a wrapped label alone asks for
    // all its lines, which made the window taller than a 1024×700 screen in Chinese.
    auto* details = new LinesScrollArea(4, this);
    details->setWidget(m_details);
    layout->addWidget(details);
}

MiniProgramPanel::~MiniProgramPanel() = default;

void MiniProgramPanel::setProfile(const Profile& profile)
{
    m_profile = profile;
}

bool MiniProgramPanel::isRunning() const
{
    return m_run && m_run->isRunning();
}

void MiniProgramPanel::runCheck()
{
    if (isRunning())
        return;
    if (m_run)
        m_run->deleteLater();
    m_run = new MiniProgramCheckRun(m_profile, this);
    connect(m_run, &MiniProgramCheckRun::finished, this, [this](const MiniProgramReport& report) {
        m_runButton->setEnabled(true);
        showReport(report);
        Q_EMIT finished(report);
    });
    m_runButton->setEnabled(false);
    m_summary->setText(tr("Checking %1…").arg(m_profile.url));
    m_model->setReport({});
    m_run->start();
}

void MiniProgramPanel::showDetails(const QModelIndex& index)
{
    if (!index.isValid()) {
        m_details->clear();
        return;
    }
    const MiniProgramFinding& f = m_model->report().findings.at(index.row());
    QString text = u"<b>%1</b> %2<br>%3"_s.arg(MiniProgramReport::verdictName(f.verdict).toHtmlEscaped(),
        f.rule.toHtmlEscaped(), tr("Seen: %1").arg(f.evidence).toHtmlEscaped());
    if (!f.advice.isEmpty())
        text += u"<br>"_s + tr("Change: %1").arg(f.advice).toHtmlEscaped();
    m_details->setText(text);
}

void MiniProgramPanel::showReport(const MiniProgramReport& report)
{
    m_model->setReport(report);
    // The first thing to fix is selected and shown in full.
    int row = -1;
    for (const auto verdict : { MiniProgramFinding::Verdict::Fail, MiniProgramFinding::Verdict::Warning }) {
        for (qsizetype i = 0; row < 0 && i < report.findings.size(); ++i) {
            if (report.findings.at(i).verdict == verdict)
                row = int(i);
        }
    }
    if (!report.findings.isEmpty())
        m_view->setCurrentIndex(m_view->model()->index(std::max(row, 0), MiniProgramReportModel::RuleColumn));
    const bool failed = report.hasFailures();
    m_summary->setText(u"<b>%1</b> %2"_s.arg((failed ? tr("A mini program would not connect to %1.")
                                                     : tr("Nothing stops a mini program from connecting to %1."))
                                                 .arg(report.url.toHtmlEscaped()),
        report.summary().toHtmlEscaped()));
}

} // namespace wsi
