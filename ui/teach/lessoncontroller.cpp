#include "lessoncontroller.h"

#include "log/logpanel.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "payload/payloadview.h"
#include "send/sendpanel.h"
#include "session/sessionview.h"
#include "teach/codepanel.h"
#include "wire/handshakepanel.h"

#include <QPainter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
// A frame drawn around a widget for a moment, in the palette's highlight colour ("look here").
class Outline : public QWidget
{
public:
    explicit Outline(QWidget* target)
        : QWidget(target)
    {
        setObjectName(u"lessonOutline"_s);
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setGeometry(target->rect());
        show();
        raise();
        QTimer::singleShot(2500, this, &QObject::deleteLater);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(palette().color(QPalette::Highlight), 4));
        p.drawRoundedRect(QRectF(rect()).adjusted(2, 2, -2, -2), 6, 6);
    }
};
} // namespace

LessonController::LessonController(MainWindow* window)
    : QObject(window)
    , m_window(window)
{ }

LessonController::~LessonController() = default;

SessionView* LessonController::echoView(bool connect)
{
    const QString echo = Profile::builtinEcho().url;
    // The current tab when it is an echo tab, else the first echo tab.
    SessionView* found = m_window->currentSessionView();
    if (found && found->session()->profile().url != echo)
        found = nullptr;
    for (int i = 0; !found && i < m_window->tabs()->count(); ++i) {
        auto* v = qobject_cast<SessionView*>(m_window->tabs()->widget(i));
        if (v && v->session()->profile().url == echo)
            found = v;
    }
    if (!found)
        return m_window->openSession(Profile::builtinEcho(), connect);
    m_window->tabs()->setCurrentWidget(found);
    const auto s = found->session()->state();
    if (connect && s != Session::State::Open && s != Session::State::Connecting)
        found->connectSession();
    return found;
}

void LessonController::withOpenSession(std::function<Result<void>(SessionView*)> f)
{
    // A send the session refuses is said, not dropped.
    const auto run = [this, f](SessionView* v) {
        if (const Result<void> done = f(v); !done)
            Q_EMIT message(done.errorMessage());
    };
    SessionView* v = m_window->currentSessionView();
    if (v && v->session()->state() == Session::State::Open) {
        run(v);
        return;
    }
    Q_EMIT message(tr("Connecting to the built-in echo server first…"));
    v = echoView(true);
    if (v->session()->state() == Session::State::Open) {
        run(v);
        return;
    }
    auto* once = new QObject(this);
    connect(v->session(), &Session::stateChanged, once, [once, v, run](Session::State state) {
        if (state == Session::State::Open)
            run(v);
        if (state != Session::State::Connecting)
            once->deleteLater();
    });
}

void LessonController::outline(QWidget* widget)
{
    if (widget && widget->isVisible())
        new Outline(widget);
}

bool LessonController::run(const QString& target)
{
    if (target == u"do:push") {
        Profile p;
        p.id = u"lesson-push"_s;
        p.name = tr("Push demo");
        p.url = u"builtin:push?interval=100&count=20&size=40"_s;
        m_window->openSession(p, true);
    } else if (target == u"do:connect-echo") {
        echoView(true);
    } else if (target == u"do:send-text") {
        withOpenSession([](SessionView* v) { return v->session()->sendText(tr("Hello, class!")); });
    } else if (target == u"do:send-binary") {
        withOpenSession([](SessionView* v) { return v->session()->sendBinary(QByteArray::fromHex("0001027f80ff")); });
    } else if (target == u"do:send-fragmented") {
        withOpenSession([](SessionView* v) {
            v->session()->setOutgoingFrameSize(4);
            Result<void> sent = v->session()->sendText(tr("split into frames of four bytes"));
            v->session()->setOutgoingFrameSize(0);
            return sent;
        });
    } else if (target == u"do:ping") {
        withOpenSession([](SessionView* v) { return v->session()->ping("are you there?"); });
    } else if (target == u"do:try-header" || target == u"do:try-protocols") {
        // One wx.connectSocket option at a time, on a copy of the echo profile, in a tab of its own.
        Profile p = Profile::builtinEcho();
        p.id.clear();
        if (target == u"do:try-header") {
            p.name = tr("Option: header");
            p.headers = { { u"X-Lesson"_s, u"options"_s, true, false } };
        } else {
            p.name = tr("Option: protocols");
            p.subprotocols = { u"chat"_s, u"v2"_s };
        }
        SessionView* v = m_window->openSession(p, true);
        v->showDetail(v->handshakePanel());
    } else if (target == u"do:show-code-wx" || target == u"look:code") {
        SessionView* v = m_window->currentSessionView();
        if (!v)
            v = echoView(false);
        if (target == u"do:show-code-wx")
            v->codePanel()->setLanguageId(u"wx"_s);
        v->showDetail(v->codePanel());
        outline(v->codePanel());
    } else if (target == u"do:close-normal") {
        if (auto* v = m_window->currentSessionView(); v && v->session()->state() == Session::State::Open) {
            if (const Result<void> closed = v->session()->close(1000, tr("lesson over")); !closed)
                Q_EMIT message(closed.errorMessage());
        } else {
            Q_EMIT message(tr("Nothing to close: the current session is not open."));
        }
    } else if (target == u"do:close-4000") {
        withOpenSession([](SessionView* v) { return v->session()->close(4000, tr("application code")); });
    } else if (target.startsWith(u"look:"_s)) {
        SessionView* v = m_window->currentSessionView();
        if (!v) {
            Q_EMIT message(tr("Open a session first: the step's \"Do it\" link does that."));
            return true;
        }
        if (target == u"look:log") {
            outline(v->logPanel());
        } else if (target == u"look:handshake") {
            v->showDetail(v->handshakePanel());
            outline(v->handshakePanel());
        } else if (target == u"look:frames") {
            // Show the last message's frames when nothing is selected yet.
            if (!v->logView()->currentIndex().isValid() && v->logModel()->rowCount() > 0)
                v->logView()->selectRow(v->logView()->model()->rowCount() - 1);
            v->payloadView()->setMode(PayloadView::Mode::Frames);
            v->showDetail(v->payloadView());
            outline(v->payloadView());
        } else if (target == u"look:send") {
            outline(v->sendPanel());
        } else {
            return false;
        }
    } else {
        return false;
    }
    return true;
}

} // namespace wsi
