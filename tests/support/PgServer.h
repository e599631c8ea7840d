#pragma once

// A private PostgreSQL 15 server for the team ledger's tests: initdb in a temporary folder, TLS with
// the test CA's certificate (tests/data/tls), listening on 127.0.0.1 at a free port, never on a socket
// in /var/run, and never touching Debian's own cluster. Running as root (as CI does), the server runs
// as the `postgres` account, since initdb refuses root.
//
// The owner role may connect from 127.0.0.1 without a password; every other role needs its password
// (scram-sha-256), so the app's password path is tested for real. Connections with and without TLS
// are accepted: the client's sslmode decides. start() after stop() or kill() reopens the same data on
// the same port. fsync and full-page writes are off for speed, but commits stay synchronous: kill()
// (an immediate stop, as a crash) then never loses a commit the server acknowledged, which the
// "server restarted mid-way, every row exactly once" tests rely on.
//
// Blocking by design (initdb and pg_ctl wait for themselves): this is test support, never app code.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>
#include <QVariant>

#include <atomic>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

class PgServer
{
public:
    PgServer() = default;
    ~PgServer()
    {
        if (m_running)
            kill();
        closeConnections();
    }
    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    // Creates the cluster on the first call, then starts it and waits until it accepts connections.
    bool start()
    {
        if (m_running)
            return true;
        m_error.clear();
        if (!m_initialized && !initialize())
            return false;
        QString output;
        // A port found free can be taken before the server binds it; only the first start may move.
        const int attempts = m_started ? 1 : 3;
        for (int attempt = 0; attempt < attempts; ++attempt) {
            if (attempt > 0 && !choosePort())
                return false;
            const qint64 logSize = QFileInfo(logFile()).size();
            if (pgCtl({QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"),
                       QStringLiteral("-l"), logFile()}, &output)) {
                m_running = true;
                m_started = true;
                return true;
            }
            if (!logSince(logSize).contains(QLatin1String("could not bind")))
                break;
        }
        fail(QStringLiteral("PostgreSQL did not start (pg_ctl start)"), output);
        return false;
    }

    // A clean shutdown (`-m fast`): sessions end, everything committed is on disk.
    bool stop() { return shutdown(QStringLiteral("fast")); }

    // As a crash (`-m immediate`): no shutdown checkpoint, the next start recovers from the WAL.
    bool kill() { return shutdown(QStringLiteral("immediate")); }

    bool isRunning() const { return m_running; }
    int port() const { return m_port; }
    // The name the server's certificate carries, for sslmode=verify-full.
    QString host() const { return QStringLiteral("localhost"); }
    QString caFile() const { return QStringLiteral(SWITCHYARD_TEST_DATA "/tls/ca.pem"); }
    QString ownerUser() const { return QStringLiteral("switchyard_test_owner"); }
    QString dataDir() const { return m_dir ? m_dir->filePath(QStringLiteral("data")) : QString(); }
    // The last failure as a sentence, with the output of the program that failed.
    QString error() const { return m_error; }

    // The last lines of the server's own log, for a failing test's message.
    QString logTail(int lines = 30) const
    {
        QFile file(logFile());
        if (!file.open(QIODevice::ReadOnly))
            return QString();
        QStringList all = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return all.mid(qMax(0, all.size() - lines)).join(QLatin1Char('\n'));
    }

    // postgresql://user@localhost:PORT/DB?sslmode=verify-full&sslrootcert=CA, as a member would configure it.
    QString url(const QString &user, const QString &database) const
    {
        return QStringLiteral("postgresql://%1@%2:%3/%4?sslmode=verify-full&sslrootcert=%5")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(user)), host(), QString::number(m_port),
                 QString::fromLatin1(QUrl::toPercentEncoding(database)),
                 QString::fromLatin1(QUrl::toPercentEncoding(caFile(), "/")));
    }

    // Runs `sql` as the owner in `database`; false with error() set when it is refused.
    bool exec(const QString &sql, const QString &database = QStringLiteral("postgres"))
    {
        QSqlDatabase db = ownerConnection(database);
        if (!db.isOpen())
            return false;
        QSqlQuery q(db);
        if (!q.exec(sql)) {
            m_error = QStringLiteral("The statement was refused: %1\n%2").arg(q.lastError().text(), sql);
            return false;
        }
        return true;
    }

    // The first column of the first row of `sql`, run as the owner; invalid when there is none.
    QVariant value(const QString &sql, const QString &database = QStringLiteral("postgres"))
    {
        QSqlDatabase db = ownerConnection(database);
        if (!db.isOpen())
            return QVariant();
        QSqlQuery q(db);
        if (!q.exec(sql)) {
            m_error = QStringLiteral("The query was refused: %1\n%2").arg(q.lastError().text(), sql);
            return QVariant();
        }
        if (!q.next()) {
            m_error = QStringLiteral("The query returned no row: %1").arg(sql);
            return QVariant();
        }
        return q.value(0);
    }

    bool createDatabase(const QString &name, const QString &owner = QString())
    {
        return exec(QStringLiteral("CREATE DATABASE %1%2").arg(quoted(name),
            owner.isEmpty() ? QString() : QStringLiteral(" OWNER %1").arg(quoted(owner))));
    }

    // A role that logs in with a password (scram-sha-256), as a team member.
    bool createRole(const QString &name, const QString &password)
    {
        QString literal = password;
        literal.replace(QLatin1Char('\''), QLatin1String("''"));
        return exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'").arg(quoted(name), literal));
    }

    // An identifier as SQL spells it, for names built in tests.
    static QString quoted(const QString &identifier)
    {
        QString inner = identifier;
        inner.replace(QLatin1Char('"'), QLatin1String("\"\""));
        return QLatin1Char('"') + inner + QLatin1Char('"');
    }

private:
    static QString binDir() { return QStringLiteral("/usr/lib/postgresql/15/bin"); }
    static bool asRoot() { return ::geteuid() == 0; }
    QString logFile() const { return m_dir ? m_dir->filePath(QStringLiteral("server.log")) : QString(); }

    bool initialize()
    {
        if (!QFileInfo(binDir() + QStringLiteral("/initdb")).isExecutable()
            || !QFileInfo(binDir() + QStringLiteral("/pg_ctl")).isExecutable()) {
            m_error = QStringLiteral("PostgreSQL 15's programs are not in %1: install the `postgresql` package.")
                          .arg(binDir());
            return false;
        }
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
            m_error = QStringLiteral("Qt has no QPSQL driver: install the `libqt6sql6-psql` package.");
            return false;
        }
        if (asRoot() && !::getpwnam("postgres")) {
            m_error = QStringLiteral("Running as root, the server needs the `postgres` account, which the "
                                     "`postgresql` package creates; it is missing.");
            return false;
        }
        m_dir.reset(new QTemporaryDir(QDir::tempPath() + QStringLiteral("/switchyard-pg-XXXXXX")));
        if (!m_dir->isValid()) {
            m_error = QStringLiteral("Could not create a temporary folder for PostgreSQL: %1").arg(m_dir->errorString());
            return false;
        }
        // The postgres account must reach the data folder and write its log beside it.
        QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                 | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
                                                 | QFile::ExeOther);
        const QString data = dataDir();
        QFile log(logFile());
        if (!QDir().mkdir(data) || !log.open(QIODevice::WriteOnly) || !giveToServer(data, 0700)
            || !giveToServer(logFile(), 0600)) {
            m_error = QStringLiteral("Could not prepare %1 for PostgreSQL.").arg(m_dir->path());
            return false;
        }
        log.close();

        QString output;
        if (!run(binDir() + QStringLiteral("/initdb"),
                 {QStringLiteral("-D"), data, QStringLiteral("-U"), ownerUser(), QStringLiteral("--auth=trust"),
                  QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--no-locale"),
                  QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")},
                 &output)) {
            fail(QStringLiteral("initdb failed"), output);
            return false;
        }

        if (!QFile::copy(QStringLiteral(SWITCHYARD_TEST_DATA "/tls/provider.pem"), data + QStringLiteral("/server.crt"))
            || !QFile::copy(QStringLiteral(SWITCHYARD_TEST_DATA "/tls/provider.key"), data + QStringLiteral("/server.key"))
            || !giveToServer(data + QStringLiteral("/server.crt"), 0644)
            || !giveToServer(data + QStringLiteral("/server.key"), 0600)) {
            m_error = QStringLiteral("Could not copy the test certificate into %1.").arg(data);
            return false;
        }

        // First matching line wins: the owner without a password, everyone else with theirs.
        const QString hba = QStringLiteral("host all %1 127.0.0.1/32 trust\n"
                                           "host all all 127.0.0.1/32 scram-sha-256\n")
                                .arg(ownerUser());
        const QString conf = QStringLiteral("\n# switchyard tests\n"
                                            "listen_addresses = '127.0.0.1'\n"
                                            "unix_socket_directories = ''\n"
                                            "fsync = off\n"
                                            "full_page_writes = off\n"
                                            "password_encryption = 'scram-sha-256'\n"
                                            "ssl = on\n"
                                            "ssl_cert_file = 'server.crt'\n"
                                            "ssl_key_file = 'server.key'\n");
        if (!writeServerFile(data + QStringLiteral("/pg_hba.conf"), hba, QIODevice::Truncate)
            || !writeServerFile(data + QStringLiteral("/postgresql.conf"), conf, QIODevice::Append)
            || !choosePort())
            return false;
        m_initialized = true;
        return true;
    }

    // A port that was free a moment ago; a later line in postgresql.conf overrides an earlier one.
    bool choosePort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            m_error = QStringLiteral("Could not find a free port on 127.0.0.1: %1").arg(probe.errorString());
            return false;
        }
        m_port = probe.serverPort();
        probe.close();
        return writeServerFile(dataDir() + QStringLiteral("/postgresql.conf"),
                               QStringLiteral("port = %1\n").arg(m_port), QIODevice::Append);
    }

    bool shutdown(const QString &mode)
    {
        closeConnections();
        if (!m_running)
            return true;
        QString output;
        if (!pgCtl({QStringLiteral("stop"), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"),
                    QStringLiteral("-m"), mode}, &output)) {
            fail(QStringLiteral("PostgreSQL did not stop (pg_ctl stop -m %1)").arg(mode), output);
            return false;
        }
        m_running = false;
        return true;
    }

    bool pgCtl(QStringList arguments, QString *output)
    {
        arguments << QStringLiteral("-D") << dataDir();
        return run(binDir() + QStringLiteral("/pg_ctl"), arguments, output);
    }

    // Runs a server program as the account that owns the data, its output kept for a failure message.
    bool run(const QString &program, const QStringList &arguments, QString *output)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setWorkingDirectory(m_dir->path());   // the postgres account may not read ours
        if (asRoot()) {
            process.setProgram(QStringLiteral("runuser"));
            process.setArguments(QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program}
                                 + arguments);
        } else {
            process.setProgram(program);
            process.setArguments(arguments);
        }
        process.start();
        const bool finished = process.waitForFinished(60000);
        *output = QStringLiteral("$ %1 %2\n").arg(process.program(), process.arguments().join(QLatin1Char(' ')))
                  + QString::fromLocal8Bit(process.readAll());
        if (!finished) {
            *output += process.errorString();
            process.kill();
            process.waitForFinished();
            return false;
        }
        return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    }

    bool giveToServer(const QString &path, mode_t mode) const
    {
        const QByteArray name = QFile::encodeName(path);
        if (::chmod(name.constData(), mode) != 0)
            return false;
        if (!asRoot())
            return true;
        const passwd *pw = ::getpwnam("postgres");
        return pw && ::chown(name.constData(), pw->pw_uid, pw->pw_gid) == 0;
    }

    bool writeServerFile(const QString &path, const QString &text, QIODevice::OpenModeFlag mode)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | mode) || file.write(text.toUtf8()) < 0) {
            m_error = QStringLiteral("Could not write %1: %2").arg(path, file.errorString());
            return false;
        }
        return true;
    }

    QString logSince(qint64 offset) const
    {
        QFile file(logFile());
        if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
            return QString();
        return QString::fromUtf8(file.readAll());
    }

    void fail(const QString &what, const QString &output)
    {
        m_error = QStringLiteral("%1.\n%2\n--- server log ---\n%3").arg(what, output.trimmed(), logTail());
    }

    // One owner connection per database, opened on first use and dropped when the server stops.
    QSqlDatabase ownerConnection(const QString &database)
    {
        if (!m_running) {
            m_error = QStringLiteral("The server is not running.");
            return QSqlDatabase();
        }
        static std::atomic<int> serial {0};
        QString &name = m_connections[database];
        if (name.isEmpty()) {
            name = QStringLiteral("pgserver-owner-%1").arg(++serial);
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(m_port);
            db.setDatabaseName(database);
            db.setUserName(ownerUser());
            db.setConnectOptions(QStringLiteral("sslmode=require;connect_timeout=5"));
        }
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (!db.isOpen() && !db.open())
            m_error = QStringLiteral("The owner could not connect to %1: %2").arg(database, db.lastError().text());
        return db;
    }

    void closeConnections()
    {
        for (const QString &name : std::as_const(m_connections)) {
            QSqlDatabase::database(name, false).close();
            QSqlDatabase::removeDatabase(name);
        }
        m_connections.clear();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QHash<QString, QString> m_connections;   // database -> connection name
    QString m_error;
    int m_port = 0;
    bool m_initialized = false;
    bool m_started = false;
    bool m_running = false;
};
