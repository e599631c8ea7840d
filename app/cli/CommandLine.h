#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

// What the user asked for on the command line (PRODUCT.md: one binary, several commands).
struct Invocation
{
    enum class Command { Gui, Keys, Serve, Route, Export, Team, Help, Version };
    Command command = Command::Gui;

    QString profileDir;
    QString language;
    bool smoke = false;           // start, show the window, exit 0 on its own
    QString screenshotPath;       // start, grab the window into this PNG, exit
    QStringList arguments;        // the command's own positional arguments

    QString listen;               // serve --listen
    QString explainFile;          // route --explain
    QString format;               // export --format
    QString since;
    QString until;
    QString output;               // export -o
    QString scope;                // export --scope: me (this profile's ledger) or team

    QString error;                // non-empty: the command line is wrong; print and exit 2
};

class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    // Decides, before any QCoreApplication exists, whether the window is needed.
    static bool wantsGui(int argc, char **argv);
    static Invocation parse(const QStringList &arguments);
    static QString helpText();
};
