#include "teachingcommands.h"

#include "cli/clifrontend.h"
#include "server/builtinserver.h"
#include "teach/acceptderivation.h"
#include "teach/snippetgenerator.h"

using namespace Qt::StringLiterals;

namespace wsi {

int TeachingCommands::run(const CliOptions& o, QTextStream& out, QTextStream& err)
{
    if (o.generateKey) {
        out << QString::fromLatin1(AcceptDerivation::generateKey()) << u'\n';
        return CliFrontend::ExitClean;
    }
    if (!o.explainAcceptKey.isEmpty()) {
        out << AcceptDerivation::derive(o.explainAcceptKey.toUtf8()).explain().join(u'\n') << u'\n';
        return CliFrontend::ExitClean;
    }
    if (BuiltinServers::isBuiltinUrl(o.profile.url.trimmed())) {
        err << tr("wsinspector: --snippet needs a ws:// or wss:// address: a built-in server runs only inside "
                  "wsinspector, and its port closes when this command ends.")
            << Qt::endl;
        return CliFrontend::ExitUsage;
    }
    const auto language = SnippetGenerator::languageForId(o.snippetLanguage);
    if (!language) {
        err << u"wsinspector: "_s << language.errorMessage() << Qt::endl;
        return CliFrontend::ExitUsage;
    }
    const auto text = SnippetGenerator::generate(*language, o.profile);
    if (!text) {
        err << u"wsinspector: "_s << text.errorMessage() << Qt::endl;
        return CliFrontend::ExitUsage;
    }
    out << *text;
    return CliFrontend::ExitClean;
}

} // namespace wsi
