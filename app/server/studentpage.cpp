#include "studentpage.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wsi {

QString StudentPage::pickLanguage(QByteArrayView acceptLanguage)
{
    // "zh-CN,zh;q=0.9,en;q=0.8": the highest q wins, the earlier entry on a tie.
    double bestQ = -1;
    QString best = u"en"_s;
    const QList<QByteArray> parts = acceptLanguage.toByteArray().split(',');
    for (const QByteArray& part : parts) {
        const QList<QByteArray> fields = part.split(';');
        const QByteArray tag = fields.first().trimmed().toLower();
        double q = 1.0;
        for (qsizetype i = 1; i < fields.size(); ++i) {
            const QByteArray f = fields.at(i).trimmed();
            if (f.startsWith("q=")) {
                bool ok = false;
                q = f.mid(2).toDouble(&ok);
                if (!ok)
                    q = 0;
            }
        }
        QString language;
        if (tag == "zh" || tag.startsWith("zh-"))
            language = u"zh"_s;
        else if (tag == "en" || tag.startsWith("en-"))
            language = u"en"_s;
        if (!language.isEmpty() && q > 0 && q > bestQ) {
            bestQ = q;
            best = language;
        }
    }
    return best;
}

QByteArray StudentPage::render(const QString& language)
{
    QFile page(u":/classroom/index.html"_s);
    QFile strings(u":/classroom/strings.json"_s);
    if (!page.open(QIODevice::ReadOnly) || !strings.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject all = QJsonDocument::fromJson(strings.readAll()).object();
    const QString lang = all.contains(language) ? language : u"en"_s;
    const QJsonObject table = all.value(lang).toObject();
    QByteArray html = page.readAll();
    html.replace("{{LANG}}", lang == u"zh" ? "zh-CN" : "en");
    html.replace("{{TITLE}}", table.value(u"title"_s).toString().toHtmlEscaped().toUtf8());
    // JSON inside <script>: "</" must not end the script element.
    QByteArray json = QJsonDocument(table).toJson(QJsonDocument::Compact);
    json.replace("</", "<\\/");
    html.replace("{{STRINGS}}", json);
    return html;
}

} // namespace wsi
