#include "lesson.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace wsi {

QList<LessonStep> Lesson::parse(const QString& markdown)
{
    static const QRegularExpression link(u"\\]\\(((?:do|look):[a-z0-9-]+)\\)"_s);
    QList<LessonStep> steps;
    const QStringList lines = markdown.split(u'\n');
    for (const QString& line : lines) {
        if (line.startsWith(u"## "_s)) {
            steps.append({ line.mid(3).trimmed(), line + u'\n', {} });
            continue;
        }
        if (steps.isEmpty())
            continue; // text before the first step is a preamble for whoever edits the file
        steps.last().markdown += line + u'\n';
        for (auto it = link.globalMatch(line); it.hasNext();)
            steps.last().actions.append(it.next().captured(1));
    }
    for (LessonStep& s : steps)
        s.markdown = s.markdown.trimmed() + u'\n';
    return steps;
}

QString Lesson::overrideDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/lesson"_s;
}

QList<LessonStep> Lesson::load(const QLocale& locale, QString* source)
{
    QStringList candidates;
    for (const QString& name : locale.uiLanguages()) {
        QString n = name;
        n.replace(u'-', u'_');
        candidates << n << n.section(u'_', 0, 0);
    }
    candidates.removeDuplicates();
    const QDir own(overrideDir());
    for (const QString& c : std::as_const(candidates)) {
        if (own.exists(u"lesson_%1.md"_s.arg(c)))
            candidates.prepend(own.filePath(u"lesson_%1.md"_s.arg(c)));
    }
    QStringList files;
    for (const QString& c : std::as_const(candidates)) {
        if (c.startsWith(u'/'))
            files << c;
    }
    if (own.exists(u"lesson.md"_s))
        files << own.filePath(u"lesson.md"_s);
    for (const QString& c : std::as_const(candidates)) {
        if (!c.startsWith(u'/'))
            files << u":/lesson/lesson_%1.md"_s.arg(c == u"zh"_s ? u"zh_CN"_s : c);
    }
    files << u":/lesson/lesson_en.md"_s;
    for (const QString& path : std::as_const(files)) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<LessonStep> steps = parse(QString::fromUtf8(f.readAll()));
        if (steps.isEmpty())
            continue;
        if (source)
            *source = path;
        return steps;
    }
    return {};
}

QStringList Lesson::knownActions()
{
    return { u"do:push"_s, u"do:connect-echo"_s, u"do:send-text"_s, u"do:send-binary"_s, u"do:send-fragmented"_s,
        u"do:ping"_s, u"do:try-header"_s, u"do:try-protocols"_s, u"do:show-code-wx"_s, u"do:close-normal"_s,
        u"do:close-4000"_s, u"look:log"_s, u"look:handshake"_s, u"look:frames"_s, u"look:code"_s, u"look:send"_s };
}

} // namespace wsi
