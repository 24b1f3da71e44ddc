#pragma once

#include <QCoreApplication>
#include <QList>
#include <QLocale>
#include <QString>

namespace wsi {

// The guided WebSocket lesson (Help → WebSocket lesson): steps written in Markdown, one file per
// language. Each "## " heading starts a step. Links with the scheme do: perform an action
// ("do:connect-echo") and look: point at a panel ("look:handshake"); the window decides how.
// A teacher can replace the text: a file lesson_<locale>.md (or lesson.md) in the folder
// overrideDir() wins over the built-in one.
struct LessonStep
{
    QString title;
    QString markdown; // the step's body, heading included
    QStringList actions; // the do:/look: targets it links to, in order ("do:push", "look:log")
};

class Lesson
{
    Q_DECLARE_TR_FUNCTIONS(wsi::Lesson)
public:
    static QList<LessonStep> parse(const QString& markdown);
    // The steps for a locale: the teacher's file if there is one, else the built-in text for the
    // language (English when there is none). source names where the text came from.
    static QList<LessonStep> load(const QLocale& locale, QString* source = nullptr);
    // Where a teacher's own lesson files are looked for.
    static QString overrideDir();
    // The actions every built-in step may link to, for checking lesson files.
    static QStringList knownActions();
};

} // namespace wsi
