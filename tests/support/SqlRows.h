#pragma once

// What a test reads back from a profile's SQLite file, over a connection of its own.
#include "Database.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariantMap>

// The rows of `sql`, each as its columns by name; empty when the file cannot be opened.
inline QList<QVariantMap> sqlRows(const QString &path, const QString &sql)
{
    QList<QVariantMap> rows;
    const QString name = QStringLiteral("test-reader");
    {
        QString error;
        std::optional<QSqlDatabase> db = Database::openConnection(path, name, &error);
        if (!db)
            return rows;
        QSqlQuery q(*db);
        q.exec(sql);
        while (q.next()) {
            QVariantMap r;
            const QSqlRecord record = q.record();
            for (int i = 0; i < record.count(); ++i)
                r.insert(record.fieldName(i), q.value(i));
            rows << r;
        }
        q.finish();
        db->close();
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}
