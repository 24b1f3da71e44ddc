#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace wsi {

class Session;

// Composes and sends messages to one session. Invalid input is reported and nothing is sent.
class SendPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SendPanel(QWidget* parent = nullptr);
    ~SendPanel() override;

    void setSession(Session* session);
    void setText(const QString& text);
    QString text() const;
    // Sends what the editor holds; returns false (and shows why) when nothing was sent.
    bool send();

Q_SIGNALS:
    void sent();

private:
    void updateEnabled();
    void showError(const QString& message);

    Session* m_session = nullptr;
    QComboBox* m_mode = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QPushButton* m_sendButton = nullptr;
    QPushButton* m_pingButton = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace wsi
