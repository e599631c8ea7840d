#include "PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace PrivateFiles {

bool makeFolder(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return false;
    tighten(dir);   // a file system without modes (FAT, some shares) keeps what it has
    return true;
}

bool tighten(const QString &path)
{
    constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
                                                | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    const QFileInfo info(path);
    if (!info.exists() || !(info.permissions() & others))
        return true;
    return QFile::setPermissions(path, info.isDir() ? FolderPermissions : FilePermissions);
}

bool makeFile(const QString &path)
{
    QFile file(path);
    if (file.exists())
        return tighten(path);
    // Created with the mode given (less the umask, which can only take bits away).
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, FilePermissions))
        return file.exists() && tighten(path);   // another process made it in between
    return true;
}

bool prepareDatabase(const QString &path)
{
    if (path.isEmpty() || path == u":memory:" || path.startsWith(u"file:"))
        return true;
    bool ok = makeFile(path);
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        ok = tighten(path + QLatin1String(suffix)) && ok;
    return ok;
}

} // namespace PrivateFiles
