#include "profilepanel.h"

#include "style/style.h"

#include "profileeditor.h"
#include "profiles/profilelistmodel.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "profiles/profilevalidator.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

ProfilePanel::ProfilePanel(ProfileRepository* repository, QWidget* parent)
    : QWidget(parent)
    , m_repository(repository)
    , m_model(new ProfileListModel(repository, this))
    , m_list(new QListView(this))
    , m_editor(new ProfileEditor(this))
    , m_notice(new QLabel(this))
    , m_undoButton(new QToolButton(this))
{
    m_storeProblem = m_repository->store()->errorString();

    m_list->setObjectName(u"profileList"_s);
    m_list->setModel(m_model);
    m_list->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_editor->setObjectName(u"profileEditor"_s);
    m_notice->setObjectName(u"profileNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setStyleSheet(Style::labelStyleSheet(Style::Tone::Warning, palette()));

    auto makeButton = [this](const QString& name, const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    QToolButton* addButton = makeButton(u"addProfileButton"_s, tr("New"), tr("Add a profile"));
    QToolButton* duplicateButton
        = makeButton(u"duplicateProfileButton"_s, tr("Duplicate"), tr("Copy the selected profile"));
    QToolButton* renameButton
        = makeButton(u"renameProfileButton"_s, tr("Rename"), tr("Rename the selected profile (F2)"));
    QToolButton* deleteButton = makeButton(u"deleteProfileButton"_s, tr("Delete"), tr("Delete the selected profile"));
    m_undoButton->setObjectName(u"undoDeleteButton"_s);
    m_undoButton->setText(tr("Undo delete"));
    m_undoButton->setAutoRaise(true);
    m_undoButton->setEnabled(false);
    QToolButton* importButton
        = makeButton(u"importProfilesButton"_s, tr("Import…"), tr("Add profiles from a JSON file"));
    QToolButton* exportButton
        = makeButton(u"exportProfilesButton"_s, tr("Export…"), tr("Save your profiles to a JSON file"));

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->setSpacing(2);
    for (QToolButton* b : { addButton, duplicateButton, renameButton, deleteButton })
        buttons->addWidget(b);
    buttons->addStretch();
    // Undo sits with Import/Export so the dock can be narrow (the window fits 1024 px with it open).
    auto* fileButtons = new QHBoxLayout;
    fileButtons->setContentsMargins(0, 0, 0, 0);
    fileButtons->addWidget(m_undoButton);
    fileButtons->addWidget(importButton);
    fileButtons->addWidget(exportButton);
    fileButtons->addStretch();

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_list);
    topLayout->addLayout(fileButtons);
    topLayout->addWidget(m_notice);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The editor fits the dock's width (its rows reflow), so only the vertical scroll bar is needed.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // ... and the dock cannot be made narrower than the editor can reflow to.
    m_editorScroll = scroll;
    m_editor->installEventFilter(this);
    updateEditorMinimumWidth();

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(splitter);

    connect(addButton, &QToolButton::clicked, this, &ProfilePanel::addProfile);
    connect(duplicateButton, &QToolButton::clicked, this, &ProfilePanel::duplicateCurrent);
    connect(renameButton, &QToolButton::clicked, this, [this] {
        const QModelIndex index = m_model->index(currentRow());
        if (index.isValid() && !m_model->isBuiltin(index.row()))
            m_list->edit(index);
    });
    connect(deleteButton, &QToolButton::clicked, this, &ProfilePanel::deleteCurrent);
    connect(m_undoButton, &QToolButton::clicked, this, &ProfilePanel::undoDelete);
    connect(importButton, &QToolButton::clicked, this, &ProfilePanel::importProfiles);
    connect(exportButton, &QToolButton::clicked, this, &ProfilePanel::exportProfiles);

    connect(m_model, &ProfileListModel::renameRejected, this, &ProfilePanel::message);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex&, const QModelIndex& previous) {
            // Moving to another profile keeps valid edits of the one left (invalid ones stay unsaved).
            if (previous.isValid())
                keepEditsOf(previous.row());
            showCurrent();
        });
    connect(m_repository, &ProfileRepository::profileChanged, this, [this](const QString& id) {
        // The profile being edited changed elsewhere (a rename in the list, a session's pin or
        // history): the editor merges it and keeps what the user is typing.
        const int row = currentRow();
        if (row >= 0 && !m_model->isBuiltin(row) && m_model->profileAt(row).id == id)
            m_editor->takeOutsideChange(m_model->profileAt(row));
    });
    connect(m_list, &QListView::activated, this, [this](const QModelIndex& index) {
        if (index.row() == currentRow())
            openCurrent();
    });
    connect(m_editor, &ProfileEditor::saveRequested, this, [this](const Profile& p, const Profile& base) {
        const int row = currentRow();
        if (!m_model->isBuiltin(row))
            m_repository->applyEdit(m_model->profileAt(row).id, base, p);
    });
    connect(m_editor, &ProfileEditor::connectRequested, this, &ProfilePanel::openCurrent);
    connect(m_repository, &ProfileRepository::saveFinished, this, [this](const QString& error) {
        if (!error.isEmpty()) {
            m_storeProblem = error;
            Q_EMIT message(error);
        } else if (m_repository->store()->movedAsidePath().isEmpty()) {
            m_storeProblem.clear();
        }
        updateNotice();
    });
    connect(m_repository->store(), &ProfileStore::secretsNoticeChanged, this, &ProfilePanel::updateNotice);

    setCurrentRow(0);
    updateNotice();
}

ProfilePanel::~ProfilePanel() = default;

int ProfilePanel::currentRow() const
{
    return m_list->currentIndex().row();
}

void ProfilePanel::setCurrentRow(int row)
{
    m_list->setCurrentIndex(m_model->index(row));
    showCurrent();
}

std::optional<Profile> ProfilePanel::currentProfile() const
{
    if (currentRow() < 0 || !m_editor->isValid())
        return std::nullopt;
    return ProfileValidator::normalized(m_editor->profile());
}

void ProfilePanel::showCurrent()
{
    const int row = currentRow();
    if (row < 0) {
        m_editor->clear();
        return;
    }
    QStringList others = m_model->names();
    others.removeAt(row);
    m_editor->setProfile(m_model->profileAt(row), m_model->isBuiltin(row), others);
}

void ProfilePanel::keepEditsOf(int row)
{
    if (row < 0 || m_model->isBuiltin(row) || !m_editor->isModified() || !m_editor->isValid())
        return;
    const QString id = m_model->profileAt(row).id;
    if (m_editor->original().id == id)
        m_repository->applyEdit(id, m_editor->original(), ProfileValidator::normalized(m_editor->profile()));
}

bool ProfilePanel::keepCurrentEdits()
{
    const int row = currentRow();
    keepEditsOf(row);
    // What was kept is the normalised form (http:// saved as ws://): the fields may still show the
    // typed spelling.
    return row < 0 || m_model->isBuiltin(row) || !m_editor->isModified()
        || ProfileValidator::normalized(m_editor->profile()) == m_editor->original();
}

bool ProfilePanel::openCurrent()
{
    const auto p = currentProfile();
    if (!p)
        return false;
    // The tab follows the saved profile: valid edits are kept first, as when moving to another row.
    const int row = currentRow();
    keepEditsOf(row);
    Q_EMIT openRequested(m_model->isBuiltin(row) ? *p : m_model->profileAt(row));
    return true;
}

bool ProfilePanel::selectProfile(const QString& id)
{
    const int row = m_model->rowOfId(id);
    if (row < 0)
        return false;
    setCurrentRow(row);
    return true;
}

bool ProfilePanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_editor && event->type() == QEvent::LayoutRequest)
        updateEditorMinimumWidth();
    return QWidget::eventFilter(watched, event);
}

void ProfilePanel::updateEditorMinimumWidth()
{
    const int width = m_editor->minimumSizeHint().width() + m_editorScroll->verticalScrollBar()->sizeHint().width()
        + 2 * m_editorScroll->frameWidth();
    if (m_editorScroll->minimumWidth() != width)
        m_editorScroll->setMinimumWidth(width);
}

int ProfilePanel::addProfile()
{
    Profile p;
    p.name = tr("New profile");
    p.url = u"ws://127.0.0.1:8080/"_s;
    const int row = m_model->addProfile(p);
    setCurrentRow(row);
    m_editor->focusName();
    return row;
}

int ProfilePanel::duplicateCurrent()
{
    const int row = m_model->duplicateProfile(currentRow());
    if (row >= 0)
        setCurrentRow(row);
    return row;
}

bool ProfilePanel::deleteCurrent()
{
    const int row = currentRow();
    const auto removed = m_model->removeProfile(row);
    if (!removed) {
        Q_EMIT message(tr("Built-in profiles cannot be deleted."));
        return false;
    }
    m_lastDeleted = std::make_pair(row, *removed);
    m_undoButton->setEnabled(true);
    m_undoButton->setToolTip(tr("Bring back \"%1\"").arg(removed->name));
    setCurrentRow(std::min(row, m_model->rowCount() - 1));
    Q_EMIT message(tr("Deleted profile \"%1\" (Undo delete brings it back).").arg(removed->name));
    return true;
}

bool ProfilePanel::undoDelete()
{
    if (!m_lastDeleted)
        return false;
    const int row = m_model->insertProfile(m_lastDeleted->first, m_lastDeleted->second);
    m_lastDeleted.reset();
    m_undoButton->setEnabled(false);
    setCurrentRow(row);
    return true;
}

void ProfilePanel::importProfiles()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import profiles"), QString(), tr("Profile sets (*.json);;All files (*)"));
    if (!path.isEmpty())
        importFrom(path);
}

bool ProfilePanel::importFrom(const QString& path)
{
    QString error;
    const QList<Profile> imported = ProfileStore::importProfiles(path, &error);
    if (!error.isEmpty()) {
        Q_EMIT message(error);
        QMessageBox::warning(this, tr("Import profiles"), error);
        return false;
    }
    int last = -1;
    for (const Profile& p : imported)
        last = m_model->addProfile(p);
    if (last >= 0)
        setCurrentRow(last);
    Q_EMIT message(tr("Imported %n profile(s).", nullptr, int(imported.size())));
    return true;
}

void ProfilePanel::exportProfiles()
{
    const QList<Profile> profiles = m_model->savedProfiles();
    if (profiles.isEmpty()) {
        Q_EMIT message(tr("There are no saved profiles to export (built-in ones are always available)."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export profiles"), u"profiles-export.json"_s, tr("Profile sets (*.json)"));
    if (path.isEmpty())
        return;
    bool includeSecrets = false;
    if (std::any_of(profiles.begin(), profiles.end(), [](const Profile& p) { return p.hasSecrets(); })) {
        includeSecrets = QMessageBox::question(this, tr("Export profiles"),
                             tr("Some profiles hold secrets (secret header values, proxy password, key "
                                "passphrase). Include them in the exported file?\n\nAnyone who gets the file "
                                "can read them."),
                             QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    }
    exportTo(path, includeSecrets);
}

bool ProfilePanel::exportTo(const QString& path, bool includeSecrets)
{
    QString error;
    const QList<Profile> profiles = m_model->savedProfiles();
    if (!ProfileStore::exportProfiles(
            path, profiles, includeSecrets ? Profile::Secrets::Include : Profile::Secrets::Omit, &error)) {
        Q_EMIT message(error);
        return false;
    }
    Q_EMIT message(includeSecrets ? tr("Exported %n profile(s) with their secrets.", nullptr, int(profiles.size()))
                                  : tr("Exported %n profile(s) without secrets.", nullptr, int(profiles.size())));
    return true;
}

QString ProfilePanel::noticeText() const
{
    return m_notice->text();
}

void ProfilePanel::updateNotice()
{
    QStringList lines;
    if (!m_storeProblem.isEmpty())
        lines.append(m_storeProblem);
    const QList<Profile> saved = m_model->savedProfiles();
    const bool anySecret = std::any_of(saved.begin(), saved.end(), [](const Profile& p) { return p.hasSecrets(); });
    if (m_repository->store()->secretsInFile() && anySecret)
        lines.append(m_repository->store()->secretsNotice());
    m_notice->setText(lines.join(u'\n'));
    m_notice->setVisible(!lines.isEmpty());
}

} // namespace wsi
