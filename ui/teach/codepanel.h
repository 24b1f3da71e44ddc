#pragma once

#include "profiles/profile.h"

#include <QUrl>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace wsi {

// The Code tab: client (or echo server) code for the current connection's settings, in the
// language the user picks, with a Copy button. The text comes from the engine's SnippetGenerator,
// the same that `wsinspector --snippet` prints.
class CodePanel : public QWidget
{
    Q_OBJECT
public:
    explicit CodePanel(QWidget* parent = nullptr);
    ~CodePanel() override;

    // url: the address really used (a builtin: profile's resolved URL); empty = the profile's URL.
    void setConnection(const Profile& profile, const QUrl& url = {});
    QString languageId() const;
    void setLanguageId(const QString& id);
    QString code() const;

private:
    void regenerate();

    Profile m_profile;
    QUrl m_url;
    QComboBox* m_language = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QPushButton* m_copy = nullptr;
    QLabel* m_problem = nullptr;
};

} // namespace wsi
