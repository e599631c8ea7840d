#pragma once

#include <QFileDevice>
#include <QString>

// What Switchyard keeps is its user's alone: chat history and reasoning in the SQLite files, the
// ledger, settings.ini, config.yaml, and the opt-in plain key file. Folders are made 0700 and files
// 0600 whatever the umask, and looser ones found at start are tightened, so a library user gets
// the same as the two programs (which also set the umask to 077, Platform::restrictNewFiles).
// On Windows only the read-only flag maps to these permissions; the user's profile ACL applies.
namespace PrivateFiles {

constexpr QFileDevice::Permissions FolderPermissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions FilePermissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// Creates `dir` (and any missing parents) and makes `dir` itself 0700, a folder that exists too;
// false only when it cannot be created (a file system without modes keeps what it has).
bool makeFolder(const QString &dir);
// Makes `path` 0600 if it exists; false only when it exists and its mode could not be changed.
bool tighten(const QString &path);
// Creates `path` empty and 0600 unless it exists, else tightens it; false when it cannot be created.
bool makeFile(const QString &path);
// The SQLite database at `path` before SQLite opens it: created 0600 (SQLite gives the -wal, -shm
// and -journal files the main file's mode when it creates them), and each of the four tightened
// when it exists already. Nothing for ":memory:" or an empty path.
bool prepareDatabase(const QString &path);

} // namespace PrivateFiles
