#pragma once

// The local endpoint as the tests run it: the real Gateway on 127.0.0.1, a ConfigStore over a real
// config.yaml whose six providers are the fake provider's six dialects, a real ledger file, and
// provider keys from an environment variable. Only the keychain behind the endpoint's own keys is
// an in-memory fake here (tst_gateway checks the real one separately).
#include "ConfigStore.h"
#include "Database.h"
#include "FakeProvider.h"
#include "FakeSecretBackend.h"
#include "Gateway.h"
#include "GatewayKeys.h"
#include "Ledger.h"
#include "SqlRows.h"

#include <QFile>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class GatewayFixture
{
public:
    static constexpr auto Key = "sk-sy-fixture-key";
    static constexpr auto NamedKey = "sk-sy-fixture-ci";

    // False (and a reason in `why`) when something could not be set up.
    bool start(QString *why)
    {
        qputenv("SY_GATEWAY_TEST_KEY", "upstream-key");
        qunsetenv(GatewayKeys::EnvironmentVariable);
        if (!fake.start()) {
            *why = QStringLiteral("the fake provider cannot listen");
            return false;
        }
        QFile file(dir.filePath(QStringLiteral("config.yaml")));
        if (!file.open(QIODevice::WriteOnly)) {
            *why = file.errorString();
            return false;
        }
        file.write(yamlOverride.isEmpty() ? configYaml() : yamlOverride);
        file.close();
        config = std::make_unique<ConfigStore>(file.fileName());
        if (!config->reload()) {
            *why = config->lastError();
            return false;
        }
        database = std::make_unique<Database>(dir.filePath(QStringLiteral("switchyard.db")));
        QSignalSpy opened(database.get(), &Database::opened);
        database->open();
        if (!opened.wait(10000)) {
            *why = QStringLiteral("the ledger database did not open");
            return false;
        }
        ledger = std::make_unique<Ledger>(database.get());
        shared->entries.insert(SecretStore::gatewayAccount(), QString::fromLatin1(Key));
        shared->entries.insert(GatewayKeys::clientAccount(QStringLiteral("ci")), QString::fromLatin1(NamedKey));
        secrets = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(shared));
        keys = std::make_unique<GatewayKeys>(secrets.get());
        bool loaded = false;
        QString problem;
        keys->load({QStringLiteral("ci")}, [&](const QString &error) {
            problem = error;
            loaded = true;
        });
        if (!QTest::qWaitFor([&loaded] { return loaded; }, 5000)) {
            *why = QStringLiteral("the endpoint's keys did not load");
            return false;
        }
        if (!problem.isEmpty()) {
            *why = problem;
            return false;
        }
        gateway = std::make_unique<Gateway>(config.get(), secrets.get(), keys.get(), ledger.get());
        gateway->setTimeouts({5000, 5000, 20000});
        return gateway->listen(QHostAddress::LocalHost, 0, why);
    }

    QByteArray configYaml() const
    {
        const auto url = [this](FakeDialect d) { return fake.baseUrl(d); };
        const QString yaml = QStringLiteral(
            "providers:\n"
            "  - {id: ds, dialect: deepseek, base_url: '%1', api_key_env: SY_GATEWAY_TEST_KEY}\n"
            "  - {id: km, dialect: moonshot, base_url: '%2', api_key_env: SY_GATEWAY_TEST_KEY}\n"
            "  - {id: mm, dialect: minimax, base_url: '%3', api_key_env: SY_GATEWAY_TEST_KEY}\n"
            "  - {id: qw, dialect: dashscope, base_url: '%4', api_key_env: SY_GATEWAY_TEST_KEY}\n"
            "  - {id: or, dialect: openrouter, base_url: '%5', api_key_env: SY_GATEWAY_TEST_KEY}\n"
            "  - {id: oa, dialect: openai, base_url: '%6', api_key_env: SY_GATEWAY_TEST_KEY}\n"
            "  - {id: off, dialect: openai, base_url: '%6', api_key_env: SY_GATEWAY_TEST_KEY, enabled: false}\n"
            "  - {id: ns, dialect: openai, base_url: '%6', api_key_env: SY_GATEWAY_TEST_KEY, streaming: false}\n"
            "models:\n"
            "  - {name: fast, provider: ds, id: deepseek-chat, context: 128000, fallback: [kimi],\n"
            "     price: {currency: USD, input: 1, cached_input: 0.1, output: 2}}\n"
            "  - {name: kimi, provider: km, id: kimi-k2, context: 256000, reasoning: true,\n"
            "     price: {currency: CNY, input: 4, output: 16}}\n"
            "  - {name: mini, provider: mm, id: MiniMax-M2, context: 200000, price: {currency: USD, input: 0.3, output: 1.2}}\n"
            "  - {name: qwen, provider: qw, id: qwen-plus, context: 128000, price: {currency: CNY, input: 0.8, output: 2}}\n"
            "  - {name: routed, provider: or, id: openai/gpt-4o-mini, context: 128000, price: {currency: USD, input: 0.15, output: 0.6}}\n"
            "  - {name: plain, provider: oa, id: gpt-4o-mini, context: 128000, price: {currency: USD, input: 0.15, output: 0.6}}\n"
            "  - {name: hidden, provider: off, id: gpt-4o, context: 128000}\n"
            "  - {name: whole, provider: ns, id: gpt-4o-mini, context: 128000, price: {currency: USD, input: 0.15, output: 0.6}}\n"
            "%7"
            "routes:\n"
            "  - name: thinking\n"
            "    match: task_type == \"reasoning\"\n"
            "    model: kimi\n"
            "  - default: fast\n")
                                 .arg(url(FakeDialect::DeepSeek), url(FakeDialect::Moonshot), url(FakeDialect::MiniMax),
                                      url(FakeDialect::DashScope), url(FakeDialect::OpenRouter), url(FakeDialect::OpenAI),
                                      QString::fromUtf8(extraModels));
        return yaml.toUtf8();
    }

    QString url() const { return gateway->url().toString(); }

    // Rewrites config.yaml as configYaml() plus `extra` (a `fallback:` section, say) and loads it.
    bool reconfigure(const QByteArray &extra)
    {
        QFile file(config->path());
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(configYaml() + extra);
        file.close();
        return config->reload();
    }

    // The chat requests the fake provider received, oldest first.
    QList<QJsonObject> chatRequests() const
    {
        QList<QJsonObject> out;
        for (const FakeRequest &r : fake.requests()) {
            if (r.path.endsWith("/chat/completions"))
                out << r.json();
        }
        return out;
    }

    // The ledger's priced rows, oldest first; empty while an attempt is still open. The ledger writes
    // on its own thread: wait for a count with QTRY_*.
    QList<QVariantMap> ledgerRows()
    {
        ledger->flush();
        const QString path = dir.filePath(QStringLiteral("switchyard.db"));
        if (sqlRows(path, QStringLiteral("SELECT COUNT(*) AS open FROM ledger_open")).value(0).value(QStringLiteral("open")).toInt() != 0)
            return {};
        return sqlRows(path, QStringLiteral("SELECT client, task_type, rule, model, provider, status, prompt_tokens, "
                                            "completion_tokens, attempt, request_id, ttft_ms, dropped, overhead_us, api "
                                            "FROM ledger ORDER BY id"));
    }

    QByteArray yamlOverride;   // config.yaml to use instead of configYaml(), when set before start()
    QByteArray extraModels;    // `models:` entries added after configYaml()'s own, when set before start()
    QTemporaryDir dir;
    FakeProvider fake;
    std::shared_ptr<FakeSecretBackend::Shared> shared = std::make_shared<FakeSecretBackend::Shared>();
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<Database> database;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<GatewayKeys> keys;
    std::unique_ptr<Gateway> gateway;
};
