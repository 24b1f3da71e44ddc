#pragma once

#include "log/logentry.h"
#include "payload/payloadtext.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QComboBox;
class QPlainTextEdit;
class QStackedWidget;
class QTabBar;
class QTableWidget;
class QTextBrowser;
class QPalette;
class QToolButton;

namespace wsi {

struct FrameDiagram;
class HexView;
class JsonHighlighter;

// Shows the selected log row's payload as text, JSON, hex, base64 or its frames. Picks the best
// view per payload unless the user chose one, which then sticks while they browse other rows.
class PayloadView : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Text, Json, Hex, Base64, Frames };
    Q_ENUM(Mode)
    // Text, JSON and base64 views render at most this much; hex shows everything.
    static constexpr qsizetype kMaxRenderedBytes = PayloadText::kMaxJsonDetectBytes;

    explicit PayloadView(QWidget* parent = nullptr);
    ~PayloadView() override;

    void setEntry(const LogEntry& entry);
    void clear();
    const LogEntry& entry() const { return m_entry; }

    Mode mode() const;
    // A user's choice: it sticks for the next rows until another one is made.
    void setMode(Mode mode);
    bool hasStickyMode() const { return m_sticky >= 0; }
    void clearStickyMode() { m_sticky = -1; }

    // Writes the raw payload; returns an error message or an empty string.
    QString saveToFile(const QString& path) const;
    void copyMessage() const;
    // The message as copyMessage() puts it on the clipboard: text as is, binary as hex.
    QString messageText() const;

    HexView* hexView() const { return m_hex; }
    QPlainTextEdit* textEdit() const { return m_text; }
    QPlainTextEdit* jsonEdit() const { return m_json; }
    QPlainTextEdit* base64Edit() const { return m_base64; }
    QTableWidget* framesTable() const { return m_frames; }
    QTextBrowser* frameDiagramView() const { return m_frameDiagram; }
    // The selected frame's header as a bit diagram (RFC 6455 §5.2) with a legend, as HTML.
    static QString frameDiagramHtml(const FrameDiagram& diagram, const QPalette& palette);
    QString textNote() const;
    QString jsonNote() const;
    QString framesNote() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showMode(Mode mode);
    void render(Mode mode);
    void saveWithDialog();
    void goToOffset();
    void findNext();
    void updateHexStatus();
    void showFrameDiagram(int row);

    LogEntry m_entry;
    int m_sticky = -1;
    bool m_switching = false;
    quint32 m_rendered = 0; // bit per Mode already rendered for m_entry

    QTabBar* m_tabs = nullptr;
    QLabel* m_summary = nullptr;
    QToolButton* m_copyButton = nullptr;
    QToolButton* m_saveButton = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_textNote = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QLabel* m_jsonNote = nullptr;
    QPlainTextEdit* m_json = nullptr;
    JsonHighlighter* m_highlighter = nullptr;
    HexView* m_hex = nullptr;
    QLineEdit* m_goTo = nullptr;
    QLineEdit* m_find = nullptr;
    QComboBox* m_findKind = nullptr;
    QLabel* m_hexStatus = nullptr;
    QPlainTextEdit* m_base64 = nullptr;
    QLabel* m_framesNote = nullptr;
    QTableWidget* m_frames = nullptr;
    QTextBrowser* m_frameDiagram = nullptr;
};

} // namespace wsi
