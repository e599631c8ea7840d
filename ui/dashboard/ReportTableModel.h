#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QVariant>

// A read-only table of report figures: each cell has the text people read and the raw value
// (micro-units, token counts, milliseconds) that sorting and charts use.
class ReportTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role { RawValueRole = Qt::UserRole + 1 };

    struct Cell
    {
        QString text;
        QVariant raw;                 // sorts the column; defaults to the text
        Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter;
        QString toolTip;
        static Cell number(const QString &text, qint64 raw, const QString &toolTip = {})
        {
            return {text, raw, Qt::AlignRight | Qt::AlignVCenter, toolTip};
        }
    };

    explicit ReportTableModel(QObject *parent = nullptr);

    void setHeaders(const QStringList &headers);
    void setRows(QList<QList<Cell>> rows);
    void setHeaderToolTip(int section, const QString &toolTip);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
    QHash<int, QString> m_headerToolTips;
    QList<QList<Cell>> m_rows;
};
