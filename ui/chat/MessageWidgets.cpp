#include "MessageWidgets.h"

#include "Money.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextLayout>
#include <QTextFrame>
#include <QTextTable>
#include <QRegularExpression>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("—");
    if (ms < 1000)
        return QCoreApplication::translate("MessageWidget", "%1 ms").arg(ms);
    return QCoreApplication::translate("MessageWidget", "%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
}

namespace {

// The names Switchyard gives unnamed rules ("route 2", "default") are the ledger's, in English;
// the badge says them in the window's language. A rule's own name is shown as written.
QString ruleLabel(const QString &rule)
{
    if (rule == u"default")
        return QCoreApplication::translate("MessageWidget", "default");
    static const QRegularExpression numbered(QStringLiteral("^route (\\d+)$"));
    if (const QRegularExpressionMatch m = numbered.match(rule); m.hasMatch())
        return QCoreApplication::translate("MessageWidget", "route %1").arg(m.captured(1));
    return rule;
}

QToolButton *actionButton(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setObjectName(name);
    b->setAccessibleName(text);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setCursor(Qt::PointingHandCursor);
    return b;
}

// Qt 6.4's Markdown importer crashes on text that starts with a blank line in an empty document,
// and a leading blank line would only add an empty paragraph anyway.
QString withoutLeadingBlankLines(const QString &md)
{
    qsizetype i = 0;
    while (i < md.size()) {
        const qsizetype nl = md.indexOf(u'\n', i);
        if (nl < 0 || !QStringView(md).mid(i, nl - i).trimmed().isEmpty())
            break;
        i = nl + 1;
    }
    return md.mid(i);
}

void mute(QLabel *label)
{
    label->setForegroundRole(QPalette::PlaceholderText);
}

} // namespace

// ---- TextSegment

TextSegment::TextSegment(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("textSegment"));
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // Links open in the browser; nothing is ever loaded into the answer itself.
    setOpenLinks(false);
    connect(this, &QTextBrowser::anchorClicked, this, [](const QUrl &url) {
        if (url.scheme() == u"http" || url.scheme() == u"https" || url.scheme() == u"mailto")
            QDesktopServices::openUrl(url);
    });
    setFocusPolicy(Qt::ClickFocus);
    viewport()->setAutoFillBackground(false);
    setAutoFillBackground(false);
    document()->setDocumentMargin(2);
    // It only grows at the bottom: on a resize, only the new strip is painted.
    setAttribute(Qt::WA_StaticContents);
    viewport()->setAttribute(Qt::WA_StaticContents);
    setFixedHeight(0);
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &TextSegment::fitHeight);
}

// Replaces everything from the tail's start with `markdown` (nothing when it is blank), in one
// edit, so the document lays out only that part once.
void TextSegment::replaceTail(const QString &markdown)
{
    QTextCursor c(document());
    c.beginEditBlock();
    c.setPosition(m_tailStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    c.removeSelectedText();
    int frames = -1;
    int start = -1;
    if (!markdown.trimmed().isEmpty()) {
        if (m_empty) {
            c.setBlockFormat(QTextBlockFormat());
            c.setCharFormat(QTextCharFormat());
        } else {
            c.insertBlock(QTextBlockFormat(), QTextCharFormat());
        }
        frames = int(document()->rootFrame()->childFrames().size());
        start = c.position();
        c.insertMarkdown(withoutLeadingBlankLines(markdown));
    }
    c.endEditBlock();
    if (start >= 0) {
        styleTables(frames);
        styleInlineCode(start);
        keepShaping(start);
    }
}

void TextSegment::commit(const QString &markdown)
{
    m_source += markdown;
    if (markdown.trimmed().isEmpty())
        return;   // the tail, if any, stays and is replaced next
    replaceTail(markdown);
    m_empty = false;
    m_tail.clear();
    QTextCursor c(document());
    c.movePosition(QTextCursor::End);
    m_tailStart = c.position();
}

void TextSegment::setTail(const QString &markdown)
{
    if (markdown == m_tail)
        return;
    replaceTail(markdown);
    m_tail = markdown;
}

void TextSegment::appendPlain(QStringView text)
{
    QTextCursor c(document());
    c.movePosition(QTextCursor::End);
    c.insertText(text.toString());
    m_source += text;
    m_empty = false;
    m_tailStart = c.position();
}

void TextSegment::keepShaping(int from)
{
    // QTextLayout throws its shaped glyphs away after laying out; every repaint (and sticking to the
    // bottom repaints the view as the answer grows) would shape the visible text again.
    for (QTextBlock b = document()->findBlock(from); b.isValid(); b = b.next()) {
        if (QTextLayout *l = b.layout(); l && !l->cacheEnabled())
            l->setCacheEnabled(true);
    }
}

void TextSegment::styleInlineCode(int from)
{
    // Qt's Markdown importer marks `inline code` as fixed pitch only; give it the system's fixed
    // font and a tint, as code blocks have.
    QTextCharFormat code;
    code.setFontFamilies({QFontDatabase::systemFont(QFontDatabase::FixedFont).family()});
    code.setBackground(palette().color(QPalette::AlternateBase));
    for (QTextBlock b = document()->findBlock(from); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (f.isValid() && f.charFormat().fontFixedPitch() && f.charFormat().background().style() == Qt::NoBrush) {
                QTextCursor c(document());
                c.setPosition(f.position());
                c.setPosition(f.position() + f.length(), QTextCursor::KeepAnchor);
                c.mergeCharFormat(code);
            }
        }
    }
}

void TextSegment::styleTables(int fromFrame)
{
    const QList<QTextFrame *> frames = document()->rootFrame()->childFrames();
    for (qsizetype i = fromFrame; i < frames.size(); ++i) {
        auto *table = qobject_cast<QTextTable *>(frames[i]);
        if (!table)
            continue;
        QTextTableFormat f = table->format();
        f.setBorder(1);
        f.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        f.setBorderBrush(palette().color(QPalette::Mid));
        f.setBorderCollapse(true);
        f.setCellPadding(5);
        f.setCellSpacing(0);
        f.setTopMargin(4);
        f.setBottomMargin(8);
        table->setFormat(f);
        for (int col = 0; col < table->columns(); ++col) {
            QTextTableCell cell = table->cellAt(0, col);
            QTextCharFormat cf = cell.format();
            cf.setBackground(palette().color(QPalette::AlternateBase));
            cell.setFormat(cf);
        }
    }
}

void TextSegment::setGrowInSteps(bool on)
{
    m_steps = on;
    fitHeight();
}

void TextSegment::fitHeight()
{
    int h = int(std::ceil(document()->size().height()));
    if (m_steps) {
        const int step = 12 * fontMetrics().lineSpacing();
        h = (h + step - 1) / step * step;
    }
    if (h != height())
        setFixedHeight(h);
}

void TextSegment::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    fitHeight();
}

// ---- CodeBlock

CodeBlock::CodeBlock(const QString &language, QWidget *parent)
    : QFrame(parent)
    , m_view(new QPlainTextEdit(this))
    , m_copy(actionButton(tr("Copy"), QStringLiteral("copyCodeButton"), this))
{
    setObjectName(QStringLiteral("codeBlock"));
    // Exactly as tall as its code: spare height in a layout must not spread into it (that would
    // move every block below on each streamed delta and repaint the whole view).
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(8, 2, 2, 0);
    auto *lang = new QLabel(language.isEmpty() ? tr("code") : language, this);
    lang->setObjectName(QStringLiteral("codeLanguage"));
    mute(lang);
    header->addWidget(lang);
    header->addStretch();
    m_copy->setAccessibleName(tr("Copy code"));
    m_copy->setToolTip(tr("Copy the code to the clipboard"));
    header->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(1, 1, 1, 1);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_view);

    m_view->setReadOnly(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_view->setAccessibleName(tr("Code (%1)").arg(language.isEmpty() ? tr("code") : language));
    m_view->setBackgroundVisible(false);
    m_view->viewport()->setAutoFillBackground(false);
    connect(m_view->horizontalScrollBar(), &QScrollBar::rangeChanged, this, &CodeBlock::fitHeight);
    connect(m_copy, &QToolButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_code);
        m_copy->setText(tr("Copied"));
        QTimer::singleShot(1500, m_copy, [b = m_copy] { b->setText(CodeBlock::tr("Copy")); });
    });
    fitHeight();
}

void CodeBlock::setCode(QStringView code)
{
    if (code.endsWith(u'\n'))
        code.chop(1);
    if (code.size() > m_code.size() && code.startsWith(m_code)) {
        QTextCursor c(m_view->document());
        c.movePosition(QTextCursor::End);
        c.insertText(code.mid(m_code.size()).toString());
        m_code = code.toString();
    } else if (code != m_code) {
        m_code = code.toString();
        m_view->setPlainText(m_code);
    }
    fitHeight();
}

void CodeBlock::fitHeight()
{
    const int lines = std::max(1, m_view->document()->blockCount());
    int h = lines * m_view->fontMetrics().lineSpacing() + 2 * int(m_view->document()->documentMargin()) + 4;
    if (m_view->horizontalScrollBar()->maximum() > 0)
        h += m_view->horizontalScrollBar()->sizeHint().height();
    if (m_view->height() != h)
        m_view->setFixedHeight(h);
}

// ---- AnswerBody

AnswerBody::AnswerBody(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("answerBody"));
    setAttribute(Qt::WA_StaticContents);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(6);
    m_layout->addStretch();   // height it is given before its blocks have grown goes below them
}

void AnswerBody::append(QStringView delta)
{
    m_pending.append(delta);
}

TextSegment *AnswerBody::textSegment()
{
    if (auto *t = qobject_cast<TextSegment *>(m_last))
        return t;
    if (auto *t = qobject_cast<TextSegment *>(m_last))
        t->setGrowInSteps(false);   // finished: a code block follows
    auto *t = new TextSegment(this);
    t->setGrowInSteps(!m_finished);
    m_layout->insertWidget(m_layout->count() - 1, t);
    m_last = t;
    return t;
}

QString AnswerBody::flush()
{
    if (m_pending.isEmpty())
        return {};
    const QString piece = std::exchange(m_pending, {});
    m_text += piece;
    m_stream.append(piece);
    applyTail();
    return piece;
}

void AnswerBody::applyTail()
{
    for (const MarkdownStream::Block &b : m_stream.takeFinished()) {
        if (b.kind == MarkdownStream::Block::Kind::Text) {
            textSegment()->commit(b.text);
            continue;
        }
        if (!m_openCode) {
            if (auto *t = qobject_cast<TextSegment *>(m_last))
                t->setGrowInSteps(false);
            m_openCode = new CodeBlock(b.language, this);
            m_layout->insertWidget(m_layout->count() - 1, m_openCode);
            m_last = m_openCode;
        }
        m_openCode->setCode(b.text);
        m_openCode = nullptr;
    }
    if (m_stream.inCode()) {
        if (auto *t = qobject_cast<TextSegment *>(m_last)) {
            t->setTail(QString());
            t->setGrowInSteps(false);   // finished: the code block follows it
        }
        if (!m_openCode) {
            m_openCode = new CodeBlock(m_stream.tailLanguage(), this);
            m_layout->insertWidget(m_layout->count() - 1, m_openCode);
            m_last = m_openCode;
        }
        m_openCode->setCode(m_stream.tailText());
        return;
    }
    const QStringView tail = m_stream.tailText();
    if (!tail.trimmed().isEmpty())
        textSegment()->setTail(tail.toString());
    else if (auto *t = qobject_cast<TextSegment *>(m_last))
        t->setTail(QString());
}

void AnswerBody::finish()
{
    flush();
    m_stream.finish();
    m_finished = true;
    applyTail();
    for (TextSegment *t : findChildren<TextSegment *>(Qt::FindDirectChildrenOnly))
        t->setGrowInSteps(false);
}

void AnswerBody::setMarkdown(const QString &text)
{
    append(text);
    finish();
}

void AnswerBody::reset(const QString &text, bool finished)
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->deleteLater();
        }
        delete item;
    }
    m_layout->addStretch();
    m_stream = MarkdownStream();
    m_text.clear();
    m_pending.clear();
    m_last = nullptr;
    m_openCode = nullptr;
    m_finished = false;
    append(text);
    if (finished)
        finish();
    else
        flush();
}

// ---- MessageWidget

MessageWidget::MessageWidget(const StoredMessage &message, QWidget *parent)
    : QFrame(parent)
    , m_message(message)
    , m_author(new QLabel(this))
{
    const bool user = message.role == u"user";
    setObjectName(user ? QStringLiteral("userMessage") : QStringLiteral("assistantMessage"));
    setProperty("messageId", message.id);
    setAttribute(Qt::WA_StaticContents);
    setAttribute(Qt::WA_StyledBackground);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 6);
    layout->setSpacing(4);

    auto *header = new QHBoxLayout;
    QFont bold = m_author->font();
    bold.setBold(true);
    m_author->setFont(bold);
    m_author->setObjectName(QStringLiteral("messageAuthor"));
    header->addWidget(m_author);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("messageNote"));
    m_note->setWordWrap(true);   // "Interrupted: …" is a sentence: it wraps rather than widen the page
    mute(m_note);
    header->addWidget(m_note, 1);
    layout->addLayout(header);

    if (!message.attachments.isEmpty()) {
        QStringList names;
        for (const ChatAttachment &a : message.attachments) {
            names << (a.kind == ChatAttachment::Kind::Image
                          ? tr("Image %1").arg(a.name)
                          : tr("%1 · %2 tokens").arg(a.name, QLocale().toString(a.tokens)));
        }
        auto *files = new QLabel(names.join(QStringLiteral("   ")), this);
        files->setObjectName(QStringLiteral("messageAttachments"));
        files->setWordWrap(true);
        mute(files);
        layout->addWidget(files);
    }

    if (user) {
        m_author->setText(tr("You"));
        m_userText = new QLabel(this);
        m_userText->setObjectName(QStringLiteral("userText"));
        m_userText->setTextFormat(Qt::PlainText);
        m_userText->setWordWrap(true);
        m_userText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        m_userText->setText(message.content);
        layout->addWidget(m_userText);
    } else {
        m_reasoningToggle = new QToolButton(this);
        m_reasoningToggle->setObjectName(QStringLiteral("reasoningToggle"));
        m_reasoningToggle->setAutoRaise(true);
        m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_reasoningToggle->setCheckable(true);
        m_reasoningToggle->setAccessibleName(tr("Show or hide the reasoning"));
        m_reasoning = new TextSegment(this);
        m_reasoning->setObjectName(QStringLiteral("reasoningText"));
        layout->addWidget(m_reasoningToggle);
        layout->addWidget(m_reasoning);
        connect(m_reasoningToggle, &QToolButton::toggled, this, &MessageWidget::setReasoningExpanded);
        m_body = new AnswerBody(this);
        layout->addWidget(m_body);
        m_live = message.status == u"streaming" && message.content.isEmpty() && message.reasoning.isEmpty();
        if (!message.reasoning.isEmpty())
            m_reasoning->appendPlain(message.reasoning);
        if (!message.content.isEmpty())
            m_body->setMarkdown(message.content);
        m_reasoningToggle->setVisible(!message.reasoning.isEmpty());
        setReasoningExpanded(message.content.isEmpty() && !message.reasoning.isEmpty());
        m_startedMs = QDateTime::currentMSecsSinceEpoch();
    }

    m_error = new QFrame(this);
    m_error->setObjectName(QStringLiteral("answerError"));
    m_error->setFrameShape(QFrame::StyledPanel);
    auto *errorLayout = new QVBoxLayout(m_error);
    m_errorText = new QLabel(m_error);
    m_errorText->setObjectName(QStringLiteral("answerErrorText"));
    m_errorText->setWordWrap(true);
    m_errorText->setTextFormat(Qt::RichText);
    m_errorText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    errorLayout->addWidget(m_errorText);
    m_errorSettings = actionButton(tr("Open Settings"), QStringLiteral("errorSettingsButton"), m_error);
    errorLayout->addWidget(m_errorSettings, 0, Qt::AlignLeft);
    connect(m_errorSettings, &QToolButton::clicked, this, [this] {
        emit openSettingsRequested(AnswerInfo::fromJson(m_message.meta).settingsProvider);
    });
    m_error->hide();
    layout->addWidget(m_error);

    m_badge = new QLabel(this);
    m_badge->setObjectName(QStringLiteral("answerBadge"));
    m_badge->setWordWrap(true);
    m_badge->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mute(m_badge);
    m_badge->hide();
    layout->addWidget(m_badge);

    auto *actions = new QHBoxLayout;
    actions->setSpacing(2);
    m_copy = actionButton(tr("Copy"), QStringLiteral("copyMessageButton"), this);
    m_copy->setToolTip(tr("Copy the message as Markdown"));
    actions->addWidget(m_copy);
    connect(m_copy, &QToolButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_body ? m_body->text() : m_message.content);
    });
    if (user) {
        m_edit = actionButton(tr("Edit"), QStringLiteral("editMessageButton"), this);
        m_edit->setToolTip(tr("Edit this message and send it again; the answers after it are replaced"));
        actions->addWidget(m_edit);
        connect(m_edit, &QToolButton::clicked, this, &MessageWidget::editRequested);
    } else {
        m_regenerate = actionButton(tr("Regenerate"), QStringLiteral("regenerateButton"), this);
        m_regenerate->setToolTip(tr("Ask again; the arrow chooses another model"));
        m_regenerate->setPopupMode(QToolButton::MenuButtonPopup);
        m_regenerate->setMenu(new QMenu(m_regenerate));
        actions->addWidget(m_regenerate);
        connect(m_regenerate, &QToolButton::clicked, this, [this] { emit regenerateRequested(QString()); });
        m_continue = actionButton(tr("Continue"), QStringLiteral("continueButton"), this);
        m_continue->setToolTip(tr("Ask the model to go on from where the answer stopped"));
        actions->addWidget(m_continue);
        connect(m_continue, &QToolButton::clicked, this, &MessageWidget::continueRequested);
    }
    actions->addStretch();
    layout->addLayout(actions);

    if (!user) {
        if (message.status == u"streaming" && !m_live)
            m_note->setText(tr("Interrupted: Switchyard stopped while this answer was arriving; what had been shown is kept."));
        buildBadge();
        buildError();
        if (m_live)
            m_author->setText(tr("Routing…"));
    }
    applyColors();
    updateActions();
}

// Colours come from the palette, so they follow the system between light and dark.
void MessageWidget::applyColors()
{
    if (m_message.role == u"user")
        setStyleSheet(QStringLiteral("#userMessage { background: palette(alternate-base); border-radius: 8px; }"));
    if (m_reasoning) {
        QPalette muted = palette();
        muted.setColor(QPalette::Text, muted.color(QPalette::PlaceholderText));
        m_reasoning->setPalette(muted);
    }
}

void MessageWidget::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applyingColors) {
        m_applyingColors = true;
        applyColors();
        m_applyingColors = false;
    }
}

void MessageWidget::setModels(const QStringList &models, const QSet<QString> &keyless)
{
    m_models = models;
    if (!m_regenerate)
        return;
    QMenu *menu = m_regenerate->menu();
    menu->clear();
    menu->addSection(tr("Regenerate with"));
    for (const QString &m : models) {
        if (keyless.contains(m))
            menu->addAction(tr("%1 (no key)").arg(m))->setEnabled(false);
        else
            menu->addAction(m, this, [this, m] { emit regenerateRequested(m); });
    }
}

void MessageWidget::setReasoningExpanded(bool expanded)
{
    if (!m_reasoning)
        return;
    m_reasoningToggle->blockSignals(true);
    m_reasoningToggle->setChecked(expanded);
    m_reasoningToggle->blockSignals(false);
    m_reasoningToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_reasoning->setVisible(expanded && !m_reasoning->source().isEmpty());
    const bool thinking = m_live && m_body->text().isEmpty() && !m_body->hasPending();
    m_reasoningToggle->setText(thinking ? tr("Thinking…") : tr("Reasoning"));
}

void MessageWidget::setTrying(const QString &model, const QString &provider, int attempt)
{
    m_author->setText(model);
    m_note->setText(attempt > 1 ? tr("%1 · attempt %2").arg(provider).arg(attempt) : provider);
}

void MessageWidget::appendContent(QStringView delta)
{
    m_body->append(delta);
}

void MessageWidget::appendReasoning(QStringView delta)
{
    m_pendingReasoning.append(delta);
}

QPair<QString, QString> MessageWidget::flush()
{
    QPair<QString, QString> out;
    if (!m_body)
        return out;
    if (!m_pendingReasoning.isEmpty()) {
        out.second = std::exchange(m_pendingReasoning, {});
        const bool first = m_reasoning->source().isEmpty();
        m_reasoning->appendPlain(out.second);
        if (first) {
            m_reasoningToggle->show();
            setReasoningExpanded(m_body->text().isEmpty());
        }
    }
    const bool firstContent = m_body->text().isEmpty();
    out.first = m_body->flush();
    if (firstContent && !out.first.isEmpty() && m_reasoningToggle->isVisible())
        setReasoningExpanded(false);   // the answer has started: fold the thinking away
    return out;
}

void MessageWidget::finish(const StoredMessage &message)
{
    flush();
    m_message = message;
    m_live = false;
    if (m_body) {
        m_body->finish();
        if (m_body->text() != message.content)   // text the stream did not show here
            m_body->reset(message.content, true);
        setReasoningExpanded(m_reasoningToggle->isChecked());
        if (message.status == u"stopped")
            m_note->setText(tr("Stopped"));
        else
            m_note->clear();
    }
    buildBadge();
    buildError();
    updateActions();
}

void MessageWidget::resume(bool continuation)
{
    m_live = true;
    m_message.status = QStringLiteral("streaming");
    m_badge->hide();
    m_error->hide();
    m_note->setText(continuation ? tr("Continuing…") : tr("Still arriving…"));
    if (m_body)
        m_body->reset(m_body->text(), false);   // open again, so what follows joins the last block
    updateActions();
}

void MessageWidget::setLast(bool last)
{
    if (m_isLast == last)
        return;
    m_isLast = last;
    updateActions();
}

void MessageWidget::setActionsEnabled(bool enabled)
{
    for (QToolButton *b : {m_regenerate, m_continue, m_edit}) {
        if (b)
            b->setEnabled(enabled);
    }
}

void MessageWidget::updateActions()
{
    const bool streaming = isStreaming();
    const AnswerInfo info = AnswerInfo::fromJson(m_message.meta);
    m_copy->setVisible(!streaming && !(m_body ? m_body->text() : m_message.content).isEmpty());
    if (m_regenerate)
        m_regenerate->setVisible(!streaming && m_isLast);
    if (m_continue) {
        const bool cut = m_message.status == u"stopped" || m_message.status == u"streaming"
                         || info.finishReason == u"length"
                         || (info.error && info.error->errorClass == ErrorClass::Truncated);
        m_continue->setVisible(!streaming && cut && m_isLast && !m_body->text().isEmpty());
    }
}

void MessageWidget::buildBadge()
{
    if (m_message.role != u"assistant" || m_message.meta.isEmpty() || isStreaming()) {
        m_badge->hide();
        return;
    }
    const AnswerInfo info = AnswerInfo::fromJson(m_message.meta);
    if (info.model.isEmpty()) {
        m_badge->hide();
        return;
    }
    m_author->setText(info.model);
    const QLocale locale;
    QStringList parts;
    parts << info.provider;
    if (!info.rule.isEmpty())
        parts << (info.rule == u"model" ? tr("chosen by you") : tr("rule “%1”").arg(ruleLabel(info.rule)));
    if (!info.passedOverModels.isEmpty())
        parts << tr("%1 passed over").arg(QLocale().createSeparatedList(info.passedOverModels));
    if (!info.fallbacks.isEmpty())
        parts << tr("after %n fallback(s)", nullptr, int(info.fallbacks.size()));
    const Usage &u = info.usage;
    if (u.promptTokens >= 0) {
        parts << (u.cachedTokens > 0 ? tr("%1 in (%2 cached)").arg(locale.toString(u.promptTokens), locale.toString(u.cachedTokens))
                                     : tr("%1 in").arg(locale.toString(u.promptTokens)));
    }
    if (u.completionTokens >= 0) {
        parts << (u.reasoningTokens > 0
                      ? tr("%1 out (%2 reasoning)").arg(locale.toString(u.completionTokens), locale.toString(u.reasoningTokens))
                      : tr("%1 out").arg(locale.toString(u.completionTokens)));
    }
    if (!info.cost.isEmpty())
        parts << (info.costEstimated ? tr("≈ %1 (estimated)").arg(Money::display(info.cost, locale))
                                     : Money::display(info.cost, locale));
    else if (info.unpriced)
        parts << tr("no price in config.yaml");
    if (info.ttftMs >= 0)
        parts << tr("first token %1").arg(formatDuration(info.ttftMs));
    if (info.totalMs >= 0)
        parts << tr("%1 total").arg(formatDuration(info.totalMs));
    m_badge->setText(parts.join(QStringLiteral(" · ")));
    QString tip = tr("Request %1, task type %2").arg(info.requestId, info.taskType);
    if (!info.passedOver.isEmpty())
        tip += QLatin1Char('\n') + tr("Passed over without sending:") + QStringLiteral("\n• ") + info.passedOver.join(QStringLiteral("\n• "));
    if (!info.fallbacks.isEmpty())
        tip += QLatin1Char('\n') + tr("Tried first:") + QStringLiteral("\n• ") + info.fallbacks.join(QStringLiteral("\n• "));
    m_badge->setToolTip(tip);
    m_badge->show();
}

void MessageWidget::buildError()
{
    const AnswerInfo info = AnswerInfo::fromJson(m_message.meta);
    if (!info.error || info.error->errorClass == ErrorClass::Cancelled || m_message.role != u"assistant") {
        m_error->hide();
        return;
    }
    const ProviderError &e = *info.error;
    QString html = QStringLiteral("<b>%1</b>").arg(e.title().toHtmlEscaped());
    if (e.httpStatus > 0)
        html += QStringLiteral(" <span>(HTTP %1)</span>").arg(e.httpStatus);
    if (e.errorClass == ErrorClass::NoKey)   // Switchyard's own words: nothing reached a provider
        html += QStringLiteral("<br>") + e.providerMessage.toHtmlEscaped();
    else if (!e.providerMessage.isEmpty())
        html += QStringLiteral("<br>") + tr("The provider said: “%1”").arg(e.providerMessage.toHtmlEscaped());
    html += QStringLiteral("<br>") + tr("Class: %1").arg(errorClassName(e.errorClass));
    html += QStringLiteral("<br>") + e.advice().toHtmlEscaped();
    m_errorText->setText(html);
    m_errorSettings->setText(e.errorClass == ErrorClass::NoKey ? tr("Add a Key…") : tr("Open Settings"));
    m_errorSettings->setVisible(e.errorClass == ErrorClass::Auth || e.errorClass == ErrorClass::NoKey);
    m_error->show();
    if (info.model.isEmpty())
        m_author->setText(tr("No answer"));
}
