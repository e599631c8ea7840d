#include "NetworkPage.h"

#include "AppSettings.h"
#include "ConfigStore.h"
#include "NetworkPolicy.h"
#include "NetworkSetup.h"
#include "SaveBar.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

constexpr int FollowRow = 0;   // combo entries: follow the proxy above, go direct, a URL from config.yaml
constexpr int DirectRow = 1;

// A proxy URL as it may be shown: without its password.
QString shown(const QString &url)
{
    // By text, so that a value QUrl cannot parse loses its password too.
    const qsizetype scheme = url.indexOf(QLatin1String("://"));
    const qsizetype hostStart = scheme < 0 ? 0 : scheme + 3;
    const qsizetype at = url.lastIndexOf(QLatin1Char('@'));
    if (at < hostStart)
        return url;
    const QString user = url.mid(hostStart, at - hostStart).section(QLatin1Char(':'), 0, 0);
    return url.left(hostStart) + user + QStringLiteral(":****") + url.mid(at);
}

} // namespace

NetworkPage::NetworkPage(ConfigStore *config, AppSettings *settings, QWidget *parent)
    : DraftPage(parent)
    , m_config(config)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("networkPage"));
    auto *proxyBox = new QGroupBox(tr("Proxy"), this);
    m_mode = new QButtonGroup(this);
    m_system = new QRadioButton(tr("Use the system's proxy settings (https_proxy, http_proxy, all_proxy, no_proxy)"), proxyBox);
    m_system->setObjectName(QStringLiteral("proxySystem"));
    m_none = new QRadioButton(tr("No proxy: connect to providers directly"), proxyBox);
    m_none->setObjectName(QStringLiteral("proxyNone"));
    m_manual = new QRadioButton(tr("This proxy:"), proxyBox);
    m_manual->setObjectName(QStringLiteral("proxyManual"));
    m_mode->addButton(m_system);
    m_mode->addButton(m_none);
    m_mode->addButton(m_manual);
    m_manualProxy = new QLineEdit(proxyBox);
    m_manualProxy->setObjectName(QStringLiteral("manualProxy"));
    m_manualProxy->setPlaceholderText(tr("http://proxy.example:3128 or socks5://127.0.0.1:1080"));
    m_environment = new QLabel(proxyBox);
    m_environment->setObjectName(QStringLiteral("proxyEnvironment"));
    m_environment->setWordWrap(true);
    m_environment->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *manualRow = new QHBoxLayout;
    manualRow->addWidget(m_manual);
    manualRow->addWidget(m_manualProxy, 1);
    auto *proxyLayout = new QVBoxLayout(proxyBox);
    proxyLayout->addWidget(m_system);
    auto *envIndent = new QHBoxLayout;
    envIndent->addSpacing(24);
    envIndent->addWidget(m_environment, 1);
    proxyLayout->addLayout(envIndent);
    proxyLayout->addWidget(m_none);
    proxyLayout->addLayout(manualRow);
    auto *proxyNote = new QLabel(tr("A proxy's password is not kept here; give it in HTTPS_PROXY instead. This machine "
                                    "(localhost, 127.0.0.1) is always reached directly."),
                                 proxyBox);
    proxyNote->setWordWrap(true);
    proxyNote->setEnabled(false);
    proxyLayout->addWidget(proxyNote);

    auto *certBox = new QGroupBox(tr("Trusted certificates"), this);
    m_caFile = new QLineEdit(certBox);
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("None besides the system's"));
    auto *browse = new QPushButton(tr("Choose…"), certBox);
    auto *certRow = new QHBoxLayout;
    certRow->addWidget(new QLabel(tr("Extra certificates (PEM):"), certBox));
    certRow->addWidget(m_caFile, 1);
    certRow->addWidget(browse);
    auto *certNote = new QLabel(tr("For a proxy that inspects TLS: its certificate authority is trusted for every "
                                   "provider, besides the system's store and SSL_CERT_FILE. Certificate checks are never "
                                   "turned off. A provider's own ca_file in config.yaml adds to this."),
                                certBox);
    certNote->setWordWrap(true);
    certNote->setEnabled(false);
    auto *certLayout = new QVBoxLayout(certBox);
    certLayout->addLayout(certRow);
    certLayout->addWidget(certNote);

    auto *providersBox = new QGroupBox(tr("Per provider"), this);
    m_providers = new QTableWidget(0, 2, providersBox);
    m_providers->setObjectName(QStringLiteral("providerRoutes"));
    m_providers->setHorizontalHeaderLabels({tr("Provider"), tr("Connection")});
    m_providers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_providers->horizontalHeader()->setStretchLastSection(true);
    m_providers->verticalHeader()->hide();
    m_providers->setSelectionMode(QAbstractItemView::NoSelection);
    m_providers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *providersLayout = new QVBoxLayout(providersBox);
    providersLayout->addWidget(m_providers);

    m_bar = new SaveBar(QStringLiteral("Network"), this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(proxyBox);
    layout->addWidget(certBox);
    layout->addWidget(providersBox);
    layout->addStretch(1);
    layout->addWidget(m_bar);   // Settings moves it below the scrolling content

    connect(m_mode, &QButtonGroup::buttonToggled, this, [this] {
        m_manualProxy->setEnabled(m_manual->isChecked());
        markDirty();
    });
    connect(m_manualProxy, &QLineEdit::textEdited, this, &NetworkPage::markDirty);
    connect(m_manualProxy, &QLineEdit::returnPressed, this, &NetworkPage::save);
    connect(m_caFile, &QLineEdit::textEdited, this, &NetworkPage::markDirty);
    connect(m_caFile, &QLineEdit::returnPressed, this, &NetworkPage::save);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Certificates to Trust"), m_caFile->text(),
                                                          tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!path.isEmpty()) {
            m_caFile->setText(path);
            markDirty();
        }
    });
    connect(m_bar, &SaveBar::saveClicked, this, &NetworkPage::save);
    connect(m_bar, &SaveBar::revertClicked, this, &NetworkPage::revert);
    connect(m_config, &ConfigStore::configChanged, this, [this] {
        if (!m_dirty)
            fillProviders();
    });
    load();
}

void NetworkPage::load()
{
    m_loading = true;
    const QString mode = m_settings->proxyMode();
    (mode == u"none" ? m_none : mode == u"manual" ? m_manual : m_system)->setChecked(true);
    m_manualProxy->setText(m_settings->manualProxy());
    m_manualProxy->setEnabled(m_manual->isChecked());
    m_caFile->setText(m_settings->caFile());
    fillProviders();
    updateEnvironmentSummary();
    m_loading = false;
    m_dirty = false;
}

void NetworkPage::fillProviders()
{
    const bool wasLoading = std::exchange(m_loading, true);
    const Config &config = m_config->config();
    m_providers->setRowCount(int(config.providers.size()));
    for (int row = 0; row < config.providers.size(); ++row) {
        const ProviderConfig &p = config.providers.at(row);
        auto *name = new QTableWidgetItem(p.label());
        name->setData(Qt::UserRole, p.id);
        m_providers->setItem(row, 0, name);
        auto *route = new QComboBox(m_providers);
        route->setAccessibleName(tr("Connection for %1").arg(p.label()));
        route->addItem(tr("As set above"));
        route->addItem(tr("Direct, never through a proxy"), QStringLiteral("direct"));
        if (!p.proxy.isEmpty() && p.proxy != u"direct")
            route->addItem(tr("Through %1").arg(shown(p.proxy)), p.proxy);
        route->setCurrentIndex(p.proxy.isEmpty() ? FollowRow : p.proxy == u"direct" ? DirectRow : 2);
        route->setFocusPolicy(Qt::StrongFocus);   // the wheel scrolls the page, not the choice
        connect(route, &QComboBox::currentIndexChanged, this, &NetworkPage::markDirty);
        m_providers->setCellWidget(row, 1, route);
    }
    // As tall as its rows, so that Save stays in view below it.
    m_providers->resizeRowsToContents();
    int height = m_providers->horizontalHeader()->sizeHint().height() + 2 * m_providers->frameWidth();
    for (int row = 0; row < m_providers->rowCount(); ++row)
        height += m_providers->rowHeight(row);
    m_providers->setFixedHeight(height);
    m_loading = wasLoading;
}

void NetworkPage::updateEnvironmentSummary()
{
    QStringList set;
    for (const char *name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
        const QString value = qEnvironmentVariable(name).trimmed();
        if (!value.isEmpty())
            set << QStringLiteral("%1=%2").arg(QString::fromLatin1(name),
                                                QString::fromLatin1(name).contains(QLatin1String("no_proxy"), Qt::CaseInsensitive)
                                                    ? value.left(200)
                                                    : shown(value));
    }
    m_environment->setText(set.isEmpty() ? tr("No proxy variable is set in Switchyard's environment, so providers are "
                                              "reached directly.")
                                         : tr("In effect: %1").arg(set.join(QStringLiteral(", "))));
}

void NetworkPage::markDirty()
{
    if (m_loading)
        return;
    m_dirty = true;
    m_bar->showUnsaved(validate());
}

QString NetworkPage::draftName() const
{
    return tr("the network settings");
}

QString NetworkPage::validate() const
{
    if (m_manual->isChecked()) {
        const QString text = m_manualProxy->text().trimmed();
        if (text.isEmpty())
            return tr("Give the proxy's address, or choose another option.");
        QString why;
        if (NetworkPolicy::parseProxy(text, &why).type() == QNetworkProxy::DefaultProxy)
            return why;
        if (!QUrl(text.contains(QLatin1String("://")) ? text : QStringLiteral("http://") + text).password().isEmpty())
            return tr("The address holds a password, which settings.ini would keep in plain text; give the proxy in "
                      "HTTPS_PROXY instead.");
    }
    const QString ca = m_caFile->text().trimmed();
    if (!ca.isEmpty()) {
        QString why;
        if (NetworkPolicy::certificatesIn(ca, &why).isEmpty())
            return why.isEmpty() ? tr("%1 holds no PEM certificate.").arg(ca) : why;
    }
    return QString();
}

bool NetworkPage::save()
{
    if (const QString problem = validate(); !problem.isEmpty()) {
        m_bar->showUnsaved(problem);
        return false;
    }
    Config draft = m_config->config();
    bool configChanged = false;
    for (int row = 0; row < m_providers->rowCount(); ++row) {
        const QString id = m_providers->item(row, 0)->data(Qt::UserRole).toString();
        const auto *route = qobject_cast<QComboBox *>(m_providers->cellWidget(row, 1));
        for (ProviderConfig &p : draft.providers) {
            if (p.id == id && route && p.proxy != route->currentData().toString()) {
                p.proxy = route->currentData().toString();
                configChanged = true;
            }
        }
    }
    if (configChanged) {
        QString error;
        if (!m_config->save(draft, &error)) {
            m_bar->showFailure(tr("Not saved: %1").arg(error));
            return false;
        }
    }
    const QString mode = m_manual->isChecked() ? QStringLiteral("manual") : m_none->isChecked() ? QStringLiteral("none")
                                                                                                : QStringLiteral("system");
    m_settings->setProxy(mode, m_manualProxy->text().trimmed());
    m_settings->setCaFile(m_caFile->text().trimmed());
    NetworkSetup::applySettings(*m_settings);
    NetworkSetup::applyConfig(m_config->config(), QFileInfo(m_config->path()).absolutePath());
    load();
    m_bar->showSaved(configChanged ? tr("Saved; per-provider connections were written to config.yaml. New requests use "
                                        "these settings.")
                                   : tr("Saved. New requests use these settings."));
    return true;
}

void NetworkPage::revert()
{
    load();
    m_bar->showDiscarded();
}
