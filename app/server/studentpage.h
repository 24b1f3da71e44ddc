#pragma once

#include <QByteArray>
#include <QString>

namespace wsi {

// The students' page (resources/classroom): one self-contained HTML file with its script and
// styles inline, in English or Chinese.
class StudentPage
{
public:
    // "zh" when Accept-Language prefers any Chinese over English (q-values honoured), else "en".
    static QString pickLanguage(QByteArrayView acceptLanguage);
    // The page in that language; empty if the resource is missing (a broken build).
    static QByteArray render(const QString& language);
};

} // namespace wsi
