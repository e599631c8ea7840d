// Prints the time to route one request through 50 rules (the last one matching), and the time to
// analyse a request (token estimate and task detection). Figures only.
#include "ConfigLoader.h"
#include "Router.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);

    QByteArray yaml = ConfigLoader::builtInCatalog();
    QByteArray rules = "routes:\n";
    for (int i = 0; i < 49; ++i)
        rules += QStringLiteral("  - name: rule-%1\n    match: (context_length > %2 and task_type in [\"code\", \"vision\"]) or "
                                "(hour == %3 and weekday == \"sat\" and client != \"window\")\n    model: kimi-2.6\n")
                     .arg(i)
                     .arg(2000000 + i)
                     .arg(i % 24)
                     .toUtf8();
    rules += "  - match: task_type == \"reasoning\" and not has_image\n    model: qwen3-235b\n  - default: deepseek-v4-pro\n";
    yaml = yaml.left(yaml.indexOf("routes:\n")) + rules;
    const ConfigLoadResult loaded = ConfigLoader::parse(yaml);
    if (!loaded.ok())
        qFatal("%s", qPrintable(loaded.errorSummary(QStringLiteral("bench config"))));
    const Router router(*loaded.config);

    RequestFeatures f;
    f.contextLength = 1500;
    f.taskType = QStringLiteral("reasoning");
    f.model = QStringLiteral("auto");
    f.messageCount = 4;
    f.hour = 15;
    f.weekday = QStringLiteral("sat");
    f.client = QStringLiteral("window");

    const int n = 200000;
    QElapsedTimer clock;
    clock.start();
    qint64 sink = 0;
    for (int i = 0; i < n; ++i)
        sink += router.decide(f).fallback.size();
    const double us = clock.nsecsElapsed() / 1000.0 / n;
    if (router.decide(f).model != u"qwen3-235b")
        qFatal("the 50th rule should have matched");
    out << QStringLiteral("route one request through %1 rules (rule 50 matches): %2 us  (goal < 20 us)\n")
               .arg(loaded.config->routes.size())
               .arg(us, 0, 'f', 3);

    ChatRequest request;
    request.messages = {ChatMessage::text(QStringLiteral("system"), QStringLiteral("You are helpful.")),
                        ChatMessage::text(QStringLiteral("user"), QString(20000, QLatin1Char('a')) + QStringLiteral(" 请证明这个定理"))};
    clock.restart();
    const int m = 2000;
    for (int i = 0; i < m; ++i)
        sink += router.decide(request, QStringLiteral("auto")).contextLength;
    out << QStringLiteral("analyse and route a 20,000-character request: %1 us\n").arg(clock.nsecsElapsed() / 1000.0 / m, 0, 'f', 1);
    return sink == 42 ? 1 : 0;
}
