// A throwaway team database server for screenshots and trying the Team dashboard by hand: a
// private PostgreSQL 15 over TLS (tests/support/PgServer.h) with a `team` database and a login
// role per member, all with one password. Never part of the app.
//   switchyard-team-server [--members alice,bob,carol] [--password PW]
// Prints the owner's address, then "MEMBER ADDRESS" for each member, and runs until SIGTERM or
// SIGINT, then stops the server and removes its data.
#include "PgServer.h"

#include <QCoreApplication>
#include <QTextStream>

#include <csignal>

int main(int argc, char *argv[])
{
    // Blocked before anything starts, so the signal waits for sigwait() below.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QStringList members = {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")};
    QString password = QStringLiteral("switchyard-team");
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == u"--members" && i + 1 < args.size()) {
            members = args[++i].split(QLatin1Char(','), Qt::SkipEmptyParts);
        } else if (args[i] == u"--password" && i + 1 < args.size()) {
            password = args[++i];
        } else {
            QTextStream(stderr) << "usage: switchyard-team-server [--members alice,bob,carol] [--password PW]\n";
            return 2;
        }
    }

    PgServer server;
    QTextStream err(stderr);
    if (!server.start()) {
        err << server.error() << '\n';
        return 1;
    }
    if (!server.createDatabase(QStringLiteral("team"))) {
        err << server.error() << '\n';
        return 1;
    }
    for (const QString &member : std::as_const(members)) {
        if (!server.createRole(member, password)) {
            err << server.error() << '\n';
            return 1;
        }
    }
    QTextStream out(stdout);
    out << server.url(server.ownerUser(), QStringLiteral("team")) << '\n';
    for (const QString &member : std::as_const(members))
        out << member << ' ' << server.url(member, QStringLiteral("team")) << '\n';
    out.flush();

    int signal = 0;
    sigwait(&stop, &signal);
    server.stop();
    return 0;
}
