#include "lessonpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

LessonPanel::LessonPanel(QWidget* parent)
    : QWidget(parent)
    , m_position(new QLabel(this))
    , m_text(new QTextBrowser(this))
    , m_back(new QPushButton(tr("◀ &Back"), this))
    , m_next(new QPushButton(tr("&Next ▶"), this))
{
    m_text->setObjectName(u"lessonText"_s);
    m_back->setObjectName(u"lessonBack"_s);
    m_next->setObjectName(u"lessonNext"_s);
    m_text->setOpenLinks(false);
    connect(m_text, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == u"do" || url.scheme() == u"look")
            Q_EMIT actionRequested(url.toString());
    });
    connect(m_back, &QPushButton::clicked, this, [this] { showStep(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { showStep(m_current + 1); });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch(1);
    buttons->addWidget(m_position);
    buttons->addStretch(1);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
}

LessonPanel::~LessonPanel() = default;

void LessonPanel::setSteps(const QList<LessonStep>& steps)
{
    m_steps = steps;
    m_current = -1;
    showStep(0);
}

void LessonPanel::showStep(int index)
{
    if (m_steps.isEmpty()) {
        m_text->setPlainText(tr("No lesson text was found."));
        m_back->setEnabled(false);
        m_next->setEnabled(false);
        m_position->clear();
        return;
    }
    m_current = qBound(0, index, int(m_steps.size()) - 1);
    m_text->setMarkdown(m_steps.at(m_current).markdown);
    m_position->setText(tr("Step %1 of %2").arg(m_current + 1).arg(m_steps.size()));
    m_back->setEnabled(m_current > 0);
    m_next->setEnabled(m_current + 1 < m_steps.size());
}

} // namespace wsi
