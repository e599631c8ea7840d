#include "Documentation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Documentation {

QString indexIn(const QStringList &candidates)
{
    for (const QString &dir : candidates) {
        const QFileInfo index(QDir(dir).filePath(QStringLiteral("README.md")));
        if (index.isFile())
            return index.absoluteFilePath();
    }
    return {};
}

QStringList candidates()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    return {QDir::cleanPath(bin.filePath(QStringLiteral(SWITCHYARD_DOCS_FROM_BIN))),
            QStringLiteral(SWITCHYARD_SOURCE_DOCS)};
}

} // namespace Documentation
