#include "CommandLine.h"

#include <QCommandLineParser>

namespace {

struct CommandName
{
    const char *name;
    Invocation::Command command;
};
constexpr CommandName commands[] = {
    {"keys", Invocation::Command::Keys},   {"serve", Invocation::Command::Serve},
    {"route", Invocation::Command::Route}, {"export", Invocation::Command::Export},
    {"team", Invocation::Command::Team},   {"help", Invocation::Command::Help},
};

// Options that take a value, so their value is not mistaken for a command.
bool takesValue(const QByteArray &arg)
{
    static const QByteArrayList withValue = {"--profile", "--lang", "--screenshot", "--listen", "--explain",
                                             "--format", "--since", "--until", "-o", "--output", "--scope"};
    return withValue.contains(arg);
}

} // namespace

bool CommandLine::wantsGui(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--version" || arg == "-v")
            return false;
        if (takesValue(arg)) {
            ++i;
            continue;
        }
        if (arg.startsWith('-'))
            continue;
        for (const CommandName &c : commands) {
            if (arg == c.name)
                return false;
        }
        return true;   // an unknown word: the GUI path reports it
    }
    return true;
}

QString CommandLine::helpText()
{
    return tr("Usage: switchyard [COMMAND] [OPTIONS]\n"
              "\n"
              "One window, one set of routing rules and one cost ledger for your LLM providers.\n"
              "\n"
              "Commands:\n"
              "  (none)                          open the window\n"
              "  keys set|remove|list [PROVIDER] manage keys in the OS keychain; set reads the key from stdin\n"
              "  serve [--listen ADDR:PORT]      run the local OpenAI-compatible endpoint; prints its URL\n"
              "  route --explain FILE            print the routing decision for an OpenAI chat request\n"
              "                                  (FILE, or - for standard input) as JSON\n"
              "  export --format csv|jsonl       write the cost ledger; --since DATE, --until DATE,\n"
              "                                  -o FILE (standard output without it); --scope team:\n"
              "                                  every member's rows from the team ledger\n"
              "  team init URL                   set up a PostgreSQL database as a team's ledger\n"
              "  team status                     the team database, rows waiting to be sent, the\n"
              "                                  team's rules in force\n"
              "\n"
              "Options:\n"
              "  --profile DIR                   keep config, database and logs under DIR\n"
              "                                  (or set SWITCHYARD_PROFILE)\n"
              "  --lang LANG                     user interface language, such as zh_CN or en\n"
              "  --smoke                         start, show the window and exit (for CI)\n"
              "  --screenshot FILE               start, save a picture of the window to FILE and exit\n"
              "  -h, --help                      show this help\n"
              "  -v, --version                   show the version\n");
}

Invocation CommandLine::parse(const QStringList &arguments)
{
    Invocation inv;
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption profile(QStringLiteral("profile"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption lang(QStringLiteral("lang"), QString(), QStringLiteral("LANG"));
    const QCommandLineOption smoke(QStringLiteral("smoke"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption listen(QStringLiteral("listen"), QString(), QStringLiteral("ADDR"));
    const QCommandLineOption explain(QStringLiteral("explain"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption format(QStringLiteral("format"), QString(), QStringLiteral("FORMAT"));
    const QCommandLineOption since(QStringLiteral("since"), QString(), QStringLiteral("DATE"));
    const QCommandLineOption until(QStringLiteral("until"), QString(), QStringLiteral("DATE"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QString(),
                                    QStringLiteral("FILE"));
    const QCommandLineOption scope(QStringLiteral("scope"), QString(), QStringLiteral("SCOPE"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")});
    parser.addOptions({profile, lang, smoke, screenshot, listen, explain, format, since, until, output, scope, help, version});

    if (!parser.parse(arguments)) {
        inv.error = parser.errorText();
        return inv;
    }
    inv.profileDir = parser.value(profile);
    inv.language = parser.value(lang);
    inv.smoke = parser.isSet(smoke);
    inv.screenshotPath = parser.value(screenshot);
    inv.listen = parser.value(listen);
    inv.explainFile = parser.value(explain);
    inv.format = parser.value(format);
    inv.since = parser.value(since);
    inv.until = parser.value(until);
    inv.output = parser.value(output);
    inv.scope = parser.value(scope);

    QStringList positional = parser.positionalArguments();
    if (parser.isSet(help)) {
        inv.command = Invocation::Command::Help;
        return inv;
    }
    if (parser.isSet(version)) {
        inv.command = Invocation::Command::Version;
        return inv;
    }
    if (!positional.isEmpty()) {
        const QString word = positional.takeFirst();
        const auto it = std::find_if(std::begin(commands), std::end(commands),
                                     [&](const CommandName &c) { return word == QLatin1String(c.name); });
        if (it == std::end(commands)) {
            inv.error = tr("Unknown command \"%1\". Run switchyard --help to see the commands.").arg(word);
            return inv;
        }
        inv.command = it->command;
    }
    inv.arguments = positional;
    if (inv.command == Invocation::Command::Gui && (!inv.listen.isEmpty() || !inv.explainFile.isEmpty()
                                                   || !inv.format.isEmpty() || !inv.output.isEmpty()
                                                   || !inv.scope.isEmpty())) {
        inv.error = tr("Those options belong to a command (serve, route or export). Run switchyard --help.");
    }
    return inv;
}
