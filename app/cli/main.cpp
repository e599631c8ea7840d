// The `switchyard` command: runs a command (keys, serve, route, export) with Qt Core and Network
// only, and hands the window over to switchyard-window, so that no command needs a display.
#include "CommandLine.h"
#include "KeysCommand.h"
#include "Platform.h"
#include "Translations.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    Platform::restrictNewFiles();   // the profile holds chat history and the ledger: 0600 and 0700
    if (CommandLine::wantsGui(argc, argv)) {
        const QString error = Platform::execWindow(argc, argv);   // returns only when it failed
        QTextStream(stderr) << error << Qt::endl;
        return 1;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHYARD_VERSION_STRING));
    const Invocation invocation = CommandLine::parse(QCoreApplication::arguments());
    Translations::install(app, invocation.language);
    return Cli::exec(invocation);
}
