#pragma once

#include "Config.h"

#include <QSet>
#include <QWidget>

class ConfigStore;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QTableWidget;
class SecretStore;

// Settings → Providers, one provider at a time: enable, region, base URL, streaming, "Test
// connection", the model list with editable prices, "Refresh models" from the provider's own list.
// Edits stay a draft until Save writes config.yaml.
class ProviderDetails : public QWidget
{
    Q_OBJECT

public:
    ProviderDetails(ConfigStore *config, SecretStore *secrets, QNetworkAccessManager *nam, QWidget *parent = nullptr);

    void showProvider(const QString &providerId);
    bool hasUnsavedChanges() const { return m_dirty; }

private:
    void loadDraft();
    void fillForm();
    void fillModels();
    void markDirty();
    void modelCellChanged(int row, int column);
    void testConnection();
    void refreshModels();
    void addListedModels();
    void save();
    ProviderConfig *draftProvider();

    ConfigStore *m_config;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_nam;
    Config m_draft;
    QString m_providerId;
    bool m_dirty = false;
    bool m_filling = false;
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
    QPushButton *m_save;
    QPushButton *m_revert;
    QLabel *m_saveResult;
};
