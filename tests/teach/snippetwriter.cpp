// Test helper: writes one snippet for snippetTestProfile() (a profile using every option) to a file.
#include "snippettestprofile.h"
#include "teach/snippetgenerator.h"

#include <QCoreApplication>
#include <QFile>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3)
        return 2;
    const auto language = wsi::SnippetGenerator::languageForId(args.at(1));
    if (!language)
        return 2;
    const auto text = wsi::SnippetGenerator::generate(*language, wsi::test::snippetTestProfile());
    QFile out(args.at(2));
    if (!text || !out.open(QIODevice::WriteOnly))
        return 1;
    out.write(text->toUtf8());
    return 0;
}
