#include "savedmessageswidget.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
constexpr int IndexRole = Qt::UserRole + 1;
}

SavedMessagesWidget::SavedMessagesWidget(QWidget* parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
{
    m_list->setObjectName(u"savedMessages"_s);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_list->setMaximumHeight(110);

    const auto button = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        return b;
    };
    auto* save = button(tr("Save current"), tr("Save the message in the editor as a named snippet"));
    auto* insert = button(tr("Insert"), tr("Put the selected snippet into the editor (double-click works too)"));
    auto* renameButton = button(tr("Rename"), tr("Rename the selected snippet (F2)"));
    auto* removeButton = button(tr("Delete"), tr("Delete the selected snippet"));
    auto* up = button(tr("↑"), tr("Move up"));
    auto* down = button(tr("↓"), tr("Move down"));
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    for (auto* b : { save, insert, renameButton, removeButton, up, down })
        bar->addWidget(b);
    bar->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list);
    layout->addLayout(bar);

    connect(save, &QToolButton::clicked, this, &SavedMessagesWidget::saveCurrentRequested);
    const auto emitInsert = [this] {
        const int row = m_list->currentRow();
        if (row >= 0 && row < m_messages.size())
            Q_EMIT insertRequested(m_messages.at(row));
    };
    connect(insert, &QToolButton::clicked, this, emitInsert);
    connect(m_list, &QListWidget::itemDoubleClicked, this, emitInsert);
    connect(renameButton, &QToolButton::clicked, this, [this] {
        if (QListWidgetItem* item = m_list->currentItem())
            m_list->editItem(item);
    });
    connect(removeButton, &QToolButton::clicked, this, [this] { removeAt(m_list->currentRow()); });
    connect(up, &QToolButton::clicked, this, [this] { move(m_list->currentRow(), m_list->currentRow() - 1); });
    connect(down, &QToolButton::clicked, this, [this] { move(m_list->currentRow(), m_list->currentRow() + 1); });
    connect(m_list, &QListWidget::itemChanged, this,
        [this](QListWidgetItem* item) { rename(m_list->row(item), item->text()); });
    // Drag and drop reorders the items; read the new order back from them.
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this, &SavedMessagesWidget::syncFromList);
}

SavedMessagesWidget::~SavedMessagesWidget() = default;

void SavedMessagesWidget::setMessages(const QList<SavedMessage>& messages)
{
    m_messages = messages;
    rebuild(-1);
}

void SavedMessagesWidget::rebuild(int select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (int i = 0; i < m_messages.size(); ++i) {
        auto* item = new QListWidgetItem(m_messages.at(i).name, m_list);
        item->setData(IndexRole, i);
        item->setToolTip(m_messages.at(i).body.left(500));
        item->setFlags(item->flags() | Qt::ItemIsEditable | Qt::ItemIsDragEnabled);
    }
    if (select >= 0 && select < m_list->count())
        m_list->setCurrentRow(select);
}

void SavedMessagesWidget::add(const SavedMessage& message)
{
    SavedMessage m = message;
    if (m.name.trimmed().isEmpty())
        m.name = tr("Message");
    const QString base = m.name;
    for (int n = 2;; ++n) {
        const bool taken = std::any_of(
            m_messages.cbegin(), m_messages.cend(), [&](const SavedMessage& s) { return s.name == m.name; });
        if (!taken)
            break;
        m.name = u"%1 (%2)"_s.arg(base).arg(n);
    }
    m_messages.append(m);
    rebuild(int(m_messages.size()) - 1);
    Q_EMIT messagesChanged(m_messages);
}

void SavedMessagesWidget::removeAt(int row)
{
    if (row < 0 || row >= m_messages.size())
        return;
    m_messages.removeAt(row);
    rebuild(std::min(row, int(m_messages.size()) - 1));
    Q_EMIT messagesChanged(m_messages);
}

void SavedMessagesWidget::rename(int row, const QString& name)
{
    if (row < 0 || row >= m_messages.size())
        return;
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed == m_messages.at(row).name) {
        rebuild(row); // an empty name is not a name: put the old one back
        return;
    }
    m_messages[row].name = trimmed;
    rebuild(row);
    Q_EMIT messagesChanged(m_messages);
}

void SavedMessagesWidget::move(int from, int to)
{
    if (from < 0 || to < 0 || from >= m_messages.size() || to >= m_messages.size() || from == to)
        return;
    m_messages.move(from, to);
    rebuild(to);
    Q_EMIT messagesChanged(m_messages);
}

void SavedMessagesWidget::syncFromList()
{
    QList<SavedMessage> reordered;
    for (int i = 0; i < m_list->count(); ++i) {
        const int index = m_list->item(i)->data(IndexRole).toInt();
        if (index >= 0 && index < m_messages.size())
            reordered.append(m_messages.at(index));
    }
    if (reordered.size() != m_messages.size() || reordered == m_messages)
        return;
    m_messages = reordered;
    rebuild(m_list->currentRow());
    Q_EMIT messagesChanged(m_messages);
}

} // namespace wsi
