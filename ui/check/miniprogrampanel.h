#pragma once

#include "check/miniprogramcheck.h"
#include "profiles/profile.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeView;

namespace wsi {

class MiniProgramCheckRun;
class MiniProgramReportModel;

// The tab's "Mini program" page: runs the mini-program check for the tab's profile and shows the
// report, one row per rule with its verdict, what was seen and what to change.
class MiniProgramPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MiniProgramPanel(QWidget* parent = nullptr);
    ~MiniProgramPanel() override;

    // The profile the next check connects with.
    void setProfile(const Profile& profile);
    // Starts the check (one connection of its own; the tab's connection is left alone).
    void runCheck();
    bool isRunning() const;
    void showReport(const MiniProgramReport& report);
    MiniProgramReportModel* model() const { return m_model; }
    QTreeView* view() const { return m_view; }
    QLabel* summaryLabel() const { return m_summary; }
    // The selected rule in full: verdict, rule, what was seen, what to change.
    QLabel* detailsLabel() const { return m_details; }

Q_SIGNALS:
    void finished(const wsi::MiniProgramReport& report);

private:
    void showDetails(const QModelIndex& index);

    Profile m_profile;
    QLabel* m_summary = nullptr;
    QPushButton* m_runButton = nullptr;
    QTreeView* m_view = nullptr;
    QLabel* m_details = nullptr;
    MiniProgramReportModel* m_model = nullptr;
    QPointer<MiniProgramCheckRun> m_run;
};

} // namespace wsi
