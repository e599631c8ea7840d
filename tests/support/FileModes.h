#pragma once

// File modes for the tests of private files: the mode of a path as octal (0600), and the umask
// set to 000 for a scope, so a test sees what the code does with no help from the umask.
#include <QFile>
#include <QString>

#include <sys/stat.h>

inline int fileMode(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

class UmaskZero
{
public:
    UmaskZero() : m_old(::umask(0)) {}
    ~UmaskZero() { ::umask(m_old); }
    UmaskZero(const UmaskZero &) = delete;
    UmaskZero &operator=(const UmaskZero &) = delete;

private:
    mode_t m_old;
};
