#pragma once

#include "Config.h"
#include "TeamDatabase.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <optional>

class ConfigStore;
class Database;
class SecretStore;

// A profile's link to its team (config.yaml `team:`, docs/team.md), for the window and `serve`:
// - the outbox: every ledger row is written to the local SQLite first; the ids of rows not yet
//   sent wait in `team_outbox` (added by the same transaction, Database.cpp migration 6), and a
//   worker thread sends them in batches, each one INSERT … SELECT FROM unnest(an array a column)
//   … ON CONFLICT DO NOTHING, then takes them out. A row is (member, request id, attempt) in the team ledger, so a batch sent twice
//   (the app killed between the two steps, a server restart mid-batch) is still one row each.
//   On joining, the member's earlier rows are queued too.
// - the team's rules: the newest version is fetched on connecting and on every NOTIFY on
//   `team_rules`, kept in `team_state` (so an offline start still runs them) and laid over
//   config.yaml (ConfigStore::setTeamRules). publishRules() writes a new version.
// The PostgreSQL connection lives on the worker's thread; it reconnects with backoff after a failure.
class TeamLink : public QObject
{
    Q_OBJECT

public:
    // Starts on `database`'s opened(); call start() when it is open already.
    TeamLink(ConfigStore *config, SecretStore *secrets, Database *database, QObject *parent = nullptr);
    ~TeamLink() override;
    void start() { restart(); }

    struct Status
    {
        enum class State {
            Off,           // no team in config.yaml
            Connecting,
            UpToDate,      // connected, nothing waiting
            Sending,       // connected, rows waiting
            Unreachable,   // the last try failed; rows wait
            Refused,       // connected, but a statement was refused (not set up, no privilege)
        };
        State state = State::Off;
        qint64 waiting = 0;            // rows in the outbox
        QDateTime lastSend;            // the last batch the server took
        QDateTime unreachableSince;
        QString error;                 // why, for Unreachable and Refused
        QString server;                // TeamDatabase::serverDescription
        QString member;
    };
    Status status() const { return m_status; }

    // The version in force (version 0: the team has none; std::nullopt: not known yet).
    std::optional<TeamDatabase::RulesVersion> rules() const { return m_rules; }
    // PostgreSQL's word on whether this member may publish rules (has_table_privilege).
    bool mayWriteRules() const { return m_mayWrite; }

    using PublishDone = std::function<void(qint64 version, const QString &error)>;
    // Publishes `config`'s shared sections as the team's next version. `done` runs on this thread
    // (not at all if `context` is gone): the version, or 0 and a sentence.
    void publishRules(const Config &config, const QString &summary, QObject *context, PublishDone done);
    // Looks at the outbox now (after rows were committed); the window and serve call it on
    // Database::batchCommitted. It also looks on its own every few seconds.
    void nudge();

    // How long the worker waits between tries while the server cannot be reached, at most.
    static constexpr int MaxBackoffMs = 8000;

signals:
    void statusChanged();
    void rulesChanged();

private:
    class Worker;
    void restart();
    void stopWorker();
    void applyRules(const TeamDatabase::RulesVersion &rules, bool writable);

    ConfigStore *m_config;
    SecretStore *m_secrets;
    Database *m_database;
    TeamSettings m_settings;
    QThread m_thread;
    Worker *m_worker = nullptr;
    int m_generation = 0;
    Status m_status;
    std::optional<TeamDatabase::RulesVersion> m_rules;
    bool m_mayWrite = false;
    int m_nextTicket = 1;
    QHash<int, QPair<QPointer<QObject>, PublishDone>> m_publishing;
};
