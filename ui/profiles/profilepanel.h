#pragma once

#include "profiles/profile.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListView;
class QPushButton;
class QScrollArea;
class QToolButton;

namespace wsi {

class ProfileEditor;
class ProfileListModel;
class ProfileRepository;

// The profiles side of the window: the list (built-ins first), its actions (new, duplicate,
// rename, delete with undo, import, export) and the editor of the selected profile. The profiles
// belong to the ProfileRepository, which saves them; the list and the editor follow its changes.
class ProfilePanel : public QWidget
{
    Q_OBJECT
public:
    // The repository must outlive the panel.
    explicit ProfilePanel(ProfileRepository* repository, QWidget* parent = nullptr);
    ~ProfilePanel() override;

    ProfileListModel* model() const { return m_model; }
    ProfileRepository* repository() const { return m_repository; }
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
    // Opens a tab for the selected profile (keeping the editor's valid edits first); false when
    // the editor shows a problem.
    bool openCurrent();
    // Selects the saved profile with that id (after Save as profile); false when there is none.
    bool selectProfile(const QString& id);
    // Keeps the editor's valid edits of the selected profile (as moving to another row does).
    // False when edits remain that cannot be saved (the editor shows a problem).
    bool keepCurrentEdits();
    // What the notice line says (store problems, secrets kept in the file); empty when nothing.
    QString noticeText() const;

Q_SIGNALS:
    // Double-click or Connect: open a session tab for this profile.
    void openRequested(const wsi::Profile& profile);
    // A one-line message for the status bar.
    void message(const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showCurrent();
    void updateEditorMinimumWidth();
    void keepEditsOf(int row);
    void updateNotice();

    ProfileRepository* m_repository;
    ProfileListModel* m_model;
    QListView* m_list;
    ProfileEditor* m_editor;
    QScrollArea* m_editorScroll = nullptr;
    QLabel* m_notice;
    QToolButton* m_undoButton;
    QString m_storeProblem;
    std::optional<std::pair<int, Profile>> m_lastDeleted;
};

} // namespace wsi
