#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <functional>

class QObject;

// The few OS calls Switchyard needs, kept in one file so other platforms touch only this.
namespace Platform {

bool stdinIsTerminal();
// Reads one line from the terminal without echoing it (for pasting a key by hand).
QByteArray readHiddenLine();
QByteArray readAllStdin();
// Sets the process's umask to 077, so every file and folder it creates from here on is its user's
// alone (POSIX; nothing on Windows). The programs call it first thing; PrivateFiles sets the
// modes of the profile's own files besides, for code that runs in other processes.
void restrictNewFiles();
// Makes the calling thread yield to the others when they compete for a core (nice 10 on Linux).
void lowerCurrentThreadPriority();
// Calls `handler` on the event loop when the process is asked to stop (SIGINT, SIGTERM, SIGHUP).
// Replaces this process with switchyard-window (beside this program, or in libexec/switchyard),
// passing argv on. Returns only on failure, with a sentence saying what is wrong.
QString execWindow(int argc, char **argv);
void onTerminationRequest(QObject *context, std::function<void()> handler);

} // namespace Platform
