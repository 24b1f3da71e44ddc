#pragma once

#include "profiles/profile.h"
#include "profiles/profilevalidator.h"

#include <QWidget>

#include <memory>

class QFormLayout;
class QLabel;
class QPushButton;
class QTreeWidget;
class QWidget;

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

    // The profile the edits started from (what was last shown or merged from outside).
    const Profile& original() const { return m_original; }
    // The profile being edited changed elsewhere (a session pinned a certificate, another editor
    // saved). Unedited: shown as it is now. Edited: the outside change is merged field by field
    // and the user's edits stay; fields both changed keep the user's value and the conflict bar
    // offers to load the saved version instead.
    void takeOutsideChange(const Profile& current);
    // Fields the last merge found changed on both sides (empty when none).
    QStringList conflicts() const { return m_conflicts; }

    // An unsaved connection (a tab opened from an address): no name to check, Save becomes
    // "Save as profile…" (saveAsRequested) and every valid change is announced with edited().
    void setUnsavedMode(bool on);
    bool isUnsavedMode() const { return m_unsaved; }
    // The Connect button's text; empty hides it. An unsaved tab's Settings page has no Connect of its
    // own (the address bar's is the tab's one Connect/Disconnect): it offers "Reconnect with these
    // settings" only while a connection runs on other settings.
    void setConnectText(const QString& text);

    // Saves (after normalising: http:// -> ws://, Sec-WebSocket-Protocol moved) when valid.
    bool save();
    // Puts the cursor in the name field with the name selected (after "New").
    void focusName();

    Ui::ProfileEditor* ui() const { return m_ui.get(); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

Q_SIGNALS:
    // base: the profile the edits started from, so that the owner applies only what was edited.
    void saveRequested(const wsi::Profile& profile, const wsi::Profile& base);
    void connectRequested(const wsi::Profile& profile);
    // Unsaved mode: a valid change was made (the profile normalised).
    void edited(const wsi::Profile& profile);
    void saveAsRequested(const wsi::Profile& profile);

private:
    void revalidate();
    void showMessages(QLabel* label, const QStringList& errors, const QStringList& notices);
    void addHeaderRow(const ProfileHeader& header);
    void moveHeader(int delta);
    void updateSecretMasking();
    void browse(QWidget* edit, const QString& title);
    void fillFields(const Profile& profile);
    void fillPinned();
    void updatePinnedColumns();
    void reflow(QFormLayout* form, int width);
    void showConflicts(const QStringList& conflicts);

    std::unique_ptr<Ui::ProfileEditor> m_ui;
    Profile m_original;
    QStringList m_otherNames;
    ConnectionPlan m_plan;
    bool m_valid = false;
    bool m_readOnly = false;
    bool m_filling = false;
    bool m_unsaved = false;
    QStringList m_pinned; // fingerprints, as edited (Remove takes one out)
    QMap<QString, QString> m_pinnedSubjects;
    QStringList m_conflicts;
    QTreeWidget* m_pinnedList = nullptr;
    QPushButton* m_unpinButton = nullptr;
    QWidget* m_conflictBar = nullptr;
    QLabel* m_conflictLabel = nullptr;
    QList<QFormLayout*> m_forms; // each reflows to the width its page gets
};

} // namespace wsi
