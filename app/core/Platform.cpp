#include "Platform.h"

#include <QCoreApplication>
#include <QObject>
#include <QSocketNotifier>

#include <algorithm>
#include <cstdio>
#include <climits>
#include <iostream>
#include <limits>
#include <string>

#ifdef Q_OS_WIN
#include <io.h>
#include <winsock2.h>
#else
#include <cerrno>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <csignal>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#endif

namespace Platform {

bool stdinIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stdin));
#else
    return isatty(STDIN_FILENO);
#endif
}

void restrictNewFiles()
{
#ifndef Q_OS_WIN
    umask(S_IRWXG | S_IRWXO);
#endif
}

QByteArray readHiddenLine()
{
#ifndef Q_OS_WIN
    termios old {};
    const bool haveTerminal = tcgetattr(STDIN_FILENO, &old) == 0;
    if (haveTerminal) {
        termios hidden = old;
        hidden.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &hidden);
    }
#endif
    std::string line;
    std::getline(std::cin, line);
#ifndef Q_OS_WIN
    if (haveTerminal)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
#endif
    return QByteArray::fromStdString(line);
}

QByteArray readAllStdin()
{
    QByteArray data;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
        data.append(buffer, qsizetype(n));
    return data;
}

#ifndef Q_OS_WIN
namespace {
int terminationPipe[2] = {-1, -1};
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(terminationPipe[1], &byte, 1);
}
} // namespace
#endif

void lowerCurrentThreadPriority()
{
#ifdef Q_OS_LINUX
    // On Linux a thread is a task of its own: this changes the calling thread only.
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
#endif
}

QString execWindow(int argc, char **argv)
{
    Q_UNUSED(argc);
#ifdef Q_OS_WIN
    Q_UNUSED(argv);
    return QCoreApplication::translate("Platform", "Start switchyard-window.exe to open the window.");
#else
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    const QByteArray exe = n > 0 ? QByteArray(self, n) : QByteArray(argv[0]);
    const QByteArray dir = exe.left(exe.lastIndexOf('/') + 1);
    QByteArrayList tried;
    const QByteArrayList candidates = {dir + "switchyard-window", dir + SWITCHYARD_WINDOW_RELATIVE "/switchyard-window"};
    for (const QByteArray &candidate : candidates) {
        if (::access(candidate.constData(), X_OK) == 0) {
            argv[0] = const_cast<char *>(candidate.constData());
            ::execv(candidate.constData(), argv);
        }
        tried << candidate;
    }
    return QCoreApplication::translate("Platform", "The window cannot be opened: switchyard-window is missing (looked for %1). "
                                                   "Reinstall Switchyard; the commands (switchyard --help) still work.")
        .arg(QString::fromLocal8Bit(tried.join(", ")));
#endif
}

void onTerminationRequest(QObject *context, std::function<void()> handler)
{
#ifdef Q_OS_WIN
    Q_UNUSED(context);
    Q_UNUSED(handler);   // a console window's close ends the process; nothing to flush that Qt does not
#else
    // A signal handler may only write a byte; the notifier turns it into a call on the event loop.
    if (terminationPipe[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, terminationPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(terminationPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [handler = std::move(handler)] {
        char byte;
        [[maybe_unused]] const auto n = ::read(terminationPipe[0], &byte, 1);
        handler();
    });
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int s : {SIGINT, SIGTERM, SIGHUP})
        sigaction(s, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);   // a client that hangs up mid-stream must not end the process
#endif
}

qint64 raiseOpenFileLimit()
{
#ifdef Q_OS_WIN
    return -1;
#else
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    // Enough for the endpoint's connections, not more: children inherit it, and old code that
    // uses select() breaks on descriptors past 1024.
    constexpr rlim_t Wanted = 4096;
    if (limit.rlim_cur < std::min(limit.rlim_max, Wanted)) {
        rlimit raised = limit;
        raised.rlim_cur = std::min(limit.rlim_max, Wanted);
#ifdef Q_OS_MACOS
        raised.rlim_cur = std::min<rlim_t>(raised.rlim_cur, OPEN_MAX);
#endif
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<qint64>::max() : qint64(limit.rlim_cur);
#endif
}

void releaseFreeMemory()
{
#if defined(Q_OS_LINUX) && defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void prepareSocket(qintptr socket)
{
    int one = 1;
#ifdef Q_OS_WIN
    u_long nonBlocking = 1;
    ioctlsocket(SOCKET(socket), FIONBIO, &nonBlocking);
    setsockopt(SOCKET(socket), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);
#else
    const int fd = int(socket);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
#endif
}

qint64 socketRead(qintptr socket, char *data, qint64 size)
{
#ifdef Q_OS_WIN
    const int n = ::recv(SOCKET(socket), data, int(std::min<qint64>(size, INT_MAX)), 0);
    if (n > 0)
        return n;
    if (n == 0)
        return SocketClosed;
    return WSAGetLastError() == WSAEWOULDBLOCK ? SocketWouldBlock : SocketFailed;
#else
    for (;;) {
        const ssize_t n = ::recv(int(socket), data, size_t(size), 0);
        if (n > 0)
            return n;
        if (n == 0)
            return SocketClosed;
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? SocketWouldBlock : SocketFailed;
    }
#endif
}

qint64 socketWrite(qintptr socket, const char *data, qint64 size)
{
#ifdef Q_OS_WIN
    const int n = ::send(SOCKET(socket), data, int(std::min<qint64>(size, INT_MAX)), 0);
    if (n >= 0)
        return n;
    return WSAGetLastError() == WSAEWOULDBLOCK ? SocketWouldBlock : SocketFailed;
#else
#ifdef MSG_NOSIGNAL
    constexpr int flags = MSG_NOSIGNAL;   // a client that hung up is an error here, not a SIGPIPE
#else
    constexpr int flags = 0;              // SO_NOSIGPIPE, set in prepareSocket()
#endif
    for (;;) {
        const ssize_t n = ::send(int(socket), data, size_t(size), flags);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? SocketWouldBlock : SocketFailed;
    }
#endif
}

void socketShutdownWrite(qintptr socket)
{
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(socket), SD_SEND);
#else
    ::shutdown(int(socket), SHUT_WR);
#endif
}

void socketClose(qintptr socket)
{
#ifdef Q_OS_WIN
    ::closesocket(SOCKET(socket));
#else
    ::close(int(socket));
#endif
}

} // namespace Platform
