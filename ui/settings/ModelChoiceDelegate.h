#pragma once

#include <QPointer>
#include <QStyledItemDelegate>

class ConfigStore;
class KeyStatus;

// The Model cell of the routing table: a list of the configuration's chat models, never free
// text, each marked when it cannot answer now ("no key", "provider disabled"), in the list and in the
// cell. A name the configuration lacks (a hand-edited file) still shows, first in the list, so
// the rule's error can be read before another model is picked.
class ModelChoiceDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    ModelChoiceDelegate(ConfigStore *config, QObject *parent = nullptr);

    void setKeyStatus(KeyStatus *keys);
    // Why `model` cannot answer now, or empty when it can (or its key is still being looked up).
    QString unavailability(const QString &model) const;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QString shown(const QString &model) const;

    ConfigStore *m_config;
    QPointer<KeyStatus> m_keys;
};
