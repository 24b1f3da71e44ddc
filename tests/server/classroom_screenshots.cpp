// classroom-screenshots: the Server panel with students connected (QR codes of the machine's
// addresses) and the push-versus-polling view after ten seconds, as PNG files for docs/.
// Not a test: scripts/classroom-screenshots.sh runs it under Xvfb. The server panel listens on the
// first real interface for the few seconds it takes (an explicit choice, like a teacher's).
//   classroom-screenshots OUTDIR [LOCALE [QM_FILE]]
#include "server/pushpollview.h"
#include "server/serverhost.h"
#include "server/serverpanel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QTranslator>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {
void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}
void shoot(QWidget* w, const QString& dir, const QString& name)
{
    settle(400);
    const QString path = QDir(dir).filePath(name + u".png"_s);
    w->grab().save(path);
    std::printf("wrote %s\n", qPrintable(path));
}
} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: classroom-screenshots OUTDIR [LOCALE [QM_FILE]]\n");
        return 2;
    }
    const QString out = args.at(1);
    QDir().mkpath(out);
    const QString locale = args.size() > 2 ? args.at(2) : u"en"_s;
    if (args.size() > 3) {
        auto* t = new QTranslator(&app);
        if (t->load(args.at(3)))
            QCoreApplication::installTranslator(t);
    }
    QLocale::setDefault(QLocale(locale));
    const QString suffix = locale.startsWith(u"zh"_s) ? u"-zh_CN"_s : QString();

    ServerPanel panel;
    panel.resize(760, 640);
    panel.show();
    auto* combo = panel.findChild<QComboBox*>(u"serverAddress"_s);
    panel.setListenChoice(combo && combo->count() > 2 ? 2 : 0);
    panel.setPort(8080);
    if (!panel.startServer()) {
        std::fprintf(stderr, "%s\n", qPrintable(panel.errorText()));
        return 1;
    }
    ServerHost* host = panel.serverAt(0);
    QUrl base = host->localUrl(u"/chat"_s);
    if (host->options().address != QHostAddress::LocalHost)
        base.setHost(host->options().address.toString());
    const QList<std::pair<QString, QByteArray>> students { { u"Ann"_s, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4)" },
        { u"小明"_s, "Mozilla/5.0 (Linux; Android 14; Pixel 8)" }, { u"Bob"_s, "wscat" } };
    QList<QWebSocket*> sockets;
    for (const auto& [name, agent] : students) {
        auto* s = new QWebSocket;
        QUrl u = base;
        u.setQuery(u"name="_s + name);
        QNetworkRequest request(u);
        request.setRawHeader("User-Agent", agent);
        s->open(request);
        sockets.append(s);
    }
    settle(1000);
    for (int i = 0; i < sockets.size(); ++i) {
        for (int n = 0; n <= i; ++n)
            sockets.at(i)->sendTextMessage(u"hello %1"_s.arg(n));
    }
    settle(800);
    shoot(&panel, out, u"classroom-server-panel"_s + suffix);

    PushPollView view;
    view.resize(620, 620);
    view.show();
    view.start();
    settle(10000); // the defaults make the difference plain within ten seconds
    shoot(&view, out, u"classroom-push-vs-polling"_s + suffix);
    view.stop();
    qDeleteAll(sockets);
    return 0;
}
