#include "Composer.h"

#include "AppSettings.h"
#include "ElidedLabel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyleOptionComboBox>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace {
constexpr auto EnterSendsKey = "chat/enterSends";
constexpr auto ModelKey = "chat/model";
constexpr auto TaskKey = "chat/task";

// As wide as its current text, however long the other items are (the popup is as wide as they
// need): the whole choice stays readable and the row stays narrow enough for an 800-pixel screen.
class FitComboBox : public QComboBox
{
public:
    explicit FitComboBox(QWidget *parent)
        : QComboBox(parent)
    {
        setSizeAdjustPolicy(QComboBox::AdjustToContents);   // the popup takes the longest item's width
        setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
        connect(this, &QComboBox::currentIndexChanged, this, [this] { updateGeometry(); });
    }

    QSize sizeHint() const override
    {
        QStyleOptionComboBox option;
        initStyleOption(&option);
        const QSize text(fontMetrics().horizontalAdvance(currentText()), QComboBox::sizeHint().height());
        const QSize fitted = style()->sizeFromContents(QStyle::CT_ComboBox, &option, text, this);
        return {fitted.width(), QComboBox::sizeHint().height()};
    }
    QSize minimumSizeHint() const override { return sizeHint(); }
};

} // namespace

ComposerInput::ComposerInput(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("composerInput"));
    setTabChangesFocus(true);
    connect(document(), &QTextDocument::contentsChanged, this, &QWidget::updateGeometry);
}

QSize ComposerInput::sizeHint() const
{
    const int line = fontMetrics().lineSpacing();
    const int lines = std::clamp(int(document()->size().height()), 2, 10);   // plain-text layout: lines
    return {QPlainTextEdit::sizeHint().width(), lines * line + 2 * int(document()->documentMargin()) + 2 * frameWidth() + 4};
}

QSize ComposerInput::minimumSizeHint() const
{
    return {100, sizeHint().height()};
}

void ComposerInput::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        emit escapePressed();
        return;
    }
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter) {
        const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
        const bool send = (m_enterSends && mods == Qt::NoModifier) || mods == Qt::ControlModifier;
        if (send) {
            emit submitted();
            return;
        }
        if (mods & Qt::ShiftModifier || !m_enterSends) {
            textCursor().insertBlock();
            return;
        }
    }
    QPlainTextEdit::keyPressEvent(event);
}

bool ComposerInput::canInsertFromMimeData(const QMimeData *source) const
{
    return source->hasImage() || source->hasUrls() || QPlainTextEdit::canInsertFromMimeData(source);
}

void ComposerInput::insertFromMimeData(const QMimeData *source)
{
    if (source->hasUrls()) {
        QStringList paths;
        for (const QUrl &u : source->urls()) {
            if (u.isLocalFile())
                paths << u.toLocalFile();
        }
        if (!paths.isEmpty()) {
            emit filesPasted(paths);
            return;
        }
    }
    if (source->hasImage()) {
        emit imagePasted(qvariant_cast<QImage>(source->imageData()));
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}

Composer::Composer(AppSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_input(new ComposerInput(this))
    , m_chips(new QWidget(this))
    , m_chipsLayout(new QHBoxLayout(m_chips))
    , m_editBanner(new QWidget(this))
    , m_attach(new QToolButton(this))
    , m_model(new FitComboBox(this))
    , m_task(new FitComboBox(this))
    , m_estimate(new ElidedLabel(this))
    , m_status(new QLabel(this))
    , m_options(new QToolButton(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
{
    setObjectName(QStringLiteral("composer"));
    const bool enterSends = m_settings ? m_settings->raw().value(QLatin1String(EnterSendsKey), true).toBool() : true;
    m_input->setEnterSends(enterSends);
    m_input->setPlaceholderText(enterSends ? tr("Ask anything — Enter sends, Shift+Enter starts a new line")
                                           : tr("Ask anything — Ctrl+Enter sends"));
    m_input->setAccessibleName(tr("Message"));

    m_chips->setObjectName(QStringLiteral("attachmentBar"));
    m_chipsLayout->setContentsMargins(0, 0, 0, 0);
    m_chips->hide();

    m_editBanner->setObjectName(QStringLiteral("editBanner"));
    auto *bannerLayout = new QHBoxLayout(m_editBanner);
    bannerLayout->setContentsMargins(0, 0, 0, 0);
    auto *bannerText = new QLabel(tr("Editing a message: sending it replaces the message and every answer after it."),
                                  m_editBanner);
    bannerText->setWordWrap(true);
    auto *cancelEdit = new QToolButton(m_editBanner);
    cancelEdit->setObjectName(QStringLiteral("cancelEditButton"));
    cancelEdit->setText(tr("Cancel"));
    cancelEdit->setAccessibleName(tr("Cancel editing"));
    bannerLayout->addWidget(bannerText, 1);
    bannerLayout->addWidget(cancelEdit);
    connect(cancelEdit, &QToolButton::clicked, this, &Composer::cancelEditRequested);
    m_editBanner->hide();

    m_attach->setObjectName(QStringLiteral("attachButton"));
    m_attach->setText(tr("Attach…"));
    m_attach->setToolTip(tr("Attach images, PDF, text or source files (or drop or paste them)"));
    m_attach->setAccessibleName(tr("Attach files"));
    connect(m_attach, &QToolButton::clicked, this, &Composer::attachRequested);

    m_model->setObjectName(QStringLiteral("modelPicker"));
    m_model->setAccessibleName(tr("Model"));
    m_model->setToolTip(tr("Which model answers: Auto lets the routing rules choose"));
    m_task->setObjectName(QStringLiteral("taskPicker"));
    m_task->setAccessibleName(tr("Task type"));
    m_task->setToolTip(tr("The task type the routing rules see: Auto detects it from the message"));
    const QPair<QString, QString> tasks[] = {
        {tr("Auto task"), QString()},
        {tr("Chat"), QStringLiteral("chat")},
        {tr("Code"), QStringLiteral("code")},
        {tr("Reasoning"), QStringLiteral("reasoning")},
        {tr("Long document"), QStringLiteral("long_document")},
        {tr("Vision"), QStringLiteral("vision")},
    };
    for (const auto &[label, value] : tasks)
        m_task->addItem(label, value);
    if (m_settings) {
        const int i = m_task->findData(m_settings->raw().value(QLatin1String(TaskKey)).toString());
        m_task->setCurrentIndex(std::max(0, i));
    }

    m_estimate->setObjectName(QStringLiteral("tokenEstimate"));
    m_estimate->setForegroundRole(QPalette::PlaceholderText);
    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setWordWrap(true);
    m_status->hide();

    m_options->setObjectName(QStringLiteral("composerOptions"));
    m_options->setText(QStringLiteral("⋯"));
    m_options->setAccessibleName(tr("Composer options"));
    m_options->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_options);
    QAction *enterAction = menu->addAction(tr("Enter sends (Shift+Enter for a new line)"));
    enterAction->setObjectName(QStringLiteral("enterSendsAction"));
    enterAction->setCheckable(true);
    enterAction->setChecked(enterSends);
    connect(enterAction, &QAction::toggled, this, [this](bool on) {
        m_input->setEnterSends(on);
        m_input->setPlaceholderText(on ? tr("Ask anything — Enter sends, Shift+Enter starts a new line")
                                       : tr("Ask anything — Ctrl+Enter sends"));
        if (m_settings)
            m_settings->raw().setValue(QLatin1String(EnterSendsKey), on);
    });
    m_options->setMenu(menu);

    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);
    m_send->setAccessibleName(tr("Send"));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setAccessibleName(tr("Stop the answer"));
    m_stop->setToolTip(tr("Stop the answer (Esc); what arrived is kept"));
    m_stop->hide();
    connect(m_send, &QPushButton::clicked, this, &Composer::sendRequested);
    connect(m_stop, &QPushButton::clicked, this, &Composer::stopRequested);
    connect(m_input, &ComposerInput::submitted, this, [this] {
        if (m_stop->isHidden())
            emit sendRequested();
    });

    auto *controls = new QHBoxLayout;
    controls->setSpacing(6);
    controls->addWidget(m_attach);
    controls->addWidget(m_model);
    controls->addWidget(m_task);
    controls->addWidget(m_estimate, 1);
    controls->addWidget(m_options);
    controls->addWidget(m_stop);
    controls->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 6, 16, 10);
    layout->setSpacing(4);
    layout->addWidget(m_editBanner);
    layout->addWidget(m_chips);
    layout->addWidget(m_status);
    layout->addWidget(m_input);
    layout->addLayout(controls);

    connect(m_input, &QPlainTextEdit::textChanged, this, &Composer::changed);
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        if (m_settings)
            m_settings->raw().setValue(QLatin1String(ModelKey), model());
        emit changed();
    });
    connect(m_task, &QComboBox::currentIndexChanged, this, [this] {
        if (m_settings)
            m_settings->raw().setValue(QLatin1String(TaskKey), taskType());
        emit changed();
    });
}

QString Composer::text() const
{
    return m_input->toPlainText();
}

void Composer::setText(const QString &text)
{
    m_input->setPlainText(text);
    m_input->moveCursor(QTextCursor::End);
}

void Composer::addAttachment(const ChatAttachment &a)
{
    m_attachments << a;
    rebuildChips();
    emit changed();
}

void Composer::clearAttachments()
{
    m_attachments.clear();
    rebuildChips();
    emit changed();
}

void Composer::setLoading(int files)
{
    m_loading = files;
    rebuildChips();
}

void Composer::rebuildChips()
{
    while (QLayoutItem *item = m_chipsLayout->takeAt(0)) {
        if (QWidget *w = item->widget()) {   // it may be the chip whose click led here
            w->hide();
            w->deleteLater();
        }
        delete item;
    }
    const QLocale locale;
    for (qsizetype i = 0; i < m_attachments.size(); ++i) {
        const ChatAttachment &a = m_attachments[i];
        auto *chip = new QToolButton(m_chips);
        chip->setObjectName(QStringLiteral("attachmentChip"));
        chip->setText(a.kind == ChatAttachment::Kind::Image
                          ? tr("%1 (image) ✕").arg(a.name)
                          : tr("%1 · %2 tokens ✕").arg(a.name, locale.toString(a.tokens)));
        chip->setToolTip(tr("Remove %1").arg(a.name));
        chip->setAccessibleName(tr("Remove attachment %1").arg(a.name));
        connect(chip, &QToolButton::clicked, this, [this, i] {
            if (i < m_attachments.size()) {
                m_attachments.removeAt(i);
                rebuildChips();
                emit changed();
            }
        });
        m_chipsLayout->addWidget(chip);
    }
    if (m_loading > 0) {
        auto *busy = new QLabel((m_loading == 1 ? tr("Reading 1 file…") : tr("Reading %1 files…").arg(m_loading)), m_chips);
        busy->setObjectName(QStringLiteral("attachmentLoading"));
        m_chipsLayout->addWidget(busy);
    }
    m_chipsLayout->addStretch();
    m_chips->setVisible(!m_attachments.isEmpty() || m_loading > 0);
}

void Composer::setModels(const Config &config, const QSet<QString> &keyless)
{
    const QString current = m_model->count() ? model()
                                             : (m_settings ? m_settings->raw().value(QLatin1String(ModelKey)).toString()
                                                           : QString());
    m_model->blockSignals(true);
    m_model->clear();
    m_modelNames.clear();
    m_keylessModels.clear();
    m_model->addItem(tr("Auto (routing rules)"), QString());
    auto *items = qobject_cast<QStandardItemModel *>(m_model->model());
    for (const ProviderConfig &p : config.providers) {
        if (!p.enabled)
            continue;
        bool header = false;
        for (const ModelConfig &m : config.models) {
            if (m.provider != p.id || m.isEmbedding())   // embedding models answer the endpoint only
                continue;
            const bool noKey = keyless.contains(p.id);
            if (!header) {
                m_model->addItem(noKey ? tr("%1 · no key").arg(p.label()) : p.label());
                QStandardItem *item = items->item(m_model->count() - 1);
                item->setFlags(item->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsEnabled));
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                header = true;
            }
            m_model->addItem(QStringLiteral("    ") + m.name, m.name);
            m_modelNames << m.name;
            if (noKey) {
                // Still choosable: the answer then says so and offers to add the key.
                QStandardItem *item = items->item(m_model->count() - 1);
                item->setForeground(m_model->palette().brush(QPalette::Disabled, QPalette::Text));
                item->setToolTip(tr("%1 has no key; add one in Settings → Providers.").arg(p.label()));
                m_keylessModels.insert(m.name);
            }
        }
    }
    const int i = current.isEmpty() ? 0 : m_model->findData(current);
    m_model->setCurrentIndex(std::max(0, i));
    m_model->blockSignals(false);
}

QString Composer::model() const
{
    return m_model->currentData().toString();
}

void Composer::setModel(const QString &name)
{
    const int i = name.isEmpty() ? 0 : m_model->findData(name);
    if (i >= 0)
        m_model->setCurrentIndex(i);
}

QString Composer::taskType() const
{
    return m_task->currentData().toString();
}

void Composer::setStreaming(bool streaming)
{
    m_send->setVisible(!streaming);
    m_stop->setVisible(streaming);
}

void Composer::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    QPalette pal = palette();
    if (problem)
        pal.setColor(QPalette::WindowText, QColor(0xc0, 0x2b, 0x2b));
    m_status->setPalette(pal);
}

void Composer::setEstimate(const QString &text)
{
    m_estimate->setText(text);
}

void Composer::setEditing(bool editing)
{
    m_editing = editing;
    m_editBanner->setVisible(editing);
    m_send->setText(editing ? tr("Resend") : tr("Send"));
}
