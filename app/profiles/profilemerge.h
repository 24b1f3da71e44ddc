#pragma once

#include "profile.h"

#include <QCoreApplication>
#include <QStringList>

namespace wsi {

// Three-way merge of one profile, field by field: what "ours" changed since "base" is applied onto
// "theirs" (the profile as it is now). Used by the editor when the profile it edits changes
// elsewhere, and by the repository when an edit is saved, so that neither side's changes are lost.
class ProfileMerge
{
    Q_DECLARE_TR_FUNCTIONS(wsi::ProfileMerge)
public:
    struct Outcome
    {
        Profile merged;
        // Fields both sides changed to different values (ours is in merged), by their label in the
        // editor ("URL", "Headers", "Pinned certificates"); empty when nothing conflicts.
        QStringList conflicts;
    };
    static Outcome merge(const Profile& base, const Profile& ours, const Profile& theirs);
    // The labels of the fields in which a and b differ, in the editor's order, each once (what
    // closing an unsaved tab would lose).
    static QStringList differences(const Profile& a, const Profile& b);
};

} // namespace wsi
