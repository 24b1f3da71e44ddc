#pragma once

#include "profiles/profile.h"
#include "profiles/profilevalidator.h"

#include <QWidget>

#include <memory>

class QLabel;

namespace Ui {
class ProfileEditor;
}

namespace wsi {

// Edits one profile with every field, validating as the user types: each problem is shown next
// to its field (ProfileValidator's message) and Save/Connect stay disabled until it is fixed.
class ProfileEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileEditor(QWidget* parent = nullptr);
    ~ProfileEditor() override;

    // Shows a profile. Built-in profiles are read-only (duplicate one to edit it).
    // otherNames: the names of the other profiles, for the unique-name check.
    void setProfile(const Profile& profile, bool readOnly, const QStringList& otherNames);
    void clear();
    // The profile as currently edited (not normalised).
    Profile profile() const;
    const ConnectionPlan& plan() const { return m_plan; }
    bool isValid() const { return m_valid; }
    bool isModified() const;
    bool isReadOnly() const { return m_readOnly; }

    // Saves (after normalising: http:// -> ws://, Sec-WebSocket-Protocol moved) when valid.
    bool save();
    // Puts the cursor in the name field with the name selected (after "New").
    void focusName();

    Ui::ProfileEditor* ui() const { return m_ui.get(); }

Q_SIGNALS:
    void saveRequested(const wsi::Profile& profile);
    void connectRequested(const wsi::Profile& profile);

private:
    void revalidate();
    void showMessages(QLabel* label, const QStringList& errors, const QStringList& notices);
    void addHeaderRow(const ProfileHeader& header);
    void moveHeader(int delta);
    void updateSecretMasking();
    void browse(QWidget* edit, const QString& title);
    void fillFields(const Profile& profile);

    std::unique_ptr<Ui::ProfileEditor> m_ui;
    Profile m_original;
    QStringList m_otherNames;
    ConnectionPlan m_plan;
    bool m_valid = false;
    bool m_readOnly = false;
    bool m_filling = false;
};

} // namespace wsi
