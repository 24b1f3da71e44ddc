#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QRegularExpression>
#include <QStringList>

class QJsonValue;

namespace wsi {

// Compares two messages the way a person reads them: JSON texts structurally (key order ignored,
// numbers compared exactly as numbers, arrays in order), anything else as text or bytes. Fields
// can be left out by JSON pointer (RFC 6901, "*" matches any key or index: /items/*/id) and
// parts of strings by regular expression (time stamps, ids), which are blanked on both sides.
class JsonDiff
{
    Q_DECLARE_TR_FUNCTIONS(wsi::JsonDiff)
public:
    struct Difference
    {
        QString pointer; // where ("" = the whole message)
        QString recorded; // the value as text; empty with missing when absent
        QString actual;
        bool missingRecorded = false; // the field only exists now
        bool missingActual = false; // the field only existed in the recording
    };

    struct Options
    {
        QStringList ignorePointers;
        QList<QRegularExpression> ignorePatterns;
        int maxDifferences = 20; // per message
    };

    // Checks pointers and patterns; an error names the one that is wrong.
    static Result<Options> makeOptions(const QStringList& pointers, const QStringList& patterns);
    static QList<Difference> compare(
        const QByteArray& recorded, const QByteArray& actual, bool text, const Options& options);
    // "/a/0/b: 1 → 2" for the terminal.
    static QString describe(const Difference& d);

private:
    static void compareValues(const QJsonValue& a, const QJsonValue& b, const QString& pointer, const Options& options,
        QList<Difference>* out);
};

} // namespace wsi
