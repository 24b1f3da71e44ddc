#pragma once

#include "payload/placeholderexpander.h"
#include "profiles/profile.h"
#include "send/messagecomposer.h"

#include <QHash>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace wsi {

class ActionRunner;
class Session;
class SavedMessagesWidget;

// The form for messages to one session: text, JSON, binary from hex/base64 or a file, with
// placeholders, history, saved snippets, repeats, pings, a chosen close and fragmentation. The
// engine's MessageComposer builds the messages and its ActionRunner sends and repeats them; the
// panel asks the questions and shows the outcome. Invalid input is reported with its position
// and nothing is sent.
class SendPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Text, Json, Hex, Base64, File };
    Q_ENUM(Mode)
    static constexpr qint64 kConfirmFileSize = MessageComposer::kDefaultConfirmFileSize;
    static constexpr int kMaxHistory = 200;

    explicit SendPanel(QWidget* parent = nullptr);
    ~SendPanel() override;

    // Also picks the profile (history and saved messages) from session->profile().
    void setSession(Session* session);
    void setText(const QString& text);
    QString text() const;
    Mode mode() const;
    void setMode(Mode mode);
    void setFilePath(const QString& path);
    // Sends what the editor holds; returns false (and shows why) when nothing was sent.
    bool send();
    QString statusText() const;
    // The expanded message the next send would produce (placeholders shown with current values).
    QString previewText() const;
    PlaceholderExpander& placeholders() { return m_composer.placeholders(); }
    // Builds every message of this panel; shared with the tab's command-line actions.
    MessageComposer* composer() { return &m_composer; }
    // What the form holds, as a request for the composer.
    MessageRequest request() const;

    // History of sent inputs, per profile id, newest last; kept in memory for the profile store.
    QString profileId() const { return m_profileId; }
    void setProfileId(const QString& id);
    QStringList history() const { return m_history.value(m_profileId); }
    QHash<QString, QStringList> allHistory() const { return m_history; }
    void setHistory(const QString& profileId, const QStringList& history);
    // Up/Down in the editor's first/last line; false when there is nothing further.
    bool historyUp();
    bool historyDown();

    QList<SavedMessage> savedMessages() const;
    void setSavedMessages(const QList<SavedMessage>& messages);
    void saveCurrentMessage(const QString& name);
    void insertSavedMessage(const SavedMessage& message);
    SavedMessagesWidget* savedMessagesWidget() const { return m_saved; }

    // Sends count times (0 = until stopped), intervalMs apart; false when the first send fails.
    bool startRepeat(int count, int intervalMs);
    void stopRepeat();
    bool isRepeating() const;
    int repeatSent() const;

    // Ping with the payload field's UTF-8 bytes; close with the picked code and reason.
    void setPingPayload(const QString& payload);
    bool ping();
    void setCloseCode(int code);
    void setCloseReason(const QString& reason);
    bool closeSession();
    // Frame size for the next sends (0 = one frame, Qt's default).
    void setFrameSize(int bytes);
    int frameSize() const;

    // Asked before sending invalid JSON or a file above 16 MiB; a message box unless replaced (tests).
    using ConfirmHandler = std::function<bool(const QString& question)>;
    void setConfirmHandler(ConfirmHandler handler) { m_confirm = std::move(handler); }

Q_SIGNALS:
    void sent();
    void savedMessagesChanged(const QList<wsi::SavedMessage>& messages);
    void historyChanged(const QString& profileId, const QStringList& history);
    void repeatStateChanged(bool running);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // The request after the composer's question was answered; nullopt (and the reason shown) when
    // nothing may be sent.
    std::optional<MessageRequest> confirmedRequest();
    void showSent(const ComposedMessage& message);
    void updateEnabled();
    void updateModeUi();
    void updatePreview();
    void updateFileInfo();
    void updateRepeatUi();
    void toggleJsonFormat();
    void rememberInHistory(const QString& input);
    void showError(const QString& message);
    void showInfo(const QString& message);
    bool confirm(const QString& question);
    int closeCode(bool* ok) const;

    Session* m_session = nullptr;
    QComboBox* m_mode = nullptr;
    QToolButton* m_jsonFormat = nullptr;
    QToolButton* m_savedToggle = nullptr;
    QWidget* m_fileRow = nullptr;
    QLineEdit* m_filePath = nullptr;
    QLabel* m_fileInfo = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_preview = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_sendButton = nullptr;
    QSpinBox* m_repeatCount = nullptr;
    QSpinBox* m_repeatInterval = nullptr;
    QPushButton* m_repeatButton = nullptr;
    QLabel* m_repeatLabel = nullptr;
    QSpinBox* m_frameSize = nullptr;
    QCheckBox* m_compress = nullptr; // permessage-deflate for the next messages
    QLineEdit* m_pingPayload = nullptr;
    QPushButton* m_pingButton = nullptr;
    QComboBox* m_closeCode = nullptr;
    QLineEdit* m_closeReason = nullptr;
    QPushButton* m_closeButton = nullptr;
    SavedMessagesWidget* m_saved = nullptr;

    MessageComposer m_composer;
    ActionRunner* m_runner = nullptr; // single sends, pings, closes
    ActionRunner* m_repeatRunner = nullptr;
    ConfirmHandler m_confirm;
    QString m_profileId;
    QHash<QString, QStringList> m_history;
    int m_historyIndex = -1; // -1: editing the draft, not browsing
    QString m_draft;
    bool m_settingText = false;
};

} // namespace wsi
