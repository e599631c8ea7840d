#pragma once

#include "Config.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

struct ConfigDiagnostic
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    int line = 0;      // 1-based; 0 when the message is about the whole file
    int column = 0;    // 1-based
    QString message;

    // "line 3, column 5: …"
    QString toString() const;
};

struct ConfigLoadResult
{
    std::optional<Config> config;          // set only when there is no error
    QList<ConfigDiagnostic> diagnostics;   // errors and warnings, in file order

    bool ok() const { return config.has_value(); }
    QList<ConfigDiagnostic> errors() const;
    QList<ConfigDiagnostic> warnings() const;
    // The first error as one sentence a person can act on, prefixed with the source name.
    QString errorSummary(const QString &sourceName) const;
};

// Reads config.yaml (PRODUCT.md) with yaml-cpp and checks it: types, required keys, references
// between providers, models and routes. Every problem names its line and column.
class ConfigLoader
{
    Q_DECLARE_TR_FUNCTIONS(ConfigLoader)

public:
    static ConfigLoadResult parse(const QByteArray &yaml);
    static ConfigLoadResult loadFile(const QString &path);
    // The sections a team shares (models with their prices, routes, aliases, fallback, budgets,
    // currency rates); never providers, keys or `team:` itself.
    static QStringList teamSections();
    // `local` (config.yaml's text) with the team's sections in place of its own. The team's text is
    // a YAML map of teamSections() and `personal_routes: true`, which keeps the member's own rules
    // (all but the default) ahead of the team's. Diagnostics name `teamName` where the team's part is at fault.
    static ConfigLoadResult parseWithTeam(const QByteArray &local, const QByteArray &team, const QString &teamName);
    // Whether a team's text says `personal_routes: true`.
    static bool teamAllowsPersonalRoutes(const QByteArray &team);
    // The host of the disabled stand-in parseWithTeam() gives a team model's provider that this
    // machine has not set up; such a provider is never written to config.yaml.
    static QString standInHost() { return QStringLiteral("not-set-up.invalid"); }
    // The catalog shipped in resources/ (used when the profile has no config.yaml).
    static QByteArray builtInCatalog();
};
