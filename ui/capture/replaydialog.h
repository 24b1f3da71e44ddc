#pragma once

#include "capture/replayer.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace wsi {

// Replay…: the recorded connection's URL, headers and subprotocols (editable), the pacing and the
// fields to ignore; Run sends the client's messages again and lists the server's answers against
// the recorded ones, differences highlighted.
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { ColumnIndex, ColumnRecorded, ColumnNow, ColumnDifferences, ColumnCount };

    explicit ReplayDialog(const CapturedSession& session, QWidget* parent = nullptr);
    ~ReplayDialog() override;

    // The plan as the form says it; an error names the field that is wrong.
    Result<ReplayPlan> plan() const;
    void run();
    bool isRunning() const { return m_replayer != nullptr; }
    const ReplayResult& result() const { return m_result; }
    QTableWidget* table() const { return m_table; }
    QLineEdit* urlField() const { return m_url; }
    QPlainTextEdit* ignoreField() const { return m_ignore; }
    QLabel* summary() const { return m_summary; }

Q_SIGNALS:
    void replayFinished(const wsi::ReplayResult& result);

private:
    void showResult(const ReplayResult& result);
    void showDetails(int row);

    CapturedSession m_session;
    ReplayPlan m_base;
    QLineEdit* m_url = nullptr;
    QPlainTextEdit* m_headers = nullptr;
    QLineEdit* m_subprotocols = nullptr;
    QComboBox* m_pacing = nullptr;
    QDoubleSpinBox* m_speed = nullptr;
    QPlainTextEdit* m_ignore = nullptr;
    QPlainTextEdit* m_ignoreRegex = nullptr;
    QPushButton* m_runButton = nullptr;
    QLabel* m_summary = nullptr;
    QTableWidget* m_table = nullptr;
    QPlainTextEdit* m_details = nullptr;
    QPointer<Replayer> m_replayer;
    ReplayResult m_result;
};

} // namespace wsi
