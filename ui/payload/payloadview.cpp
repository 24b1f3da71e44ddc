#include "payloadview.h"

#include "teach/framediagram.h"

#include "hexview.h"
#include "invisiblehighlighter.h"
#include "jsonhighlighter.h"
#include "payload/closecodes.h"
#include "payload/payloadcodec.h"
#include "payload/payloadtext.h"
#include "style/style.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsi {

namespace {
QPlainTextEdit* makeEditor(QWidget* parent, const QString& name)
{
    auto* e = new QPlainTextEdit(parent);
    e->setObjectName(name);
    e->setReadOnly(true);
    e->setFont(Style::monospace());
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    e->setWordWrapMode(QTextOption::WrapAnywhere);
    return e;
}

QLabel* makeNote(QWidget* parent, const QString& name)
{
    auto* l = new QLabel(parent);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->hide();
    return l;
}

void setNote(QLabel* label, const QString& text, bool warning)
{
    label->setText(text);
    label->setStyleSheet(Style::labelStyleSheet(warning ? Style::Tone::Bad : Style::Tone::Muted, label->palette()));
    label->setVisible(!text.isEmpty());
}

QString sizeText(qsizetype n)
{
    return QLocale().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat)
        + (n >= 1024 ? u" (%1 B)"_s.arg(QLocale().toString(qint64(n))) : QString());
}

QString truncatedNote(qsizetype size)
{
    return PayloadView::tr("Showing the first %1 of %2: use Hex or Save for the whole payload.")
        .arg(QLocale().formattedDataSize(PayloadView::kMaxRenderedBytes), sizeText(size));
}
} // namespace

PayloadView::PayloadView(QWidget* parent)
    : QWidget(parent)
    , m_tabs(new QTabBar(this))
    , m_summary(new QLabel(this))
    , m_copyButton(new QToolButton(this))
    , m_saveButton(new QToolButton(this))
    , m_stack(new QStackedWidget(this))
{
    setObjectName(u"payloadView"_s);
    m_tabs->setObjectName(u"payloadModes"_s);
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    m_tabs->addTab(tr("Text"));
    m_tabs->addTab(tr("JSON"));
    m_tabs->addTab(tr("Hex"));
    m_tabs->addTab(tr("Base64"));
    m_tabs->addTab(tr("Frames"));
    m_summary->setObjectName(u"payloadSummary"_s);
    m_copyButton->setText(tr("Copy"));
    m_copyButton->setToolTip(tr("Copy the message (text as is, binary as hex)"));
    m_copyButton->setObjectName(u"payloadCopy"_s);
    m_saveButton->setText(tr("Save…"));
    m_saveButton->setToolTip(tr("Save the payload's raw bytes to a file"));
    m_saveButton->setObjectName(u"payloadSave"_s);

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    // The mode tabs get the row (they must not hide behind scroll arrows beside the send panel);
    // the kind and size go under the payload.
    top->addWidget(m_tabs);
    top->addStretch();
    top->addWidget(m_copyButton);
    top->addWidget(m_saveButton);

    // Text
    auto* textPage = new QWidget(this);
    m_textNote = makeNote(textPage, u"textNote"_s);
    m_text = makeEditor(textPage, u"payloadText"_s);
    m_text->setPlaceholderText(tr("Select a row to see its payload."));
    new InvisibleHighlighter(m_text->document());
    auto* tl = new QVBoxLayout(textPage);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->addWidget(m_textNote);
    tl->addWidget(m_text, 1);

    // JSON
    auto* jsonPage = new QWidget(this);
    m_jsonNote = makeNote(jsonPage, u"jsonNote"_s);
    m_json = makeEditor(jsonPage, u"payloadJson"_s);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_highlighter = new JsonHighlighter(m_json->document());
    auto* jl = new QVBoxLayout(jsonPage);
    jl->setContentsMargins(0, 0, 0, 0);
    jl->addWidget(m_jsonNote);
    jl->addWidget(m_json, 1);

    // Hex
    auto* hexPage = new QWidget(this);
    m_hex = new HexView(hexPage);
    m_hex->setObjectName(u"hexView"_s);
    m_goTo = new QLineEdit(hexPage);
    m_goTo->setObjectName(u"hexGoTo"_s);
    m_goTo->setPlaceholderText(tr("Go to offset (4096 or 0x1000), Ctrl+G"));
    m_goTo->setClearButtonEnabled(true);
    m_find = new QLineEdit(hexPage);
    m_find->setObjectName(u"hexFind"_s);
    m_find->setPlaceholderText(tr("Find (Ctrl+F), next: Enter or F3"));
    m_find->setClearButtonEnabled(true);
    m_findKind = new QComboBox(hexPage);
    m_findKind->addItem(tr("Hex bytes"));
    m_findKind->addItem(tr("Text"));
    auto* next = new QToolButton(hexPage);
    next->setText(tr("Next"));
    next->setToolTip(tr("Find the next match (Enter)"));
    m_hexStatus = new QLabel(hexPage);
    m_hexStatus->setObjectName(u"hexStatus"_s);
    auto* hexBar = new QHBoxLayout;
    hexBar->setContentsMargins(0, 0, 0, 0);
    hexBar->addWidget(m_goTo, 1);
    hexBar->addWidget(m_find, 2);
    hexBar->addWidget(m_findKind);
    hexBar->addWidget(next);
    auto* hl = new QVBoxLayout(hexPage);
    hl->setContentsMargins(0, 0, 0, 0);
    hl->addLayout(hexBar);
    hl->addWidget(m_hex, 1);
    hl->addWidget(m_hexStatus);

    // Base64
    m_base64 = makeEditor(this, u"payloadBase64"_s);

    // Frames
    auto* framesPage = new QWidget(this);
    m_framesNote = makeNote(framesPage, u"framesNote"_s);
    m_frames = new QTableWidget(framesPage);
    m_frames->setObjectName(u"payloadFrames"_s);
    m_frames->setColumnCount(9);
    m_frames->setHorizontalHeaderLabels({ tr("#"), tr("FIN"), tr("RSV"), tr("Opcode"), tr("Masked"), tr("Mask key"),
        tr("Length"), tr("Payload offset"), tr("Violations") });
    m_frames->verticalHeader()->hide();
    m_frames->horizontalHeader()->setStretchLastSection(true);
    m_frames->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_frames->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_frameDiagram = new QTextBrowser(framesPage);
    m_frameDiagram->setObjectName(u"frameDiagram"_s);
    m_frameDiagram->setOpenLinks(false);
    auto* framesSplit = new QSplitter(Qt::Vertical, framesPage);
    framesSplit->addWidget(m_frames);
    framesSplit->addWidget(m_frameDiagram);
    framesSplit->setStretchFactor(0, 1);
    framesSplit->setStretchFactor(1, 2);
    auto* fl = new QVBoxLayout(framesPage);
    fl->setContentsMargins(0, 0, 0, 0);
    fl->addWidget(m_framesNote);
    fl->addWidget(framesSplit, 1);
    connect(m_frames, &QTableWidget::currentCellChanged, this, [this](int row) { showFrameDiagram(row); });

    m_stack->addWidget(textPage);
    m_stack->addWidget(jsonPage);
    m_stack->addWidget(hexPage);
    m_stack->addWidget(m_base64);
    m_stack->addWidget(framesPage);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_summary);

    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        if (index < 0)
            return;
        if (!m_switching)
            m_sticky = index; // the user picked it: keep it for the next rows
        render(Mode(index));
        m_stack->setCurrentIndex(index);
    });
    connect(m_copyButton, &QToolButton::clicked, this, &PayloadView::copyMessage);
    connect(m_saveButton, &QToolButton::clicked, this, &PayloadView::saveWithDialog);
    connect(m_goTo, &QLineEdit::returnPressed, this, &PayloadView::goToOffset);
    connect(m_find, &QLineEdit::returnPressed, this, &PayloadView::findNext);
    connect(next, &QToolButton::clicked, this, &PayloadView::findNext);
    connect(m_hex, &HexView::selectionChanged, this, &PayloadView::updateHexStatus);
    // Ctrl+G go to, Ctrl+F find, F3 next match: inside the hex page only.
    const auto shortcut = [hexPage](const QKeySequence& key) {
        auto* s = new QShortcut(key, hexPage);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        return s;
    };
    connect(shortcut(QKeySequence(Qt::CTRL | Qt::Key_G)), &QShortcut::activated, this, [this] {
        m_goTo->setFocus();
        m_goTo->selectAll();
    });
    connect(shortcut(QKeySequence::Find), &QShortcut::activated, this, [this] {
        m_find->setFocus();
        m_find->selectAll();
    });
    // F3 (next match) is the log filter's too, window-wide: two shortcuts on one key would be
    // ambiguous and neither would fire. While the hex page has the focus, its widgets take F3 as a
    // key of their own (ShortcutOverride) and it finds the next match here; elsewhere it is the log's.
    hexPage->installEventFilter(this);
    const QList<QWidget*> hexWidgets = hexPage->findChildren<QWidget*>();
    for (QWidget* w : hexWidgets)
        w->installEventFilter(this);
    clear();
}

PayloadView::~PayloadView() = default;

bool PayloadView::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        // F3 itself, not QKeySequence::FindNext: under GNOME that is Ctrl+G too, which is go-to here.
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_F3 && (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier) {
            if (event->type() == QEvent::KeyPress)
                findNext();
            event->accept();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PayloadView::clear()
{
    setEntry(LogEntry {});
    m_summary->clear();
    m_copyButton->setEnabled(false);
    m_saveButton->setEnabled(false);
}

PayloadView::Mode PayloadView::mode() const
{
    return Mode(m_tabs->currentIndex());
}

void PayloadView::setMode(Mode mode)
{
    m_sticky = int(mode);
    showMode(mode);
}

void PayloadView::showMode(Mode mode)
{
    m_switching = true;
    const bool same = m_tabs->currentIndex() == int(mode);
    m_tabs->setCurrentIndex(int(mode));
    m_switching = false;
    if (same) {
        render(mode);
        m_stack->setCurrentIndex(int(mode));
    }
}

void PayloadView::setEntry(const LogEntry& entry)
{
    m_entry = entry; // implicit sharing: the payload bytes are not copied
    m_rendered = 0;
    const qsizetype size = m_entry.payload.size();
    m_summary->setText(tr("%1 · %2").arg(kindName(m_entry.kind), sizeText(size)));
    m_copyButton->setEnabled(true);
    m_saveButton->setEnabled(size > 0);
    m_tabs->setTabText(
        int(Mode::Frames), m_entry.frames.isEmpty() ? tr("Frames") : tr("Frames (%1)").arg(m_entry.frames.size()));

    Mode best = Mode::Text;
    if (m_entry.isMessage() || m_entry.kind == LogEntry::Kind::Ping || m_entry.kind == LogEntry::Kind::Pong) {
        switch (PayloadText::bestView(m_entry.payload, m_entry.kind == LogEntry::Kind::Binary)) {
        case PayloadText::BestView::Json:
            best = Mode::Json;
            break;
        case PayloadText::BestView::Hex:
            best = Mode::Hex;
            break;
        case PayloadText::BestView::Text:
            best = Mode::Text;
            break;
        }
    }
    showMode(m_sticky >= 0 ? Mode(m_sticky) : best);
}

void PayloadView::render(Mode mode)
{
    const quint32 bit = 1u << int(mode);
    if (m_rendered & bit)
        return;
    m_rendered |= bit;
    const QByteArray& payload = m_entry.payload;
    const QByteArrayView shown = QByteArrayView(payload).first(std::min(payload.size(), kMaxRenderedBytes));
    const bool truncated = shown.size() < payload.size();

    switch (mode) {
    case Mode::Text: {
        QStringList notes;
        if (m_entry.kind == LogEntry::Kind::Close) {
            const QString name = closeCodeName(m_entry.closeCode);
            QString text = m_entry.closeCode
                ? tr("Close code %1%2").arg(m_entry.closeCode).arg(name.isEmpty() ? QString() : tr(" (%1)").arg(name))
                : tr("No close code");
            const QByteArray reason = m_entry.closeReason();
            if (!reason.isEmpty())
                text += u'\n' + tr("Reason: %1").arg(PayloadText::visible(reason));
            m_text->setPlainText(text);
            setNote(m_textNote, {}, false);
            break;
        }
        if (const qsizetype bad = PayloadText::firstInvalidUtf8(payload); bad >= 0)
            notes << tr("Invalid UTF-8 at byte %1 (0x%2): shown as �.").arg(bad).arg(bad, 0, 16);
        if (const qsizetype n = PayloadText::invisibleCount(shown); n > 0)
            notes << tr("%n invisible character(s) made visible (highlighted): → tab, ↵ newline, ⍽ no-break space, "
                        "«NUL» «CR» «ZWSP» «BOM»... for the others.",
                nullptr, int(n));
        if (truncated)
            notes << truncatedNote(payload.size());
        m_text->setPlainText(PayloadText::visible(shown));
        setNote(m_textNote, notes.join(u'\n'), PayloadText::firstInvalidUtf8(payload) >= 0);
        break;
    }
    case Mode::Json: {
        if (truncated) {
            m_json->setPlainText(PayloadText::visible(shown));
            setNote(m_jsonNote, tr("Too large to pretty-print.") + u' ' + truncatedNote(payload.size()), false);
            break;
        }
        const auto check = PayloadText::checkJson(payload);
        if (check.ok()) {
            m_json->setPlainText(QString::fromUtf8(PayloadText::reformatJson(payload)));
            setNote(m_jsonNote, {}, false);
        } else {
            m_json->setPlainText(PayloadText::visible(payload));
            setNote(m_jsonNote, tr("Not valid JSON: %1").arg(check.error), true);
            // Put the cursor where the parser stopped.
            QTextCursor c(m_json->document()->findBlockByNumber(check.line - 1));
            c.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, check.column - 1);
            m_json->setTextCursor(c);
        }
        break;
    }
    case Mode::Hex:
        m_hex->setData(payload);
        updateHexStatus();
        break;
    case Mode::Base64:
        if (truncated) {
            m_base64->setPlainText(
                QString::fromLatin1(shown.toByteArray().toBase64()) + u"\n…\n" + truncatedNote(payload.size()));
        } else {
            m_base64->setPlainText(QString::fromLatin1(payload.toBase64()));
        }
        break;
    case Mode::Frames: {
        const auto& frames = m_entry.frames;
        m_frames->setRowCount(int(frames.size()));
        for (int r = 0; r < frames.size(); ++r) {
            const FrameInfo& f = frames.at(r);
            const QString lengthText = f.lengthBytes == 0 ? tr("%1 (7-bit)").arg(f.length)
                                                          : tr("%1 (%2-bit)").arg(f.length).arg(f.lengthBytes * 8);
            const QStringList cells { QString::number(r + 1), f.fin ? u"1"_s : u"0"_s,
                u"%1%2%3"_s.arg((f.rsv >> 2) & 1).arg((f.rsv >> 1) & 1).arg(f.rsv & 1),
                u"0x%1 %2"_s.arg(f.opcode, 1, 16).arg(opcodeName(f.opcode)), f.masked ? tr("yes") : tr("no"),
                f.masked ? u"%1"_s.arg(f.maskKey, 8, 16, QLatin1Char('0')) : QString(), lengthText,
                f.isControl() ? QString() : QString::number(f.payloadOffset), f.violations.join(u"; "_s) };
            for (int c = 0; c < cells.size(); ++c) {
                auto* item = new QTableWidgetItem(cells.at(c));
                if (c == 8 && !f.violations.isEmpty())
                    item->setForeground(Style::color(Style::Tone::Bad, m_frames->palette()));
                m_frames->setItem(r, c, item);
            }
        }
        m_frames->resizeColumnsToContents();
        m_frames->setVisible(!frames.isEmpty());
        if (!frames.isEmpty())
            m_frames->setCurrentCell(0, 0);
        showFrameDiagram(frames.isEmpty() ? -1 : 0);
        setNote(m_framesNote,
            frames.isEmpty() ? tr("No frame details (not seen on the wire).")
                             : tr("%n frame(s) carried this message.", nullptr, int(frames.size())),
            false);
        break;
    }
    }
}

QString PayloadView::textNote() const
{
    return m_textNote->isHidden() ? QString() : m_textNote->text();
}

QString PayloadView::jsonNote() const
{
    return m_jsonNote->isHidden() ? QString() : m_jsonNote->text();
}

QString PayloadView::framesNote() const
{
    return m_framesNote->isHidden() ? QString() : m_framesNote->text();
}

QString PayloadView::messageText() const
{
    if (m_entry.kind == LogEntry::Kind::Binary || PayloadText::firstInvalidUtf8(m_entry.payload) >= 0)
        return QString::fromLatin1(m_entry.payload.toHex(' '));
    return QString::fromUtf8(m_entry.payload);
}

void PayloadView::copyMessage() const
{
    QApplication::clipboard()->setText(messageText());
}

QString PayloadView::saveToFile(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    if (file.write(m_entry.payload) != m_entry.payload.size() || !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

void PayloadView::saveWithDialog()
{
    const QString suffix = m_entry.kind == LogEntry::Kind::Binary ? u".bin"_s : u".txt"_s;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save payload"), u"payload"_s + suffix);
    if (path.isEmpty())
        return;
    if (const QString error = saveToFile(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Save payload"), error);
}

void PayloadView::goToOffset()
{
    const qint64 offset = HexView::parseOffset(m_goTo->text());
    if (offset < 0) {
        m_hexStatus->setText(
            tr("\"%1\" is not an offset: type a decimal number or 0x followed by hex digits.").arg(m_goTo->text()));
        return;
    }
    if (!m_hex->goToOffset(offset)) {
        m_hexStatus->setText(
            tr("Offset %1 is past the end (the payload has %n byte(s)).", nullptr, int(m_hex->data().size()))
                .arg(offset));
        return;
    }
    m_hex->setFocus();
}

void PayloadView::findNext()
{
    QByteArray needle;
    if (m_findKind->currentIndex() == 0) {
        const auto r = PayloadCodec::parseHex(m_find->text());
        if (!r.ok()) {
            m_hexStatus->setText(r.error);
            return;
        }
        needle = r.bytes;
    } else {
        needle = m_find->text().toUtf8();
    }
    if (needle.isEmpty())
        return;
    if (m_hex->findNext(needle) < 0)
        m_hexStatus->setText(tr("Not found."));
}

void PayloadView::updateHexStatus()
{
    const qint64 start = m_hex->selectionStart();
    const qint64 len = m_hex->selectionEnd() - start;
    if (m_hex->data().isEmpty())
        m_hexStatus->clear();
    else if (len > 0)
        m_hexStatus->setText(tr("Selected %n byte(s) at 0x%1 (%2)", nullptr, int(len)).arg(start, 0, 16).arg(start));
    else
        m_hexStatus->setText(tr("Offset 0x%1 (%2) of %n byte(s)", nullptr, int(m_hex->data().size()))
                                 .arg(m_hex->cursorOffset(), 0, 16)
                                 .arg(m_hex->cursorOffset()));
}

void PayloadView::showFrameDiagram(int row)
{
    if (row < 0 || row >= m_entry.frames.size()) {
        m_frameDiagram->clear();
        m_frameDiagram->setVisible(false);
        return;
    }
    const FrameInfo& f = m_entry.frames.at(row);
    // Control frames are entries of their own; a data frame's payload is its slice of the message.
    // A compressed message's frames carry its wire bytes (wirePayload), not the inflated message.
    const QByteArray& bytes = m_entry.wirePayload.isEmpty() ? m_entry.payload : m_entry.wirePayload;
    const QByteArrayView payload = f.isControl()
        ? QByteArrayView(bytes)
        : QByteArrayView(bytes).sliced(qMin<qsizetype>(qsizetype(f.payloadOffset), bytes.size()));
    m_frameDiagram->setHtml(frameDiagramHtml(FrameDiagram::build(f, payload), palette()));
    m_frameDiagram->setVisible(true);
}

QString PayloadView::frameDiagramHtml(const FrameDiagram& d, const QPalette& palette)
{
    // One hue per field, as light or as dark as the palette's base, so dark themes stay readable.
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    auto fieldColor = [dark](int i) {
        if (i < 0)
            return QString();
        return QColor::fromHsv((i * 53) % 360, dark ? 120 : 70, dark ? 110 : 250).name();
    };
    QString html = u"<table cellspacing='0' cellpadding='2' style='font-family:monospace'><tr>"_s;
    for (int b = 0; b < 32; ++b)
        html += u"<td align='center'><small>%1</small></td>"_s.arg(b % 10);
    html += u"</tr>"_s;
    const int totalBits = int(d.header.size()) * 8;
    for (int row = 0; row * 32 < totalBits; ++row) {
        html += u"<tr>"_s;
        for (int b = row * 32; b < qMin(totalBits, row * 32 + 32); ++b) {
            const int bit = (quint8(d.header.at(b / 8)) >> (7 - b % 8)) & 1;
            const int field = d.fieldAt(b);
            html += u"<td align='center' style='background:%1'>%2</td>"_s.arg(fieldColor(field)).arg(bit);
        }
        html += u"</tr><tr>"_s;
        for (int byte = row * 4; byte < qMin<int>(int(d.header.size()), row * 4 + 4); ++byte)
            html += u"<td colspan='8' align='center'><small>0x%1</small></td>"_s.arg(
                quint8(d.header.at(byte)), 2, 16, QLatin1Char('0'));
        html += u"</tr>"_s;
    }
    html += u"</table><table cellspacing='0' cellpadding='3'><tr><th align='left'>%1</th><th align='left'>%2</th>"
            u"<th align='left'>%3</th><th align='left'>%4</th></tr>"_s.arg(
                tr("Field"), tr("Bits"), tr("Value"), tr("Meaning"));
    for (int i = 0; i < d.fields.size(); ++i) {
        const FrameDiagram::Field& f = d.fields.at(i);
        const QString bits = f.bitOffset < 0 ? tr("payload")
            : f.bitCount == 1                ? QString::number(f.bitOffset)
                                             : u"%1–%2"_s.arg(f.bitOffset).arg(f.bitOffset + f.bitCount - 1);
        html += u"<tr><td style='background:%1'>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>"_s.arg(
            fieldColor(f.bitOffset < 0 ? -1 : i), f.name.toHtmlEscaped(), bits, QString::number(f.value),
            f.meaning.toHtmlEscaped());
    }
    html += u"</table>"_s;
    // Legends, so that a class can read any frame without the RFC at hand.
    html += u"<p><small>"_s
        + tr("Opcodes: 0x0 continuation · 0x1 text · 0x2 binary · 0x8 close · 0x9 ping · 0xA pong · 0x3–0x7 and "
             "0xB–0xF reserved.")
        + u"<br>"_s;
    QStringList codes;
    for (const CloseCodeInfo& c : standardCloseCodes()) {
        if (c.code < 3000)
            codes.append(u"%1 %2"_s.arg(c.code).arg(c.name.toHtmlEscaped()));
    }
    html += tr("Close codes: %1 · 3000–3999 registered by libraries · 4000–4999 for applications.")
                .arg(codes.join(u" · "_s))
        + u"</small></p>"_s;
    if (!d.payloadUnmasked.isEmpty()) {
        const bool masked = d.payloadOnWire != d.payloadUnmasked;
        html += u"<p style='font-family:monospace'>"_s;
        html += tr("First payload bytes on the wire: %1").arg(QString::fromLatin1(d.payloadOnWire.toHex(' ')));
        if (masked)
            html += u"<br>"_s
                + tr("Unmasked (XOR with the key): %1").arg(QString::fromLatin1(d.payloadUnmasked.toHex(' ')));
        html += u"</p>"_s;
    }
    return html;
}

} // namespace wsi
