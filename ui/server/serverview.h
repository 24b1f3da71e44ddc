#pragma once

#include <QWidget>

class QTableView;
class QPushButton;

namespace wsi {

class ServerClientModel;
class ServerHost;

// One running server in the Server panel: its student addresses with QR codes, its clients with
// Disconnect, and Stop. Owns the ServerHost.
class ServerView : public QWidget
{
    Q_OBJECT
public:
    explicit ServerView(ServerHost* host, QWidget* parent = nullptr);
    ~ServerView() override;

    ServerHost* host() const { return m_host; }
    ServerClientModel* clients() const { return m_clients; }

Q_SIGNALS:
    void stopRequested();

private:
    ServerHost* m_host;
    ServerClientModel* m_clients = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_disconnect = nullptr;
};

// The QR code of text as an image, `scale` pixels per module, black on white with a quiet zone.
QImage qrImage(const QString& text, int scale);

} // namespace wsi
