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

// Raises the soft limit on open files towards 4,096 (as far as the hard limit allows: a server's
// connections are files) and returns the soft limit in force afterwards; -1 where there is none.
qint64 raiseOpenFileLimit();
// Gives memory that was freed back to the OS (glibc keeps it for reuse otherwise): for a server
// that has gone idle after a burst.
void releaseFreeMemory();

// Non-blocking TCP for the endpoint's server, which needs what QTcpSocket hides: a half-closed
// client (reading stops, writing goes on), and reads that stop when its buffers are full.
// Both return the bytes moved, SocketWouldBlock, SocketClosed (read: the peer sent its last byte)
// or SocketFailed (the connection broke; nothing more will come or go).
constexpr qint64 SocketWouldBlock = -2;
constexpr qint64 SocketClosed = -3;
constexpr qint64 SocketFailed = -1;
void prepareSocket(qintptr socket);   // non-blocking, TCP_NODELAY
qint64 socketRead(qintptr socket, char *data, qint64 size);
qint64 socketWrite(qintptr socket, const char *data, qint64 size);
void socketShutdownWrite(qintptr socket);   // sends FIN; reading goes on
void socketClose(qintptr socket);           // RST if unread bytes remain, as the OS does

} // namespace Platform
