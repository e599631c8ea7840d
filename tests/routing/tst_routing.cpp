// The rule language, the request analysis and the router.
#include "ConfigLoader.h"
#include "OpenAiRequest.h"
#include "RequestAnalyzer.h"
#include "RouteExpression.h"
#include "Router.h"

#include <QTest>

namespace {

RequestFeatures features()
{
    RequestFeatures f;
    f.contextLength = 1200;
    f.taskType = QStringLiteral("chat");
    f.model = QStringLiteral("auto");
    f.messageCount = 3;
    f.hour = 14;
    f.weekday = QStringLiteral("tue");
    f.client = QStringLiteral("window");
    return f;
}

ChatRequest ask(const QString &text)
{
    ChatRequest r;
    r.messages = {ChatMessage::text(QStringLiteral("user"), text)};
    return r;
}

} // namespace

class TestRouting : public QObject
{
    Q_OBJECT

private slots:
    void evaluate_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<bool>("expected");
        QTest::newRow("seed size") << QStringLiteral("context_length > 80000") << false;
        QTest::newRow("seed task") << QStringLiteral("task_type == \"reasoning\"") << false;
        QTest::newRow("k suffix") << QStringLiteral("context_length >= 1.2k") << true;
        QTest::newRow("and or not parens") << QStringLiteral("(hour >= 9 and hour < 18) and not has_image or false") << true;
        QTest::newRow("in list") << QStringLiteral("weekday in [\"sat\", 'sun']") << false;
        QTest::newRow("not in") << QStringLiteral("weekday not in [\"sat\", \"sun\"]") << true;
        QTest::newRow("numbers in") << QStringLiteral("hour in [13, 14, 15]") << true;
        QTest::newRow("case-insensitive strings") << QStringLiteral("client == \"WINDOW\"") << true;
        QTest::newRow("api") << QStringLiteral("api == \"chat\" and api not in [\"messages\", \"responses\"]") << true;
        QTest::newRow("bool compare") << QStringLiteral("has_document == false") << true;
        QTest::newRow("symbols") << QStringLiteral("!(message_count < 2) && model != \"kimi-2.6\" || hour > 23") << true;
        QTest::newRow("bare bool") << QStringLiteral("has_image") << false;
        QTest::newRow("precedence") << QStringLiteral("true or false and false") << true;
        QTest::newRow("underscore digits") << QStringLiteral("context_length < 1_201") << true;
        QTest::newRow("multi-line") << QStringLiteral("hour > 10\nand task_type == \"chat\"") << true;
    }

    void evaluate()
    {
        QFETCH(QString, rule);
        QFETCH(bool, expected);
        RouteExpression::Error error;
        const auto e = RouteExpression::parse(rule, &error);
        QVERIFY2(e, qPrintable(error.message));
        QCOMPARE(e->matches(features()), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown variable") << QStringLiteral("tokens > 5") << 1 << 1 << QStringLiteral("unknown variable \"tokens\"");
        QTest::newRow("single =") << QStringLiteral("task_type = \"code\"") << 1 << 11 << QStringLiteral("use ==");
        QTest::newRow("type mismatch") << QStringLiteral("context_length > \"big\"") << 1 << 18 << QStringLiteral("expected a number");
        QTest::newRow("ordering strings") << QStringLiteral("task_type < \"z\"") << 1 << 11 << QStringLiteral("only numbers");
        QTest::newRow("not a condition") << QStringLiteral("context_length") << 1 << 1 << QStringLiteral("must be a condition");
        QTest::newRow("missing paren") << QStringLiteral("(hour > 3") << 1 << 10 << QStringLiteral("expected \")\"");
        QTest::newRow("dangling and") << QStringLiteral("hour > 3 and") << 1 << 13 << QStringLiteral("expected a variable");
        QTest::newRow("unterminated string") << QStringLiteral("model == \"kimi") << 1 << 10 << QStringLiteral("not closed");
        QTest::newRow("bad list") << QStringLiteral("hour in [1 2]") << 1 << 12 << QStringLiteral("expected \",\" or \"]\"");
        QTest::newRow("list type") << QStringLiteral("hour in [1, \"2\"]") << 1 << 13 << QStringLiteral("must hold a number");
        QTest::newRow("trailing junk") << QStringLiteral("hour > 3 hour") << 1 << 10 << QStringLiteral("expected \"and\", \"or\"");
        QTest::newRow("second line") << QStringLiteral("hour > 3 and\n  weekday == 5") << 2 << 14 << QStringLiteral("expected a string");
        QTest::newRow("bad char") << QStringLiteral("hour > 3 $") << 1 << 10 << QStringLiteral("unexpected character");
        QTest::newRow("not without in") << QStringLiteral("hour not 3") << 1 << 10 << QStringLiteral("expected \"in\"");
        QTest::newRow("and on number") << QStringLiteral("hour and true") << 1 << 6 << QStringLiteral("need conditions");
        QTest::newRow("empty") << QString() << 1 << 1 << QStringLiteral("expected a variable");
        QTest::newRow("trailing comma") << QStringLiteral("hour in [1,]") << 1 << 12 << QStringLiteral("expected a value after");
        QTest::newRow("deep nesting") << QString(100, QLatin1Char('(')) + QStringLiteral("true") << 1 << 65 << QStringLiteral("nests too deeply");
        QTest::newRow("many nots") << QStringLiteral("not ").repeated(100) + QStringLiteral("true") << 1 << 257 << QStringLiteral("nests too deeply");
    }

    void errors()
    {
        QFETCH(QString, rule);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        RouteExpression::Error error;
        QVERIFY(!RouteExpression::parse(rule, &error));
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
        QCOMPARE(error.line, line);
        QCOMPARE(error.column, column);
    }

    void configReportsRuleErrorsInPlace()
    {
        QByteArray yaml = ConfigLoader::builtInCatalog();
        yaml.replace("  - match: context_length > 80000", "  - match: context_length > lots");
        const ConfigLoadResult r = ConfigLoader::parse(yaml);
        QVERIFY(!r.ok());
        const int line = int(yaml.left(yaml.indexOf("context_length > lots")).count('\n')) + 1;
        QCOMPARE(r.errors()[0].line, line);
        QCOMPARE(r.errors()[0].column, 12 + 17);   // where "lots" starts
        QVERIFY(r.errors()[0].message.contains(QStringLiteral("unknown variable \"lots\"")));

        yaml = ConfigLoader::builtInCatalog();
        yaml.replace("  - match: task_type == \"reasoning\"", "  - match: \"task_type = 'reasoning'\"");
        const ConfigLoadResult quoted = ConfigLoader::parse(yaml);
        QVERIFY(!quoted.ok());
        QCOMPARE(quoted.errors()[0].column, 12 + 1 + 10);   // after the opening quote

        // A block scalar no longer lines up with the file: the line is named, not a column.
        yaml = ConfigLoader::builtInCatalog();
        yaml.replace("  - match: task_type == \"reasoning\"", "  - match: |\n      task_type = 'reasoning'");
        const ConfigLoadResult block = ConfigLoader::parse(yaml);
        QVERIFY(!block.ok());
        QCOMPARE(block.errors()[0].column, 0);
        QVERIFY(block.errors()[0].toString().startsWith(QStringLiteral("line ")));
    }

    void tokenEstimate()
    {
        // CJK runs near a token a character; Latin near four characters a token.
        QCOMPARE(RequestAnalyzer::estimateTokens(u"hello world, how are you?"), 7);
        QCOMPARE(RequestAnalyzer::estimateTokens(u"你好，世界"), 4);
        QCOMPARE(RequestAnalyzer::estimateTokens(QString(1000, QLatin1Char('a'))), 250);
        QCOMPARE(RequestAnalyzer::estimateTokens(QString(1000, QChar(0x4E2D))), 700);
        QCOMPARE(RequestAnalyzer::estimateTokens(QString(1000, QLatin1Char('a')), 1.2), 300);
        ChatRequest r = ask(QStringLiteral("abcd"));
        r.messages[0].images = {{"image/png", "x", {}}};
        QCOMPARE(RequestAnalyzer::estimateTokens(r), 3 + 4 + 1 + RequestAnalyzer::tokensPerImage);
    }

    void taskDetection_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("reason");
        QTest::newRow("chat") << QStringLiteral("What a nice day") << QStringLiteral("chat") << QStringLiteral("chat:");
        QTest::newRow("prove") << QStringLiteral("Prove that the square root of 2 is irrational") << QStringLiteral("reasoning")
                               << QStringLiteral("matched 'Prove'");
        QTest::newRow("chinese proof") << QStringLiteral("请证明勾股定理") << QStringLiteral("reasoning") << QStringLiteral("matched '证明'");
        QTest::newRow("code fence") << QStringLiteral("Why does this fail?\n```cpp\nint x;\n```") << QStringLiteral("code")
                                    << QStringLiteral("code block");
        QTest::newRow("code file") << QStringLiteral("Refactor main.cpp please") << QStringLiteral("code")
                                   << QStringLiteral("'main.cpp'");
        QTest::newRow("not a word inside") << QStringLiteral("approved and improved") << QStringLiteral("chat") << QStringLiteral("chat:");
    }

    void taskDetection()
    {
        QFETCH(QString, text);
        QFETCH(QString, task);
        QFETCH(QString, reason);
        const auto guess = RequestAnalyzer::detectTask(ask(text), 100);
        QCOMPARE(guess.taskType, task);
        QVERIFY2(guess.reason.contains(reason), qPrintable(guess.reason));
    }

    void taskDetectionOrder()
    {
        ChatRequest r = ask(QStringLiteral("prove it"));
        QCOMPARE(RequestAnalyzer::detectTask(r, 50000).taskType, QStringLiteral("long_document"));
        r.messages[0].images = {{"image/png", "x", {}}};
        QCOMPARE(RequestAnalyzer::detectTask(r, 50000).taskType, QStringLiteral("vision"));
        QCOMPARE(RequestAnalyzer::detectTask(r, 50000, QStringLiteral("code")).taskType, QStringLiteral("code"));
    }

    // The seed's three rules, as PRODUCT.md writes them.
    void seedRules()
    {
        const Router router(*ConfigLoader::parse(ConfigLoader::builtInCatalog()).config);

        const ChatRequest document = ask(QString(400000, QLatin1Char('x')) + QStringLiteral(" summarise this"));
        RouteDecision d = router.decide(document, QStringLiteral("auto"));
        QVERIFY(d.contextLength > 80000 && d.contextLength < 120000);   // a 100K-token document
        QCOMPARE(d.model, QStringLiteral("kimi-2.6"));
        QCOMPARE(d.provider, QStringLiteral("moonshot"));
        QCOMPARE(d.providerModel, QStringLiteral("kimi-k2.6"));
        QCOMPARE(d.rule, QStringLiteral("route 1"));

        d = router.decide(ask(QStringLiteral("Prove that there are infinitely many primes.")), QStringLiteral("auto"));
        QCOMPARE(d.model, QStringLiteral("qwen3-235b"));
        QCOMPARE(d.taskType, QStringLiteral("reasoning"));
        QVERIFY(d.why.contains(QStringLiteral("matched 'Prove'")));

        d = router.decide(ask(QStringLiteral("Hi there")), QStringLiteral("auto"));
        QCOMPARE(d.model, QStringLiteral("deepseek-v4-pro"));
        QCOMPARE(d.rule, QStringLiteral("default"));
        QCOMPARE(d.fallback, QStringList {QStringLiteral("deepseek-flash")});

        // An explicit task wins over detection.
        d = router.decide(ask(QStringLiteral("Hi there")), QStringLiteral("auto"), {}, QStringLiteral("reasoning"));
        QCOMPARE(d.model, QStringLiteral("qwen3-235b"));
    }

    void namedModelsAndChains()
    {
        QByteArray yaml = ConfigLoader::builtInCatalog();
        yaml.replace("  - match: context_length > 80000\n    model: kimi-2.6\n",
                     "  - name: long-docs\n    match: context_length > 80000\n    model: kimi-2.6\n    fallback: [minimax-m3, kimi-2.6]\n");
        yaml.replace("routes:\n", "fallback:\n  default: [deepseek-flash, minimax-2.7]\nroutes:\n");
        const ConfigLoadResult loaded = ConfigLoader::parse(yaml);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorSummary(QStringLiteral("yaml"))));
        const Router router(*loaded.config);

        RouteDecision d = router.decide(ask(QString(400000, QLatin1Char('x'))), QStringLiteral("auto"));
        QCOMPARE(d.rule, QStringLiteral("long-docs"));
        // Rule fallback, then the model's own (none), then the default chain; no repeats, and only
        // models that can hold about 100K tokens (minimax-2.7 holds 204,800; deepseek-flash 1M).
        QCOMPARE(d.fallback, (QStringList {QStringLiteral("minimax-m3"), QStringLiteral("deepseek-flash"), QStringLiteral("minimax-2.7")}));

        d = router.decide(ask(QStringLiteral("hi")), QStringLiteral("kimi-k2.6"));   // an alias
        QCOMPARE(d.rule, QStringLiteral("model"));
        QCOMPARE(d.model, QStringLiteral("kimi-2.6"));
        QCOMPARE(d.fallback, (QStringList {QStringLiteral("deepseek-flash"), QStringLiteral("minimax-2.7")}));

        d = router.decide(ask(QStringLiteral("hi")), QStringLiteral("gpt-9"));
        QVERIFY(d.error.contains(QStringLiteral("no model \"gpt-9\"")));

        // Too big for the chosen model: the first in the chain that can hold it.
        d = router.decide(ask(QString(1200000, QLatin1Char('x'))), QStringLiteral("kimi-2.6"));
        QCOMPARE(d.model, QStringLiteral("deepseek-flash"));
        QVERIFY(d.why.contains(QStringLiteral("holds only")));
    }

    void neverAnEmbeddingModel()
    {
        Config config = *ConfigLoader::parse(ConfigLoader::builtInCatalog()).config;
        // config.yaml refuses these; a Config built in code (Settings' draft, a team's rules) may not.
        config.routes.prepend(RouteConfig {});
        config.routes.first().match = QStringLiteral("true");
        RouteExpression::Error e;
        config.routes.first().expression = RouteExpression::parse(QStringLiteral("true"), &e);
        config.routes.first().model = QStringLiteral("qwen-embedding");
        config.fallback.defaultChain = {QStringLiteral("openrouter-embedding-small"), QStringLiteral("deepseek-flash")};
        const Router router(config);

        RouteDecision d = router.decide(ask(QStringLiteral("Hi there")), QStringLiteral("auto"));
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(d.model, QStringLiteral("deepseek-v4-pro"));
        QCOMPARE(d.fallback, QStringList {QStringLiteral("deepseek-flash")});

        // Even the largest request only ever reaches chat models.
        d = router.decide(ask(QString(3000000, QLatin1Char('x'))), QStringLiteral("auto"));
        for (const QString &name : QStringList {d.model} + d.fallback)
            QVERIFY2(name.isEmpty() || !config.model(name)->isEmbedding(), qPrintable(name));

        // Named, by name or alias: refused, saying why.
        for (const char *name : {"qwen-embedding", "text-embedding-v4"}) {
            d = router.decide(ask(QStringLiteral("hi")), QString::fromLatin1(name));
            QVERIFY2(d.error.contains(QStringLiteral("is an embedding model")), qPrintable(d.error));
            QVERIFY(d.model.isEmpty());
        }
    }

    void explainJson()
    {
        QString error;
        const auto parsed = OpenAiRequest::fromJson(R"({"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":"Prove it"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw=="}}]}],"metadata":{"task_type":"code"}})", &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->taskType, QStringLiteral("code"));
        QCOMPARE(parsed->request.messages[0].images.size(), 1);
        QCOMPARE(parsed->request.messages[0].images[0].mimeType, QByteArray("image/png"));
        const Router router(*ConfigLoader::parse(ConfigLoader::builtInCatalog()).config);
        const QJsonObject json = router.decide(parsed->request, parsed->model, {}, parsed->taskType).toJson();
        for (const char *key : {"rule", "model", "provider", "provider_model", "fallback", "context_length", "task_type"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json[QStringLiteral("task_type")].toString(), QStringLiteral("code"));

        QVERIFY(!OpenAiRequest::fromJson("{\"model\":\"auto\"}", &error));
        QVERIFY(error.contains(QStringLiteral("messages")));
        QVERIFY(!OpenAiRequest::fromJson("{nope", &error));
        QVERIFY(error.contains(QStringLiteral("not valid JSON")));
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
