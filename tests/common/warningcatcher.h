#pragma once

// Collects every warning while it lives (say from init() to the end of cleanup()), so that a test
// fails on one (QTest::failOnWarning set in init() does not see what cleanup() triggers: the server's
// teardown is where the bridge once wrote to a closed socket). Each message still goes on to the
// handler before it, QtTest's log, which prints the QWARN line.
#include <QMessageLogContext>
#include <QStringList>
#include <QtGlobal>

#include <mutex>

namespace {

class WarningCatcher final
{
public:
    WarningCatcher()
    {
        const std::lock_guard lock(s_mutex);
        s_current = this;
        m_previous = qInstallMessageHandler(&handle);
    }
    ~WarningCatcher()
    {
        const std::lock_guard lock(s_mutex);
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }
    WarningCatcher(const WarningCatcher&) = delete;
    WarningCatcher& operator=(const WarningCatcher&) = delete;

    // The warnings and critical messages so far, one per line; empty when there were none.
    QString take()
    {
        const std::lock_guard lock(s_mutex);
        QString all = m_messages.join(QLatin1Char('\n'));
        m_messages.clear();
        return all;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext& context, const QString& message)
    {
        QtMessageHandler previous = nullptr;
        {
            const std::lock_guard lock(s_mutex); // Qt's own threads may warn too
            if (!s_current)
                return;
            if (type == QtWarningMsg || type == QtCriticalMsg)
                s_current->m_messages.append(message);
            previous = s_current->m_previous;
        }
        if (previous)
            previous(type, context, message);
    }

    static inline std::mutex s_mutex;
    static inline WarningCatcher* s_current = nullptr;
    QtMessageHandler m_previous = nullptr;
    QStringList m_messages;
};

} // namespace
