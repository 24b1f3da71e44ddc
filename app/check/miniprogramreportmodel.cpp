#include "miniprogramreportmodel.h"

namespace wsi {

MiniProgramReportModel::MiniProgramReportModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

MiniProgramReportModel::~MiniProgramReportModel() = default;

void MiniProgramReportModel::setReport(const MiniProgramReport& report)
{
    beginResetModel();
    m_report = report;
    endResetModel();
}

int MiniProgramReportModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_report.findings.size());
}

int MiniProgramReportModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MiniProgramReportModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MiniProgramFinding& f = m_report.findings.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case VerdictColumn:
            return MiniProgramReport::verdictName(f.verdict);
        case RuleColumn:
            return f.rule;
        case EvidenceColumn:
            return f.evidence;
        case AdviceColumn:
            return f.advice;
        default:
            return {};
        }
    case VerdictRole:
        return int(f.verdict);
    case RuleIdRole:
        return f.id;
    default:
        return {};
    }
}

QVariant MiniProgramReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VerdictColumn:
        return tr("Verdict");
    case RuleColumn:
        return tr("Rule");
    case EvidenceColumn:
        return tr("Seen");
    case AdviceColumn:
        return tr("What to change");
    default:
        return {};
    }
}

} // namespace wsi
