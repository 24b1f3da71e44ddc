#include "codepanel.h"

#include "server/builtinserver.h"
#include "style/style.h"
#include "teach/snippetgenerator.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

CodePanel::CodePanel(QWidget* parent)
    : QWidget(parent)
    , m_language(new QComboBox(this))
    , m_text(new QPlainTextEdit(this))
    , m_copy(new QPushButton(tr("Copy"), this))
    , m_problem(new QLabel(this))
{
    m_language->setObjectName(u"codeLanguage"_s);
    // Long titles ("WeChat mini program (wx.connectSocket)") must not widen the detail area.
    m_language->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_language->setMinimumContentsLength(10);
    m_text->setObjectName(u"codeText"_s);
    m_copy->setObjectName(u"codeCopy"_s);
    for (const auto& info : SnippetGenerator::languages())
        m_language->addItem(info.title, info.id);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(Style::monospace());
    m_problem->setWordWrap(true);
    m_problem->setVisible(false);
    m_copy->setToolTip(tr("Copy the code to the clipboard"));

    auto* bar = new QHBoxLayout;
    auto* label = new QLabel(tr("&Language"), this);
    label->setBuddy(m_language);
    bar->addWidget(label);
    bar->addWidget(m_language, 1);
    bar->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_problem);
    layout->addWidget(m_text, 1);

    connect(m_language, &QComboBox::currentIndexChanged, this, &CodePanel::regenerate);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_text->toPlainText()); });
}

CodePanel::~CodePanel() = default;

void CodePanel::setConnection(const Profile& profile, const QUrl& url)
{
    m_profile = profile;
    m_url = url;
    // A built-in server's address is only known once it runs; it starts on first use anyway.
    if (m_url.isEmpty() && BuiltinServers::isBuiltinUrl(profile.url.trimmed())) {
        QString error;
        m_url = BuiltinServers::resolve(profile.url.trimmed(), &error);
    }
    regenerate();
}

QString CodePanel::languageId() const
{
    return m_language->currentData().toString();
}

void CodePanel::setLanguageId(const QString& id)
{
    const int index = m_language->findData(id);
    if (index >= 0)
        m_language->setCurrentIndex(index);
}

QString CodePanel::code() const
{
    return m_text->toPlainText();
}

void CodePanel::regenerate()
{
    const auto language = SnippetGenerator::languageForId(languageId());
    if (!language)
        return;
    const auto text = SnippetGenerator::generate(*language, m_profile, m_url);
    m_problem->setVisible(!text.ok());
    m_problem->setText(text.ok() ? QString() : tr("No code for these settings: %1").arg(text.errorMessage()));
    m_text->setPlainText(text.ok() ? *text : QString());
    m_copy->setEnabled(text.ok());
}

} // namespace wsi
