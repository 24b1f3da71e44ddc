#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace wsi {

class ServerHost;

// The Server panel (a dock): where to listen and on which port, Start, and one tab per running
// server with the addresses students type, their QR codes, and the live client list.
class ServerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ServerPanel(QWidget* parent = nullptr);
    ~ServerPanel() override;

    // Starts a server with the panel's current choices; the error (port taken, …) is shown in the
    // panel and returned.
    bool startServer();
    void setPort(int port);
    // Index into the address combo: 0 = this computer only, 1 = all interfaces, then interfaces.
    void setListenChoice(int index);
    int serverCount() const;
    ServerHost* serverAt(int index) const;
    QString errorText() const;

Q_SIGNALS:
    void message(const QString& text);

private:
    void fillAddresses();
    void updateWarning();
    void addServerTab(ServerHost* host);

    QComboBox* m_address = nullptr;
    QSpinBox* m_port = nullptr;
    QPushButton* m_start = nullptr;
    QLabel* m_warning = nullptr;
    QLabel* m_error = nullptr;
    QTabWidget* m_servers = nullptr;
};

} // namespace wsi
