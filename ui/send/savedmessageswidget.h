#pragma once

#include "profiles/profile.h"

#include <QWidget>

class QListWidget;
class QPushButton;

namespace wsi {

// Named snippets of one profile: save the composer's message, insert, rename, delete, reorder.
class SavedMessagesWidget : public QWidget
{
    Q_OBJECT
public:
    explicit SavedMessagesWidget(QWidget* parent = nullptr);
    ~SavedMessagesWidget() override;

    void setMessages(const QList<SavedMessage>& messages);
    const QList<SavedMessage>& messages() const { return m_messages; }
    QListWidget* list() const { return m_list; }

    // Adds a snippet (a unique name is made from `name` when taken) and selects it.
    void add(const SavedMessage& message);
    void removeAt(int row);
    void rename(int row, const QString& name);
    void move(int from, int to);

Q_SIGNALS:
    void messagesChanged(const QList<wsi::SavedMessage>& messages);
    void insertRequested(const wsi::SavedMessage& message);
    // The user asked to save the composer's current message.
    void saveCurrentRequested();

private:
    void rebuild(int select);
    void syncFromList();

    QList<SavedMessage> m_messages;
    QListWidget* m_list = nullptr;
};

} // namespace wsi
