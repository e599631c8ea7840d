// Runs the real `switchyard` binary. The key tests use the real keychain (see tst_keychain.cpp)
// with a provider id of their own, so they never touch a developer's real keys.
#include "Database.h"
#include "Ledger.h"
#include "Profile.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QStringList &args, const QByteArray &input = {}, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("SWITCHYARD_BINARY"), args);
    if (!p.waitForStarted(10000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

    // Starts `switchyard serve` on a free port of 127.0.0.1 and reads the URL it prints.
    void startServe(QProcess &serve, const QProcessEnvironment &env, const QString &profile, QUrl *url)
    {
        serve.setProcessEnvironment(env);
        serve.start(qEnvironmentVariable("SWITCHYARD_BINARY"), {QStringLiteral("serve"), QStringLiteral("--listen"),
                                                                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--profile"), profile});
        QVERIFY(serve.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine() || serve.state() != QProcess::Running, 20000);
        *url = QUrl(QString::fromUtf8(serve.readLine().trimmed()));
        QVERIFY2(url->isValid() && url->port() > 0, serve.readAllStandardError().constData());
    }

    QTemporaryDir profile;
    QString provider;

    bool keychainAvailable()
    {
        if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            return true;
        if (qEnvironmentVariableIntValue("SWITCHYARD_REQUIRE_KEYCHAIN"))
            qFatal("SWITCHYARD_REQUIRE_KEYCHAIN is set but there is no D-Bus session");
        return false;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("SWITCHYARD_BINARY")));
        provider = QStringLiteral("test-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
        QFile config(profile.filePath(QStringLiteral("config.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("providers:\n"
                                    "  - id: %1\n"
                                    "    dialect: openai\n"
                                    "    base_url: http://127.0.0.1:9/v1\n"
                                    "models:\n"
                                    "  - name: m\n"
                                    "    provider: %1\n"
                                    "    id: m\n"
                                    "    context: 1000\n"
                                    "routes:\n"
                                    "  - default: m\n")
                         .arg(provider)
                         .toUtf8());
    }

    void help()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("keys set|remove|list"));
        QVERIFY(r.out.contains("--profile DIR"));
        const Run v = run({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("switchyard "));
    }

    void helpInChinese()
    {
        const Run r = run({QStringLiteral("--help"), QStringLiteral("--lang"), QStringLiteral("zh_CN")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains(QStringLiteral("用法")), r.out.constData());
    }

    void mistakesExitNonZeroWithASentence()
    {
        Run r = run({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Unknown command \"frobnicate\""));
        r = run({QStringLiteral("keys"), QStringLiteral("--no-such-option")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("no-such-option"));
        r = run({QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("nope"), QStringLiteral("--profile"), profile.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Unknown provider \"nope\""));
        QVERIFY(r.err.contains(provider.toUtf8()));
        r = run({QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("--profile"), profile.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Name the provider"));
        r = run({QStringLiteral("keys"), QStringLiteral("rotate"), QStringLiteral("--profile"), profile.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Usage: switchyard keys"));
    }

    // `serve` with no display at all: no DISPLAY or WAYLAND_DISPLAY, no platform plugin to find. It
    // prints its URL, answers with the key from SWITCHYARD_GATEWAY_KEY, has no GUI library mapped,
    // and stops cleanly on SIGTERM.
    void serveRunsHeadless()
    {
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(name));
        env.insert(QStringLiteral("QT_QPA_PLATFORM_PLUGIN_PATH"), dir.filePath(QStringLiteral("no-plugins")));
        env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QStringLiteral("sk-serve-test"));
        QProcess serve;
        QUrl url;
        startServe(serve, env, dir.path(), &url);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(url.path(), QStringLiteral("/v1"));

        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(url.toString() + QStringLiteral("/models")));
        request.setRawHeader("Authorization", "Bearer sk-serve-test");
        QNetworkReply *reply = nam.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonArray models = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("data")).toArray();
        QCOMPARE(models.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("auto"));
        QVERIFY(models.size() > 1);   // the shipped catalog's models
        reply->deleteLater();

        QFile maps(QStringLiteral("/proc/%1/maps").arg(serve.processId()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mapped = maps.readAll();
        QVERIFY(mapped.contains("libQt6Network"));   // a check that looked at the right process
        QVERIFY2(!mapped.contains("libQt6Widgets"), "serve loaded Qt Widgets");
        QVERIFY2(!mapped.contains("libQt6Gui"), "serve loaded Qt Gui");

        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

    // An address already taken: serve says so and exits, instead of waiting with nothing to serve.
    void serveWithTheAddressTakenFails()
    {
        QTemporaryDir dir;
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QStringLiteral("sk-serve-test"));
        const Run r = run({QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(taken.serverPort()),
                           QStringLiteral("--profile"), dir.path()},
                          {}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("cannot listen"), r.err.constData());
        QVERIFY(r.out.isEmpty());   // no URL printed
    }

    // The real binary exports a ledger the engine wrote: CSV to stdout, JSONL to a file, the
    // --since/--until filter, and plain errors for a bad format, a bad date and an empty profile.
    void exportLedger()
    {
        QTemporaryDir dir;
        const Profile p = Profile::resolve(dir.path());
        QVERIFY(QDir().mkpath(p.dataDir()));
        {
            Database db(p.databasePath());
            QSignalSpy opened(&db, &Database::opened);
            db.open();
            QVERIFY(opened.wait(10000));
            Ledger ledger(&db);
            int committed = 0;
            connect(&db, &Database::batchCommitted, this, [&committed](int writes) { committed += writes; });
            for (int day = 1; day <= 3; ++day) {
                LedgerRow r;
                r.time = QDateTime(QDate(2026, 11, day), QTime(12, 0), Qt::UTC);
                r.requestId = QStringLiteral("req-%1").arg(day);
                r.model = QStringLiteral("kimi-2.6");
                r.provider = QStringLiteral("moonshot");
                r.providerModel = QStringLiteral("kimi-k2.6");
                r.status = QStringLiteral("ok");
                r.httpStatus = 200;
                r.promptTokens = 1000;
                r.completionTokens = 100;
                r.costMicros = 1350;
                r.currency = QStringLiteral("USD");
                r.conversation = QStringLiteral("周报");
                ledger.finished(r);
            }
            ledger.flush();
            QTRY_VERIFY_WITH_TIMEOUT(committed >= 1, 10000);
        }
        Run r = run({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--profile"), dir.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.startsWith("\xEF\xBB\xBFtime,request_id,attempt,client,task_type,rule,model,provider,provider_model,status,"
                                 "http_status,prompt_tokens,cached_tokens,completion_tokens,reasoning_tokens,cost,currency,"
                                 "cost_estimated,latency_ms,ttft_ms"));
        QCOMPARE(r.out.count("\r\n"), 4);
        QVERIFY(r.out.contains("2026-11-01T12:00:00.000Z,req-1,1,"));
        QVERIFY(r.out.contains(",0.00135,USD,false,"));
        QVERIFY(r.out.contains(QStringLiteral("周报").toUtf8()));

        const QString out = dir.filePath(QStringLiteral("out.jsonl"));
        r = run({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--since"),
                 QStringLiteral("2026-11-02"), QStringLiteral("--until"), QStringLiteral("2026-11-02"), QStringLiteral("-o"), out,
                 QStringLiteral("--profile"), dir.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.isEmpty());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(lines[0]).object().value(QStringLiteral("request_id")).toString(), QStringLiteral("req-2"));

        r = run({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("xml"), QStringLiteral("--profile"), dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--format csv or --format jsonl"));
        r = run({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--since"),
                 QStringLiteral("last tuesday"), QStringLiteral("--profile"), dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--since takes a date"));
        QTemporaryDir empty;
        r = run({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--profile"), empty.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("nothing has been recorded"));
    }

    void routeExplain()
    {
        QTemporaryDir dir;
        QFile request(dir.filePath(QStringLiteral("req.json")));
        QVERIFY(request.open(QIODevice::WriteOnly));
        request.write(R"({"model":"auto","messages":[{"role":"user","content":"Prove that 2 is prime."}]})");
        request.close();
        // With no key at all, the rule's model is chosen but nothing can answer: `no_key`, and why.
        QProcessEnvironment none = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "DASHSCOPE_API_KEY", "OPENROUTER_API_KEY"})
            none.remove(QString::fromLatin1(name));
        Run r = run({QStringLiteral("route"), QStringLiteral("--explain"), request.fileName(), QStringLiteral("--profile"), dir.path()}, {}, none);
        QCOMPARE(r.exitCode, 1);
        QJsonObject decision = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(decision[QStringLiteral("error_class")].toString(), QStringLiteral("no_key"));
        QCOMPARE(decision[QStringLiteral("model")].toString(), QStringLiteral("qwen3-235b"));
        QCOMPARE(decision[QStringLiteral("passed_over")].toArray().first()[QStringLiteral("no_key")].toBool(), true);
        QVERIFY2(r.err.contains("Qwen (DashScope)"), r.err.constData());

        // One DeepSeek key: the shipped rules still answer everything, through DeepSeek, and say why.
        QProcessEnvironment deepseek = none;
        deepseek.insert(QStringLiteral("DEEPSEEK_API_KEY"), QStringLiteral("sk-only-deepseek"));
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), request.fileName(), QStringLiteral("--profile"), dir.path()}, {}, deepseek);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        decision = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(decision[QStringLiteral("rule")].toString(), QStringLiteral("route 2"));
        QCOMPARE(decision[QStringLiteral("model")].toString(), QStringLiteral("deepseek-v4-pro"));
        QCOMPARE(decision[QStringLiteral("last_resort")].toBool(), true);
        QJsonArray passedOver = decision[QStringLiteral("passed_over")].toArray();
        QCOMPARE(passedOver.size(), 1);
        QCOMPARE(passedOver[0][QStringLiteral("model")].toString(), QStringLiteral("qwen3-235b"));
        QCOMPARE(passedOver[0][QStringLiteral("why")].toString(), QStringLiteral("Qwen (DashScope) has no key"));
        QVERIFY2(decision[QStringLiteral("why")].toString().contains(QLatin1String("Rule 2 matched (task_type == \"reasoning\")")),
                 qPrintable(decision[QStringLiteral("why")].toString()));
        for (const QJsonValue &m : decision[QStringLiteral("fallback")].toArray())
            QVERIFY2(m.toString().startsWith(QLatin1String("deepseek")), qPrintable(m.toString()));   // only keyed models
        const QByteArray longDocument = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                                        + QByteArray(400000, 'x') + "\"}]}";
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), QStringLiteral("-"), QStringLiteral("--profile"), dir.path()},
                longDocument, deepseek);
        decision = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(decision[QStringLiteral("rule")].toString(), QStringLiteral("route 1"));
        QCOMPARE(decision[QStringLiteral("model")].toString(), QStringLiteral("deepseek-v4-pro"));
        QCOMPARE(decision[QStringLiteral("passed_over")].toArray()[0][QStringLiteral("model")].toString(), QStringLiteral("kimi-2.6"));
        // A model asked for by name is not swapped for another: its missing key is the answer.
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), QStringLiteral("-"), QStringLiteral("--profile"), dir.path()},
                R"({"model":"kimi-2.6","messages":[{"role":"user","content":"Hi"}]})", deepseek);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()[QStringLiteral("error_class")].toString(), QStringLiteral("no_key"));
        QVERIFY2(r.err.contains("Kimi (Moonshot) has no key"), r.err.constData());

        // Every provider keyed: the rules' own choices.
        QProcessEnvironment all = none;
        for (const char *name : {"DEEPSEEK_API_KEY", "MOONSHOT_API_KEY", "MINIMAX_API_KEY", "DASHSCOPE_API_KEY", "OPENROUTER_API_KEY"})
            all.insert(QString::fromLatin1(name), QStringLiteral("sk-test"));
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), request.fileName(), QStringLiteral("--profile"), dir.path()}, {}, all);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        decision = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(decision[QStringLiteral("rule")].toString(), QStringLiteral("route 2"));
        QCOMPARE(decision[QStringLiteral("model")].toString(), QStringLiteral("qwen3-235b"));
        QCOMPARE(decision[QStringLiteral("provider")].toString(), QStringLiteral("dashscope"));
        QCOMPARE(decision[QStringLiteral("provider_model")].toString(), QStringLiteral("qwen3-235b-a22b"));
        QCOMPARE(decision[QStringLiteral("task_type")].toString(), QStringLiteral("reasoning"));
        QVERIFY(decision[QStringLiteral("fallback")].isArray());
        QVERIFY(decision[QStringLiteral("context_length")].toInt() > 0);

        // From standard input: a 100K-token document goes to kimi-2.6, anything else to deepseek-v4-pro.
        const QByteArray big = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                               + QByteArray(400000, 'x') + "\"}]}";
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), QStringLiteral("-"), QStringLiteral("--profile"), dir.path()}, big, all);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()[QStringLiteral("model")].toString(), QStringLiteral("kimi-2.6"));
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), QStringLiteral("-"), QStringLiteral("--profile"), dir.path()},
                R"({"model":"auto","messages":[{"role":"user","content":"Hi"}]})", all);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()[QStringLiteral("model")].toString(), QStringLiteral("deepseek-v4-pro"));

        // A model that cannot do what the request asks is passed over, and the explanation says why.
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), QStringLiteral("-"), QStringLiteral("--profile"), dir.path()},
                R"({"model":"kimi-2.6","tool_choice":"required","tools":[{"type":"function","function":{"name":"f","parameters":{}}}],"messages":[{"role":"user","content":"Hi"}]})", all);
        QCOMPARE(r.exitCode, 1);
        const QJsonArray passed = QJsonDocument::fromJson(r.out).object()[QStringLiteral("passed_over")].toArray();
        QCOMPARE(passed.size(), 1);
        QCOMPARE(passed[0][QStringLiteral("model")].toString(), QStringLiteral("kimi-2.6"));
        QVERIFY(passed[0][QStringLiteral("why")].toString().contains(QLatin1String("cannot be made to call a tool")));
        QVERIFY(r.err.contains("No model in the chain can take this request"));

        r = run({QStringLiteral("route"), QStringLiteral("--explain"), QStringLiteral("-"), QStringLiteral("--profile"), dir.path()}, "{bad");
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("not valid JSON"));
        r = run({QStringLiteral("route"), QStringLiteral("--explain"), dir.filePath(QStringLiteral("missing.json")),
                 QStringLiteral("--profile"), dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Cannot read"));
    }

    void emptyKeyIsRefused()
    {
        const Run r = run({QStringLiteral("keys"), QStringLiteral("set"), provider, QStringLiteral("--profile"), profile.path()},
                          "\n\n");
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("No key was given"));
    }

    // A named key for the endpoint from the shell: stored in the keychain, listed, accepted by
    // `serve` (its calls are "ci" in the ledger), and removed again; only its name is in the profile.
    void namedEndpointKeyFromTheShell()
    {
        if (!keychainAvailable())
            QSKIP("No D-Bus session: run the suite with ./dev test");
        QTemporaryDir dir;
        const QByteArray secret = "sk-sy-ci-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        Run r = run({QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("gateway:ci"), QStringLiteral("--profile"), dir.path()},
                    secret + "\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--profile"), dir.path()});
        const QString listed = QString::fromUtf8(r.out);
        QVERIFY2(listed.split(QLatin1Char('\n')).filter(QStringLiteral("gateway:ci")).value(0).contains(u"stored"), r.out.constData());
        QFile settings(Profile::resolve(dir.path()).settingsPath());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QByteArray ini = settings.readAll();
        QVERIFY2(ini.contains("clients=ci"), ini.constData());
        QVERIFY(!ini.contains(secret));
        settings.close();

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QStringLiteral("sk-main"));
        QProcess serve;
        QUrl parsed;
        startServe(serve, env, dir.path(), &parsed);
        if (QTest::currentTestFailed())
            return;
        const QString url = parsed.toString();
        QNetworkAccessManager nam;
        for (const auto &[key, status] : {std::pair {secret, 200}, std::pair {QByteArray("sk-other"), 401}}) {
            QNetworkRequest request(QUrl(url + QStringLiteral("/models")));
            request.setRawHeader("Authorization", "Bearer " + key);
            QNetworkReply *reply = nam.get(request);
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
            QVERIFY2(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == status,
                     qPrintable(url + QLatin1Char(' ') + reply->errorString() + QLatin1Char(' ')
                                + QString::fromUtf8(serve.readAllStandardError())));
            reply->deleteLater();
        }
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));

        r = run({QStringLiteral("keys"), QStringLiteral("remove"), QStringLiteral("gateway:ci"), QStringLiteral("--profile"), dir.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--profile"), dir.path()});
        QVERIFY(!r.out.contains("gateway:ci"));
        r = run({QStringLiteral("keys"), QStringLiteral("set"), QStringLiteral("gateway:api"), QStringLiteral("--profile"), dir.path()}, "x\n");
        QCOMPARE(r.exitCode, 2);   // a reserved name
    }

    void setListRemoveAndNoTraceInProfile()
    {
        if (!keychainAvailable())
            QSKIP("No D-Bus session: run the suite with ./dev test");
        const QByteArray secret = "sk-cli-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        QList<Run> runs;
        Run r = run({QStringLiteral("keys"), QStringLiteral("set"), provider, QStringLiteral("--profile"), profile.path()},
                    secret + "\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains(QByteArray("Stored the key for " + provider.toUtf8())));
        runs << r;

        r = run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--profile"), profile.path()});
        QCOMPARE(r.exitCode, 0);
        const QByteArray row = r.out.split('\n').value(1);   // the test provider's own row
        QVERIFY2(row.startsWith(provider.toUtf8()) && row.contains("stored in the system keychain"), r.out.constData());
        QVERIFY(r.out.contains("gateway"));
        runs << r;

        // The window too reads the keys; afterwards nothing in the profile may hold the key.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        r = run({QStringLiteral("--smoke"), QStringLiteral("--profile"), profile.path()}, {}, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        runs << r;

        int files = 0;
        QDirIterator it(profile.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            QVERIFY2(!content.contains(secret), qPrintable(f.fileName()));
            QVERIFY2(!content.contains(secret.toBase64()), qPrintable(f.fileName()));
            ++files;
        }
        QVERIFY2(files >= 3, "expected config.yaml, settings.ini and the database");   // a check that looked at something
        for (const Run &out : std::as_const(runs))
            QVERIFY(!out.out.contains(secret) && !out.err.contains(secret));

        r = run({QStringLiteral("keys"), QStringLiteral("remove"), provider, QStringLiteral("--profile"), profile.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run({QStringLiteral("keys"), QStringLiteral("list"), provider, QStringLiteral("--profile"), profile.path()});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("not set"));
    }

    void environmentKeyIsListed()
    {
        QTemporaryDir other;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DEEPSEEK_API_KEY"), QStringLiteral("sk-from-env"));
        const Run r = run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("deepseek"), QStringLiteral("--profile"),
                           other.path()},
                          {}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("from $DEEPSEEK_API_KEY"));
        QVERIFY(!r.out.contains("sk-from-env"));
    }

    void brokenConfigIsReportedButKeysStillWork()
    {
        QTemporaryDir other;
        QFile config(other.filePath(QStringLiteral("config.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("providers:\n  - id: [\n");
        config.close();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DEEPSEEK_API_KEY"), QStringLiteral("x"));
        const Run r = run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("deepseek"), QStringLiteral("--profile"),
                           other.path()},
                          {}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("line 3, column 1"), r.err.constData());
        QVERIFY(r.err.contains("built-in catalog"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
