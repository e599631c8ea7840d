#include "Platform.h"

#include <cstdio>
#include <iostream>
#include <string>

#ifdef Q_OS_WIN
#include <io.h>
#else
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

} // namespace Platform
