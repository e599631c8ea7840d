#include "PgServer.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Session
{
    bool opened = false;
    QString error;
    QVariant value;
};

// A member's connection as the app opens one (host name, password, libpq's options), running one
// statement and closing again.
Session connectAs(const PgServer &server, const QString &user, const QString &password,
                  const QString &options, const QString &sql)
{
    static int serial = 0;
    const QString name = QStringLiteral("tst_pgserver-%1").arg(++serial);
    Session session;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(server.host());
        db.setPort(server.port());
        db.setDatabaseName(QStringLiteral("team"));
        db.setUserName(user);
        db.setPassword(password);
        db.setConnectOptions(options);
        session.opened = db.open();
        session.error = db.lastError().text();
        if (session.opened) {
            QSqlQuery q(db);
            if (q.exec(sql)) {
                if (q.next())
                    session.value = q.value(0);
            } else {
                session.error = q.lastError().text();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return session;
}

QString verifyFull(const QString &ca)
{
    return QStringLiteral("sslmode=verify-full;sslrootcert=%1;connect_timeout=5").arg(ca);
}

const QString alicePassword = QStringLiteral("alice's secret");

} // namespace

class TestPgServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        qInfo("PostgreSQL 15 ready on port %d in %lld ms (initdb and first start)", m_server.port(), timer.elapsed());

        QVERIFY2(m_server.createRole(QStringLiteral("alice"), alicePassword), qPrintable(m_server.error()));
        QVERIFY2(m_server.createDatabase(QStringLiteral("team"), QStringLiteral("alice")), qPrintable(m_server.error()));

        // A CA that did not sign the server's certificate, though it names the same host.
        QVERIFY(m_scratch.isValid());
        m_otherCa = m_scratch.filePath(QStringLiteral("other-ca.pem"));
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                       QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), m_scratch.filePath(QStringLiteral("other-ca.key")),
                       QStringLiteral("-out"), m_otherCa, QStringLiteral("-days"), QStringLiteral("1"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                       QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
        QVERIFY2(openssl.waitForFinished(30000) && openssl.exitCode() == 0,
                 qPrintable(QStringLiteral("openssl (package `openssl`) could not make a certificate: ")
                            + openssl.errorString() + QString::fromLocal8Bit(openssl.readAll())));
    }

    void ownerIsServedAsConfigured()
    {
        QCOMPARE(m_server.value(QStringLiteral("SELECT current_user")).toString(), m_server.ownerUser());
        QCOMPARE(m_server.value(QStringLiteral("SHOW port")).toInt(), m_server.port());
        QCOMPARE(m_server.value(QStringLiteral("SHOW ssl")).toString(), QStringLiteral("on"));
        QCOMPARE(m_server.value(QStringLiteral("SHOW fsync")).toString(), QStringLiteral("off"));
        QCOMPARE(m_server.value(QStringLiteral("SHOW synchronous_commit")).toString(), QStringLiteral("on"));
        QCOMPARE(m_server.value(QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).toBool(), true);
        QVERIFY(!m_server.exec(QStringLiteral("SELEC 1")));
        QVERIFY2(m_server.error().contains(QLatin1String("syntax error")), qPrintable(m_server.error()));
        QCOMPARE(m_server.url(QStringLiteral("alice"), QStringLiteral("team")),
                 QStringLiteral("postgresql://alice@localhost:%1/team?sslmode=verify-full&sslrootcert=%2")
                     .arg(m_server.port())
                     .arg(m_server.caFile()));
    }

    void memberConnectsOverVerifiedTls()
    {
        const Session s = connectAs(m_server, QStringLiteral("alice"), alicePassword, verifyFull(m_server.caFile()),
                                    QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        QVERIFY2(s.opened, qPrintable(s.error + QLatin1Char('\n') + m_server.logTail()));
        QCOMPARE(s.value.toBool(), true);
    }

    void sslmodeDecides()
    {
        const Session s = connectAs(m_server, QStringLiteral("alice"), alicePassword,
                                    QStringLiteral("sslmode=disable;connect_timeout=5"),
                                    QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        QVERIFY2(s.opened, qPrintable(s.error));
        QCOMPARE(s.value.toBool(), false);
    }

    void otherCaIsRefused()
    {
        const Session s = connectAs(m_server, QStringLiteral("alice"), alicePassword, verifyFull(m_otherCa),
                                    QStringLiteral("SELECT 1"));
        QVERIFY(!s.opened);
        QVERIFY2(s.error.contains(QLatin1String("certificate verify failed")), qPrintable(s.error));
    }

    void memberNeedsTheirPassword_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong") << QStringLiteral("not alice's secret") << QStringLiteral("password authentication failed");
        QTest::newRow("none") << QString() << QStringLiteral("no password supplied");
    }

    void memberNeedsTheirPassword()
    {
        QFETCH(QString, password);
        QFETCH(QString, expected);
        const Session s = connectAs(m_server, QStringLiteral("alice"), password, verifyFull(m_server.caFile()),
                                    QStringLiteral("SELECT 1"));
        QVERIFY(!s.opened);
        QVERIFY2(s.error.contains(expected), qPrintable(s.error));
    }

    void stopAndStartKeepTheData()
    {
        const QString options = verifyFull(m_server.caFile());
        Session s = connectAs(m_server, QStringLiteral("alice"), alicePassword, options,
                              QStringLiteral("CREATE TABLE notes (body text NOT NULL)"));
        QVERIFY2(s.opened && s.error.isEmpty(), qPrintable(s.error));
        s = connectAs(m_server, QStringLiteral("alice"), alicePassword, options,
                      QStringLiteral("INSERT INTO notes VALUES ('before the stop') RETURNING body"));
        QCOMPARE(s.value.toString(), QStringLiteral("before the stop"));
        QCOMPARE(m_server.value(QStringLiteral("SELECT count(*) FROM notes"), QStringLiteral("team")).toInt(), 1);

        const int port = m_server.port();
        QVERIFY2(m_server.stop(), qPrintable(m_server.error()));
        QVERIFY(!m_server.isRunning());
        s = connectAs(m_server, QStringLiteral("alice"), alicePassword, options, QStringLiteral("SELECT 1"));
        QVERIFY(!s.opened);
        QVERIFY2(s.error.contains(QLatin1String("Connection refused")), qPrintable(s.error));
        QVERIFY(!m_server.value(QStringLiteral("SELECT 1")).isValid());

        QElapsedTimer timer;
        timer.start();
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        qInfo("restarted in %lld ms", timer.elapsed());
        QCOMPARE(m_server.port(), port);
        s = connectAs(m_server, QStringLiteral("alice"), alicePassword, options, QStringLiteral("SELECT string_agg(body, ',') FROM notes"));
        QVERIFY2(s.opened, qPrintable(s.error));
        QCOMPARE(s.value.toString(), QStringLiteral("before the stop"));
    }

    void killKeepsEveryCommit()
    {
        const QString options = verifyFull(m_server.caFile());
        Session s = connectAs(m_server, QStringLiteral("alice"), alicePassword, options,
                              QStringLiteral("INSERT INTO notes VALUES ('before the kill') RETURNING body"));
        QCOMPARE(s.value.toString(), QStringLiteral("before the kill"));

        QVERIFY2(m_server.kill(), qPrintable(m_server.error()));
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        QVERIFY2(m_server.logTail().contains(QLatin1String("not properly shut down")), qPrintable(m_server.logTail()));
        s = connectAs(m_server, QStringLiteral("alice"), alicePassword, options,
                      QStringLiteral("SELECT string_agg(body, ',' ORDER BY body) FROM notes"));
        QVERIFY2(s.opened, qPrintable(s.error));
        QCOMPARE(s.value.toString(), QStringLiteral("before the kill,before the stop"));
    }

private:
    PgServer m_server;
    QTemporaryDir m_scratch;
    QString m_otherCa;
};

QTEST_GUILESS_MAIN(TestPgServer)
#include "tst_pgserver.moc"
