#pragma once

#include "Config.h"

#include <QAbstractTableModel>

// The routing rules as an editable table: name, rule, model, fallback. Rows move by drag and drop
// (and moveRow); the default route always stays last. Invalid rules are shown, not refused, so a
// half-typed rule is never lost; `problem()` says what is wrong with a row, naming the rule by its
// number and, for the rule's expression, the column in it.
class RoutesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Match, Model, Fallback, ColumnCount };

    explicit RoutesModel(QObject *parent = nullptr);

    void setRoutes(const QList<RouteConfig> &routes, const Config &context);
    QList<RouteConfig> routes() const { return m_routes; }
    QString problem(int row) const;
    bool hasProblems() const;
    int addRule();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                  int destinationChild) override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;

signals:
    void routesEdited();

private:
    struct Problem
    {
        QString message;   // empty: the row is fine
        int column = 0;    // in the rule's expression, from 1; 0 when the problem is elsewhere
    };
    void check(int row);

    QList<RouteConfig> m_routes;
    QList<Problem> m_problems;
    Config m_context;   // for model names
};
