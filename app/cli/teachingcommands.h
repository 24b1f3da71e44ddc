#pragma once

#include "cli/clioptions.h"

#include <QCoreApplication>
#include <QTextStream>

namespace wsi {

// The terminal's teaching commands (--snippet, --explain-accept, --generate-key): they print and
// exit without connecting. Returns the exit status (0, or 2 with a one-line reason on err).
class TeachingCommands
{
    Q_DECLARE_TR_FUNCTIONS(wsi::TeachingCommands)
public:
    static int run(const CliOptions& options, QTextStream& out, QTextStream& err);
};

} // namespace wsi
