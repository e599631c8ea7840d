#pragma once

#include "Config.h"
#include "DraftPage.h"

#include <QTimer>

#include <memory>

class ConfigStore;
class KeyStatus;
class LedgerReader;
class ModelChoiceDelegate;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class RoutesModel;
class SaveBar;
class TeamLink;
class TeamRulesBanner;

// Settings → Routing: the rules as a table (drag rows to reorder) and as YAML, kept in step and
// checked as you type; "Try a request" shows which rule matches, the model, the chain and why;
// import and export of the rules; Save writes config.yaml. While the team's rules are in force
// (TeamLink), Save publishes them as the team's next version instead, and a member whom
// PostgreSQL does not let publish sees them read-only.
class RoutingPage : public DraftPage
{
    Q_OBJECT

public:
    // With a ledger, the draft rules can be replayed over past calls to estimate their bill.
    explicit RoutingPage(ConfigStore *config, const QString &databasePath = {}, QWidget *parent = nullptr);
    ~RoutingPage() override;

    // Routes the chosen period's calls again under the draft; replayFinished() follows.
    void estimateBill();

    // Reads rules from a YAML file: a whole config.yaml, or just a `routes:` section.
    bool importFrom(const QString &path, QString *error);
    bool exportTo(const QString &path, QString *error) const;
    RoutesModel *model() const { return m_model; }
    // Lets the Model column say which models have no key.
    void setKeyStatus(KeyStatus *keys);
    // The profile's team: its rules' banner, read-only or publishing Save.
    void setTeam(TeamLink *team);

    bool hasUnsavedChanges() const override { return m_dirty || m_yamlTimer.isActive(); }
    QString draftName() const override;
    bool save() override;
    void revert() override;
    SaveBar *saveBar() const override { return m_bar; }

signals:
    void replayFinished();

private:
    void load();
    void tableEdited();
    void yamlEdited();
    void updateStatus();
    void updateTry();
    void move(int delta);
    Config draft() const;
    void updateTeamMode();
    void publish();

    ConfigStore *m_config;
    RoutesModel *m_model;
    QTableView *m_table;
    QPlainTextEdit *m_yaml;
    QLabel *m_status;
    QLineEdit *m_tryText;
    QComboBox *m_tryTask;
    QLabel *m_tryResult;
    std::unique_ptr<LedgerReader> m_ledger;
    QComboBox *m_replayPeriod = nullptr;
    QPushButton *m_replayButton = nullptr;
    QLabel *m_replayResult = nullptr;
    KeyStatus *m_keys = nullptr;
    ModelChoiceDelegate *m_modelDelegate;
    SaveBar *m_bar;
    TeamRulesBanner *m_teamBanner;
    TeamLink *m_team = nullptr;
    int m_editTriggers = 0;   // the table's own, while the rules are this machine's
    QList<QPushButton *> m_editButtons;
    bool m_publishing = false;
    QTimer m_yamlTimer;
    QString m_yamlError;
    bool m_syncing = false;
    bool m_dirty = false;
};
