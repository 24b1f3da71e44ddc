#pragma once

#include "teach/lesson.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace wsi {

// Shows the guided lesson one step at a time (Back / Next). Its "Do it" and "Look here" links are
// handed on as actionRequested("do:send-text"), for the LessonController to carry out.
class LessonPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LessonPanel(QWidget* parent = nullptr);
    ~LessonPanel() override;

    void setSteps(const QList<LessonStep>& steps);
    int stepCount() const { return int(m_steps.size()); }
    int currentStep() const { return m_current; }
    void showStep(int index);
    const LessonStep& step(int index) const { return m_steps.at(index); }
    QTextBrowser* browser() const { return m_text; }

Q_SIGNALS:
    void actionRequested(const QString& target);

private:
    QList<LessonStep> m_steps;
    int m_current = -1;
    QLabel* m_position = nullptr;
    QTextBrowser* m_text = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
};

} // namespace wsi
