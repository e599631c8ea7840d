#pragma once

#include "DraftPage.h"

class AppSettings;
class ConfigStore;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class SaveBar;
class QTableWidget;

// Settings → Network: how providers are reached, for the chat window and the endpoint alike. The
// proxy (the environment's, none, or one given here), certificates trusted besides the system's
// (for proxies that inspect TLS; checking is never turned off), and per provider whether it
// follows that proxy or goes direct (config.yaml `proxy:`; the Chinese providers direct,
// OpenRouter through the proxy, for example).
class NetworkPage : public DraftPage
{
    Q_OBJECT

public:
    NetworkPage(ConfigStore *config, AppSettings *settings, QWidget *parent = nullptr);

    bool hasUnsavedChanges() const override { return m_dirty; }
    QString draftName() const override;
    bool save() override;
    void revert() override;
    SaveBar *saveBar() const override { return m_bar; }

private:
    void load();
    void fillProviders();
    void markDirty();
    void updateEnvironmentSummary();
    QString validate() const;

    ConfigStore *m_config;
    AppSettings *m_settings;
    bool m_dirty = false;
    bool m_loading = false;

    QButtonGroup *m_mode;
    QRadioButton *m_system;
    QRadioButton *m_none;
    QRadioButton *m_manual;
    QLineEdit *m_manualProxy;
    QLabel *m_environment;
    QLineEdit *m_caFile;
    QTableWidget *m_providers;
    SaveBar *m_bar;
};
