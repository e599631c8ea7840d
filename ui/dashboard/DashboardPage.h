#pragma once

#include "Ledger.h"
#include "LedgerReport.h"
#include "ModelColors.h"

#include <QDateTime>
#include <QWidget>

#include <memory>

class ConfigStore;
class EmptyState;
class QAbstractButton;
class QButtonGroup;
class SecretStore;
class TeamLink;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QTableView;
class QTimer;
class ReportTableModel;

// The cost dashboard: what the ledger recorded over a period, in each currency as billed. Spend
// over time stacked by model, spend by model and by task type, tokens and cache hits, timings,
// error and fallback rates, the costliest requests, and the period priced as if one model had
// served it. Reports are built on the ledger reader's thread; the window never waits on disk.
//
// In a team (TeamLink, docs/team.md) a Me / Team switch reads the team ledger instead: the same
// report over every member's rows on the team's PostgreSQL, through a connection of its own on a
// thread of its own, with a member filter and a spend-by-member chart. When the server cannot be
// reached the last team figures stay, with a sentence saying so.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    DashboardPage(ConfigStore *config, const QString &databasePath, QWidget *parent = nullptr);

    // Reads the ledger again (after new rows land, coalesced to one read every two seconds).
    void refreshSoon();
    void refresh();
    // Writes the rows under the current filters to `path`; exportFinished() follows. The Export
    // button asks for the file first.
    void exportTo(const QString &path, Ledger::Format format);
    const LedgerReport *report() const { return m_report ? &*m_report : nullptr; }

    enum class Scope { Me, Team };
    // The keychain that holds the team database's password (entry `team`); without one, libpq's
    // PGPASSWORD or PGPASSFILE.
    void setSecretStore(SecretStore *secrets);
    // The profile's link to its team: the Me / Team switch shows while it is in one.
    void setTeam(TeamLink *team);
    void setScope(Scope scope);
    Scope scope() const { return m_scope; }

signals:
    void reportShown();
    // A budget reached `level` percent (80 or 100) this month; `key` names the budget and month.
    void budgetAlert(const QString &key, int level, const QString &message);
    void exportFinished(bool ok, const QString &message);
    // The empty dashboard's button: calls are made from the Chat page.
    void openChatRequested();

protected:
    void showEvent(QShowEvent *event) override;

private:
    LedgerReport::Query currentQuery() const;
    void showReport(const LedgerReport &report);
    void showFailure(const QString &error);
    enum class Labels { Plain, TaskTypes, Apis };
    void fillFilter(QComboBox *box, const QString &all, const QStringList &values, Labels labels = Labels::Plain);
    void fillCharts();
    void thinTimeLabels();
    void fillTables();
    void chooseExportFile();
    QString currentCurrency() const;
    bool inTeam() const;
    void teamChanged();
    void connectTeamReader();
    void showTeamFailure(const QString &error);
    LedgerReader *activeReader();

    ConfigStore *m_config;
    LedgerReader m_reader;
    std::optional<LedgerReport> m_report;
    SecretStore *m_secrets = nullptr;
    TeamLink *m_team = nullptr;
    Scope m_scope = Scope::Me;
    Scope m_wantedScope = Scope::Me;      // Team asked for before the profile is known to be in one
    std::unique_ptr<LedgerReader> m_teamReader;   // on the team database; null until its password is read
    QString m_teamUrl;                    // the address m_teamReader reads
    int m_teamGeneration = 0;             // a password read for an address since changed is dropped
    bool m_teamWaiting = false;           // a refresh waits for m_teamReader
    std::optional<LedgerReport> m_lastMe, m_lastTeam;
    QDateTime m_lastTeamAt;               // when m_lastTeam was read
    QDateTime m_lastSend;
    ModelColors m_memberColors;
    bool m_dirty = false;
    ModelColors m_colors;
    QStringList m_timeLabels;   // every bucket's label; the axis shows those that fit
    int m_timeStride = 0;
    QTimer *m_refreshTimer;

    QWidget *m_scopeSwitch;
    QButtonGroup *m_scopeButtons;
    QComboBox *m_member;
    QChartView *m_memberChart;
    QStackedWidget *m_stack;
    QScrollArea *m_scroll;
    EmptyState *m_empty;
    QWidget *m_content;
    QComboBox *m_period;
    QComboBox *m_granularity;
    QComboBox *m_provider;
    QComboBox *m_model;
    QComboBox *m_task;
    QComboBox *m_client;
    QComboBox *m_api;
    QComboBox *m_currency;
    QComboBox *m_compare;
    QPushButton *m_exportButton;
    QLabel *m_status;
    QLabel *m_budgetBanner;
    QLabel *m_spendSummary;
    QLabel *m_requestSummary;
    QLabel *m_tokenSummary;
    QLabel *m_reliabilitySummary;
    QLabel *m_comparison;
    QChartView *m_timeChart;
    QChartView *m_modelChart;
    QChartView *m_taskChart;
    ReportTableModel *m_models;
    ReportTableModel *m_costliest;
    QTableView *m_modelsView;
    QTableView *m_costliestView;
};
