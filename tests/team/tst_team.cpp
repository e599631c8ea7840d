// The team ledger end to end (issue 17's "Done when"): a real PostgreSQL 15 of the test's own over
// TLS (verify-full against the test CA), two profiles as two members writing at once — alice
// through the chat window's path, bob through the local endpoint — the server stopped mid-way and
// started again, then every row there exactly once; a new rules version reaching a running member
// within a second; a member who may not write the rules refused with a sentence; and
// `switchyard export --scope team` equal to the union of the members' own exports.
#include "ChatFixture.h"
#include "ChatPage.h"
#include "Composer.h"
#include "EndpointClient.h"
#include "GatewayFixture.h"
#include "Ledger.h"
#include "PgServer.h"
#include "TeamDatabase.h"
#include "TeamLink.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QProcess>
#include <QPushButton>
#include <QSqlQuery>

namespace {

const QString Db = QStringLiteral("team");

QByteArray teamYaml(const PgServer &server, const QString &member)
{
    return QStringLiteral("team:\n  url: '%1'\n  member: %2\n").arg(server.url(member, Db), member).toUtf8();
}

// The local ledger's export, through the same function `switchyard export` uses.
QByteArray localExport(const QString &path)
{
    const QString name = QStringLiteral("tst_team-export-%1").arg(qHash(path));
    QByteArray csv;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QBuffer out(&csv);
            out.open(QIODevice::WriteOnly);
            QString error;
            if (Ledger::exportRows(db, {}, Ledger::Format::Csv, &out, &error) < 0)
                qWarning("export failed: %s", qPrintable(error));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return csv;
}

QStringList csvLines(const QByteArray &csv)
{
    QStringList lines = QString::fromUtf8(csv).remove(QChar(0xFEFF)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    return lines;
}

// `switchyard ARGS…` with `input` on its standard input.
ProcessRun switchyard(const QStringList &args, const QByteArray &input = {})
{
    return runProcess(qEnvironmentVariable("SWITCHYARD_BINARY"), args, QProcessEnvironment::systemEnvironment(), input);
}

bool waitIdle(TeamLink &link, int ms)
{
    return QTest::qWaitFor([&] {
        const TeamLink::Status s = link.status();
        return s.state == TeamLink::Status::State::UpToDate && s.waiting == 0;
    }, ms);
}

} // namespace

class TestTeam : public QObject
{
    Q_OBJECT

    PgServer server;
    std::unique_ptr<ChatFixture> alice;   // the window's path
    std::unique_ptr<GatewayFixture> bob;  // the local endpoint
    std::unique_ptr<TeamLink> aliceLink;
    std::unique_ptr<TeamLink> bobLink;
    QNetworkAccessManager nam;

    QVariant pg(const QString &sql) { return server.value(sql, Db); }

    bool sendInWindow(const QString &text)
    {
        auto *input = alice->page->findChild<ComposerInput *>(QStringLiteral("composerInput"));
        auto *send = alice->page->findChild<QPushButton *>(QStringLiteral("sendButton"));
        if (!input || !send)
            return false;
        input->setPlainText(text);
        QSignalSpy finished(alice->page.get(), &ChatPage::answerFinished);
        QTest::mouseClick(send, Qt::LeftButton);
        return finished.wait(15000);
    }

    // Endpoint requests sent without waiting: they run while the window's prompt does.
    QList<QNetworkReply *> sendToEndpoint(int n, const QString &tag)
    {
        QList<QNetworkReply *> replies;
        for (int i = 0; i < n; ++i) {
            QNetworkRequest request(QUrl(bob->url() + QStringLiteral("/chat/completions")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", QByteArray("Bearer ") + GatewayFixture::Key);
            const QByteArray body = QStringLiteral(R"({"model":"auto","messages":[{"role":"user","content":"%1 %2"}]})")
                                        .arg(tag)
                                        .arg(i)
                                        .toUtf8();
            replies << nam.post(request, body);
        }
        return replies;
    }

    static bool allFinished(const QList<QNetworkReply *> &replies)
    {
        return std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); });
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(server.start(), qPrintable(server.error()));
        QVERIFY2(server.createDatabase(Db), qPrintable(server.error()));
        {
            QString error;
            const std::optional<TeamAddress> owner = TeamAddress::parse(server.url(server.ownerUser(), Db), &error);
            QVERIFY2(owner, qPrintable(error));
            std::optional<QSqlDatabase> db = TeamDatabase::open(*owner, {}, QStringLiteral("tst_team-owner"), &error);
            QVERIFY2(db, qPrintable(error));
            const std::optional<TeamDatabase::InitReport> report = TeamDatabase::init(*db, Db, &error);
            QVERIFY2(report, qPrintable(error));
            QCOMPARE(report->fromVersion, 0);
            QCOMPARE(report->toVersion, TeamDatabase::latestVersion());
            QVERIFY(report->rolesCreated);
            // Twice is harmless.
            const std::optional<TeamDatabase::InitReport> again = TeamDatabase::init(*db, Db, &error);
            QVERIFY2(again, qPrintable(error));
            QCOMPARE(again->fromVersion, TeamDatabase::latestVersion());
            db->close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_team-owner"));
        const TeamDatabase::Roles roles = TeamDatabase::rolesFor(Db);
        for (const QString &who : {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")})
            QVERIFY2(server.createRole(who, who + QStringLiteral("-password")), qPrintable(server.error()));
        QVERIFY(server.exec(QStringLiteral("GRANT %1 TO alice, carol").arg(roles.members), Db));
        QVERIFY(server.exec(QStringLiteral("GRANT %1 TO bob").arg(roles.editors), Db));
    }

    void init()
    {
        QVERIFY(server.isRunning() || server.start());
        alice = std::make_unique<ChatFixture>();
        QString why;
        QVERIFY2(alice->start(&why), qPrintable(why));
        alice->keychain->entries.insert(SecretStore::teamAccount(), QStringLiteral("alice-password"));
        QFile config(alice->config->path());
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(alice->configYaml() + teamYaml(server, QStringLiteral("alice")));
        config.close();
        QVERIFY2(alice->config->reload(), qPrintable(alice->config->lastError()));

        bob = std::make_unique<GatewayFixture>();
        QVERIFY2(bob->start(&why), qPrintable(why));
        bob->shared->entries.insert(SecretStore::teamAccount(), QStringLiteral("bob-password"));
        QVERIFY2(bob->reconfigure(teamYaml(server, QStringLiteral("bob"))), qPrintable(bob->config->lastError()));

        aliceLink = std::make_unique<TeamLink>(alice->config.get(), alice->secrets.get(), alice->database.get());
        bobLink = std::make_unique<TeamLink>(bob->config.get(), bob->secrets.get(), bob->database.get());
        aliceLink->start();
        bobLink->start();
        QVERIFY2(waitIdle(*aliceLink, 15000), qPrintable(aliceLink->status().error));
        QVERIFY2(waitIdle(*bobLink, 15000), qPrintable(bobLink->status().error));
        QVERIFY2(aliceLink->status().server.contains(QStringLiteral("TLS")), qPrintable(aliceLink->status().server));
        QVERIFY2(aliceLink->status().server.contains(QStringLiteral("verify-full")), qPrintable(aliceLink->status().server));
    }

    void cleanup()
    {
        aliceLink.reset();
        bobLink.reset();
        alice.reset();
        bob.reset();
        QVERIFY(server.isRunning() || server.start());
        QVERIFY(server.exec(QStringLiteral("TRUNCATE ledger, ledger_daily, ledger_days"), Db));
    }

    void twoMembersAtOnceThroughARestart()
    {
        // First wave: both members at once, the server up.
        QList<QNetworkReply *> replies = sendToEndpoint(4, QStringLiteral("first"));
        QVERIFY(sendInWindow(QStringLiteral("Hello from the window")));
        QVERIFY(sendInWindow(QStringLiteral("And again")));
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(replies), 20000);

        // The server goes away mid-way; both keep working, their rows wait.
        QVERIFY(server.stop());
        replies += sendToEndpoint(5, QStringLiteral("offline"));
        QVERIFY(sendInWindow(QStringLiteral("While the server is down")));
        QVERIFY(sendInWindow(QStringLiteral("Still down")));
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(replies), 20000);
        for (QNetworkReply *r : std::as_const(replies))
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QTRY_VERIFY_WITH_TIMEOUT(aliceLink->status().state == TeamLink::Status::State::Unreachable, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(bobLink->status().state == TeamLink::Status::State::Unreachable, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(aliceLink->status().waiting >= 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(bobLink->status().waiting >= 5, 10000);
        QVERIFY(aliceLink->status().unreachableSince.isValid());
        QVERIFY(!aliceLink->status().error.isEmpty());

        // Back: everything arrives, once.
        QVERIFY2(server.start(), qPrintable(server.error()));
        QVERIFY2(waitIdle(*aliceLink, 30000), qPrintable(aliceLink->status().error));
        QVERIFY2(waitIdle(*bobLink, 30000), qPrintable(bobLink->status().error));
        QVERIFY(aliceLink->status().lastSend.isValid());

        const QList<QVariantMap> aliceRows = alice->ledgerRows();
        const QList<QVariantMap> bobRows = bob->ledgerRows();
        QCOMPARE(aliceRows.size(), 4);
        QCOMPARE(bobRows.size(), 9);
        QCOMPARE(pg(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'alice'")).toInt(), 4);
        QCOMPARE(pg(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'bob'")).toInt(), 9);
        QCOMPARE(pg(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'bob' AND client = 'window'")).toInt(), 0);
        QCOMPARE(pg(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'alice' AND client = 'window'")).toInt(), 4);
        // The totals agree with the rows.
        QCOMPARE(pg(QStringLiteral("SELECT sum(attempts) FROM ledger_daily")).toInt(), 13);
        QCOMPARE(pg(QStringLiteral("SELECT sum(attempts) FROM ledger_days")).toInt(), 13);
        QCOMPARE(pg(QStringLiteral("SELECT sum(cost_micros) FROM ledger_days")).toLongLong(),
                 pg(QStringLiteral("SELECT sum(cost_micros) FROM ledger")).toLongLong());
        QCOMPARE(pg(QStringLiteral("SELECT sum(cost_micros) FROM ledger_daily")).toLongLong(),
                 pg(QStringLiteral("SELECT sum(cost_micros) FROM ledger")).toLongLong());
        QVERIFY(pg(QStringLiteral("SELECT sum(cost_micros) FROM ledger")).toLongLong() > 0);

        // A member killed after the server took a batch but before it was taken out of the outbox
        // sends it again on the next start: still one row each, the totals unchanged.
        aliceLink.reset();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst_team-resend"));
            db.setDatabaseName(alice->dir.filePath(QStringLiteral("switchyard.db")));
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(QStringLiteral("INSERT INTO team_outbox (id) SELECT id FROM ledger")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_team-resend"));
        aliceLink = std::make_unique<TeamLink>(alice->config.get(), alice->secrets.get(), alice->database.get());
        aliceLink->start();
        QTRY_VERIFY_WITH_TIMEOUT(aliceLink->status().lastSend.isValid() && aliceLink->status().waiting == 0, 15000);
        QVERIFY(waitIdle(*aliceLink, 15000));
        QCOMPARE(pg(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'alice'")).toInt(), 4);
        QCOMPARE(pg(QStringLiteral("SELECT sum(attempts) FROM ledger_daily")).toInt(), 13);
        QCOMPARE(pg(QStringLiteral("SELECT sum(attempts) FROM ledger_days")).toInt(), 13);

        // export --scope team, by the real command, equals the union of the members' own exports.
        QTemporaryDir profile;
        QFile config(profile.filePath(QStringLiteral("config.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(alice->configYaml() + teamYaml(server, QStringLiteral("alice")));
        config.close();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), QStringLiteral("alice-password"));   // libpq's own convention
        const ProcessRun run = runProcess(qEnvironmentVariable("SWITCHYARD_BINARY"),
                                          {QStringLiteral("export"), QStringLiteral("--scope"), QStringLiteral("team"),
                                           QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--profile"),
                                           profile.path()},
                                          env);
        QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
        QStringList team = csvLines(run.out);
        QStringList mine = csvLines(localExport(alice->dir.filePath(QStringLiteral("switchyard.db"))));
        QStringList theirs = csvLines(localExport(bob->dir.filePath(QStringLiteral("switchyard.db"))));
        QCOMPARE(team.takeFirst(), mine.takeFirst() + QStringLiteral(",member"));
        theirs.removeFirst();
        QCOMPARE(team.size(), 13);
        QStringList expected;
        for (const QString &line : std::as_const(mine))
            expected << line + QStringLiteral(",alice");
        for (const QString &line : std::as_const(theirs))
            expected << line + QStringLiteral(",bob");
        team.sort();
        expected.sort();
        QCOMPARE(team, expected);
    }

    void newRulesReachARunningMemberWithinASecond()
    {
        QTRY_VERIFY(bobLink->mayWriteRules());
        QVERIFY(!aliceLink->mayWriteRules());
        const qint64 before = pg(QStringLiteral("SELECT COALESCE(max(version), 0) FROM team_rules")).toLongLong();
        // bob, a rule editor, sends every reasoning task to `fast` from now on.
        Config rules = bob->config->config();
        for (RouteConfig &r : rules.routes)
            if (r.name == u"thinking")
                r.model = QStringLiteral("fast");
        qint64 published = 0;
        QString error;
        QElapsedTimer clock;
        QSignalSpy heard(aliceLink.get(), &TeamLink::rulesChanged);
        bobLink->publishRules(rules, QStringLiteral("reasoning goes to fast"), this,
                              [&](qint64 version, const QString &why) {
                                  published = version;
                                  error = why;
                                  clock.start();
                              });
        QTRY_VERIFY2(published > 0 || !error.isEmpty(), qPrintable(error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(published, before + 1);
        QTRY_VERIFY_WITH_TIMEOUT(aliceLink->rules() && aliceLink->rules()->version == published, 1000);
        const qint64 took = clock.elapsed();
        qInfo("version %lld reached the other member %lld ms after it was committed", published, took);
        QVERIFY2(took <= 1000, qPrintable(QString::number(took)));
        QCOMPARE(aliceLink->rules()->author, QStringLiteral("bob"));
        QCOMPARE(aliceLink->rules()->summary, QStringLiteral("reasoning goes to fast"));
        // In force on alice's machine: her routes are the team's, her providers her own.
        QVERIFY(alice->config->teamRulesInForce());
        const RouteConfig *thinking = nullptr;
        for (const RouteConfig &r : alice->config->config().routes)
            if (r.name == u"thinking")
                thinking = &r;
        QVERIFY(thinking);
        QCOMPARE(thinking->model, QStringLiteral("fast"));
        // Her own providers stay as they are; bob's that she has not set up are disabled stand-ins,
        // so his models on them are passed over here rather than failing the team's rules.
        for (const ProviderConfig &p : alice->config->config().providers) {
            const ProviderConfig *own = alice->config->localConfig().provider(p.id);
            if (own) {
                QCOMPARE(p.baseUrl, own->baseUrl);
                QVERIFY(p.enabled);
            } else {
                QVERIFY2(!p.enabled, qPrintable(p.id));
                QVERIFY(bob->config->config().provider(p.id));
            }
        }
        QCOMPARE(alice->config->config().providers.size(), 8);
        // Saving her settings now (Settings → Network, say) writes neither the team's sections nor
        // the stand-ins into her config.yaml.
        QString saveError;
        QVERIFY2(alice->config->save(alice->config->config(), &saveError), qPrintable(saveError));
        QFile file(alice->config->path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains("not-set-up.invalid"));
        QVERIFY(written.contains("model: kimi"));   // her own thinking rule, not the team's
        QCOMPARE(alice->config->localConfig().providers.size(), 3);
        QCOMPARE(alice->config->config().routes.value(0).model, QStringLiteral("fast"));
        QVERIFY(alice->config->config().team.isSet());
        // What was sent holds no provider and no key.
        const QString body = pg(QStringLiteral("SELECT body FROM team_rules WHERE version = %1").arg(published)).toString();
        QVERIFY(body.contains(QStringLiteral("routes:")));
        QVERIFY(!body.contains(QStringLiteral("providers:")));
        QVERIFY(!body.contains(QStringLiteral("base_url")));
        QVERIFY(!body.contains(QStringLiteral("team:")));
        QVERIFY(!body.contains(QStringLiteral("password")));
    }

    void aMemberWhoMayNotWriteRulesIsRefused()
    {
        const qint64 before = pg(QStringLiteral("SELECT count(*) FROM team_rules")).toLongLong();
        QTRY_VERIFY(aliceLink->rules().has_value());
        QVERIFY(!aliceLink->mayWriteRules());
        QString error;
        bool done = false;
        aliceLink->publishRules(alice->config->config(), QStringLiteral("mine"), this, [&](qint64 version, const QString &why) {
            QCOMPARE(version, qint64(0));
            error = why;
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY2(error.contains(QStringLiteral("did not let your role (alice) change the team's rules")), qPrintable(error));
        QVERIFY2(error.contains(TeamDatabase::rolesFor(Db).editors), qPrintable(error));
        QCOMPARE(pg(QStringLiteral("SELECT count(*) FROM team_rules")).toLongLong(), before);
    }

    void commandLine()
    {
        // team init on a fresh database, as its owner: the schema, the roles, what to grant.
        QVERIFY(server.createDatabase(QStringLiteral("books")));
        const QString ownerUrl = server.url(server.ownerUser(), QStringLiteral("books"));
        ProcessRun r = switchyard({QStringLiteral("team"), QStringLiteral("init"), ownerUrl});
        QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("Set up the team database: schema 3 (was 0)."), r.out.constData());
        QVERIFY2(r.out.contains("books_members") && r.out.contains("books_rule_editors"), r.out.constData());
        QVERIFY2(r.out.contains("GRANT books_rule_editors TO bob"), r.out.constData());
        QCOMPARE(server.value(QStringLiteral("SELECT max(version) FROM team_schema"), QStringLiteral("books")).toInt(), TeamDatabase::latestVersion());
        r = switchyard({QStringLiteral("team"), QStringLiteral("init"), ownerUrl});
        QVERIFY2(r.exitCode == 0 && r.out.contains("already at schema 3"), r.out.constData());
        // A password in the address is refused before anything is sent.
        r = switchyard({QStringLiteral("team"), QStringLiteral("init"), QStringLiteral("postgresql://carol:hunter2@localhost/books")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("switchyard keys set team") && !r.err.contains("hunter2"), r.err.constData());

        // carol's profile: the password in the real keychain, then team status.
        QTemporaryDir profile;
        QFile config(profile.filePath(QStringLiteral("config.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(alice->configYaml() + teamYaml(server, QStringLiteral("carol")));
        config.close();
        r = switchyard({QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("team"), QStringLiteral("--profile"),
                        profile.path()},
                       "carol-password\n");
        QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
        r = switchyard({QStringLiteral("team"), QStringLiteral("status"), QStringLiteral("--profile"), profile.path()});
        QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("Server: PostgreSQL 15.")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("TLS (TLSv1.3, sslmode=verify-full)")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("Member: carol")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("Rows waiting to be sent: 0")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("Last send: never")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("Team schema: 3")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("May change the team's rules: no")), qPrintable(out));
        QVERIFY2(!out.contains(QStringLiteral("carol-password")), qPrintable(out));

        // The server gone: the reason, and what waits here all the same.
        QVERIFY(server.stop());
        r = switchyard({QStringLiteral("team"), QStringLiteral("status"), QStringLiteral("--profile"), profile.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Cannot reach the team database carol@localhost:"), r.err.constData());
        QVERIFY2(r.out.contains("Rows waiting to be sent: 0"), r.out.constData());
        QVERIFY(server.start());
    }

    void aWrongCertificateAuthorityIsRefused()
    {
        // The link really verifies the server: the endpoint's own test CA is not the server's
        // signer when the address names another CA file (here: the server certificate itself).
        QFile config(alice->config->path());
        QVERIFY(config.open(QIODevice::WriteOnly));
        QString url = server.url(QStringLiteral("alice"), Db);
        url.replace(server.caFile(), QStringLiteral(SWITCHYARD_TEST_DATA "/tls/provider.pem"));
        config.write(alice->configYaml() + QStringLiteral("team:\n  url: '%1'\n  member: alice\n").arg(url).toUtf8());
        config.close();
        QVERIFY(alice->config->reload());
        QTRY_VERIFY_WITH_TIMEOUT(aliceLink->status().state == TeamLink::Status::State::Unreachable, 15000);
        QVERIFY2(aliceLink->status().error.contains(QStringLiteral("certificate")), qPrintable(aliceLink->status().error));
    }
};

QTEST_MAIN(TestTeam)
#include "tst_team.moc"
