#include "profileeditor.h"

#include "flowlayout.h"
#include "style/style.h"

#include "profiles/profilemerge.h"
#include "ui_profileeditor.h"

#include "check/miniprogramcheck.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {

// Window bits for permessage-deflate: the item data is DeflateParams' value, markers included.
// A value no item has (out of range in a hand-edited file) gets an item of its own, so the
// validator's message has something to point at and a save does not change it silently.
void fillWindowBits(QComboBox* combo, bool client, int value)
{
    const QSignalBlocker blocker(combo);
    combo->clear();
    if (client) {
        // Short item texts: the combo box fits the Profiles dock.
        combo->addItem(ProfileEditor::tr("Offered, server chooses"), DeflateParams::kOfferedWithoutValue);
        combo->setItemData(combo->count() - 1,
            ProfileEditor::tr("Offer client_max_window_bits without a value, as browsers do: the server chooses"),
            Qt::ToolTipRole);
        combo->addItem(ProfileEditor::tr("Do not offer (15 bits)"), DeflateParams::kNotOffered);
    } else {
        combo->addItem(ProfileEditor::tr("No limit asked (15 bits)"), DeflateParams::kNotOffered);
    }
    for (int bits = DeflateParams::kMaxWindowBits; bits >= DeflateParams::kMinWindowBits; --bits) {
        combo->addItem(ProfileEditor::tr("%1 bits (%2)")
                           .arg(bits)
                           .arg(QLocale().formattedDataSize(qint64(1) << bits, 0, QLocale::DataSizeIecFormat)),
            bits);
    }
    int index = combo->findData(value);
    if (index < 0) {
        combo->addItem(ProfileEditor::tr("%1 (not a window size)").arg(value), value);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

enum HeaderColumn { ColEnabled, ColName, ColValue, ColSecret };

// Shows secret header values as bullets until "Show secrets" is on; the editor masks too.
class SecretValueDelegate : public QStyledItemDelegate
{
public:
    explicit SecretValueDelegate(QTableWidget* table, const QCheckBox* reveal)
        : QStyledItemDelegate(table)
        , m_table(table)
        , m_reveal(reveal)
    { }

    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (masked(index.row()) && !option->text.isEmpty())
            option->text = QString(option->text.size(), QChar(0x2022));
    }

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QWidget* editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto* line = qobject_cast<QLineEdit*>(editor); line && masked(index.row()))
            line->setEchoMode(QLineEdit::Password);
        return editor;
    }

private:
    bool masked(int row) const
    {
        const QTableWidgetItem* secret = m_table->item(row, ColSecret);
        return secret && secret->checkState() == Qt::Checked && !m_reveal->isChecked();
    }
    QTableWidget* m_table;
    const QCheckBox* m_reveal;
};

// Resolve entries typed as a list: commas or spaces between them.
QStringList splitResolve(const QString& text)
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}

// The mini-program rules the profile alone decides, one line each, for the General tab.
QString miniProgramRulesText(const Profile& profile)
{
    const MiniProgramReport report = MiniProgramCheck::evaluateProfile(profile);
    QStringList lines;
    for (const MiniProgramFinding& f : report.findings) {
        // The palette's tones, so the verdicts stay readable on a dark theme.
        const QString color = Style::color(f.verdict == MiniProgramFinding::Verdict::Fail ? Style::Tone::Bad
                : f.verdict == MiniProgramFinding::Verdict::Pass                          ? Style::Tone::Good
                                                                                          : Style::Tone::Warning)
                                  .name();
        QString line = u"<b style=\"color: %1\">%2</b> %3<br>&nbsp;&nbsp;&nbsp;&nbsp;%4"_s.arg(color,
            MiniProgramReport::verdictName(f.verdict).toHtmlEscaped(), f.rule.toHtmlEscaped(),
            f.evidence.toHtmlEscaped());
        if (!f.advice.isEmpty())
            line += u" <i>"_s + f.advice.toHtmlEscaped() + u"</i>"_s;
        lines.append(line);
    }
    lines.append(ProfileEditor::tr("The certificate, its chain, TLS and the server's answers need a connection: use "
                                   "Mini-program check in the connection's tab.")
                     .toHtmlEscaped());
    return lines.join(u"<br>"_s);
}

QStringList splitSubprotocols(const QString& text)
{
    if (text.trimmed().isEmpty())
        return {};
    QStringList out;
    const QStringList parts = text.split(u',');
    for (const QString& part : parts)
        out.append(part.trimmed());
    return out;
}

} // namespace

ProfileEditor::ProfileEditor(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ProfileEditor>())
{
    m_ui->setupUi(this);
    QHeaderView* header = m_ui->headersTable->horizontalHeader();
    header->setSectionResizeMode(ColEnabled, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ColName, QHeaderView::Interactive);
    header->setSectionResizeMode(ColValue, QHeaderView::Stretch);
    header->setSectionResizeMode(ColSecret, QHeaderView::ResizeToContents);
    m_ui->headersTable->verticalHeader()->hide();
    // The table keeps its size and the rows below stay close; the page's end takes the rest.
    m_ui->headersTable->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    // Arrows for Up and Down (their texts stay for screen readers): the row fits a narrow dock.
    m_ui->moveHeaderUpButton->setArrowType(Qt::UpArrow);
    m_ui->moveHeaderDownButton->setArrowType(Qt::DownArrow);
    m_ui->headersTable->viewport()->installEventFilter(this); // the Name column follows its width

    // Fits the width it is given (the Profiles dock at 1024 px, or a whole tab): rows put their
    // label above the field when side by side does not fit, check boxes wrap their text, and button
    // rows wrap onto a second row.
    m_forms = { m_ui->generalForm, m_ui->optionsForm, m_ui->tlsForm, m_ui->proxyForm, m_ui->deflateForm };
    for (QFormLayout* form : std::as_const(m_forms)) {
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setRowWrapPolicy(QFormLayout::WrapAllRows);
        form->parentWidget()->installEventFilter(this);
    }
    // The mini-program check box and the rules it shows are one row: QFormLayout (6.4) gives a
    // wrapped check box one line when a word-wrapped label follows it in the next row.
    auto* miniProgramBox = new QWidget(m_ui->generalTab);
    miniProgramBox->setObjectName(u"miniProgramBox"_s);
    auto* miniProgramLayout = new QVBoxLayout(miniProgramBox);
    miniProgramLayout->setContentsMargins(0, 0, 0, 0);
    m_ui->generalForm->removeWidget(m_ui->miniProgramCheck);
    m_ui->generalForm->removeWidget(m_ui->miniProgramRules);
    miniProgramLayout->addWidget(m_ui->miniProgramCheck);
    miniProgramLayout->addWidget(m_ui->miniProgramRules);
    m_ui->generalForm->addRow(miniProgramBox);
    auto* headerButtons = new FlowLayout(m_ui->headerButtons);
    headerButtons->setContentsMargins(0, 0, 0, 0);
    for (QWidget* b :
        { m_ui->addHeaderButton, m_ui->removeHeaderButton, m_ui->moveHeaderUpButton, m_ui->moveHeaderDownButton })
        headerButtons->addWidget(b);
    auto* buttons = new FlowLayout(m_ui->buttonsBar);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->setRowAlignment(Qt::AlignRight);
    buttons->addWidget(m_ui->revealSecretsCheck);
    buttons->addStretch();
    for (QWidget* b : { m_ui->revertButton, m_ui->saveButton, m_ui->connectButton })
        buttons->addWidget(b);
    // Half the space beside each tab's title: the four tabs fit the dock without scroll arrows.
    // When problem marks make them wider than the dock, titles are shortened rather than tabs
    // hidden behind arrows.
    Style::makeTabsCompact(m_ui->tabs->tabBar(), this);
    m_ui->tabs->setUsesScrollButtons(false);
    m_ui->tabs->setElideMode(Qt::ElideRight);
    m_ui->headersTable->setItemDelegateForColumn(
        ColValue, new SecretValueDelegate(m_ui->headersTable, m_ui->revealSecretsCheck));

    // Error labels read as errors; the deflate one is a notice, never pretending it works.
    const QList<QLabel*> labels = findChildren<QLabel*>();
    for (QLabel* l : labels) {
        if (l->objectName().endsWith(u"Error"_s))
            l->setStyleSheet(Style::labelStyleSheet(Style::Tone::Bad, l->palette()));
    }

    auto changed = [this] { revalidate(); };
    for (QLineEdit* e : { m_ui->nameEdit, m_ui->urlEdit, m_ui->subprotocolsEdit, m_ui->originEdit, m_ui->caFileEdit,
             m_ui->certFileEdit, m_ui->keyFileEdit, m_ui->passphraseEdit, m_ui->proxyHostEdit, m_ui->proxyUserEdit,
             m_ui->proxyPasswordEdit, m_ui->resolveEdit })
        connect(e, &QLineEdit::textChanged, this, changed);
    for (QSpinBox* s : { m_ui->timeoutSpin, m_ui->keepAliveSpin, m_ui->maxSizeSpin, m_ui->proxyPortSpin })
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (QCheckBox* c : { m_ui->tcpNoDelayCheck, m_ui->deflateCheck, m_ui->autoReconnectCheck, m_ui->tlsVerifyCheck,
             m_ui->miniProgramCheck, m_ui->lenientCheck })
        connect(c, &QCheckBox::toggled, this, changed);
    connect(m_ui->proxyTypeCombo, &QComboBox::currentIndexChanged, this, changed);
    for (QComboBox* c : { m_ui->clientBitsCombo, m_ui->serverBitsCombo })
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QCheckBox* c : { m_ui->clientResetCheck, m_ui->serverResetCheck, m_ui->compressOutgoingCheck })
        connect(c, &QCheckBox::toggled, this, changed);
    connect(m_ui->headersTable, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (item->column() == ColSecret)
            m_ui->headersTable->viewport()->update();
        revalidate();
    });
    connect(m_ui->revealSecretsCheck, &QCheckBox::toggled, this, &ProfileEditor::updateSecretMasking);

    connect(m_ui->addHeaderButton, &QToolButton::clicked, this, [this] {
        addHeaderRow({});
        const int row = m_ui->headersTable->rowCount() - 1;
        m_ui->headersTable->setCurrentCell(row, ColName);
        m_ui->headersTable->editItem(m_ui->headersTable->item(row, ColName));
        revalidate();
    });
    connect(m_ui->removeHeaderButton, &QToolButton::clicked, this, [this] {
        const int row = m_ui->headersTable->currentRow();
        if (row >= 0) {
            m_ui->headersTable->removeRow(row);
            revalidate();
        }
    });
    connect(m_ui->moveHeaderUpButton, &QToolButton::clicked, this, [this] { moveHeader(-1); });
    connect(m_ui->moveHeaderDownButton, &QToolButton::clicked, this, [this] { moveHeader(1); });

    connect(m_ui->caFileBrowseButton, &QToolButton::clicked, this,
        [this] { browse(m_ui->caFileEdit, tr("CA certificates (PEM)")); });
    connect(m_ui->certFileBrowseButton, &QToolButton::clicked, this,
        [this] { browse(m_ui->certFileEdit, tr("Client certificate (PEM)")); });
    connect(m_ui->keyFileBrowseButton, &QToolButton::clicked, this,
        [this] { browse(m_ui->keyFileEdit, tr("Private key (PEM)")); });

    connect(m_ui->saveButton, &QPushButton::clicked, this, &ProfileEditor::save);
    connect(
        m_ui->revertButton, &QPushButton::clicked, this, [this] { setProfile(m_original, m_readOnly, m_otherNames); });
    connect(m_ui->connectButton, &QPushButton::clicked, this, [this] {
        if (m_valid)
            Q_EMIT connectRequested(ProfileValidator::normalized(profile()));
    });

    // Pinned certificates, on the TLS page below the files: reviewed and removed here.
    auto* pinnedBox = new QGroupBox(tr("Pinned certificates"), m_ui->tlsTab);
    pinnedBox->setObjectName(u"pinnedBox"_s);
    m_pinnedList = new QTreeWidget(pinnedBox);
    m_pinnedList->setObjectName(u"pinnedList"_s);
    m_pinnedList->setColumnCount(2);
    m_pinnedList->setHeaderLabels({ tr("Subject"), tr("SHA-256 fingerprint") });
    m_pinnedList->setRootIsDecorated(false);
    m_pinnedList->setToolTip(tr("Certificates you chose to trust for this profile although they could not be "
                                "verified (Trust in a tab's TLS page)."));
    m_unpinButton = new QPushButton(tr("Remove"), pinnedBox);
    m_unpinButton->setObjectName(u"unpinButton"_s);
    m_unpinButton->setToolTip(tr("Stop trusting the selected certificate for this profile"));
    auto* pinnedLayout = new QVBoxLayout(pinnedBox);
    pinnedLayout->addWidget(m_pinnedList);
    pinnedLayout->addWidget(m_unpinButton, 0, Qt::AlignLeft);
    m_ui->tlsForm->addRow(pinnedBox);
    m_pinnedList->installEventFilter(this); // one column when narrow
    connect(m_pinnedList, &QTreeWidget::currentItemChanged, this,
        [this] { m_unpinButton->setEnabled(!m_readOnly && m_pinnedList->currentItem()); });
    connect(m_unpinButton, &QPushButton::clicked, this, [this] {
        const QTreeWidgetItem* item = m_pinnedList->currentItem();
        if (!item)
            return;
        const QString fingerprint = item->data(1, Qt::UserRole).toString();
        m_pinned.removeAll(fingerprint);
        m_pinnedSubjects.remove(fingerprint);
        fillPinned();
        revalidate();
    });

    // Shown when the profile changed elsewhere and both sides changed the same field.
    m_conflictBar = new QWidget(this);
    m_conflictBar->setObjectName(u"conflictBar"_s);
    m_conflictLabel = new QLabel(m_conflictBar);
    m_conflictLabel->setObjectName(u"conflictLabel"_s);
    m_conflictLabel->setWordWrap(true);
    auto* loadSaved = new QPushButton(tr("Load saved version"), m_conflictBar);
    loadSaved->setObjectName(u"loadSavedButton"_s);
    loadSaved->setToolTip(tr("Discard your unsaved changes and show the profile as it is saved now"));
    auto* keepMine = new QPushButton(tr("Keep mine"), m_conflictBar);
    keepMine->setObjectName(u"keepMineButton"_s);
    keepMine->setToolTip(tr("Keep your values; Save writes them over the other change"));
    auto* conflictLayout = new QVBoxLayout(m_conflictBar);
    conflictLayout->setContentsMargins(0, 0, 0, 0);
    conflictLayout->addWidget(m_conflictLabel);
    auto* conflictButtons = new FlowLayout;
    conflictButtons->setRowAlignment(Qt::AlignRight);
    conflictButtons->addWidget(loadSaved);
    conflictButtons->addWidget(keepMine);
    conflictLayout->addLayout(conflictButtons);
    m_ui->editorLayout->insertWidget(1, m_conflictBar);
    m_conflictBar->hide();
    connect(loadSaved, &QPushButton::clicked, this, [this] { setProfile(m_original, m_readOnly, m_otherNames); });
    connect(keepMine, &QPushButton::clicked, this, [this] { showConflicts({}); });

    updateSecretMasking();
    clear();
}

ProfileEditor::~ProfileEditor() = default;

void ProfileEditor::clear()
{
    setProfile(Profile(), true, {});
    const QList<QLabel*> labels = findChildren<QLabel*>();
    for (QLabel* l : labels) {
        if (l->objectName().endsWith(u"Error"_s))
            l->hide();
    }
    m_ui->readOnlyNotice->setText(tr("Select a profile to see or edit it."));
    m_ui->readOnlyNotice->setVisible(true);
    m_ui->connectButton->setEnabled(false);
}

void ProfileEditor::setProfile(const Profile& profile, bool readOnly, const QStringList& otherNames)
{
    showConflicts({});
    m_original = profile;
    m_otherNames = otherNames;
    m_readOnly = readOnly;
    fillFields(profile);

    const QList<QWidget*> inputs = { m_ui->nameEdit, m_ui->urlEdit, m_ui->headersTable, m_ui->addHeaderButton,
        m_ui->removeHeaderButton, m_ui->moveHeaderUpButton, m_ui->moveHeaderDownButton, m_ui->subprotocolsEdit,
        m_ui->originEdit, m_ui->timeoutSpin, m_ui->tcpNoDelayCheck, m_ui->deflateCheck, m_ui->autoReconnectCheck,
        m_ui->keepAliveSpin, m_ui->maxSizeSpin, m_ui->lenientCheck, m_ui->tlsVerifyCheck, m_ui->caFileEdit,
        m_ui->caFileBrowseButton, m_ui->certFileEdit, m_ui->certFileBrowseButton, m_ui->keyFileEdit,
        m_ui->keyFileBrowseButton, m_ui->passphraseEdit, m_ui->proxyTypeCombo, m_ui->proxyHostEdit, m_ui->proxyPortSpin,
        m_ui->proxyUserEdit, m_ui->proxyPasswordEdit, m_ui->resolveEdit, m_ui->miniProgramCheck, m_pinnedList };
    for (QWidget* w : inputs)
        w->setEnabled(!readOnly);
    m_unpinButton->setEnabled(!readOnly && m_pinnedList->currentItem());
    m_ui->readOnlyNotice->setText(
        tr("Built-in profiles are read-only: duplicate this one to make a profile you can edit."));
    m_ui->readOnlyNotice->setVisible(readOnly);
    m_ui->saveButton->setVisible(!readOnly);
    m_ui->revertButton->setVisible(!readOnly);
    revalidate();
}

void ProfileEditor::fillFields(const Profile& p)
{
    m_filling = true;
    m_ui->nameEdit->setText(p.name);
    m_ui->urlEdit->setText(p.url);
    m_ui->headersTable->setRowCount(0);
    for (const ProfileHeader& h : p.headers)
        addHeaderRow(h);
    m_ui->subprotocolsEdit->setText(p.subprotocols.join(u", "_s));
    m_ui->originEdit->setText(p.origin);
    m_ui->timeoutSpin->setValue(p.handshakeTimeoutMs);
    m_ui->tcpNoDelayCheck->setChecked(p.tcpNoDelay);
    m_ui->deflateCheck->setChecked(p.perMessageDeflate);
    fillWindowBits(m_ui->clientBitsCombo, true, p.deflateOffer.clientMaxWindowBits);
    fillWindowBits(m_ui->serverBitsCombo, false, p.deflateOffer.serverMaxWindowBits);
    m_ui->clientResetCheck->setChecked(p.deflateOffer.clientNoContextTakeover);
    m_ui->serverResetCheck->setChecked(p.deflateOffer.serverNoContextTakeover);
    m_ui->compressOutgoingCheck->setChecked(p.deflateOutgoing);
    m_ui->autoReconnectCheck->setChecked(p.autoReconnect);
    m_ui->lenientCheck->setChecked(p.lenient);
    m_ui->keepAliveSpin->setValue(p.keepAlivePingMs);
    m_ui->maxSizeSpin->setValue(int(std::clamp<qint64>(p.maxIncomingMessageSize, 0, 2147483647)));
    m_ui->tlsVerifyCheck->setChecked(p.tls.verify);
    m_ui->caFileEdit->setText(p.tls.caFile);
    m_ui->certFileEdit->setText(p.tls.certFile);
    m_ui->keyFileEdit->setText(p.tls.keyFile);
    m_ui->passphraseEdit->setText(p.tls.keyPassphrase);
    m_ui->proxyTypeCombo->setCurrentIndex(int(p.proxy.type));
    m_ui->proxyHostEdit->setText(p.proxy.host);
    m_ui->proxyPortSpin->setValue(p.proxy.port);
    m_ui->proxyUserEdit->setText(p.proxy.user);
    m_ui->proxyPasswordEdit->setText(p.proxy.password);
    m_pinned = p.tls.pinnedFingerprints;
    m_pinnedSubjects = p.tls.pinnedSubjects;
    fillPinned();
    m_ui->resolveEdit->setText(p.resolve.join(u", "_s));
    m_ui->miniProgramCheck->setChecked(p.forMiniProgram);
    m_filling = false;
}

bool ProfileEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize) {
        const int width = static_cast<QResizeEvent*>(event)->size().width();
        if (watched == m_ui->headersTable->viewport()) {
            // Header names are short and values long: the name gets a third, within reason.
            m_ui->headersTable->horizontalHeader()->resizeSection(ColName, std::clamp(width / 3, 60, 220));
        } else if (watched == m_pinnedList) {
            updatePinnedColumns();
        } else {
            for (QFormLayout* form : std::as_const(m_forms)) {
                if (form->parentWidget() == watched)
                    reflow(form, width);
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ProfileEditor::reflow(QFormLayout* form, int width)
{
    // Side by side when every label fits beside a field of a useful width (the widest field's
    // minimum, at least about 20 characters); otherwise every label goes above its field. One
    // policy for the whole form keeps its rows aligned; WrapLongRows is what side by side uses,
    // because it asks for no more width than WrapAllRows (the minimum never depends on the mode).
    int labels = 0;
    int fields = 0;
    for (int row = 0; row < form->rowCount(); ++row) {
        const QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole);
        const QLayoutItem* field = form->itemAt(row, QFormLayout::FieldRole);
        if (label && field && !label->isEmpty()) {
            labels = std::max(labels, label->sizeHint().width());
            fields = std::max(fields, field->minimumSize().width());
        }
    }
    const int spacing = std::max(form->horizontalSpacing(), 6);
    const QMargins margins = form->contentsMargins();
    const int sideBySide = margins.left() + labels + spacing
        + std::max(fields, form->parentWidget()->fontMetrics().averageCharWidth() * 20) + margins.right();
    const QFormLayout::RowWrapPolicy policy
        = width >= sideBySide ? QFormLayout::WrapLongRows : QFormLayout::WrapAllRows;
    if (form->rowWrapPolicy() != policy) {
        form->setRowWrapPolicy(policy);
        form->activate(); // now, not after one frame with the rows of the old width
        form->parentWidget()->updateGeometry(); // its height for width changed: the outer forms ask again
    }
}

void ProfileEditor::updatePinnedColumns()
{
    // Subject and fingerprint side by side when both fit; in a narrow dock one column with the
    // fingerprint below the subject in lines of 16 hex digits, so that it is read whole (a tree
    // view does not wrap text; the full subject is in the tooltip).
    const QFontMetrics metrics = m_pinnedList->fontMetrics();
    int need = 0;
    for (int i = 0; i < m_pinnedList->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = m_pinnedList->topLevelItem(i);
        need = std::max(need,
            metrics.horizontalAdvance(item->data(0, Qt::UserRole).toString()) + metrics.horizontalAdvance(item->text(1))
                + 4 * metrics.averageCharWidth());
    }
    const bool narrow = m_pinnedList->viewport()->width() < need;
    m_pinnedList->setColumnHidden(1, narrow);
    m_pinnedList->setHeaderHidden(narrow);
    for (int i = 0; i < m_pinnedList->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_pinnedList->topLevelItem(i);
        const QString subject = item->data(0, Qt::UserRole).toString();
        QString text = subject;
        if (narrow) {
            const QString fingerprint = item->text(1);
            for (qsizetype line = 0; line < fingerprint.size(); line += 16) {
                text += u'\n';
                for (qsizetype group = line; group < std::min(line + 16, fingerprint.size()); group += 4)
                    text += (group > line ? u" "_s : QString()) + fingerprint.mid(group, 4);
            }
        }
        item->setText(0, text);
    }
    if (narrow)
        m_pinnedList->header()->resizeSection(0, m_pinnedList->viewport()->width());
    else { // as wide as the subjects (or the header), with room to spare
        m_pinnedList->resizeColumnToContents(0);
        m_pinnedList->setColumnWidth(0, m_pinnedList->columnWidth(0) + metrics.averageCharWidth() * 4);
    }
}

void ProfileEditor::fillPinned()
{
    m_pinnedList->clear();
    for (const QString& fingerprint : std::as_const(m_pinned)) {
        auto* item = new QTreeWidgetItem(m_pinnedList);
        const QString subject = m_pinnedSubjects.value(fingerprint);
        const QString shown = subject.isEmpty() ? tr("(subject not recorded)") : subject;
        item->setText(0, shown);
        item->setData(0, Qt::UserRole, shown);
        item->setToolTip(0, shown + u'\n' + fingerprint);
        item->setText(1, fingerprint);
        item->setToolTip(1, fingerprint);
        item->setData(1, Qt::UserRole, fingerprint);
    }
    updatePinnedColumns();
    m_unpinButton->setEnabled(!m_readOnly && m_pinnedList->currentItem());
}

void ProfileEditor::takeOutsideChange(const Profile& current)
{
    if (!isModified()) {
        const int tab = m_ui->tabs->currentIndex();
        setProfile(current, m_readOnly, m_otherNames);
        m_ui->tabs->setCurrentIndex(tab);
        return;
    }
    const ProfileMerge::Outcome outcome = ProfileMerge::merge(m_original, profile(), current);
    m_original = current;
    // Refill only when the merge brought something the fields show (history and saved messages
    // are not shown here): the cursor stays where the user is typing otherwise.
    if (outcome.merged != profile())
        fillFields(outcome.merged);
    showConflicts(outcome.conflicts);
    revalidate();
}

void ProfileEditor::showConflicts(const QStringList& conflicts)
{
    m_conflicts = conflicts;
    if (!conflicts.isEmpty()) {
        m_conflictLabel->setText(
            tr("This profile was changed elsewhere while you edited it. Both changed: %1. Your values are kept "
               "until you save; load the saved version to take the other change instead.")
                .arg(conflicts.join(u", "_s)));
    }
    m_conflictBar->setVisible(!conflicts.isEmpty());
}

void ProfileEditor::setUnsavedMode(bool on)
{
    m_unsaved = on;
    m_ui->nameEdit->setVisible(!on);
    m_ui->generalGridLabel0->setVisible(!on);
    m_ui->saveButton->setText(on ? tr("Save as profile…") : tr("&Save"));
    m_ui->saveButton->setToolTip(on ? tr("Keep this connection's settings as a profile (Ctrl+S)") : QString());
    revalidate();
}

void ProfileEditor::setConnectText(const QString& text)
{
    if (!text.isEmpty())
        m_ui->connectButton->setText(text);
    m_ui->connectButton->setVisible(!text.isEmpty());
}

void ProfileEditor::addHeaderRow(const ProfileHeader& h)
{
    const bool wasFilling = m_filling;
    m_filling = true;
    QTableWidget* t = m_ui->headersTable;
    const int row = t->rowCount();
    t->insertRow(row);
    auto* enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    enabled->setCheckState(h.enabled ? Qt::Checked : Qt::Unchecked);
    enabled->setToolTip(tr("Send this header"));
    t->setItem(row, ColEnabled, enabled);
    t->setItem(row, ColName, new QTableWidgetItem(h.name));
    t->setItem(row, ColValue, new QTableWidgetItem(h.value));
    auto* secret = new QTableWidgetItem;
    secret->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    secret->setCheckState(h.secret ? Qt::Checked : Qt::Unchecked);
    secret->setToolTip(tr("Secret: kept in the keychain, masked here, left out of exports"));
    t->setItem(row, ColSecret, secret);
    m_filling = wasFilling;
}

void ProfileEditor::moveHeader(int delta)
{
    QTableWidget* t = m_ui->headersTable;
    const int row = t->currentRow();
    const int target = row + delta;
    if (row < 0 || target < 0 || target >= t->rowCount())
        return;
    m_filling = true;
    for (int c = 0; c < t->columnCount(); ++c) {
        QTableWidgetItem* a = t->takeItem(row, c);
        QTableWidgetItem* b = t->takeItem(target, c);
        t->setItem(row, c, b);
        t->setItem(target, c, a);
    }
    m_filling = false;
    t->setCurrentCell(target, t->currentColumn());
    revalidate();
}

void ProfileEditor::updateSecretMasking()
{
    const QLineEdit::EchoMode mode = m_ui->revealSecretsCheck->isChecked() ? QLineEdit::Normal : QLineEdit::Password;
    m_ui->passphraseEdit->setEchoMode(mode);
    m_ui->proxyPasswordEdit->setEchoMode(mode);
    m_ui->headersTable->viewport()->update();
}

void ProfileEditor::browse(QWidget* edit, const QString& title)
{
    auto* line = qobject_cast<QLineEdit*>(edit);
    const QString path = QFileDialog::getOpenFileName(
        this, title, line->text(), tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)"));
    if (!path.isEmpty())
        line->setText(path);
}

Profile ProfileEditor::profile() const
{
    Profile p = m_original;
    p.name = m_ui->nameEdit->text().trimmed();
    p.url = m_ui->urlEdit->text().trimmed();
    p.headers.clear();
    const QTableWidget* t = m_ui->headersTable;
    for (int row = 0; row < t->rowCount(); ++row) {
        ProfileHeader h;
        h.enabled = t->item(row, ColEnabled) && t->item(row, ColEnabled)->checkState() == Qt::Checked;
        h.name = t->item(row, ColName) ? t->item(row, ColName)->text() : QString();
        h.value = t->item(row, ColValue) ? t->item(row, ColValue)->text() : QString();
        h.secret = t->item(row, ColSecret) && t->item(row, ColSecret)->checkState() == Qt::Checked;
        p.headers.append(h);
    }
    p.subprotocols = splitSubprotocols(m_ui->subprotocolsEdit->text());
    p.origin = m_ui->originEdit->text().trimmed();
    p.handshakeTimeoutMs = m_ui->timeoutSpin->value();
    p.tcpNoDelay = m_ui->tcpNoDelayCheck->isChecked();
    p.perMessageDeflate = m_ui->deflateCheck->isChecked();
    p.deflateOffer.clientMaxWindowBits = m_ui->clientBitsCombo->currentData().toInt();
    p.deflateOffer.serverMaxWindowBits = m_ui->serverBitsCombo->currentData().toInt();
    p.deflateOffer.clientNoContextTakeover = m_ui->clientResetCheck->isChecked();
    p.deflateOffer.serverNoContextTakeover = m_ui->serverResetCheck->isChecked();
    p.deflateOutgoing = m_ui->compressOutgoingCheck->isChecked();
    p.autoReconnect = m_ui->autoReconnectCheck->isChecked();
    p.lenient = m_ui->lenientCheck->isChecked();
    p.keepAlivePingMs = m_ui->keepAliveSpin->value();
    p.maxIncomingMessageSize = m_ui->maxSizeSpin->value();
    p.tls.verify = m_ui->tlsVerifyCheck->isChecked();
    p.tls.caFile = m_ui->caFileEdit->text().trimmed();
    p.tls.certFile = m_ui->certFileEdit->text().trimmed();
    p.tls.keyFile = m_ui->keyFileEdit->text().trimmed();
    p.tls.keyPassphrase = m_ui->passphraseEdit->text();
    p.proxy.type = ProxySettings::Type(std::clamp(m_ui->proxyTypeCombo->currentIndex(), 0, 3));
    p.proxy.host = m_ui->proxyHostEdit->text().trimmed();
    p.proxy.port = quint16(m_ui->proxyPortSpin->value());
    p.proxy.user = m_ui->proxyUserEdit->text();
    p.proxy.password = m_ui->proxyPasswordEdit->text();
    p.tls.pinnedFingerprints = m_pinned;
    p.tls.pinnedSubjects = m_pinnedSubjects;
    p.resolve = splitResolve(m_ui->resolveEdit->text());
    p.forMiniProgram = m_ui->miniProgramCheck->isChecked();
    return p;
}

bool ProfileEditor::isModified() const
{
    return !m_readOnly && profile() != m_original;
}

bool ProfileEditor::save()
{
    revalidate();
    if (m_readOnly || !m_valid)
        return false;
    const Profile p = ProfileValidator::normalized(profile());
    if (m_unsaved) {
        Q_EMIT saveAsRequested(p);
        return true;
    }
    const Profile base = m_original;
    m_original = p;
    fillFields(p);
    showConflicts({});
    revalidate();
    Q_EMIT saveRequested(p, base);
    return true;
}

void ProfileEditor::focusName()
{
    m_ui->tabs->setCurrentIndex(0);
    m_ui->nameEdit->setFocus();
    m_ui->nameEdit->selectAll();
}

void ProfileEditor::showMessages(QLabel* label, const QStringList& errors, const QStringList& notices)
{
    // Plain text when there are only errors (what a test or a screen reader reads is the message
    // itself); rich text only to colour notices differently.
    auto escape
        = [](QString s) { return s.replace(u'&', u"&amp;"_s).replace(u'<', u"&lt;"_s).replace(u'>', u"&gt;"_s); };
    QStringList lines;
    for (const QString& e : errors)
        lines.append(escape(e));
    for (const QString& n : notices)
        lines.append(u"<span style=\"color: %1\">"_s.arg(Style::color(Style::Tone::Warning, palette()).name())
            + escape(n) + u"</span>"_s);
    label->setTextFormat(notices.isEmpty() ? Qt::PlainText : Qt::RichText);
    label->setText(notices.isEmpty() ? errors.join(u'\n') : lines.join(u"<br>"_s));
    label->setVisible(!lines.isEmpty());
}

void ProfileEditor::revalidate()
{
    if (m_filling)
        return;
    const Profile p = profile();
    m_plan = ProfileValidator::validate(p);
    const QString nameError = (m_readOnly || m_unsaved) ? QString() : ProfileValidator::checkName(p.name, m_otherNames);

    auto byPrefix = [](const QList<ValidationIssue>& issues, const QString& prefix) {
        QStringList out;
        for (const ValidationIssue& i : issues) {
            if (i.field.startsWith(prefix))
                out.append(i.message);
        }
        return out;
    };
    showMessages(m_ui->nameError, nameError.isEmpty() ? QStringList() : QStringList { nameError }, {});
    showMessages(m_ui->urlError, m_plan.errorsFor(u"url"_s), m_plan.noticesFor(u"url"_s));
    showMessages(
        m_ui->headersError, byPrefix(m_plan.errors, u"headers"_s), byPrefix(m_plan.fieldNotices, u"headers"_s));
    showMessages(m_ui->subprotocolsError, byPrefix(m_plan.errors, u"subprotocols"_s), {});
    showMessages(m_ui->originError, m_plan.errorsFor(u"origin"_s), {});
    showMessages(m_ui->timeoutError, m_plan.errorsFor(u"timeout"_s), {});
    showMessages(m_ui->keepAliveError, m_plan.errorsFor(u"keepAlive"_s), {});
    showMessages(m_ui->maxSizeError, m_plan.errorsFor(u"maxMessageSize"_s), {});
    showMessages(m_ui->deflateNotice, {}, m_plan.noticesFor(u"perMessageDeflate"_s));
    showMessages(m_ui->deflateError, byPrefix(m_plan.errors, u"deflate."_s), {});
    // The parameters only matter when deflate is on; the header shows what would be offered.
    m_ui->deflateOptions->setEnabled(!m_readOnly && p.perMessageDeflate);
    m_ui->deflateOfferLabel->setText(
        tr("Offer: Sec-WebSocket-Extensions: %1").arg(QString::fromLatin1(p.deflateOffer.offerHeaderValue())));
    showMessages(m_ui->caFileError, m_plan.errorsFor(u"tls.caFile"_s), {});
    showMessages(m_ui->certFileError, m_plan.errorsFor(u"tls.certFile"_s), {});
    showMessages(m_ui->keyFileError, m_plan.errorsFor(u"tls.keyFile"_s), {});
    showMessages(m_ui->proxyHostError, m_plan.errorsFor(u"proxy.host"_s), {});
    showMessages(m_ui->proxyPortError, m_plan.errorsFor(u"proxy.port"_s), {});
    showMessages(
        m_ui->resolveError, byPrefix(m_plan.errors, u"resolve"_s), byPrefix(m_plan.fieldNotices, u"resolve"_s));
    m_ui->miniProgramRules->setVisible(p.forMiniProgram);
    if (p.forMiniProgram)
        m_ui->miniProgramRules->setText(miniProgramRulesText(p));

    // Mark the header cells that have a problem.
    const QTableWidget* t = m_ui->headersTable;
    m_filling = true;
    for (int row = 0; row < t->rowCount(); ++row) {
        for (int col : { int(ColName), int(ColValue) }) {
            QTableWidgetItem* item = t->item(row, col);
            if (!item)
                continue;
            const QStringList errs
                = m_plan.errorsFor((col == ColName ? u"headers[%1].name"_s : u"headers[%1].value"_s).arg(row));
            item->setBackground(errs.isEmpty() ? QBrush() : QBrush(Style::errorBackground(palette())));
            item->setToolTip(errs.join(u'\n'));
        }
    }
    m_filling = false;

    // Tabs with a problem say so, since the message may be on a tab the user is not looking at.
    const int errorTabs[] = { 0, 1, 2, 3 };
    for (int tab : errorTabs) {
        bool bad = false;
        for (const ValidationIssue& i : m_plan.errors) {
            const QString& f = i.field;
            const int fieldTab = f.startsWith(u"tls."_s)                                       ? 2
                : f.startsWith(u"proxy."_s)                                                    ? 3
                : (f == u"keepAlive" || f == u"maxMessageSize" || f.startsWith(u"deflate."_s)) ? 1
                                                                                               : 0;
            bad = bad || fieldTab == tab;
        }
        if (tab == 0)
            bad = bad || !nameError.isEmpty();
        // The mark goes first and the title turns red: in a narrow dock a title may be shortened.
        const QString title = m_ui->tabs->tabText(tab).remove(u"⚠ "_s);
        m_ui->tabs->setTabText(tab, bad ? u"⚠ "_s + title : title);
        m_ui->tabs->tabBar()->setTabTextColor(tab, bad ? Style::color(Style::Tone::Bad, palette()) : QColor());
        m_ui->tabs->setTabToolTip(
            tab, bad ? tr("Something on this page needs fixing before you can save or connect") : QString());
    }

    m_valid = m_plan.ok() && nameError.isEmpty();
    m_ui->connectButton->setEnabled(m_valid);
    m_ui->saveButton->setEnabled(m_valid && (m_unsaved || isModified()));
    m_ui->revertButton->setEnabled(isModified());
    if (m_unsaved && m_valid && !m_readOnly)
        Q_EMIT edited(ProfileValidator::normalized(p));
}

} // namespace wsi
