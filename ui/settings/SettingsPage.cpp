#include "SettingsPage.h"

#include "AppSettings.h"
#include "ConfigStore.h"
#include "DraftPage.h"
#include "KeyEntryDialog.h"
#include "KeyStatus.h"
#include "NetworkPage.h"
#include "KeychainBackend.h"
#include "PlainFileSecretBackend.h"
#include "ProviderDetails.h"
#include "RoutingPage.h"
#include "SaveBar.h"
#include "TeamPage.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QResizeEvent>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

SettingsPage::SettingsPage(ConfigStore *config, SecretStore *secrets, KeyStatus *keys, AppSettings *settings,
                           const Profile &profile, QNetworkAccessManager *nam, QWidget *parent)
    : QWidget(parent)
    , m_config(config)
    , m_secrets(secrets)
    , m_keys(keys)
    , m_settings(settings)
    , m_profile(profile)
{
    setObjectName(QStringLiteral("settingsPage"));

    // Where keys live.
    m_banner = new QFrame(this);
    m_banner->setObjectName(QStringLiteral("keychainBanner"));
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    m_keychainLabel = new QLabel(m_banner);
    m_keychainLabel->setObjectName(QStringLiteral("keychainStatusLabel"));
    m_keychainLabel->setWordWrap(true);
    m_keychainLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retryButton = new QPushButton(tr("Try Again"), m_banner);
    m_retryButton->setObjectName(QStringLiteral("retryKeychainButton"));
    m_optInButton = new QPushButton(tr("Store Keys in a Plain File…"), m_banner);
    m_optInButton->setObjectName(QStringLiteral("insecureOptInButton"));
    m_optOutButton = new QPushButton(tr("Use the System Keychain"), m_banner);
    m_optOutButton->setObjectName(QStringLiteral("insecureOptOutButton"));
    auto *bannerButtons = new QHBoxLayout;
    bannerButtons->addStretch();
    bannerButtons->addWidget(m_retryButton);
    bannerButtons->addWidget(m_optInButton);
    bannerButtons->addWidget(m_optOutButton);
    auto *bannerLayout = new QVBoxLayout(m_banner);
    bannerLayout->addWidget(m_keychainLabel);
    bannerLayout->addLayout(bannerButtons);
    connect(m_retryButton, &QPushButton::clicked, this, &SettingsPage::checkKeychain);
    connect(m_optInButton, &QPushButton::clicked, this, &SettingsPage::optIntoPlainFile);
    connect(m_optOutButton, &QPushButton::clicked, this, &SettingsPage::optOutOfPlainFile);

    // Providers: their keys, then the selected one's settings and models.
    auto *keysBox = new QGroupBox(tr("Providers"), this);
    m_table = new QTableWidget(0, 3, keysBox);
    m_table->setObjectName(QStringLiteral("providerKeysTable"));
    m_table->setAccessibleName(tr("Provider keys"));
    m_table->setHorizontalHeaderLabels({tr("Provider"), tr("Base URL"), tr("Key")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setMinimumHeight(236);
    m_setButton = new QPushButton(tr("Set Key…"), keysBox);
    m_setButton->setObjectName(QStringLiteral("setKeyButton"));
    m_removeButton = new QPushButton(tr("Remove Key"), keysBox);
    m_removeButton->setObjectName(QStringLiteral("removeKeyButton"));
    m_keyMessage = new QLabel(keysBox);
    m_keyMessage->setObjectName(QStringLiteral("keyMessageLabel"));
    m_keyMessage->setWordWrap(true);
    auto *keyButtons = new QHBoxLayout;
    keyButtons->addWidget(m_keyMessage, 1);
    keyButtons->addWidget(m_setButton);
    keyButtons->addWidget(m_removeButton);
    m_details = new ProviderDetails(config, secrets, nam, keysBox);
    auto *line = new QFrame(keysBox);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    auto *keysLayout = new QVBoxLayout(keysBox);
    keysLayout->addWidget(m_table);
    keysLayout->addLayout(keyButtons);
    keysLayout->addWidget(line);
    keysLayout->addWidget(m_details);
    connect(m_setButton, &QPushButton::clicked, this, &SettingsPage::setKey);
    connect(m_removeButton, &QPushButton::clicked, this, &SettingsPage::removeKey);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &SettingsPage::setKey);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &SettingsPage::providerSelectionChanged);

    // config.yaml.
    auto *configBox = new QGroupBox(tr("Configuration"), this);
    m_configPath = new QLabel(configBox);
    m_configPath->setObjectName(QStringLiteral("configPathLabel"));
    m_configPath->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_configPath->setWordWrap(true);
    m_configStatus = new QLabel(configBox);
    m_configStatus->setObjectName(QStringLiteral("configStatusLabel"));
    m_configStatus->setWordWrap(true);
    m_configStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *reload = new QPushButton(tr("Reload"), configBox);
    reload->setObjectName(QStringLiteral("reloadConfigButton"));
    auto *openFolder = new QPushButton(tr("Open Profile Folder"), configBox);
    openFolder->setObjectName(QStringLiteral("openProfileButton"));
    auto *configButtons = new QHBoxLayout;
    configButtons->addStretch();
    configButtons->addWidget(reload);
    configButtons->addWidget(openFolder);
    auto *configLayout = new QVBoxLayout(configBox);
    configLayout->addWidget(m_configPath);
    configLayout->addWidget(m_configStatus);
    configLayout->addLayout(configButtons);
    connect(reload, &QPushButton::clicked, m_config, &ConfigStore::reload);
    connect(openFolder, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_profile.configDir())); });

    auto *heading = new QLabel(tr("Settings"), this);
    QFont hf = heading->font();
    hf.setPointSizeF(hf.pointSizeF() * 1.5);
    hf.setWeight(QFont::DemiBold);
    heading->setFont(hf);
    auto *tabs = m_tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("settingsTabs"));
    auto *providersTab = new QWidget(tabs);
    auto *providersLayout = new QVBoxLayout(providersTab);
    providersLayout->addWidget(keysBox);
    providersLayout->addStretch();
    auto *configTab = new QWidget(tabs);
    auto *configTabLayout = new QVBoxLayout(configTab);
    configTabLayout->addWidget(configBox);
    configTabLayout->addStretch();
    m_saveBars = new QVBoxLayout;
    m_saveBars->setContentsMargins(0, 0, 0, 0);
    auto *routing = m_routing = new RoutingPage(config, profile.databasePath(), tabs);
    routing->setKeyStatus(keys);
    m_teamPage = new TeamPage(config, secrets, tabs);
    addDraftTab(providersTab, tr("Providers"), m_details);
    addDraftTab(routing, tr("Routing"), routing);
    addTab(new NetworkPage(config, settings, tabs), tr("Network"));
    addTab(m_teamPage, tr("Team"));
    addTab(configTab, tr("Configuration"));
    keysBox->setTitle(QString());   // the tabs name them
    configBox->setTitle(QString());
    keysBox->setFlat(true);
    // Only a tab's content scrolls: the heading, the tabs and the save bar stay in view.
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_banner);
    layout->addWidget(tabs, 1);
    layout->addLayout(m_saveBars);
    connect(tabs, &QTabWidget::currentChanged, this, &SettingsPage::tabChanged);
    m_shownTab = tabs->currentWidget();
    updateSaveBars();

    connect(m_keys, &KeyStatus::changed, this, &SettingsPage::updateKeysTable);
    connect(m_config, &ConfigStore::statusChanged, this, &SettingsPage::updateConfigStatus);
    updateKeychainBanner();
    updateKeysTable();
    updateConfigStatus();
}

void SettingsPage::showProvider(const QString &providerId)
{
    m_tabs->setCurrentIndex(0);
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == providerId) {
            m_table->selectRow(row);
            m_table->setFocus();
            return;
        }
    }
}

void SettingsPage::checkKeychain()
{
    m_keychainChecked = false;
    updateKeychainBanner();
    m_secrets->probe(this, [this](const SecretResult &result) {
        m_keychainChecked = true;
        m_keychainResult = result;
        updateKeychainBanner();
        emit keychainStatusChanged();
        m_keys->refresh();
    });
}

QString SettingsPage::keychainSummary() const
{
    if (!m_keychainChecked)
        return tr("Keys: checking the keychain…");
    if (!m_keychainResult.ok())
        return tr("Keys: no working keychain");
    if (!m_secrets->backend().isSecure())
        return tr("Keys: unencrypted file");
    return tr("Keys: system keychain");
}

void SettingsPage::updateKeychainBanner()
{
    const bool plainFile = !m_secrets->backend().isSecure();
    QPalette pal = palette();
    m_retryButton->hide();
    m_optInButton->hide();
    m_optOutButton->setVisible(plainFile);
    if (!m_keychainChecked) {
        m_keychainLabel->setText(tr("Checking where keys can be kept…"));
    } else if (!m_keychainResult.ok()) {
        m_keychainLabel->setText(tr("<b>Keys cannot be stored safely.</b> %1<br>Keys set in environment "
                                    "variables (api_key_env in config.yaml) still work.")
                                     .arg(m_keychainResult.message.toHtmlEscaped()));
        m_retryButton->show();
        m_optInButton->setVisible(!plainFile);
        pal.setColor(QPalette::Window, QColor(0xfd, 0xec, 0xea));
        pal.setColor(QPalette::WindowText, QColor(0x6b, 0x1d, 0x16));
    } else if (plainFile) {
        m_keychainLabel->setText(tr("<b>Keys are stored unencrypted</b> in %1, because you chose to. Anyone who "
                                    "can read your files can read them.")
                                     .arg(m_secrets->backend().description().toHtmlEscaped()));
        pal.setColor(QPalette::Window, QColor(0xfd, 0xf4, 0xe0));
        pal.setColor(QPalette::WindowText, QColor(0x5c, 0x40, 0x05));
    } else {
        m_keychainLabel->setText(tr("Keys are kept in %1. They are never written to the profile, logs or "
                                    "exports.")
                                     .arg(m_secrets->backend().description()));
    }
    m_banner->setPalette(pal);
    m_keychainLabel->setPalette(pal);
}

void SettingsPage::updateKeysTable()
{
    const QString selected = selectedProvider();
    m_table->setRowCount(0);
    for (const KeyStatus::Entry &e : m_keys->entries()) {
        const ProviderConfig *p = m_config->config().provider(e.providerId);
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *name = new QTableWidgetItem(e.label);
        name->setData(Qt::UserRole, e.providerId);
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, new QTableWidgetItem(p ? p->baseUrl.toString() : QString()));
        QString state;
        switch (e.state) {
        case KeyStatus::State::Checking: state = tr("Checking…"); break;
        case KeyStatus::State::Stored: state = tr("Stored"); break;
        case KeyStatus::State::Missing: state = tr("Not set"); break;
        case KeyStatus::State::FromEnvironment: state = tr("From $%1").arg(e.envName); break;
        case KeyStatus::State::Error: state = tr("Unknown"); break;
        }
        auto *stateItem = new QTableWidgetItem(state);
        if (e.state == KeyStatus::State::Error)
            stateItem->setToolTip(e.message);
        m_table->setItem(row, 2, stateItem);
        if (e.providerId == selected)
            m_table->selectRow(row);
    }
    // Something is always selected, so the provider's details below are never blank.
    if (selectedProvider().isEmpty() && m_table->rowCount() > 0)
        m_table->selectRow(0);
    m_setButton->setEnabled(!selectedProvider().isEmpty());
    m_removeButton->setEnabled(!selectedProvider().isEmpty());
}

void SettingsPage::updateConfigStatus()
{
    m_configPath->setText(tr("File: %1").arg(QDir::toNativeSeparators(m_config->path())));
    QString status;
    if (!m_config->lastError().isEmpty()) {
        status = tr("<b>config.yaml has an error and was not applied.</b> %1<br>The last good configuration "
                    "is still in use. Fix the file and it is read again automatically.")
                     .arg(m_config->lastError().toHtmlEscaped());
        m_configStatus->setStyleSheet(QStringLiteral("color: #b3261e;"));
    } else if (m_config->source() == ConfigStore::Source::BuiltInCatalog) {
        status = tr("There is no config.yaml yet, so the built-in catalog is in use. Providers: %1, models: %2.")
                     .arg(m_config->config().providers.size())
                     .arg(m_config->config().models.size());
        m_configStatus->setStyleSheet(QString());
    } else {
        status = tr("Loaded. Providers: %1, models: %2, routes: %3.")
                     .arg(m_config->config().providers.size())
                     .arg(m_config->config().models.size())
                     .arg(m_config->config().routes.size());
        m_configStatus->setStyleSheet(QString());
    }
    int warnings = 0;
    for (const ConfigDiagnostic &d : m_config->lastDiagnostics())
        warnings += d.severity == ConfigDiagnostic::Severity::Warning;
    if (warnings && m_config->lastError().isEmpty())
        status += QLatin1Char(' ') + tr("Warnings: %1. The first: %2")
                                         .arg(warnings)
                                         .arg(m_config->lastDiagnostics().constFirst().toString().toHtmlEscaped());
    m_configStatus->setText(status);
}

QString SettingsPage::selectedProvider() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    for (QTableWidgetItem *item : items) {
        if (item->column() == 0)
            return item->data(Qt::UserRole).toString();
    }
    return QString();
}

void SettingsPage::setKey()
{
    const QString providerId = selectedProvider();
    const ProviderConfig *p = m_config->config().provider(providerId);
    if (!p)
        return;
    auto *dialog = new KeyEntryDialog(p->label(), m_secrets->backend().description(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, providerId, label = p->label()] {
        m_keyMessage->setText(tr("Saving the key for %1…").arg(label));
        m_secrets->write(SecretStore::providerAccount(providerId), dialog->key(), this,
                         [this, label](const SecretResult &result) {
                             m_keyMessage->setText(result.ok()
                                                       ? tr("The key for %1 was saved.").arg(label)
                                                       : tr("The key for %1 was not saved: %2").arg(label, result.message));
                         });
    });
    dialog->open();
}

void SettingsPage::removeKey()
{
    const QString providerId = selectedProvider();
    const ProviderConfig *p = m_config->config().provider(providerId);
    if (!p)
        return;
    m_secrets->remove(SecretStore::providerAccount(providerId), this, [this, label = p->label()](const SecretResult &result) {
        m_keyMessage->setText(result.ok() ? tr("The key for %1 was removed.").arg(label)
                                          : tr("The key for %1 was not removed: %2").arg(label, result.message));
    });
}

void SettingsPage::optIntoPlainFile()
{
    const QString path = PlainFileSecretBackend::defaultPath();
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Store Keys Unencrypted?"),
                                tr("No working keychain was found. Switchyard can keep your keys in a plain file "
                                   "instead:\n\n%1\n\nThe file is readable only by you, but it is not encrypted: "
                                   "backups, other programs you run and anyone with access to your account can "
                                   "read the keys. Use this only if you cannot run a keychain.")
                                    .arg(QDir::toNativeSeparators(path)),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("insecureOptInDialog"));
    QPushButton *confirm = box->addButton(tr("Store Unencrypted"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("insecureOptInConfirm"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, confirm, path](QAbstractButton *button) {
        if (button != confirm)
            return;
        m_settings->setInsecureKeyFileOptIn(true);
        m_secrets->setBackend(std::make_unique<PlainFileSecretBackend>(path));
        checkKeychain();
    });
    box->open();
}

void SettingsPage::optOutOfPlainFile()
{
    m_settings->setInsecureKeyFileOptIn(false);
    m_secrets->setBackend(std::make_unique<KeychainBackend>());
    m_keyMessage->setText(tr("Keys are read from the system keychain again. The plain file was left in place: %1")
                              .arg(QDir::toNativeSeparators(PlainFileSecretBackend::defaultPath())));
    checkKeychain();
}

void SettingsPage::setTeam(TeamLink *team)
{
    m_teamPage->setTeam(team);
    m_routing->setTeam(team);
    m_details->setTeam(team);
}

void SettingsPage::addTab(QWidget *page, const QString &title)
{
    addDraftTab(page, title, qobject_cast<DraftPage *>(page));
}

void SettingsPage::addDraftTab(QWidget *tab, const QString &title, DraftPage *draft)
{
    auto *scroll = new QScrollArea(m_tabs);
    scroll->setWidget(tab);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->viewport()->setAutoFillBackground(false);   // the tab's own background shows through
    scroll->viewport()->installEventFilter(this);
    tab->setAutoFillBackground(false);
    m_tabs->addTab(scroll, title);
    if (!draft)
        return;
    m_drafts.append({scroll, draft});
    m_saveBars->addWidget(draft->saveBar());   // out of the scrolling content, into the strip below it
    draft->saveBar()->setActive(m_tabs->currentWidget() == scroll);
}

bool SettingsPage::eventFilter(QObject *watched, QEvent *event)
{
    // When the save bar appears (or the window shrinks), the content's view gets shorter: the field
    // being typed in must not slip out of sight below it.
    if (event->type() == QEvent::Resize) {
        const auto *resize = static_cast<QResizeEvent *>(event);
        auto *scroll = qobject_cast<QScrollArea *>(static_cast<QWidget *>(watched)->parentWidget());
        if (scroll && resize->size().height() < resize->oldSize().height()) {
            // Queued: the scroll bars take the new size after this event.
            QMetaObject::invokeMethod(
                scroll,
                [scroll] {
                    QWidget *focus = QApplication::focusWidget();
                    if (focus && scroll->widget() && scroll->widget()->isAncestorOf(focus))
                        scroll->ensureWidgetVisible(focus, 0, 8);
                },
                Qt::QueuedConnection);
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool SettingsPage::hasUnsavedChanges() const
{
    return std::any_of(m_drafts.cbegin(), m_drafts.cend(), [](const auto &d) { return d.second->hasUnsavedChanges(); });
}

void SettingsPage::resolveUnsavedChanges(const std::function<void()> &proceed)
{
    if (m_prompt)
        return;   // already asking; that question decides
    // The tab in view first: that is the draft the user is looking at.
    DraftPage *draft = nullptr;
    for (const auto &[tab, d] : std::as_const(m_drafts)) {
        if (d->hasUnsavedChanges() && (!draft || tab == m_tabs->currentWidget()))
            draft = d;
    }
    if (!draft) {
        proceed();
        return;
    }
    showDraft(draft);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Unsaved Changes"), tr("Save changes to %1?").arg(draft->draftName()),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window());
    box->setObjectName(QStringLiteral("unsavedChangesBox"));
    box->setInformativeText(tr("If you don't save them, your changes will be lost."));
    box->setDefaultButton(QMessageBox::Save);
    box->setEscapeButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_prompt = box;
    connect(box, &QMessageBox::finished, this, [this, box, draft, proceed] {
        m_prompt.clear();   // answered: the next question may be asked, before the box is deleted
        const QMessageBox::StandardButton answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Save) {
            if (!draft->save())
                return;   // the bar says why; the edits stay
        } else if (answer == QMessageBox::Discard) {
            draft->revert();
        } else {
            return;
        }
        resolveUnsavedChanges(proceed);
    });
    box->open();
}

void SettingsPage::tabChanged(int index)
{
    if (m_restoring)
        return;
    const auto leaving = std::find_if(m_drafts.cbegin(), m_drafts.cend(), [this](const auto &d) { return d.first == m_shownTab; });
    if (leaving != m_drafts.cend() && leaving->second->hasUnsavedChanges()) {
        {
            const QScopedValueRollback restoring(m_restoring, true);
            m_tabs->setCurrentWidget(m_shownTab);
        }
        resolveUnsavedChanges([this, target = QPointer(m_tabs->widget(index))] {
            if (target)
                m_tabs->setCurrentWidget(target);
        });
        return;
    }
    m_shownTab = m_tabs->currentWidget();
    updateSaveBars();
}

void SettingsPage::showDraft(DraftPage *draft)
{
    for (const auto &[tab, d] : std::as_const(m_drafts)) {
        if (d == draft && m_tabs->currentWidget() != tab) {
            const QScopedValueRollback restoring(m_restoring, true);
            m_tabs->setCurrentWidget(tab);
            m_shownTab = tab;
            updateSaveBars();
        }
    }
}

void SettingsPage::updateSaveBars()
{
    for (const auto &[tab, d] : std::as_const(m_drafts))
        d->saveBar()->setActive(tab == m_tabs->currentWidget());
}

void SettingsPage::providerSelectionChanged()
{
    const QString provider = selectedProvider();
    m_setButton->setEnabled(!provider.isEmpty());
    m_removeButton->setEnabled(!provider.isEmpty());
    if (provider.isEmpty() || m_restoring)
        return;
    if (provider != m_details->providerId() && m_details->hasUnsavedChanges()) {
        // Keep the edited provider in view until the user has decided about its edits.
        {
            const QScopedValueRollback restoring(m_restoring, true);
            selectProvider(m_details->providerId());
        }
        resolveUnsavedChanges([this, provider] { selectProvider(provider); });
        return;
    }
    m_details->showProvider(provider);
}

void SettingsPage::selectProvider(const QString &providerId)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == providerId)
            m_table->selectRow(row);
    }
}
