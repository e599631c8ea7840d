#pragma once

#include "Config.h"
#include "DraftPage.h"

#include <QSet>

class ConfigStore;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QTableWidget;
class SaveBar;
class SecretStore;
class TeamLink;
class TeamRulesBanner;

// Settings → Providers, one provider at a time: enable, region, base URL, streaming, "Test
// connection", the model list with editable prices, "Refresh models" from the provider's own list.
// Edits stay a draft until Save writes config.yaml. While the team's rules are in force, the models
// and prices are the team's: shown, with where they come from, but not edited here.
class ProviderDetails : public DraftPage
{
    Q_OBJECT

public:
    ProviderDetails(ConfigStore *config, SecretStore *secrets, QNetworkAccessManager *nam, QWidget *parent = nullptr);

    void showProvider(const QString &providerId);
    QString providerId() const { return m_providerId; }
    void setTeam(TeamLink *team);

    bool hasUnsavedChanges() const override { return m_dirty; }
    QString draftName() const override;
    bool save() override;
    void revert() override;
    SaveBar *saveBar() const override { return m_bar; }

private:
    void loadDraft();
    void fillForm();
    void fillModels();
    void markDirty();
    void modelCellChanged(int row, int column);
    void testConnection();
    void refreshModels();
    void addListedModels();
    void updateTeamMode();
    ProviderConfig *draftProvider();

    ConfigStore *m_config;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_nam;
    Config m_draft;
    QString m_providerId;
    bool m_dirty = false;
    bool m_filling = false;
    QStringList m_edited;         // providers whose settings or models the draft changes
    QStringList m_unlisted;       // ids the provider offers that the draft lacks
    QSet<QPair<int, int>> m_invalidCells;
    QSet<int> m_incompleteRows;   // new prices lacking input or output

    QLabel *m_title;
    QCheckBox *m_enabled;
    QCheckBox *m_streaming;
    QComboBox *m_region;
    QLineEdit *m_baseUrl;
    QPushButton *m_test;
    QLabel *m_testResult;
    QTableWidget *m_models;
    QPushButton *m_refresh;
    QLabel *m_refreshResult;
    QPushButton *m_addListed;
    SaveBar *m_bar;
    TeamRulesBanner *m_teamBanner;
    TeamLink *m_team = nullptr;
    int m_editTriggers = 0;   // the table's own, while the rules are this machine's
};
