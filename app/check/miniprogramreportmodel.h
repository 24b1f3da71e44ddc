#pragma once

#include "check/miniprogramcheck.h"

#include <QAbstractTableModel>

namespace wsi {

// The mini-program check's report as a table, one row per rule, for the report view.
class MiniProgramReportModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { VerdictColumn, RuleColumn, EvidenceColumn, AdviceColumn, ColumnCount };
    enum Role { VerdictRole = Qt::UserRole + 1, RuleIdRole };

    explicit MiniProgramReportModel(QObject* parent = nullptr);
    ~MiniProgramReportModel() override;

    void setReport(const MiniProgramReport& report);
    const MiniProgramReport& report() const { return m_report; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    MiniProgramReport m_report;
};

} // namespace wsi
