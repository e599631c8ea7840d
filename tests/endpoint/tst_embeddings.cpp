// POST /v1/embeddings through the real Gateway with the fake provider behind it: raw HTTP (float and
// base64, order, batches split for DashScope, dimensions, the 400s, fallback, auto, the ledger),
// then the npm clients (openai's embeddings.create, the AI SDK's embed/embedMany) from
// tests/node/embeddings.mjs.
#include "EndpointClient.h"
#include "GatewayFixture.h"
#include "RequestAnalyzer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTest>

#include <cstring>

namespace {

// Two embedding models that fall back to a third, one on a disabled provider, and a priced alias.
const char *const EmbeddingModels =
    "  - {name: off-embed, kind: embedding, provider: off, id: text-embedding-3-large}\n"
    "  - {name: qwen-embed, kind: embedding, provider: qw, id: text-embedding-v4, fallback: [or-embed],\n"
    "     price: {currency: CNY, input: 100}}\n"
    "  - {name: or-embed, kind: embedding, provider: or, id: openai/text-embedding-3-small,\n"
    "     aliases: [text-embedding-3-small], price: {currency: USD, input: 200}}\n"
    "  - {name: local-embed, kind: embedding, provider: oa, id: nomic-embed-text, max_inputs: 3}\n";

QJsonObject embeddingsBody(const QString &model, const QJsonValue &input, const QJsonObject &more = {})
{
    QJsonObject o = more;
    o.insert(QStringLiteral("model"), model);
    o.insert(QStringLiteral("input"), input);
    return o;
}

std::vector<float> floatsOf(const QJsonValue &embedding)
{
    std::vector<float> out;
    if (embedding.isString()) {
        const QByteArray raw = QByteArray::fromBase64(embedding.toString().toLatin1());
        out.resize(size_t(raw.size() / 4));
        for (qsizetype i = 0; i < raw.size() / 4; ++i) {
            const auto *p = reinterpret_cast<const uchar *>(raw.constData() + i * 4);
            const quint32 bits = quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
            std::memcpy(&out[size_t(i)], &bits, 4);
        }
        return out;
    }
    for (const QJsonValue &v : embedding.toArray())
        out.push_back(float(v.toDouble()));
    return out;
}

// The texts' vectors in `answer`, in `data` order, each checked to sit at its own index.
QList<std::vector<float>> vectorsOf(const QJsonObject &answer)
{
    QList<std::vector<float>> out;
    const QJsonArray data = answer.value(QStringLiteral("data")).toArray();
    for (qsizetype i = 0; i < data.size(); ++i) {
        const QJsonObject item = data.at(i).toObject();
        if (item.value(QStringLiteral("index")).toInt(-1) != i || item.value(QStringLiteral("object")).toString() != u"embedding")
            return {};
        out << floatsOf(item.value(QStringLiteral("embedding")));
    }
    return out;
}

int tokensOf(const QStringList &texts)
{
    int n = 0;
    for (const QString &t : texts)
        n += FakeProvider::embeddingTokens(t);
    return n;
}

QStringList numbered(int count)
{
    QStringList out;
    for (int i = 0; i < count; ++i)
        out << QStringLiteral("passage %1: the quick brown fox").arg(i);
    return out;
}

} // namespace

class TestEmbeddings : public QObject
{
    Q_OBJECT

    std::unique_ptr<GatewayFixture> fx;
    QNetworkAccessManager nam;
    QString node;
    QString script;

    HttpReply post(const QJsonObject &body) { return postRaw(QJsonDocument(body).toJson(QJsonDocument::Compact)); }

    HttpReply postRaw(const QByteArray &body, const QString &path = QStringLiteral("/embeddings"))
    {
        return sendAndWait(nam, "POST", QUrl(fx->url() + path), body, {{"Authorization", "Bearer sk-sy-fixture-key"}});
    }

    QList<FakeRequest> upstream() const
    {
        QList<FakeRequest> out;
        for (const FakeRequest &r : fx->fake.requests()) {
            if (r.path.endsWith("/embeddings"))
                out << r;
        }
        return out;
    }

    // The ledger's rows once it has `count`; every row is handed to the ledger before the answer
    // leaves, so a row too many is there by then too.
    QList<QVariantMap> rows(int count)
    {
        const QString path = fx->dir.filePath(QStringLiteral("switchyard.db"));
        QList<QVariantMap> out;
        const bool enough = QTest::qWaitFor([&] {
            fx->ledger->flush();
            out = sqlRows(path, QStringLiteral("SELECT attempt, model, provider, provider_model, status, http_status, "
                                               "prompt_tokens, completion_tokens, cost_micros, currency, cost_estimated, "
                                               "rule, request_id, api FROM ledger ORDER BY id"));
            return out.size() >= count;
        }, 10000);
        if (!enough)
            qWarning("the ledger has %d rows, not %d", int(out.size()), count);
        return out;
    }

    // One case of tests/node/embeddings.mjs; its JSON line.
    QJsonObject runNode(const QString &which, const QString &model)
    {
        return runNodeCase(*fx, node, script, which, model);
    }

    // Each of `got` (numbers as a client saw them) is the fake's vector for the same text.
    static bool sameVectors(const QJsonArray &got, const QStringList &texts, int dims = FakeProvider::EmbeddingDimensions)
    {
        if (got.size() != texts.size())
            return false;
        for (qsizetype i = 0; i < texts.size(); ++i) {
            if (floatsOf(got.at(i)) != FakeProvider::embedding(texts.at(i), dims))
                return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        node = QStandardPaths::findExecutable(QStringLiteral("node"));
        script = qEnvironmentVariable("SWITCHYARD_NODE_CLIENT_DIR") + QStringLiteral("/embeddings.mjs");
    }

    void init()
    {
        fx = std::make_unique<GatewayFixture>();
        fx->extraModels = EmbeddingModels;
        QString why;
        QVERIFY2(fx->start(&why), qPrintable(why));
    }

    void cleanup() { fx.reset(); }

    void floatsInOrder()
    {
        const QStringList texts {QStringLiteral("first"), QStringLiteral("第二"), QStringLiteral("third one")};
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), QJsonArray::fromStringList(texts),
                                                {{QStringLiteral("encoding_format"), QStringLiteral("float")},
                                                 {QStringLiteral("user"), QStringLiteral("alice")}}));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("or-embed"));
        const QList<std::vector<float>> got = vectorsOf(o);
        QCOMPARE(got.size(), 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(got[i] == FakeProvider::embedding(texts[i]));
        QVERIFY(o.value(QStringLiteral("data")).toArray().at(0).toObject().value(QStringLiteral("embedding")).isArray());
        const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), tokensOf(texts));
        QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), tokensOf(texts));
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("or-embed"));
        QCOMPARE(r.headers.value("x-switchyard-provider"), QByteArray("or"));
        QCOMPARE(r.headers.value("x-switchyard-attempts"), QByteArray("1"));

        // Upstream: the provider's own id, floats asked for whatever the client wanted, `user` passed on.
        const QList<FakeRequest> sent = upstream();
        QCOMPARE(sent.size(), 1);
        QVERIFY(sent[0].path.startsWith("/openrouter/v1/embeddings"));
        const QJsonObject body = sent[0].json();
        QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("openai/text-embedding-3-small"));
        QCOMPARE(body.value(QStringLiteral("encoding_format")).toString(), QStringLiteral("float"));
        QCOMPARE(body.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(body.value(QStringLiteral("input")).toArray(), QJsonArray::fromStringList(texts));
        QCOMPARE(sent[0].header("authorization"), QByteArray("Bearer upstream-key"));

        // One ledger row, its input tokens priced at 200 USD per 1M: 200 micro-dollars a token.
        const QList<QVariantMap> ledger = rows(1);
        QCOMPARE(ledger.size(), 1);
        QCOMPARE(ledger[0].value(QStringLiteral("model")).toString(), QStringLiteral("or-embed"));
        QCOMPARE(ledger[0].value(QStringLiteral("provider_model")).toString(), QStringLiteral("openai/text-embedding-3-small"));
        QCOMPARE(ledger[0].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(ledger[0].value(QStringLiteral("api")).toString(), QStringLiteral("embeddings"));
        QCOMPARE(ledger[0].value(QStringLiteral("prompt_tokens")).toLongLong(), qint64(tokensOf(texts)));
        QCOMPARE(ledger[0].value(QStringLiteral("completion_tokens")).toLongLong(), 0);
        QCOMPARE(ledger[0].value(QStringLiteral("cost_micros")).toLongLong(), qint64(tokensOf(texts)) * 200);
        QCOMPARE(ledger[0].value(QStringLiteral("currency")).toString(), QStringLiteral("USD"));
        QCOMPARE(ledger[0].value(QStringLiteral("cost_estimated")).toInt(), 0);
        QCOMPARE(ledger[0].value(QStringLiteral("rule")).toString(), QStringLiteral("model"));
        QCOMPARE(ledger[0].value(QStringLiteral("request_id")).toString(), QString::fromLatin1(r.headers.value("x-request-id")));
    }

    void base64IsLittleEndianFloat32()
    {
        const QString text = QStringLiteral("a string, not a list");
        const HttpReply r = post(embeddingsBody(QStringLiteral("text-embedding-3-small"), text,
                                                {{QStringLiteral("encoding_format"), QStringLiteral("base64")}}));
        QCOMPARE(r.status, 200);
        const QJsonValue e = r.json().value(QStringLiteral("data")).toArray().at(0).toObject().value(QStringLiteral("embedding"));
        QVERIFY(e.isString());
        QCOMPARE(QByteArray::fromBase64(e.toString().toLatin1()).size(), FakeProvider::EmbeddingDimensions * 4);
        QVERIFY(floatsOf(e) == FakeProvider::embedding(text));
        QCOMPARE(r.json().value(QStringLiteral("model")).toString(), QStringLiteral("or-embed"));   // the alias's model
        QCOMPARE(upstream().value(0).json().value(QStringLiteral("encoding_format")).toString(), QStringLiteral("float"));
    }

    void dashScopeBatchesOfTen()
    {
        const QStringList texts = numbered(23);
        const HttpReply r = post(embeddingsBody(QStringLiteral("qwen-embed"), QJsonArray::fromStringList(texts),
                                                {{QStringLiteral("dimensions"), 64}}));
        QCOMPARE(r.status, 200);
        const QList<std::vector<float>> got = vectorsOf(r.json());
        QCOMPARE(got.size(), 23);
        for (int i = 0; i < 23; ++i)
            QVERIFY2(got[i] == FakeProvider::embedding(texts[i], 64), qPrintable(QString::number(i)));
        QCOMPARE(r.json().value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens")).toInt(), tokensOf(texts));
        const QList<FakeRequest> sent = upstream();
        QCOMPARE(sent.size(), 3);
        QList<int> sizes;
        for (const FakeRequest &s : sent) {
            QVERIFY(s.path.startsWith("/dashscope/v1/embeddings"));
            QCOMPARE(s.json().value(QStringLiteral("dimensions")).toInt(), 64);
            sizes << int(s.json().value(QStringLiteral("input")).toArray().size());
        }
        std::sort(sizes.begin(), sizes.end());
        QCOMPARE(sizes, (QList<int> {3, 10, 10}));
        // One attempt, however many requests it took: one row, priced at 100 CNY per 1M.
        const QList<QVariantMap> ledger = rows(1);
        QCOMPARE(ledger.size(), 1);
        QCOMPARE(ledger[0].value(QStringLiteral("prompt_tokens")).toLongLong(), qint64(tokensOf(texts)));
        QCOMPARE(ledger[0].value(QStringLiteral("cost_micros")).toLongLong(), qint64(tokensOf(texts)) * 100);
        QCOMPARE(ledger[0].value(QStringLiteral("currency")).toString(), QStringLiteral("CNY"));
    }

    void maxInputsSplitsToo()
    {
        const QStringList texts = numbered(7);
        const HttpReply r = post(embeddingsBody(QStringLiteral("local-embed"), QJsonArray::fromStringList(texts)));
        QCOMPARE(r.status, 200);
        QCOMPARE(upstream().size(), 3);
        const QList<std::vector<float>> got = vectorsOf(r.json());
        QCOMPARE(got.size(), 7);
        for (int i = 0; i < 7; ++i)
            QVERIFY(got[i] == FakeProvider::embedding(texts[i]));
    }

    void providerOrderAndBase64AreUndone()
    {
        // A provider that lists the vectors out of order, one of them as base64 though floats were asked.
        const std::vector<float> a = FakeProvider::embedding(QStringLiteral("a"), 4);
        const std::vector<float> b = FakeProvider::embedding(QStringLiteral("b"), 4);
        QByteArray raw(16, Qt::Uninitialized);
        std::memcpy(raw.data(), b.data(), 16);
        QJsonArray floats;
        for (float f : a)
            floats.append(double(f));
        const QJsonObject answer {
            {QStringLiteral("data"),
             QJsonArray {QJsonObject {{QStringLiteral("index"), 1}, {QStringLiteral("embedding"), QString::fromLatin1(raw.toBase64())}},
                         QJsonObject {{QStringLiteral("index"), 0}, {QStringLiteral("embedding"), floats}}}},
            {QStringLiteral("usage"), QJsonObject {{QStringLiteral("prompt_tokens"), 2}, {QStringLiteral("total_tokens"), 2}}}};
        fx->fake.enqueue(FakeResponse::json(200, QJsonDocument(answer).toJson(QJsonDocument::Compact)));
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), QJsonArray {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(r.status, 200);
        const QList<std::vector<float>> got = vectorsOf(r.json());
        QCOMPARE(got.size(), 2);
        QVERIFY(got[0] == a);
        QVERIFY(got[1] == b);
    }

    void aBrokenAnswerIsAServerError()
    {
        fx->fake.enqueue(FakeResponse::json(200, R"({"data":[{"index":0,"embedding":[0.5]}]})"));   // one vector for two
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), QJsonArray {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(r.status, 502);
        QVERIFY2(r.error().value(QStringLiteral("message")).toString().contains(QStringLiteral("1 vectors for 2 inputs")),
                 r.body.constData());
        QCOMPARE(rows(1).value(0).value(QStringLiteral("status")).toString(), QStringLiteral("server"));
    }

    void aSilentProviderTimesOut()
    {
        FakeResponse stall;
        stall.fault = FakeResponse::Fault::StallBeforeHeaders;
        fx->fake.enqueue(stall);
        // The fixture gives a provider 5 s to answer.
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), QStringLiteral("x")));
        QCOMPARE(r.status, 504);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("timeout"));
        const QList<QVariantMap> ledger = rows(1);
        QCOMPARE(ledger.size(), 1);
        QCOMPARE(ledger[0].value(QStringLiteral("status")).toString(), QStringLiteral("timeout"));
        QTRY_COMPARE(fx->gateway->activeRequests(), 0);
    }

    void rateLimitFallsBackToTheListedModel()
    {
        fx->fake.enqueue(FakeResponse::rateLimited());
        const QStringList texts {QStringLiteral("one"), QStringLiteral("two")};
        const HttpReply r = post(embeddingsBody(QStringLiteral("qwen-embed"), QJsonArray::fromStringList(texts)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("or-embed"));
        QCOMPARE(r.headers.value("x-switchyard-attempts"), QByteArray("2"));
        QCOMPARE(r.json().value(QStringLiteral("model")).toString(), QStringLiteral("or-embed"));
        const QList<std::vector<float>> got = vectorsOf(r.json());
        QCOMPARE(got.size(), 2);
        QVERIFY(got[1] == FakeProvider::embedding(texts[1]));
        const QList<FakeRequest> sent = upstream();
        QCOMPARE(sent.size(), 2);
        QVERIFY(sent[0].path.startsWith("/dashscope/"));
        QVERIFY(sent[1].path.startsWith("/openrouter/"));
        const QList<QVariantMap> ledger = rows(2);
        QCOMPARE(ledger.size(), 2);
        QCOMPARE(ledger[0].value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(ledger[0].value(QStringLiteral("model")).toString(), QStringLiteral("qwen-embed"));
        QCOMPARE(ledger[0].value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(ledger[0].value(QStringLiteral("http_status")).toInt(), 429);
        QCOMPARE(ledger[0].value(QStringLiteral("cost_micros")).toLongLong(), 0);
        QCOMPARE(ledger[0].value(QStringLiteral("api")).toString(), QStringLiteral("embeddings"));
        QCOMPARE(ledger[1].value(QStringLiteral("api")).toString(), QStringLiteral("embeddings"));
        QCOMPARE(ledger[1].value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(ledger[1].value(QStringLiteral("model")).toString(), QStringLiteral("or-embed"));
        QCOMPARE(ledger[1].value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(ledger[1].value(QStringLiteral("prompt_tokens")).toLongLong(), qint64(tokensOf(texts)));
        QCOMPARE(ledger[0].value(QStringLiteral("request_id")), ledger[1].value(QStringLiteral("request_id")));
    }

    void noFallbackBeyondTheList()
    {
        // or-embed lists no fallback: another model's vectors would not be comparable.
        fx->fake.enqueue(FakeResponse::serverError());
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), QStringLiteral("x")));
        QCOMPARE(r.status, 502);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("server"));
        QCOMPARE(upstream().size(), 1);
        QCOMPARE(rows(1).size(), 1);
    }

    void rateLimitEverywhereIsA429()
    {
        for (int i = 0; i < 4; ++i)
            fx->fake.enqueue(FakeResponse::rateLimited(30));
        const HttpReply r = post(embeddingsBody(QStringLiteral("qwen-embed"), QStringLiteral("x")));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("rate_limit_error"));
        QCOMPARE(r.headers.value("retry-after"), QByteArray("30"));
        const QList<QVariantMap> ledger = rows(2);
        QCOMPARE(ledger.size(), 2);
        QCOMPARE(ledger[1].value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit"));
    }

    void autoTakesTheFirstEnabledEmbeddingModel()
    {
        const HttpReply r = post(embeddingsBody(QStringLiteral("auto"), QStringLiteral("hello")));
        QCOMPARE(r.status, 200);
        // off-embed comes first, but its provider is disabled.
        QCOMPARE(r.headers.value("x-switchyard-model"), QByteArray("qwen-embed"));
        QCOMPARE(r.headers.value("x-switchyard-rule"), QByteArray("auto"));
        QVERIFY(vectorsOf(r.json()).value(0) == FakeProvider::embedding(QStringLiteral("hello")));
        QCOMPARE(rows(1).value(0).value(QStringLiteral("rule")).toString(), QStringLiteral("auto"));
    }

    void autoWithoutAnyKey()
    {
        qunsetenv("SY_GATEWAY_TEST_KEY");
        const HttpReply r = post(embeddingsBody(QStringLiteral("auto"), QStringLiteral("hello")));
        qputenv("SY_GATEWAY_TEST_KEY", "upstream-key");
        QCOMPARE(r.status, 502);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("auth"));
        QVERIFY2(r.error().value(QStringLiteral("message")).toString().contains(QStringLiteral("No key is set")), r.body.constData());
        QVERIFY(upstream().isEmpty());
    }

    void estimatedWithoutUsage()
    {
        fx->fake.setEmbeddingUsage(false);
        const QString text = QStringLiteral("twelve chars");
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), text));
        QCOMPARE(r.status, 200);
        const qint64 estimate = RequestAnalyzer::estimateTokens(text);
        QCOMPARE(r.json().value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens")).toInteger(), estimate);
        const QList<QVariantMap> ledger = rows(1);
        QCOMPARE(ledger.value(0).value(QStringLiteral("cost_estimated")).toInt(), 1);
        QCOMPARE(ledger.value(0).value(QStringLiteral("prompt_tokens")).toLongLong(), estimate);
        QCOMPARE(ledger.value(0).value(QStringLiteral("cost_micros")).toLongLong(), estimate * 200);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        QTest::newRow("not json") << QByteArray("{") << 400 << "invalid_request" << "";
        QTest::newRow("no model") << QByteArray(R"({"input":"x"})") << 400 << "missing_required_parameter" << "model";
        QTest::newRow("model not a string") << QByteArray(R"({"model":3,"input":"x"})") << 400 << "invalid_type" << "model";
        QTest::newRow("no input") << QByteArray(R"({"model":"or-embed"})") << 400 << "missing_required_parameter" << "input";
        QTest::newRow("empty string") << QByteArray(R"({"model":"or-embed","input":""})") << 400 << "empty_string" << "input";
        QTest::newRow("empty in list") << QByteArray(R"({"model":"or-embed","input":["a",""]})") << 400 << "empty_string"
                                       << "input[1]";
        QTest::newRow("empty list") << QByteArray(R"({"model":"or-embed","input":[]})") << 400 << "empty_array" << "input";
        QTest::newRow("tokens") << QByteArray(R"({"model":"or-embed","input":[1,2,3]})") << 400 << "unsupported_input" << "input";
        QTest::newRow("token lists") << QByteArray(R"({"model":"or-embed","input":[[1,2],[3]]})") << 400 << "unsupported_input"
                                     << "input";
        QTest::newRow("object in list") << QByteArray(R"({"model":"or-embed","input":["a",{}]})") << 400 << "invalid_type"
                                        << "input[1]";
        QTest::newRow("input number") << QByteArray(R"({"model":"or-embed","input":5})") << 400 << "invalid_type" << "input";
        QTest::newRow("format") << QByteArray(R"({"model":"or-embed","input":"x","encoding_format":"int8"})") << 400
                                << "invalid_value" << "encoding_format";
        QTest::newRow("dimensions 0") << QByteArray(R"({"model":"or-embed","input":"x","dimensions":0})") << 400
                                      << "integer_below_min_value" << "dimensions";
        QTest::newRow("dimensions 1.5") << QByteArray(R"({"model":"or-embed","input":"x","dimensions":1.5})") << 400
                                        << "invalid_type" << "dimensions";
        QTest::newRow("dimensions text") << QByteArray(R"({"model":"or-embed","input":"x","dimensions":"64"})") << 400
                                         << "invalid_type" << "dimensions";
        QTest::newRow("user") << QByteArray(R"({"model":"or-embed","input":"x","user":7})") << 400 << "invalid_type" << "user";
        QTest::newRow("unknown model") << QByteArray(R"({"model":"nope","input":"x"})") << 404 << "model_not_found" << "";
        QTest::newRow("chat model") << QByteArray(R"({"model":"fast","input":"x"})") << 400 << "not_an_embedding_model" << "";
        QTest::newRow("disabled") << QByteArray(R"({"model":"off-embed","input":"x"})") << 400 << "no_model" << "";
    }

    void refusals()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, param);
        const HttpReply r = postRaw(body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), code);
        if (!param.isEmpty())
            QCOMPARE(r.error().value(QStringLiteral("param")).toString(), param);
        QVERIFY(!r.error().value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(upstream().isEmpty());
    }

    void tooManyInputs()
    {
        const HttpReply r = post(embeddingsBody(QStringLiteral("or-embed"), QJsonArray::fromStringList(numbered(2049))));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("array_above_max_length"));
    }

    void chatDoorRefusesAnEmbeddingModel()
    {
        const QByteArray body = R"({"model":"qwen-embed","messages":[{"role":"user","content":"hi"}]})";
        const HttpReply r = postRaw(body, QStringLiteral("/chat/completions"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("not_a_chat_model"));
        QVERIFY(r.error().value(QStringLiteral("message")).toString().contains(QStringLiteral("embedding model")));
        QVERIFY(fx->fake.requests().isEmpty());
    }

    void listedWithTheModels()
    {
        QNetworkRequest request(QUrl(fx->url() + QStringLiteral("/models")));
        request.setRawHeader("Authorization", "Bearer sk-sy-fixture-key");
        QNetworkReply *reply = nam.get(request);
        QVERIFY(QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000));
        QStringList ids;
        for (const QJsonValue &m : QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("data")).toArray())
            ids << m.toObject().value(QStringLiteral("id")).toString();
        reply->deleteLater();
        QVERIFY(ids.contains(QStringLiteral("qwen-embed")));
        QVERIFY(ids.contains(QStringLiteral("or-embed")));
        QVERIFY(!ids.contains(QStringLiteral("off-embed")));
    }

    // ---- npm clients --------------------------------------------------------------------------

    void openaiDefaultIsBase64()
    {
        if (node.isEmpty() || !QFile::exists(script))
            QSKIP("node or tests/node is not installed; ./dev test installs them");
        const QJsonObject o = runNode(QStringLiteral("openai-default"), QStringLiteral("qwen-embed"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QVERIFY(sameVectors(o.value(QStringLiteral("vectors")).toArray(), {QStringLiteral("alpha"), QStringLiteral("beta")}));
        QCOMPARE(o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens")).toInt(),
                 tokensOf({QStringLiteral("alpha"), QStringLiteral("beta")}));
        // The SDK asked for base64 (its default); the provider was asked for floats.
        QCOMPARE(o.value(QStringLiteral("asked")).toString(), QStringLiteral("base64"));
        QCOMPARE(upstream().value(0).json().value(QStringLiteral("encoding_format")).toString(), QStringLiteral("float"));
        QCOMPARE(rows(1).size(), 1);
    }

    void openaiFloat()
    {
        if (node.isEmpty() || !QFile::exists(script))
            QSKIP("node or tests/node is not installed; ./dev test installs them");
        const QJsonObject o = runNode(QStringLiteral("openai-float"), QStringLiteral("or-embed"));
        QVERIFY2(!o.contains(QStringLiteral("error")), QJsonDocument(o).toJson().constData());
        QVERIFY(sameVectors(o.value(QStringLiteral("vectors")).toArray(), {QStringLiteral("gamma")}, 8));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("or-embed"));
    }

    void openaiSeesTheFallbackError()
    {
        if (node.isEmpty() || !QFile::exists(script))
            QSKIP("node or tests/node is not installed; ./dev test installs them");
        for (int i = 0; i < 4; ++i)
            fx->fake.enqueue(FakeResponse::rateLimited(30));
        const QJsonObject o = runNode(QStringLiteral("openai-default"), QStringLiteral("qwen-embed"));
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("class")).toString(), QStringLiteral("RateLimitError"));
        QCOMPARE(e.value(QStringLiteral("status")).toInt(), 429);
    }

    void aiSdkEmbedAndEmbedMany()
    {
        if (node.isEmpty() || !QFile::exists(script))
            QSKIP("node or tests/node is not installed; ./dev test installs them");
        const QJsonObject one = runNode(QStringLiteral("ai-embed"), QStringLiteral("or-embed"));
        QVERIFY2(!one.contains(QStringLiteral("error")), QJsonDocument(one).toJson().constData());
        QVERIFY(sameVectors(one.value(QStringLiteral("vectors")).toArray(), {QStringLiteral("sunny day")}));
        QCOMPARE(one.value(QStringLiteral("tokens")).toInt(), tokensOf({QStringLiteral("sunny day")}));

        // 12 values through DashScope: the AI SDK sends one request, Switchyard splits it in two.
        const QJsonObject many = runNode(QStringLiteral("ai-embed-many"), QStringLiteral("qwen-embed"));
        QVERIFY2(!many.contains(QStringLiteral("error")), QJsonDocument(many).toJson().constData());
        QStringList texts;
        for (int i = 0; i < 12; ++i)
            texts << QStringLiteral("value %1").arg(i);
        QVERIFY(sameVectors(many.value(QStringLiteral("vectors")).toArray(), texts));
        QCOMPARE(many.value(QStringLiteral("tokens")).toInt(), tokensOf(texts));
        QCOMPARE(upstream().size(), 3);
        QCOMPARE(rows(2).size(), 2);
    }
};

QTEST_MAIN(TestEmbeddings)
#include "tst_embeddings.moc"
