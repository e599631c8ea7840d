// switchyard-fake-provider [--port N] [--delay MS] [--key KEY]
// Runs the test suite's fake provider until SIGINT or SIGTERM; prints its base URL.
#include "FakeProvider.h"

#include <QCoreApplication>
#include <QTextStream>

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
