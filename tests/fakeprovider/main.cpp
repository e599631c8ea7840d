// switchyard-fake-provider [--port N] [--delay MS] [--key KEY] [--answer FILE [--reasoning TEXT] [--fail-at N]]
// Runs the test suite's fake provider until SIGINT or SIGTERM; prints its base URL. With --answer,
// the first 500 chat requests are answered with FILE's text (Markdown, streamed in small pieces in
// DeepSeek's shape, after the reasoning), except the Nth, which gets DeepSeek's 402 "Insufficient
// Balance": what the chat window's screenshots show.
#include "FakeProvider.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace {

QByteArray chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    const QJsonObject choice {{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta},
                              {QStringLiteral("finish_reason"), finish}};
    return QJsonDocument(QJsonObject {{QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                                      {QStringLiteral("model"), QStringLiteral("deepseek-chat")},
                                      {QStringLiteral("choices"), QJsonArray {choice}}})
        .toJson(QJsonDocument::Compact);
}

FakeResponse scripted(const QString &text, const QString &reasoning, int delayMs)
{
    QList<QByteArray> payloads;
    for (qsizetype i = 0; i < reasoning.size(); i += 6)
        payloads << chunk({{QStringLiteral("reasoning_content"), reasoning.mid(i, 6)}});
    for (qsizetype i = 0; i < text.size(); i += 6)
        payloads << chunk({{QStringLiteral("content"), text.mid(i, 6)}});
    payloads << chunk({{QStringLiteral("content"), QString()}}, QStringLiteral("stop"));
    const qint64 completion = (text.size() + reasoning.size()) / 4;
    payloads << QJsonDocument(QJsonObject {
                                  {QStringLiteral("choices"), QJsonArray()},
                                  {QStringLiteral("usage"),
                                   QJsonObject {{QStringLiteral("prompt_tokens"), 1830},
                                                {QStringLiteral("completion_tokens"), completion},
                                                {QStringLiteral("prompt_cache_hit_tokens"), 1024},
                                                {QStringLiteral("prompt_cache_miss_tokens"), 806},
                                                {QStringLiteral("completion_tokens_details"),
                                                 QJsonObject {{QStringLiteral("reasoning_tokens"), reasoning.size() / 4}}}}}})
                    .toJson(QJsonDocument::Compact);
    FakeResponse r = FakeResponse::sse(payloads);
    r.frameDelayMs = delayMs;
    return r;
}

} // namespace

#include <csignal>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    auto option = [&args](const char *name) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 ? args.value(i + 1) : QString();
    };
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);   // before the server's threads start

    FakeProvider provider;
    provider.setFrameDelayMs(option("--delay").toInt());
    if (!option("--key").isEmpty())
        provider.setRequiredKey(option("--key").toUtf8());
    if (!option("--answer").isEmpty()) {
        QFile file(option("--answer"));
        if (!file.open(QIODevice::ReadOnly)) {
            QTextStream(stderr) << file.fileName() << ": " << file.errorString() << Qt::endl;
            return 1;
        }
        const QString text = QString::fromUtf8(file.readAll());
        const int failAt = option("--fail-at").toInt();
        for (int i = 1; i <= 500; ++i) {
            provider.enqueue(i == failAt ? FakeResponse::insufficientBalance()
                                         : scripted(text, option("--reasoning"), option("--delay").toInt()));
        }
    }
    if (!provider.start(option("--port").toInt())) {
        QTextStream(stderr) << "cannot listen on 127.0.0.1" << Qt::endl;
        return 1;
    }
    QTextStream(stdout) << provider.baseUrl() << Qt::endl;
    int received = 0;
    sigwait(&stopSignals, &received);
    provider.stop();
    return 0;
}
