#include "RoutesModel.h"

#include <QColor>
#include <QMimeData>

namespace {
const QString rowMime = QStringLiteral("application/x-switchyard-route-row");
}

RoutesModel::RoutesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RoutesModel::setRoutes(const QList<RouteConfig> &routes, const Config &context)
{
    beginResetModel();
    m_routes = routes;
    m_context = context;
    m_problems = QList<Problem>(m_routes.size());
    for (int i = 0; i < m_routes.size(); ++i)
        check(i);
    endResetModel();
}

void RoutesModel::check(int row)
{
    RouteConfig &r = m_routes[row];
    QString problem;
    int column = 0;
    if (!r.isDefault) {
        RouteExpression::Error e;
        r.expression = RouteExpression::parse(r.match, &e);
        if (!r.expression) {
            problem = e.message;
            column = e.column;
        }
    }
    // The same names config.yaml accepts: they go on into response headers and the ledger, and a
    // refused one is never quoted back.
    const auto nameProblem = [&problem](const QString &label, const QString &name) {
        const QString p = Config::nameProblem(name);
        if (problem.isEmpty() && !p.isEmpty())
            problem = label.arg(p);
    };
    nameProblem(tr("Name: %1"), r.name);
    nameProblem(tr("Model: %1"), r.model);
    for (const QString &f : std::as_const(r.fallback))
        nameProblem(tr("Fallback: %1"), f);
    const ModelConfig *routed = m_context.model(r.model);
    if (problem.isEmpty() && !routed)
        problem = tr("There is no model \"%1\".").arg(r.model);
    else if (problem.isEmpty() && routed->isEmbedding())
        problem = tr("\"%1\" is an embedding model; rules choose chat models.").arg(r.model);
    for (const QString &f : std::as_const(r.fallback)) {
        const ModelConfig *m = m_context.model(f);
        if (problem.isEmpty() && !m)
            problem = tr("The fallback \"%1\" is not a model.").arg(f);
        else if (problem.isEmpty() && m->isEmbedding())
            problem = tr("The fallback \"%1\" is an embedding model; rules fall back to chat models.").arg(f);
    }
    m_problems[row] = {problem, column};
}

QString RoutesModel::problem(int row) const
{
    const Problem p = m_problems.value(row);
    if (p.message.isEmpty())
        return QString();
    return p.column > 0 ? tr("Rule %1, column %2: %3").arg(row + 1).arg(p.column).arg(p.message)
                        : tr("Rule %1: %2").arg(row + 1).arg(p.message);
}

bool RoutesModel::hasProblems() const
{
    return std::any_of(m_problems.cbegin(), m_problems.cend(), [](const Problem &p) { return !p.message.isEmpty(); });
}

int RoutesModel::addRule()
{
    // New rules go before the default route, which must stay last.
    int row = int(m_routes.size());
    if (row > 0 && m_routes.last().isDefault)
        --row;
    RouteConfig r;
    r.match = QStringLiteral("task_type == \"code\"");
    r.model = m_routes.isEmpty() ? QString() : m_routes.last().model;
    beginInsertRows({}, row, row);
    m_routes.insert(row, r);
    m_problems.insert(row, Problem {});
    check(row);
    endInsertRows();
    emit routesEdited();
    return row;
}

int RoutesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_routes.size());
}

int RoutesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoutesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RouteConfig &r = m_routes.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Name: return r.name;
        case Match: return r.isDefault ? (role == Qt::DisplayRole ? tr("(default: everything else)") : QString()) : r.match;
        case Model: return r.model;
        case Fallback: return r.fallback.join(QStringLiteral(", "));
        }
    }
    if (role == Qt::ToolTipRole && !m_problems.value(index.row()).message.isEmpty())
        return problem(index.row());
    if (role == Qt::ForegroundRole) {
        if (!m_problems.value(index.row()).message.isEmpty())
            return QColor(0xb3, 0x26, 0x1e);
        if (r.isDefault && index.column() == Match)
            return QColor(0x70, 0x70, 0x70);
    }
    return {};
}

QVariant RoutesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Name: return tr("Name");
    case Match: return tr("When (rule)");
    case Model: return tr("Model");
    case Fallback: return tr("Fallback");
    }
    return {};
}

Qt::ItemFlags RoutesModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index) | Qt::ItemIsDropEnabled;
    if (!index.isValid())
        return f;
    const bool isDefault = m_routes.at(index.row()).isDefault;
    if (!(isDefault && index.column() == Match))
        f |= Qt::ItemIsEditable;
    if (!isDefault)
        f |= Qt::ItemIsDragEnabled;
    return f;
}

bool RoutesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    RouteConfig &r = m_routes[index.row()];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case Name: r.name = text; break;
    case Match:
        if (r.isDefault)
            return false;
        r.match = text;
        break;
    case Model: r.model = text; break;
    case Fallback: r.fallback = text.split(QLatin1Char(','), Qt::SkipEmptyParts); for (QString &f : r.fallback) f = f.trimmed(); break;
    }
    check(index.row());
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    emit routesEdited();
    return true;
}

bool RoutesModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count <= 0 || row < 0 || row + count > m_routes.size())
        return false;
    for (int i = row; i < row + count; ++i) {
        if (m_routes.at(i).isDefault)
            return false;   // the default route is required
    }
    beginRemoveRows({}, row, row + count - 1);
    m_routes.remove(row, count);
    m_problems.remove(row, count);
    endRemoveRows();
    emit routesEdited();
    return true;
}

bool RoutesModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                           int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0 || sourceRow >= m_routes.size())
        return false;
    const int lastMovable = int(m_routes.size()) - (m_routes.last().isDefault ? 1 : 0);   // rows before the default
    if (m_routes.at(sourceRow).isDefault || destinationChild < 0 || destinationChild > lastMovable)
        return false;
    if (destinationChild == sourceRow || destinationChild == sourceRow + 1)
        return false;
    if (!beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild))
        return false;
    const int to = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    m_routes.move(sourceRow, to);
    m_problems.move(sourceRow, to);
    endMoveRows();
    emit routesEdited();
    return true;
}

Qt::DropActions RoutesModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList RoutesModel::mimeTypes() const
{
    return {rowMime};
}

QMimeData *RoutesModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(rowMime, QByteArray::number(indexes.first().row()));
    return data;
}

bool RoutesModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int, const QModelIndex &parent)
{
    if (action != Qt::MoveAction || !data || !data->hasFormat(rowMime))
        return false;
    const int source = data->data(rowMime).toInt();
    int destination = row >= 0 ? row : (parent.isValid() ? parent.row() : int(m_routes.size()));
    const int lastMovable = int(m_routes.size()) - (!m_routes.isEmpty() && m_routes.last().isDefault ? 1 : 0);
    destination = std::min(destination, lastMovable);
    moveRows({}, source, 1, {}, destination);
    return false;   // the move is done; the view must not remove the source row itself
}
