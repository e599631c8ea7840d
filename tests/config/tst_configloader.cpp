#include "ConfigLoader.h"
#include "ConfigWriter.h"

#include <QTest>

namespace {

// A small valid file; cases below break one thing each.
const QByteArray base = R"(providers:
  - id: deepseek
    dialect: deepseek
    base_url: https://api.deepseek.com
    api_key_env: DEEPSEEK_API_KEY
models:
  - name: deepseek-v4-pro
    provider: deepseek
    id: deepseek-v4-pro
    context: 1000000
    price:
      currency: USD
      input: 0.435
      cached_input: 0.036
      output: 0.87
    fallback: [deepseek-flash]
  - name: deepseek-flash
    provider: deepseek
    id: deepseek-flash
    context: 1000000
routes:
  - match: context_length > 80000
    model: deepseek-flash
  - default: deepseek-v4-pro
)";

QByteArray replaced(const QByteArray &from, const QByteArray &to)
{
    QByteArray copy = base;
    if (!copy.contains(from))
        qFatal("test data: \"%s\" is not in the base file", from.constData());
    return copy.replace(from, to);
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void validFile()
    {
        const ConfigLoadResult r = ConfigLoader::parse(base);
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("config.yaml"))));
        QVERIFY(r.diagnostics.isEmpty());
        const Config &c = *r.config;
        QCOMPARE(c.providers.size(), 1);
        QCOMPARE(c.providers[0].dialect, Dialect::DeepSeek);
        QCOMPARE(c.providers[0].baseUrl, QUrl(QStringLiteral("https://api.deepseek.com")));
        QCOMPARE(c.providers[0].apiKeyEnv, QStringLiteral("DEEPSEEK_API_KEY"));
        QVERIFY(c.providers[0].streaming);
        const ModelConfig *pro = c.model(u"deepseek-v4-pro");
        QVERIFY(pro);
        QCOMPARE(pro->context, 1000000);
        QVERIFY(pro->price.has_value());
        QCOMPARE(pro->price->currency, QStringLiteral("USD"));
        QCOMPARE(pro->price->rates.input, 435000);
        QCOMPARE(pro->price->rates.cachedInput, 36000);
        QCOMPARE(pro->price->rates.output, 870000);
        QCOMPARE(pro->price->rates.outputThinking, -1);
        QCOMPARE(pro->fallback, QStringList {QStringLiteral("deepseek-flash")});
        QVERIFY(!c.model(u"deepseek-flash")->price.has_value());
        QCOMPARE(c.routes.size(), 2);
        QCOMPARE(c.routes[0].match, QStringLiteral("context_length > 80000"));
        QCOMPARE(c.routes[0].matchPos.line, 22);
        QCOMPARE(c.routes[0].matchPos.column, 12);
        QVERIFY(c.routes[1].isDefault);
        QCOMPARE(c.routes[1].model, QStringLiteral("deepseek-v4-pro"));
    }

    void builtInCatalogIsValid()
    {
        const ConfigLoadResult r = ConfigLoader::parse(ConfigLoader::builtInCatalog());
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("catalog"))));
        QVERIFY2(r.warnings().isEmpty(), qPrintable(r.warnings().value(0).toString()));
        const Config &c = *r.config;
        for (const char *provider : {"deepseek", "moonshot", "minimax", "dashscope", "openrouter", "openai-compatible"})
            QVERIFY2(c.provider(QString::fromLatin1(provider)), provider);
        // The names users know, and the seed routes verbatim.
        for (const char *name : {"deepseek-v4-pro", "kimi-2.6", "minimax-2.7", "qwen3-235b", "kimi-k2.6", "MiniMax-M2.7"})
            QVERIFY2(c.model(QString::fromLatin1(name)), name);
        QCOMPARE(c.routes.size(), 3);
        QCOMPARE(c.routes[0].match, QStringLiteral("context_length > 80000"));
        QCOMPARE(c.routes[0].model, QStringLiteral("kimi-2.6"));
        QCOMPARE(c.routes[1].match, QStringLiteral("task_type == \"reasoning\""));
        QCOMPARE(c.routes[2].model, QStringLiteral("deepseek-v4-pro"));
        // Regions pick the base URL.
        QCOMPARE(c.provider(u"moonshot")->baseUrl, QUrl(QStringLiteral("https://api.moonshot.ai/v1")));
        QCOMPARE(c.provider(u"dashscope")->regions.size(), 4);
        QVERIFY(!c.provider(u"openai-compatible")->enabled);
        // Off-peak windows and tiers survive.
        const Price &pro = *c.model(u"deepseek-v4-pro")->price;
        QVERIFY(pro.offPeak.has_value());
        QCOMPARE(pro.offPeak->timeZone, QStringLiteral("Asia/Shanghai"));
        QCOMPARE(pro.offPeak->windows.size(), 4);
        QCOMPARE(pro.offPeak->rates.output, 1980000);
        QCOMPARE(pro.asOf, QDate(2026, 11, 15));
        const Price &m3 = *c.model(u"minimax-m3")->price;
        QCOMPARE(m3.tiers.size(), 1);
        QCOMPARE(m3.tiers[0].aboveTokens, 512000);
        QCOMPARE(m3.tiers[0].rates.input, 600000);
        // Embedding models, kept out of chat: no route or chain names one.
        const ModelConfig *embedding = c.model(u"text-embedding-v4");
        QVERIFY(embedding && embedding->isEmbedding());
        QCOMPARE(embedding->provider, QStringLiteral("dashscope"));
        QCOMPARE(embedding->embeddingBatch(Dialect::DashScope), 10);
        QVERIFY(c.model(u"openrouter-embedding-small")->isEmbedding());
        QVERIFY(!c.model(u"deepseek-v4-pro")->isEmbedding());
        for (const RouteConfig &route : c.routes)
            QVERIFY(!c.model(route.model)->isEmbedding());
    }

    void embeddingModels()
    {
        const QByteArray yaml = replaced("routes:\n", "  - name: embed\n"
                                                      "    kind: embedding\n"
                                                      "    provider: deepseek\n"
                                                      "    id: embed-v1\n"
                                                      "    max_inputs: 16\n"
                                                      "    fallback: [embed-2]\n"
                                                      "    price: {currency: USD, input: 0.02}\n"
                                                      "  - {name: embed-2, kind: embedding, provider: deepseek, id: embed-v2}\n"
                                                      "routes:\n");
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("config.yaml"))));
        QVERIFY(r.warnings().isEmpty());
        const ModelConfig &m = *r.config->model(u"embed");
        QCOMPARE(m.kind, ModelKind::Embedding);
        QCOMPARE(m.context, 0);   // optional for an embedding model
        QCOMPARE(m.maxInputs, 16);
        QCOMPARE(m.embeddingBatch(Dialect::DashScope), 16);
        QCOMPARE(r.config->model(u"embed-2")->embeddingBatch(Dialect::DashScope), 10);
        QCOMPARE(r.config->model(u"embed-2")->embeddingBatch(Dialect::OpenAI), 2048);
        QCOMPARE(m.price->rates.input, 20000);
        QCOMPARE(m.price->rates.output, 0);   // billed on input alone
        QCOMPARE(r.config->model(u"deepseek-flash")->kind, ModelKind::Chat);

        // Written back as it was read.
        const QByteArray written = ConfigWriter::toYaml(*r.config);
        QVERIFY2(written.contains("kind: embedding"), written.constData());
        const ConfigLoadResult again = ConfigLoader::parse(written);
        QVERIFY2(again.ok(), qPrintable(again.errorSummary(QStringLiteral("written"))));
        QCOMPARE(again.config->model(u"embed")->kind, ModelKind::Embedding);
        QCOMPARE(again.config->model(u"embed")->maxInputs, 16);
        QCOMPARE(again.config->model(u"embed")->context, 0);
        QCOMPARE(again.config->model(u"deepseek-v4-pro")->kind, ModelKind::Chat);
        QCOMPARE(ConfigWriter::toYaml(*again.config), written);
    }

    void embeddingErrors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("expected");
        const QByteArray embed = "  - {name: embed, kind: embedding, provider: deepseek, id: e1}\n"
                                 "  - {name: chat2, provider: deepseek, id: c2, context: 1000}\n";
        QTest::newRow("unknown kind")
            << replaced("    context: 1000000\n    price:", "    kind: vector\n    context: 1000000\n    price:") << 10 << 11
            << QStringLiteral("\"kind\" of model \"deepseek-v4-pro\" must be chat or embedding");
        QTest::newRow("chat needs context")
            << replaced("    id: deepseek-flash\n    context: 1000000\n", "    id: deepseek-flash\n") << 17 << 5
            << QStringLiteral("needs \"context\"");
        QTest::newRow("max_inputs on chat")
            << replaced("    id: deepseek-flash\n", "    id: deepseek-flash\n    max_inputs: 5\n") << 20 << 17
            << QStringLiteral("\"max_inputs\" of model \"deepseek-flash\" is for embedding models");
        QTest::newRow("route names embedding")
            << replaced("routes:\n  - match: context_length > 80000\n    model: deepseek-flash",
                        embed + "routes:\n  - match: context_length > 80000\n    model: embed")
            << 25 << 12 << QStringLiteral("names model \"embed\", an embedding model");
        QTest::newRow("default route names embedding")
            << replaced("routes:\n", embed + "routes:\n").replace("  - default: deepseek-v4-pro", "  - default: embed") << 26
            << 14 << QStringLiteral("an embedding model; routes choose chat models");
        QTest::newRow("chat falls back to embedding")
            << replaced("routes:\n", embed + "routes:\n").replace("fallback: [deepseek-flash]", "fallback: [embed]") << 16
            << 15 << QStringLiteral("fallback \"embed\" is an embedding model; a chat model falls back to chat models");
        QTest::newRow("embedding falls back to chat")
            << replaced("routes:\n", "  - {name: embed, kind: embedding, provider: deepseek, id: e1, fallback: [deepseek-flash]}\n"
                                      "routes:\n")
            << 21 << 74 << QStringLiteral("fallback \"deepseek-flash\" of an embedding model must be an embedding model too");
        QTest::newRow("default chain names embedding")
            << replaced("routes:\n", embed + "fallback:\n  default: [embed]\nroutes:\n") << 24 << 12
            << QStringLiteral("fallback \"embed\" is an embedding model; the default chain is for chat models");
    }

    void embeddingErrors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, expected);
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY(!r.ok());
        const QList<ConfigDiagnostic> errors = r.errors();
        const auto it = std::find_if(errors.cbegin(), errors.cend(),
                                     [&](const ConfigDiagnostic &d) { return d.message.contains(expected); });
        QVERIFY2(it != errors.cend(), qPrintable(errors.value(0).toString()));
        QCOMPARE(it->line, line);
        QCOMPARE(it->column, column);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("expected");

        QTest::newRow("not yaml") << QByteArray("providers: [\n  - id: x\n") << 2 << 3 << QStringLiteral("not well formed");
        QTest::newRow("bad indentation")
            << replaced("    dialect: deepseek", "   dialect: deepseek") << 3 << 4 << QStringLiteral("not well formed");
        QTest::newRow("empty") << QByteArray("\n# nothing\n") << 0 << 0 << QStringLiteral("empty");
        QTest::newRow("top level list") << QByteArray("- a\n- b\n") << 1 << 1 << QStringLiteral("must be a mapping");
        QTest::newRow("missing dialect")
            << replaced("    dialect: deepseek\n", "") << 2 << 5 << QStringLiteral("needs \"dialect\"");
        QTest::newRow("unknown dialect")
            << replaced("dialect: deepseek", "dialect: anthropic") << 3 << 14 << QStringLiteral("unknown dialect \"anthropic\"");
        QTest::newRow("bad url")
            << replaced("https://api.deepseek.com", "ftp://api.deepseek.com") << 4 << 15 << QStringLiteral("http:// or https://");
        QTest::newRow("bad env name")
            << replaced("DEEPSEEK_API_KEY", "sk-12345") << 5 << 18 << QStringLiteral("environment variable");
        QTest::newRow("unknown provider in model")
            << replaced("    provider: deepseek\n    id: deepseek-v4-pro", "    provider: deepsek\n    id: deepseek-v4-pro")
            << 8 << 15 << QStringLiteral("provider \"deepsek\"");
        QTest::newRow("context not a number")
            << replaced("context: 1000000\n    price", "context: lots\n    price") << 10 << 14
            << QStringLiteral("whole number");
        QTest::newRow("price too precise")
            << replaced("input: 0.435", "input: 0.4350001") << 13 << 14 << QStringLiteral("at most six decimals");
        QTest::newRow("negative price")
            << replaced("output: 0.87", "output: -0.87") << 15 << 15 << QStringLiteral("not negative");
        QTest::newRow("missing output price")
            << replaced("      output: 0.87\n", "") << 12 << 7 << QStringLiteral("needs \"output\"");
        QTest::newRow("bad currency")
            << replaced("currency: USD", "currency: dollars") << 12 << 17 << QStringLiteral("three-letter code");
        QTest::newRow("unknown fallback")
            << replaced("fallback: [deepseek-flash]", "fallback: [deepseek-lite]") << 16 << 15
            << QStringLiteral("fallback \"deepseek-lite\"");
        QTest::newRow("duplicate model")
            << replaced("  - name: deepseek-flash", "  - name: deepseek-v4-pro") << 17 << 11 << QStringLiteral("used twice");
        QTest::newRow("route to unknown model")
            << replaced("    model: deepseek-flash", "    model: kimi-2.6") << 23 << 12 << QStringLiteral("model \"kimi-2.6\"");
        QTest::newRow("no default route")
            << replaced("  - default: deepseek-v4-pro\n", "") << 22 << 3 << QStringLiteral("needs a default route");
        QTest::newRow("default with match")
            << replaced("  - default: deepseek-v4-pro", "  - default: deepseek-v4-pro\n    match: hour > 3") << 25 << 12
            << QStringLiteral("both \"default\" and \"match\"");
        QTest::newRow("route without match")
            << replaced("  - match: context_length > 80000\n    model", "  - model") << 22 << 5
            << QStringLiteral("needs \"match\"");
        QTest::newRow("providers not a list")
            << replaced("providers:\n  - id: deepseek\n    dialect: deepseek\n    base_url: https://api.deepseek.com\n"
                        "    api_key_env: DEEPSEEK_API_KEY\n",
                        "providers: deepseek\n")
            << 1 << 12 << QStringLiteral("must be a list");
        QTest::newRow("bool")
            << replaced("api_key_env: DEEPSEEK_API_KEY", "api_key_env: DEEPSEEK_API_KEY\n    streaming: maybe") << 6 << 16
            << QStringLiteral("true or false");

        // Names go on into response headers, the ledger and exports: one line of printable text.
        const QString control = QStringLiteral("control characters or line breaks");
        QTest::newRow("model name with CR LF")
            << replaced("  - name: deepseek-flash", "  - name: \"deepseek-flash\\r\\nX-Injected: 1\"") << 17 << 11 << control;
        QTest::newRow("model id with LF")
            << replaced("    id: deepseek-flash", "    id: \"deepseek\\nflash\"") << 19 << 9 << control;
        QTest::newRow("provider name with a tab")
            << replaced("    dialect: deepseek", "    name: \"Deep\\tSeek\"\n    dialect: deepseek") << 3 << 11 << control;
        QTest::newRow("route name with a line separator")
            << replaced("  - match: context_length > 80000", "  - name: \"long\\Ldocs\"\n    match: context_length > 80000")
            << 22 << 11 << control;
        QTest::newRow("default route with NUL")
            << replaced("  - default: deepseek-v4-pro", "  - default: \"deepseek-v4-pro\\0\"") << 24 << 14 << control;
        QTest::newRow("fallback entry with ESC")
            << replaced("fallback: [deepseek-flash]", "fallback: [\"deepseek\\e[31m\"]") << 16 << 16 << control;
        QTest::newRow("alias with DEL")
            << replaced("    id: deepseek-flash\n", "    id: deepseek-flash\n    aliases: [\"flash\\x7f\"]\n") << 20 << 15 << control;
        QTest::newRow("route model with NEL (C1)")
            << replaced("    model: deepseek-flash", "    model: \"deepseek\\u0085flash\"") << 23 << 12 << control;
        QTest::newRow("region with CR")
            << replaced("    base_url: https://api.deepseek.com\n",
                        "    regions:\n      \"cn\\r\": https://cn.example\n    base_url: https://api.deepseek.com\n")
            << 5 << 7 << control;
        QTest::newRow("model name too long")
            << replaced("  - name: deepseek-flash", "  - name: " + QByteArray(201, 'm')) << 17 << 11
            << QStringLiteral("at most 200 characters; this one has 201");
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, expected);
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY(!r.ok());
        const QList<ConfigDiagnostic> errors = r.errors();
        QVERIFY(!errors.isEmpty());
        // A change can cause follow-on errors (a renamed model breaks references to it); find ours.
        const auto it = std::find_if(errors.cbegin(), errors.cend(),
                                     [&](const ConfigDiagnostic &d) { return d.message.contains(expected); });
        QVERIFY2(it != errors.cend(), qPrintable(errors.first().toString()));
        QCOMPARE(it->line, line);
        QCOMPARE(it->column, column);
        // Errors come in file order, and the summary names the place of the first one.
        for (qsizetype i = 1; i < errors.size(); ++i)
            QVERIFY(std::tie(errors[i - 1].line, errors[i - 1].column) <= std::tie(errors[i].line, errors[i].column));
        const QString summary = r.errorSummary(QStringLiteral("config.yaml"));
        const ConfigDiagnostic &first = errors.first();
        QVERIFY2(summary.startsWith(first.line ? QStringLiteral("config.yaml, line %1, column %2: ").arg(first.line).arg(first.column)
                                               : QStringLiteral("config.yaml, ")),
                 qPrintable(summary));
    }

    void budgetsAndCurrencyRates()
    {
        const QByteArray extra = "budgets:\n"
                                 "  - {currency: USD, monthly: 200}\n"
                                 "  - {currency: CNY, monthly: 1000.5, provider: deepseek}\n"
                                 "currency_rates:\n"
                                 "  display: USD\n"
                                 "  rates: {CNY: 0.138, EUR: 1.08}\n";
        ConfigLoadResult r = ConfigLoader::parse(replaced("routes:", extra + "routes:"));
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("test"))));
        QCOMPARE(r.config->budgets.size(), 2);
        QCOMPARE(r.config->budgets[0].currency, QStringLiteral("USD"));
        QCOMPARE(r.config->budgets[0].monthlyMicros, 200'000'000);
        QVERIFY(r.config->budgets[0].provider.isEmpty());
        QCOMPARE(r.config->budgets[1].monthlyMicros, 1'000'500'000);
        QCOMPARE(r.config->budgets[1].provider, QStringLiteral("deepseek"));
        const CurrencyRates &c = r.config->currencyRates;
        QCOMPARE(c.display, QStringLiteral("USD"));
        QCOMPARE(c.microsPerUnit.value(QStringLiteral("CNY")), 138'000);
        // ¥86.20 at 0.138 is $11.8956; a US dollar stays itself; a yen has no rate.
        QCOMPARE(*c.convert(86'200'000, QStringLiteral("CNY")), 11'895'600);
        QCOMPARE(*c.convert(1'234, QStringLiteral("USD")), 1'234);
        QCOMPARE(*c.convert(1, QStringLiteral("CNY")), 0);   // 0.138 micro rounds to nothing
        QCOMPARE(*c.convert(4, QStringLiteral("CNY")), 1);   // 0.552 rounds half up
        QVERIFY(!c.convert(100, QStringLiteral("JPY")));

        for (const auto &[bad, message] : std::initializer_list<std::pair<QByteArray, const char *>> {
                 {"budgets:\n  - {currency: dollars, monthly: 5}\n", "code such as USD"},
                 {"budgets:\n  - {currency: USD, monthly: 0}\n", "above zero"},
                 {"budgets:\n  - {currency: USD, monthly: 5, provider: nope}\n", "\"nope\""},
                 {"budgets:\n  - {currency: USD, monthly: 5}\n  - {currency: USD, monthly: 9}\n", "repeats"},
                 {"currency_rates:\n  display: USD\n", "needs \"rates\""},
                 {"currency_rates:\n  display: USD\n  rates: {CNY: lots}\n", "worth in USD"},
             }) {
            r = ConfigLoader::parse(replaced("routes:", bad + "routes:"));
            QVERIFY2(!r.ok(), message);
            QVERIFY2(r.errorSummary(QStringLiteral("x")).contains(QLatin1String(message)), qPrintable(r.errorSummary(QStringLiteral("x"))));
        }
    }

    void unknownKeysAreWarnings()
    {
        const ConfigLoadResult r = ConfigLoader::parse(replaced("    base_url:", "    base_ulr: x\n    base_url:"));
        QVERIFY(r.ok());
        QCOMPARE(r.warnings().size(), 1);
        QCOMPARE(r.warnings()[0].line, 4);
        QVERIFY(r.warnings()[0].message.contains(QStringLiteral("\"base_ulr\"")));
    }

    void routeAfterDefaultIsWarned()
    {
        const ConfigLoadResult r = ConfigLoader::parse(base + "  - match: hour < 8\n    model: deepseek-flash\n");
        QVERIFY(r.ok());
        QCOMPARE(r.warnings().size(), 1);
        QVERIFY(r.warnings()[0].message.contains(QStringLiteral("never be used")));
    }

    void pricingExtensions()
    {
        const QByteArray yaml = replaced("      output: 0.87\n", R"(      output: 0.87
      output_thinking: 1.2
      as_of: 2026-11-15
      tiers:
        - above: 32000
          input: 1
          output: 2
        - above: 128000
          input: 2
          output: 4
      off_peak:
        timezone: Asia/Shanghai
        windows:
          - {days: [sat, sun], from: "00:00", to: "24:00"}
          - {days: [mon], from: "18:00", to: "20:30"}
        input: 0.2
        output: 0.4
)");
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("config.yaml"))));
        const Price &p = *r.config->model(u"deepseek-v4-pro")->price;
        QCOMPARE(p.rates.outputThinking, 1200000);
        QCOMPARE(p.tiers.size(), 2);
        QCOMPARE(p.tiers[1].aboveTokens, 128000);
        QCOMPARE(p.tiers[1].rates.output, 4000000);
        QCOMPARE(p.tiers[1].rates.cachedInput, -1);
        QCOMPARE(p.offPeak->windows[0].days, (QList<int> {6, 7}));
        QVERIFY(p.offPeak->windows[0].untilEndOfDay);
        QCOMPARE(p.offPeak->windows[1].from, QTime(18, 0));
        QCOMPARE(p.offPeak->windows[1].to, QTime(20, 30));

        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("above: 128000", "above: 1000")).ok());
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("Asia/Shanghai", "Mars/Olympus")).ok());
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("[mon]", "[someday]")).ok());
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("\"20:30\"", "\"17:00\"")).ok());
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("2026-11-15", "yesterday")).ok());
    }

    void aliasesAndRegions()
    {
        const QByteArray yaml = replaced("    id: deepseek-flash\n", "    id: deepseek-flash\n    aliases: [deepseek-chat]\n")
                                    .replace("    base_url: https://api.deepseek.com\n",
                                             "    region: cn\n    regions:\n      cn: https://cn.example\n      intl: "
                                             "https://intl.example/v1\n");
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("config.yaml"))));
        QCOMPARE(r.config->model(u"deepseek-chat")->name, QStringLiteral("deepseek-flash"));
        QCOMPARE(r.config->providers[0].baseUrl, QUrl(QStringLiteral("https://cn.example")));
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("region: cn", "region: moon")).ok());
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("[deepseek-chat]", "[deepseek-v4-pro]")).ok());
    }

    void capabilitiesAndNetwork()
    {
        const QByteArray yaml = replaced("    id: deepseek-flash\n", "    id: deepseek-flash\n    structured_output: json_schema\n"
                                                                   "    forced_tool_choice: false\n")
                                    .replace("    api_key_env: DEEPSEEK_API_KEY\n",
                                             "    api_key_env: DEEPSEEK_API_KEY\n    proxy: direct\n    ca_file: /etc/corp-ca.pem\n");
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("config.yaml"))));
        QCOMPARE(r.config->providers[0].proxy, QStringLiteral("direct"));
        QCOMPARE(r.config->providers[0].caFile, QStringLiteral("/etc/corp-ca.pem"));
        // Set in the file, or the dialect's default: DeepSeek has JSON mode, not json_schema.
        const ModelCapabilities flash = r.config->capabilities(*r.config->model(u"deepseek-flash"));
        QCOMPARE(flash.structuredOutput, StructuredOutput::JsonSchema);
        QVERIFY(!flash.forcedToolChoice);
        const ModelCapabilities pro = r.config->capabilities(*r.config->model(u"deepseek-v4-pro"));
        QCOMPARE(pro.structuredOutput, StructuredOutput::JsonObject);
        QVERIFY(pro.forcedToolChoice);
        QVERIFY(pro.parallelToolCalls);

        // What was read is written back, and only what was set.
        const QByteArray written = ConfigWriter::toYaml(*r.config);
        QVERIFY(written.contains("structured_output: json_schema"));
        QVERIFY(written.contains("forced_tool_choice: false"));
        QCOMPARE(written.count("structured_output"), 1);
        QVERIFY(written.contains("proxy: direct"));
        QVERIFY(written.contains("ca_file: /etc/corp-ca.pem"));

        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("structured_output: json_schema", "structured_output: xml")).ok());
        QVERIFY(!ConfigLoader::parse(QByteArray(yaml).replace("proxy: direct", "proxy: ftp://p:21")).ok());
        const ConfigLoadResult password = ConfigLoader::parse(QByteArray(yaml).replace("proxy: direct", "proxy: http://bob:pw@p:3128"));
        QVERIFY(!password.ok());
        QVERIFY(password.errorSummary(QStringLiteral("config.yaml")).contains(QLatin1String("password")));
        QVERIFY(!password.errorSummary(QStringLiteral("config.yaml")).contains(QLatin1String("pw@")));
    }

    void nameProblem_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem");   // a part of the sentence; empty: the name is fine

        QTest::newRow("plain") << QStringLiteral("deepseek-v4-pro") << QString();
        QTest::newRow("openrouter id") << QStringLiteral("meta-llama/llama-3.1-405b-instruct:free") << QString();
        QTest::newRow("spaces and Chinese") << QStringLiteral("深度求索 推理") << QString();
        QTest::newRow("emoji") << QStringLiteral("fast \U0001F680") << QString();
        QTest::newRow("200 characters") << QString(200, u'x') << QString();
        QTest::newRow("201 characters") << QString(201, u'x') << QStringLiteral("at most 200 characters; this one has 201");
        QTest::newRow("CR") << QStringLiteral("a\rb") << QStringLiteral("character 2 is U+000D");
        QTest::newRow("LF") << QStringLiteral("ab\n") << QStringLiteral("character 3 is U+000A");
        QTest::newRow("NUL") << QString(QChar(0)) << QStringLiteral("character 1 is U+0000");
        QTest::newRow("TAB") << QStringLiteral("a\tb") << QStringLiteral("U+0009");
        QTest::newRow("ESC") << QStringLiteral("a\x1b[2J") << QStringLiteral("U+001B");
        QTest::newRow("DEL") << QStringLiteral("a\x7f") << QStringLiteral("U+007F");
        QTest::newRow("C1 NEL") << QStringLiteral("a\u0085b") << QStringLiteral("U+0085");
        QTest::newRow("C1 CSI") << QStringLiteral("a\u009b") << QStringLiteral("U+009B");
        QTest::newRow("line separator") << QStringLiteral("a\u2028b") << QStringLiteral("U+2028");
        QTest::newRow("paragraph separator") << QStringLiteral("a\u2029b") << QStringLiteral("U+2029");
        QTest::newRow("no-break space is fine") << QStringLiteral("a\u00a0b") << QString();
    }

    void nameProblem()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        const QString said = Config::nameProblem(name);
        if (problem.isEmpty()) {
            QVERIFY2(said.isEmpty(), qPrintable(said));
            QCOMPARE(Config::controlCharacterAt(name), -1);
        } else {
            QVERIFY2(said.contains(problem), qPrintable(said));
        }
    }

    void messagesNeverCarryControlCharacters()
    {
        // A value the loader quotes back (an unknown dialect here) reaches a terminal or a label.
        const ConfigLoadResult r = ConfigLoader::parse(replaced("dialect: deepseek", "dialect: \"anthropic\\r\\n\\e[2J\""));
        QVERIFY(!r.ok());
        const QString summary = r.errorSummary(QStringLiteral("config.yaml"));
        QVERIFY2(summary.contains(QLatin1String("unknown dialect")), qPrintable(summary));
        QCOMPARE(Config::controlCharacterAt(summary), -1);
        QVERIFY(summary.contains(QChar::ReplacementCharacter));

        // A refused name is not quoted later on ("used twice", "not in models").
        const ConfigLoadResult twice = ConfigLoader::parse(replaced("  - name: deepseek-flash", "  - name: \"deepseek-v4-pro\\nX-Injected\""));
        QVERIFY(!twice.ok());
        for (const ConfigDiagnostic &d : twice.diagnostics)
            QVERIFY2(!d.message.contains(QLatin1String("X-Injected")), qPrintable(d.toString()));
    }

    void teamSection()
    {
        ConfigLoadResult r = ConfigLoader::parse(base + "team:\n  url: postgresql://alice@db.example.com:5432/books?sslmode=verify-full\n");
        QVERIFY2(r.ok(), qPrintable(r.errorSummary(QStringLiteral("t"))));
        QCOMPARE(r.config->team.url, QStringLiteral("postgresql://alice@db.example.com:5432/books?sslmode=verify-full"));
        QCOMPARE(r.config->team.member, QStringLiteral("alice"));   // the database user, unless told
        r = ConfigLoader::parse(base + "team: {url: 'postgresql://alice@db/books', member: Alice Li}\n");
        QVERIFY(r.ok());
        QCOMPARE(r.config->team.member, QStringLiteral("Alice Li"));
        // Written and read back the same.
        const ConfigLoadResult again = ConfigLoader::parse(ConfigWriter::toYaml(*r.config));
        QVERIFY(again.ok());
        QCOMPARE(again.config->team, r.config->team);

        r = ConfigLoader::parse(base + "team: {url: 'postgresql://alice:hunter2@db/books'}\n");
        QVERIFY(!r.ok());
        QVERIFY2(r.errorSummary({}).contains(QStringLiteral("switchyard keys set team")), qPrintable(r.errorSummary({})));
        QVERIFY(!r.errorSummary({}).contains(QStringLiteral("hunter2")));
        r = ConfigLoader::parse(base + "team: {url: 'mysql://db/books', member: a}\n");
        QVERIFY(!r.ok());
        QVERIFY(r.errorSummary({}).contains(QStringLiteral("PostgreSQL address")));
        r = ConfigLoader::parse(base + "team: {url: 'postgresql://db.example.com/books'}\n");
        QVERIFY(!r.ok());
        QVERIFY(r.errorSummary({}).contains(QStringLiteral("needs \"member\"")));
        // A budget may be a member's.
        r = ConfigLoader::parse(base + "budgets:\n  - {currency: USD, monthly: 50, member: bob}\n  - {currency: USD, monthly: 200}\n");
        QVERIFY2(r.ok(), qPrintable(r.errorSummary({})));
        QCOMPARE(r.config->budgets.value(0).member, QStringLiteral("bob"));
        QVERIFY(r.config->budgets.value(1).member.isEmpty());
    }

    void teamRulesOverTheLocalFile()
    {
        const QByteArray team = R"(models:
  - {name: deepseek-v4-pro, provider: deepseek, id: deepseek-v4-pro, context: 1000000}
  - {name: kimi, provider: moonshot, id: kimi-k2, context: 256000}
routes:
  - {name: docs, match: 'context_length > 80000', model: kimi}
  - default: deepseek-v4-pro
budgets:
  - {currency: USD, monthly: 100}
)";
        ConfigLoadResult r = ConfigLoader::parseWithTeam(base + "team: {url: 'postgresql://a@db/t'}\n", team, QStringLiteral("v3"));
        QVERIFY2(r.ok(), qPrintable(r.errorSummary({})));
        const Config &c = *r.config;
        QCOMPARE(c.routes.size(), 2);
        QCOMPARE(c.routes[0].model, QStringLiteral("kimi"));
        QCOMPARE(c.budgets.size(), 1);
        QCOMPARE(c.team.member, QStringLiteral("a"));   // the local file's own section stays
        // Moonshot is not set up here: a disabled stand-in carries the team's model.
        const ProviderConfig *moonshot = c.provider(u"moonshot");
        QVERIFY(moonshot);
        QVERIFY(!moonshot->enabled);
        QVERIFY(c.provider(u"deepseek")->enabled);
        QCOMPARE(c.provider(u"deepseek")->baseUrl, QUrl(QStringLiteral("https://api.deepseek.com")));

        // personal_routes: this machine's own rules (not its default) come first, those naming a
        // model the team does not have are left out.
        r = ConfigLoader::parseWithTeam(base, team + "personal_routes: true\n", QStringLiteral("v3"));
        QVERIFY2(r.ok(), qPrintable(r.errorSummary({})));
        QCOMPARE(r.config->routes.size(), 2);
        QCOMPARE(r.config->routes[0].model, QStringLiteral("kimi"));
        QByteArray withFlash = team;
        withFlash.replace("routes:", "  - {name: deepseek-flash, provider: deepseek, id: deepseek-flash, context: 1000000}\nroutes:");
        r = ConfigLoader::parseWithTeam(base, withFlash + "personal_routes: true\n", QStringLiteral("v3"));
        QVERIFY2(r.ok(), qPrintable(r.errorSummary({})));
        QCOMPARE(r.config->routes.size(), 3);
        QCOMPARE(r.config->routes[0].model, QStringLiteral("deepseek-flash"));
        QCOMPARE(r.config->routes[1].model, QStringLiteral("kimi"));
        QVERIFY(r.config->routes[2].isDefault);

        // What a team does not share is refused, with the version named.
        r = ConfigLoader::parseWithTeam(base, "providers: []\n", QStringLiteral("the team's rules, version 4"));
        QVERIFY(!r.ok());
        QVERIFY2(r.errorSummary({}).contains(QStringLiteral("version 4 has \"providers\"")), qPrintable(r.errorSummary({})));
        r = ConfigLoader::parseWithTeam(base, "routes:\n  - default: nowhere\n", QStringLiteral("version 5"));
        QVERIFY(!r.ok());
        QVERIFY2(r.errorSummary({}).contains(QStringLiteral("version 5 with this machine's providers")), qPrintable(r.errorSummary({})));

        // The shared sections written from a config hold no provider and no team section.
        const QByteArray shared = ConfigWriter::teamSections(*ConfigLoader::parse(base + "team: {url: 'postgresql://a@db/t'}\n").config, false);
        QVERIFY(shared.contains("routes:"));
        QVERIFY(shared.contains("models:"));
        QVERIFY(!shared.contains("providers:"));
        QVERIFY(!shared.contains("team:"));
        QVERIFY(!shared.contains("api_key_env"));
    }

    void chineseTextSurvives()
    {
        const ConfigLoadResult r = ConfigLoader::parse(replaced("    dialect: deepseek", "    name: 深度求索\n    dialect: deepseek"));
        QVERIFY(r.ok());
        QCOMPARE(r.config->providers[0].label(), QStringLiteral("深度求索"));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
