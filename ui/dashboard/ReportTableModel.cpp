#include "ReportTableModel.h"

ReportTableModel::ReportTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ReportTableModel::setHeaders(const QStringList &headers)
{
    beginResetModel();
    m_headers = headers;
    m_rows.clear();
    endResetModel();
}

void ReportTableModel::setRows(QList<QList<Cell>> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    for (QList<Cell> &row : m_rows)
        row.resize(m_headers.size());
    endResetModel();
}

int ReportTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReportTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant ReportTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Cell &c = m_rows[index.row()][index.column()];
    switch (role) {
    case Qt::DisplayRole:
        return c.text;
    case RawValueRole:
        return c.raw.isValid() ? c.raw : QVariant(c.text);
    case Qt::TextAlignmentRole:
        return int(c.alignment);
    case Qt::ToolTipRole:
        return c.toolTip.isEmpty() ? QVariant() : QVariant(c.toolTip);
    default:
        return {};
    }
}

void ReportTableModel::setHeaderToolTip(int section, const QString &toolTip)
{
    m_headerToolTips.insert(section, toolTip);
    emit headerDataChanged(Qt::Horizontal, section, section);
}

QVariant ReportTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_headers.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_headers[section];
    if (role == Qt::ToolTipRole && m_headerToolTips.contains(section))
        return m_headerToolTips.value(section);
    return {};
}
