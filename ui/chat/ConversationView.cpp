#include "ConversationView.h"

#include "MessageWidgets.h"

#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

// Gives the memory of the widgets just deleted back to the system (glibc keeps freed heap otherwise).
void releaseMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

} // namespace

ConversationView::ConversationView(QWidget *parent)
    : QScrollArea(parent)
    , m_content(new QWidget(this))
    , m_layout(new QVBoxLayout(m_content))
    , m_earlier(new QPushButton(m_content))
    , m_placeholder(new QLabel(m_content))
{
    setObjectName(QStringLiteral("conversationView"));
    setAccessibleName(tr("Conversation"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_content->setObjectName(QStringLiteral("conversationContent"));
    // Opaque, so that scrolling (sticking to the bottom while an answer grows) moves the pixels
    // already painted instead of painting the whole view again.
    m_content->setAutoFillBackground(true);
    m_content->setAttribute(Qt::WA_StaticContents);
    m_layout->setContentsMargins(16, 12, 16, 12);
    m_layout->setSpacing(10);
    m_earlier->setObjectName(QStringLiteral("earlierMessagesButton"));
    m_earlier->setFlat(true);
    m_earlier->hide();
    connect(m_earlier, &QPushButton::clicked, this, &ConversationView::showEarlier);
    m_placeholder->setObjectName(QStringLiteral("conversationPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::RichText);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addWidget(m_earlier);
    m_layout->addWidget(m_placeholder, 1);
    m_layout->addStretch();
    setWidget(m_content);

    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int v) {
        if (m_adjusting)
            return;
        m_stick = v >= bar->maximum() - 8;
    });
    // Scrolling up to the top (by the user, not by a layout change) brings the next page.
    connect(bar, &QScrollBar::actionTriggered, this, [this, bar] {
        QTimer::singleShot(0, this, [this, bar] {
            if (bar->value() == bar->minimum() && !m_hidden.isEmpty())
                showEarlier();
        });
    });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        m_adjusting = true;
        if (m_keepFromBottom >= 0) {
            bar->setValue(max - m_keepFromBottom);
            m_keepFromBottom = -1;
        } else if (m_stick) {
            bar->setValue(max);
        }
        m_adjusting = false;
    });
}

void ConversationView::setPlaceholder(const QString &title, const QString &body)
{
    m_placeholder->setText(QStringLiteral("<p style='font-size:large'><b>%1</b></p><p>%2</p>")
                               .arg(title.toHtmlEscaped(), body.toHtmlEscaped()));
}

MessageWidget *ConversationView::makeWidget(const StoredMessage &message)
{
    auto *w = new MessageWidget(message, m_content);
    w->setModels(m_models, m_keylessModels);
    w->setActionsEnabled(m_actionsEnabled);
    const QString id = message.id;
    connect(w, &MessageWidget::regenerateRequested, this, [this, id](const QString &model) { emit regenerateRequested(id, model); });
    connect(w, &MessageWidget::continueRequested, this, [this, id] { emit continueRequested(id); });
    connect(w, &MessageWidget::editRequested, this, [this, id] { emit editRequested(id); });
    connect(w, &MessageWidget::openSettingsRequested, this, &ConversationView::openSettingsRequested);
    return w;
}

QList<MessageWidget *> ConversationView::messageWidgets() const
{
    QList<MessageWidget *> out;
    for (int i = 0; i < m_layout->count(); ++i) {
        if (auto *w = qobject_cast<MessageWidget *>(m_layout->itemAt(i)->widget()))
            out << w;
    }
    return out;
}

void ConversationView::setMessages(const QList<StoredMessage> &messages)
{
    setUpdatesEnabled(false);
    const QList<MessageWidget *> old = messageWidgets();
    for (MessageWidget *w : old) {
        m_layout->removeWidget(w);
        w->hide();
        w->deleteLater();   // it may be the widget whose button led here
    }
    if (!old.isEmpty())
        QTimer::singleShot(0, this, releaseMemory);
    m_hidden = messages;
    const qsizetype shown = std::min<qsizetype>(PageSize, m_hidden.size());
    const QList<StoredMessage> last = m_hidden.mid(m_hidden.size() - shown);
    m_hidden.resize(m_hidden.size() - shown);
    int at = 1;   // after the button
    for (const StoredMessage &m : last)
        m_layout->insertWidget(at++, makeWidget(m));
    m_placeholder->setVisible(messages.isEmpty());
    updateEarlierButton();
    updateLast();
    m_stick = true;
    setUpdatesEnabled(true);
    scrollToBottom();
}

void ConversationView::showEarlier()
{
    if (m_hidden.isEmpty())
        return;
    QScrollBar *bar = verticalScrollBar();
    m_keepFromBottom = bar->maximum() - bar->value();
    m_stick = false;
    const qsizetype n = std::min<qsizetype>(PageSize, m_hidden.size());
    const QList<StoredMessage> page = m_hidden.mid(m_hidden.size() - n);
    m_hidden.resize(m_hidden.size() - n);
    int at = 1;
    for (const StoredMessage &m : page)
        m_layout->insertWidget(at++, makeWidget(m));
    updateEarlierButton();
}

void ConversationView::updateLast()
{
    const QList<MessageWidget *> shown = messageWidgets();
    for (qsizetype i = 0; i < shown.size(); ++i)
        shown[i]->setLast(i == shown.size() - 1);
}

void ConversationView::updateEarlierButton()
{
    m_earlier->setVisible(!m_hidden.isEmpty());
    const qsizetype n = std::min<qsizetype>(PageSize, m_hidden.size());
    m_earlier->setText(n == 1 ? tr("Show 1 earlier message") : tr("Show %1 earlier messages").arg(n));
}

MessageWidget *ConversationView::appendMessage(const StoredMessage &message)
{
    m_placeholder->hide();
    auto *w = makeWidget(message);
    m_layout->insertWidget(m_layout->count() - 1, w);   // before the stretch
    // However long the conversation grows, at most MaxWidgets messages have widgets: the oldest
    // go back behind "Show earlier messages".
    QList<MessageWidget *> shown = messageWidgets();
    if (shown.size() > MaxWidgets) {
        for (qsizetype i = 0; i < shown.size() - MaxWidgets; ++i) {
            m_hidden << shown[i]->message();
            m_layout->removeWidget(shown[i]);
            shown[i]->hide();
            shown[i]->deleteLater();
        }
        updateEarlierButton();
        QTimer::singleShot(0, this, releaseMemory);
    }
    updateLast();
    m_stick = true;
    scrollToBottom();
    return w;
}

void ConversationView::removeFrom(const QString &id)
{
    bool removing = false;
    for (MessageWidget *w : messageWidgets()) {
        removing = removing || w->messageId() == id;
        if (removing) {
            m_layout->removeWidget(w);
            w->hide();
            w->deleteLater();   // it may be the widget whose button led here
        }
    }
    updateLast();
    if (messageWidgets().isEmpty() && m_hidden.isEmpty())
        m_placeholder->show();
}

MessageWidget *ConversationView::widgetFor(const QString &id) const
{
    for (MessageWidget *w : messageWidgets()) {
        if (w->messageId() == id)
            return w;
    }
    return nullptr;
}

void ConversationView::reveal(const QString &id)
{
    while (!widgetFor(id) && !m_hidden.isEmpty())
        showEarlier();
    if (MessageWidget *w = widgetFor(id)) {
        m_stick = false;
        m_keepFromBottom = -1;
        // After the layout has placed the new widgets.
        QTimer::singleShot(0, this, [this, w = QPointer<MessageWidget>(w)] {
            if (w) {
                m_adjusting = true;
                ensureWidgetVisible(w, 0, 40);
                verticalScrollBar()->setValue(w->y() - 12);
                m_adjusting = false;
            }
        });
    }
}

void ConversationView::setModels(const QStringList &models, const QSet<QString> &keyless)
{
    m_models = models;
    m_keylessModels = keyless;
    for (MessageWidget *w : messageWidgets())
        w->setModels(models, keyless);
}

void ConversationView::setActionsEnabled(bool enabled)
{
    m_actionsEnabled = enabled;
    for (MessageWidget *w : messageWidgets())
        w->setActionsEnabled(enabled);
}

void ConversationView::scrollToBottom()
{
    m_stick = true;
    QScrollBar *bar = verticalScrollBar();
    m_adjusting = true;
    bar->setValue(bar->maximum());
    m_adjusting = false;
}
