#include "ModelChoiceDelegate.h"

#include "ConfigStore.h"
#include "KeyStatus.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QPalette>

ModelChoiceDelegate::ModelChoiceDelegate(ConfigStore *config, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_config(config)
{
}

void ModelChoiceDelegate::setKeyStatus(KeyStatus *keys)
{
    m_keys = keys;
    // The cells say "no key": when a key is set or removed, they are drawn again.
    if (auto *view = qobject_cast<QAbstractItemView *>(parent()); view && keys)
        connect(keys, &KeyStatus::changed, view->viewport(), qOverload<>(&QWidget::update));
}

QString ModelChoiceDelegate::unavailability(const QString &model) const
{
    const ModelConfig *m = m_config->config().model(model);
    if (!m)
        return tr("not in the configuration");
    const ProviderConfig *p = m_config->config().provider(m->provider);
    if (p && !p->enabled)
        return tr("provider disabled");
    if (!m_keys)
        return QString();
    for (const KeyStatus::Entry &e : m_keys->entries()) {
        if (e.providerId == m->provider)
            return e.state == KeyStatus::State::Missing ? tr("no key")
                   : e.state == KeyStatus::State::Error ? tr("key unreadable")
                                                        : QString();
    }
    return QString();
}

QString ModelChoiceDelegate::shown(const QString &model) const
{
    const QString why = unavailability(model);
    return why.isEmpty() ? model : tr("%1 — %2").arg(model, why);
}

QWidget *ModelChoiceDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("routeModelCombo"));
    combo->setAccessibleName(tr("Model"));
    combo->setEditable(false);
    const QColor grey = combo->palette().color(QPalette::Disabled, QPalette::Text);
    for (const ModelConfig &m : m_config->config().models) {
        if (m.isEmbedding())
            continue;   // rules choose chat models
        combo->addItem(shown(m.name), m.name);
        if (!unavailability(m.name).isEmpty())
            combo->setItemData(combo->count() - 1, grey, Qt::ForegroundRole);
    }
    // Picking a model is the whole edit: it is written at once, as a typed cell is on Enter.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        auto *self = const_cast<ModelChoiceDelegate *>(this);
        emit self->commitData(combo);
        emit self->closeEditor(combo);
    });
    return combo;
}

void ModelChoiceDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    const QString current = index.data(Qt::EditRole).toString();
    int row = combo->findData(current);
    if (row < 0 && !current.isEmpty()) {
        // An unknown or embedding model from the file: shown as it is, and flagged by the table.
        const ModelConfig *m = m_config->config().model(current);
        combo->insertItem(0, m && m->isEmbedding() ? tr("%1 — an embedding model").arg(current) : shown(current), current);
        combo->setItemData(0, QColor(0xb3, 0x26, 0x1e), Qt::ForegroundRole);
        row = 0;
    }
    combo->setCurrentIndex(row);
}

void ModelChoiceDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    const auto *combo = static_cast<QComboBox *>(editor);
    if (combo->currentIndex() >= 0)
        model->setData(index, combo->currentData(), Qt::EditRole);
}

void ModelChoiceDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QString model = index.data(Qt::EditRole).toString();
    const QString why = unavailability(model);
    if (model.isEmpty() || why.isEmpty() || !m_config->config().model(model))
        return;   // an unknown name is already red, with the reason in the tooltip
    option->text = shown(model);
    if (!index.data(Qt::ForegroundRole).isValid())   // red, for a rule with a problem, stays red
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::Disabled, QPalette::Text));
}
