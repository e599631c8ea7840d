#pragma once

// The chat page as the tests and benchmarks run it: the real ChatPage over a real config.yaml
// whose providers are the fake provider's dialects on 127.0.0.1, a real SQLite profile database
// and ledger, and provider keys from an environment variable (KeyStatus sees them as such). Only
// the keychain is an in-memory fake; no key is ever stored in it.
#include "AppSettings.h"
#include "ChatPage.h"
#include "ConfigStore.h"
#include "Database.h"
#include "FakeProvider.h"
#include "FakeSecretBackend.h"
#include "KeyStatus.h"
#include "Ledger.h"
#include "SecretStore.h"
#include "SqlRows.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class ChatFixture
{
public:
    bool start(QString *why)
    {
        qputenv("SY_CHAT_TEST_KEY", "upstream-key");
        if (!fake.start()) {
            *why = QStringLiteral("the fake provider cannot listen");
            return false;
        }
        QFile file(dir.filePath(QStringLiteral("config.yaml")));
        if (!file.open(QIODevice::WriteOnly)) {
            *why = file.errorString();
            return false;
        }
        file.write(configYaml());
        file.close();
        config = std::make_unique<ConfigStore>(file.fileName());
        if (!config->reload()) {
            *why = config->lastError();
            return false;
        }
        secrets = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(keychain));
        keys = std::make_unique<KeyStatus>(config.get(), secrets.get());
        keys->refresh();
        if (!QTest::qWaitFor([this] { return !keys->checking(); }, 5000)) {
            *why = QStringLiteral("the key check did not finish");
            return false;
        }
        settings = std::make_unique<AppSettings>(dir.filePath(QStringLiteral("settings.ini")));
        return openPage(why);
    }

    // A new page over the same profile, as after a restart.
    bool openPage(QString *why)
    {
        page.reset();
        ledger.reset();
        database.reset();
        database = std::make_unique<Database>(dir.filePath(QStringLiteral("switchyard.db")));
        ledger = std::make_unique<Ledger>(database.get());
        page = std::make_unique<ChatPage>(config.get(), secrets.get(), keys.get(), settings.get(), &nam);
        page->setTimeouts({5000, 5000, 30000});
        page->setStorage(database.get(), ledger.get());
        QSignalSpy opened(database.get(), &Database::opened);
        database->open();
        if (!opened.wait(10000)) {
            *why = QStringLiteral("the database did not open");
            return false;
        }
        page->resize(1100, 760);
        page->show();
        return QTest::qWaitForWindowExposed(page.get());
    }

    QByteArray configYaml() const
    {
        const QString yaml = QStringLiteral(
            "providers:\n"
            "  - {id: ds, name: DeepSeek, dialect: deepseek, base_url: '%1', api_key_env: SY_CHAT_TEST_KEY}\n"
            "  - {id: km, name: Kimi, dialect: moonshot, base_url: '%2', api_key_env: SY_CHAT_TEST_KEY}\n"
            "  - {id: qw, name: Qwen, dialect: dashscope, base_url: '%3', api_key_env: SY_CHAT_TEST_KEY}\n"
            "models:\n"
            "  - {name: fast, provider: ds, id: deepseek-chat, context: 128000, fallback: [kimi],\n"
            "     price: {currency: USD, input: 1, cached_input: 0.1, output: 2}}\n"
            "  - {name: kimi, provider: km, id: kimi-k2, context: 256000, reasoning: true,\n"
            "     price: {currency: CNY, input: 4, output: 16}}\n"
            "  - {name: qwen-vl, provider: qw, id: qwen-vl-max, context: 128000, vision: true,\n"
            "     price: {currency: CNY, input: 3, output: 9}}\n"
            "  - {name: qwen-embed, kind: embedding, provider: qw, id: text-embedding-v4}\n"
            "fallback: {retries: 0, cooldown_after: 100}\n"
            "routes:\n"
            "  - name: thinking\n"
            "    match: task_type == \"reasoning\"\n"
            "    model: kimi\n"
            "  - name: long\n"
            "    match: task_type == \"long_document\"\n"
            "    model: kimi\n"
            "  - default: fast\n")
                                 .arg(fake.baseUrl(FakeDialect::DeepSeek), fake.baseUrl(FakeDialect::Moonshot),
                                      fake.baseUrl(FakeDialect::DashScope));
        return yaml.toUtf8();
    }

    // Rows of the ledger (oldest first) once nothing is open.
    QList<QVariantMap> ledgerRows()
    {
        ledger->flush();
        return sqlRows(dir.filePath(QStringLiteral("switchyard.db")),
                       QStringLiteral("SELECT client, model, status, conversation, prompt_tokens FROM ledger ORDER BY id"));
    }

    QTemporaryDir dir;
    FakeProvider fake;
    std::shared_ptr<FakeSecretBackend::Shared> keychain = std::make_shared<FakeSecretBackend::Shared>();
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<KeyStatus> keys;
    std::unique_ptr<AppSettings> settings;
    QNetworkAccessManager nam;
    std::unique_ptr<Database> database;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<ChatPage> page;
};
