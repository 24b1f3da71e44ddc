#pragma once

#include <QCoreApplication>
#include <QString>
#include <QTranslator>

namespace wsi::test {

// The English plural forms, installed as the application installs them ("1 byte", "22 bytes",
// never "byte(s)"). qmDir: the build directory holding wsinspector_en.qm (the tests' WSI_QM_DIR).
inline bool installEnglishCatalogue(QTranslator& translator, const QString& qmDir)
{
    if (!translator.load(QStringLiteral("wsinspector_en"), qmDir))
        return false;
    return QCoreApplication::installTranslator(&translator);
}

} // namespace wsi::test
