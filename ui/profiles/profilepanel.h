#pragma once

#include "profiles/profile.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListView;
class QPushButton;
class QToolButton;

namespace wsi {

class ProfileEditor;
class ProfileListModel;
class ProfileStore;

// The profiles side of the window: the list (built-ins first), its actions (new, duplicate,
// rename, delete with undo, import, export) and the editor of the selected profile. Every change
// is saved to the ProfileStore at once.
class ProfilePanel : public QWidget
{
    Q_OBJECT
public:
    // The store must outlive the panel; it is loaded already.
    explicit ProfilePanel(ProfileStore* store, QWidget* parent = nullptr);
    ~ProfilePanel() override;

    ProfileListModel* model() const { return m_model; }
    QListView* listView() const { return m_list; }
    ProfileEditor* editor() const { return m_editor; }
    int currentRow() const;
    void setCurrentRow(int row);
    // The selected profile as it would connect now (the editor's current, valid state), if any.
    std::optional<Profile> currentProfile() const;

    // Actions (also bound to the buttons); return what they did for tests and menus.
    int addProfile();
    int duplicateCurrent();
    bool deleteCurrent();
    bool undoDelete();
    void importProfiles();
    void exportProfiles();
    bool importFrom(const QString& path);
    bool exportTo(const QString& path, bool includeSecrets);
    // Replaces the saved profile with the same id and saves (a session pinned a certificate, kept
    // history or saved messages). Built-in and unknown profiles are left alone: returns false.
    bool updateProfile(const Profile& profile);
    // What the notice line says (store problems, secrets kept in the file); empty when nothing.
    QString noticeText() const;

Q_SIGNALS:
    // Double-click or Connect: open a session tab for this profile.
    void openRequested(const wsi::Profile& profile);
    // A one-line message for the status bar.
    void message(const QString& text);

private:
    void showCurrent();
    void save();
    void updateNotice();

    ProfileStore* m_store;
    ProfileListModel* m_model;
    QListView* m_list;
    ProfileEditor* m_editor;
    QLabel* m_notice;
    QToolButton* m_undoButton;
    QString m_storeProblem;
    std::optional<std::pair<int, Profile>> m_lastDeleted;
};

} // namespace wsi
