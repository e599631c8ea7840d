#include "MainWindow.h"

#include "EndpointPage.h"

#include "AboutDialog.h"
#include "AppSettings.h"
#include "ChatPage.h"
#include "ConfigStore.h"
#include "DashboardPage.h"
#include "Documentation.h"
#include "KeyStatus.h"
#include "NavigationIcon.h"
#include "SettingsPage.h"
#include "ShortcutsDialog.h"
#include "TeamStatusLabel.h"
#include "WheelGuard.h"
#include "WindowGeometry.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QUrl>

namespace {
constexpr const char *pageKeys[] = {"chat", "dashboard", "settings"};
}

MainWindow::MainWindow(ConfigStore *config, SecretStore *secrets, KeyStatus *keys, AppSettings *settings,
                       const Profile &profile, QNetworkAccessManager *nam, QWidget *parent)
    : QMainWindow(parent)
    , m_config(config)
    , m_keys(keys)
    , m_settings(settings)
    , m_profile(profile)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Switchyard"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/switchyard.svg")));
    WheelGuard::install();   // before the pages, so that their boxes are polished with it in place

    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setAccessibleName(tr("Sections"));
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSpacing(2);
    QFont navFont = m_navigation->font();
    navFont.setPointSizeF(navFont.pointSizeF() * 1.1);
    m_navigation->setFont(navFont);
    m_navigation->setStyleSheet(QStringLiteral("QListWidget { background: palette(window); padding-top: 8px; outline: 0; }"
                                               "QListWidget::item { padding: 8px 10px; border-radius: 6px; }"
                                               "QListWidget::item:selected { background: palette(highlight);"
                                               " color: palette(highlighted-text); }"));
    const QPair<QString, QString> sections[] = {
        {tr("Chat"), QStringLiteral(":/icons/chat.svg")},
        {tr("Dashboard"), QStringLiteral(":/icons/dashboard.svg")},
        {tr("Settings"), QStringLiteral(":/icons/settings.svg")},
    };
    for (const auto &[text, icon] : sections)
        new QListWidgetItem(navigationIcon(icon), text, m_navigation);
    // As wide as the longest section's name needs (padding, icon and spacing around it), and no
    // wider: every pixel here is taken from the chat at 800×600.
    int longest = 0;
    for (const auto &[text, icon] : sections)
        longest = std::max(longest, QFontMetrics(navFont).horizontalAdvance(text));
    m_navigation->setFixedWidth(std::max(140, longest + m_navigation->iconSize().width() + 2 * 10 + 2 * 2 + 8 + 24));

    m_chat = new ChatPage(config, secrets, keys, settings, nam, this);
    m_dashboard = new DashboardPage(config, profile.databasePath(), this);
    m_dashboard->setSecretStore(secrets);
    m_settingsPage = new SettingsPage(config, secrets, keys, settings, profile, nam, this);
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addWidget(m_chat);
    m_pages->addWidget(m_dashboard);
    m_pages->addWidget(m_settingsPage);

    auto *separator = new QFrame(this);
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    layout->addWidget(separator);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        // Leaving Settings with unsaved edits asks first; meanwhile the sidebar stays on Settings.
        if (m_pages->currentWidget() == m_settingsPage && row != int(Page::Settings) && m_settingsPage->hasUnsavedChanges()) {
            {
                const QSignalBlocker blocker(m_navigation);
                m_navigation->setCurrentRow(int(Page::Settings));
            }
            m_settingsPage->resolveUnsavedChanges([this, row] { m_navigation->setCurrentRow(row); });
            return;
        }
        m_pages->setCurrentIndex(row);
        if (row >= 0 && row < int(std::size(pageKeys)))
            m_settings->setCurrentPage(QLatin1String(pageKeys[row]));
        // Chat, once shown, takes the keyboard: a click on its entry (even when it is already
        // shown, below), Ctrl+1 or the View menu put the cursor in the message field.
        if (row == int(Page::Chat))
            m_chat->focusComposer();
    });
    connect(m_navigation, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        if (m_navigation->row(item) == int(Page::Chat))
            m_chat->focusComposer();
    });
    connect(m_chat, &ChatPage::openSettingsRequested, this, [this](const QString &providerId) {
        showPage(Page::Settings);
        if (!providerId.isEmpty())
            m_settingsPage->showProvider(providerId);
    });
    connect(m_dashboard, &DashboardPage::openChatRequested, this, [this] { showPage(Page::Chat); });

    m_statusKeys = new QLabel(this);
    m_statusKeys->setObjectName(QStringLiteral("statusKeys"));
    m_statusConfig = new QLabel(this);
    m_statusConfig->setObjectName(QStringLiteral("statusConfig"));
    m_statusDatabase = new QLabel(this);
    m_statusDatabase->setObjectName(QStringLiteral("statusDatabase"));
    m_statusDatabase->hide();
    m_statusBudget = new QLabel(this);
    m_statusBudget->setObjectName(QStringLiteral("statusBudget"));
    m_statusBudget->hide();
    statusBar()->addWidget(m_statusBudget);
    connect(m_dashboard, &DashboardPage::budgetAlert, this, &MainWindow::showBudgetAlert);
    statusBar()->addWidget(m_statusConfig, 1);
    statusBar()->addWidget(m_statusDatabase);
    m_statusTeam = new TeamStatusLabel(this);
    statusBar()->addPermanentWidget(m_statusTeam);
    statusBar()->addPermanentWidget(m_statusKeys);
    connect(m_settingsPage, &SettingsPage::keychainStatusChanged, this, &MainWindow::updateStatusBar);
    connect(m_config, &ConfigStore::statusChanged, this, &MainWindow::updateStatusBar);
    connect(m_keys, &KeyStatus::changed, this, [this] {
        if (startupChecksDone())
            emit startupChecksFinished();
    });

    buildMenus();
    updateStatusBar();

    resize(WindowGeometry::defaultSize(screen()->availableGeometry()));
    if (restoreGeometry(m_settings->windowGeometry()) && !(windowState() & (Qt::WindowMaximized | Qt::WindowFullScreen))) {
        // The screens may have changed since: the window opens whole on one of them.
        QList<QRect> screens{QGuiApplication::primaryScreen()->availableGeometry()};
        for (const QScreen *s : QGuiApplication::screens()) {
            if (s != QGuiApplication::primaryScreen())
                screens << s->availableGeometry();
        }
        setGeometry(WindowGeometry::fitOnScreen(geometry(), screens, minimumSizeHint()));
    }
    restoreState(m_settings->windowState());
    const QString page = m_settings->currentPage();
    int row = 0;
    for (int i = 0; i < int(std::size(pageKeys)); ++i) {
        if (page == QLatin1String(pageKeys[i]))
            row = i;
    }
    m_navigation->setCurrentRow(row);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openProfile = file->addAction(tr("Open &Profile Folder"));
    connect(openProfile, &QAction::triggered, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_profile.configDir())); });
    QAction *reload = file->addAction(tr("&Reload Configuration"));
    reload->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(reload, &QAction::triggered, m_config, &ConfigStore::reload);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QPair<QString, Page> pages[] = {{tr("&Chat"), Page::Chat},
                                          {tr("&Dashboard"), Page::Dashboard},
                                          {tr("&Settings"), Page::Settings}};
    int n = 1;
    for (const auto &[text, page] : pages) {
        QAction *a = view->addAction(text);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + n++)));
        connect(a, &QAction::triggered, this, [this, p = page] { showPage(p); });
    }

    view->addSeparator();
    QAction *tray = view->addAction(tr("Budget Warnings in the System &Tray"));
    tray->setObjectName(QStringLiteral("budgetTrayAction"));
    tray->setCheckable(true);
    tray->setChecked(m_settings->budgetTrayAlerts());
    tray->setEnabled(QSystemTrayIcon::isSystemTrayAvailable());
    if (!tray->isEnabled())
        tray->setToolTip(tr("This desktop has no system tray; budget warnings show in the window."));
    connect(tray, &QAction::toggled, this, [this](bool on) { m_settings->setBudgetTrayAlerts(on); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = help->addAction(tr("&Keyboard Shortcuts"));
    shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction *docs = help->addAction(tr("&Documentation"));
    docs->setObjectName(QStringLiteral("documentationAction"));
    docs->setShortcut(QKeySequence::HelpContents);
    connect(docs, &QAction::triggered, this, &MainWindow::openDocumentation);
    help->addSeparator();
    QAction *about = help->addAction(tr("&About Switchyard"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(m_profile.configDir(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

QList<ShortcutGroup> MainWindow::shortcutGroups() const
{
    ShortcutGroup window{tr("Anywhere in the window"), {}};
    for (QAction *menuAction : menuBar()->actions()) {
        if (!menuAction->menu())
            continue;
        for (QAction *a : menuAction->menu()->actions()) {
            if (!a->shortcut().isEmpty())   // "View › Dashboard"
                window.keys.append({a->shortcut(), tr("%1 › %2").arg(menuAction->iconText(), a->iconText())});
        }
    }
    return {{tr("Chat (while it is shown)"), m_chat->shortcuts()}, window};
}

void MainWindow::showShortcuts()
{
    if (auto *open = findChild<ShortcutsDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new ShortcutsDialog(shortcutGroups(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();   // not modal: it can stay open beside the window while the keys are tried
}

void MainWindow::openDocumentation()
{
    const QString index = Documentation::indexIn(Documentation::candidates());
    if (!index.isEmpty() && QDesktopServices::openUrl(QUrl::fromLocalFile(index)))
        return;
    auto *box = new QMessageBox(QMessageBox::Information, tr("Documentation"),
                                index.isEmpty() ? tr("The documentation is not installed here. It was looked for in:\n%1")
                                                      .arg(Documentation::candidates().join(QLatin1Char('\n')))
                                                : tr("No program on this system opens %1.").arg(index),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("documentationMissing"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showPage(Page page)
{
    m_navigation->setCurrentRow(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void MainWindow::startChecks()
{
    m_settingsPage->checkKeychain();
    m_dashboard->refresh();   // in the background: budgets are checked at start, not only on the dashboard
}

void MainWindow::showBudgetAlert(const QString &key, int level, const QString &message)
{
    m_statusBudget->setText(message);
    m_statusBudget->setToolTip(message);
    m_statusBudget->setStyleSheet(level >= 100 ? QStringLiteral("color: #b3261e;") : QStringLiteral("color: #8a5a00;"));
    m_statusBudget->show();
    if (m_settings->budgetAlertGiven(key) >= level)
        return;   // said once for this budget, month and level
    m_settings->setBudgetAlertGiven(key, level);
    if (!m_settings->budgetTrayAlerts() || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("Switchyard"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { showPage(Page::Dashboard); });
    }
    m_tray->show();
    m_tray->showMessage(level >= 100 ? tr("Over budget") : tr("Budget almost used"), message,
                        level >= 100 ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
}

bool MainWindow::startupChecksDone() const
{
    return m_settingsPage->keychainChecked() && !m_keys->checking();
}

void MainWindow::ledgerChanged()
{
    m_dashboard->refreshSoon();
}

void MainWindow::showDatabaseProblem(const QString &message)
{
    m_statusDatabase->setText(tr("Database: %1").arg(message));
    m_statusDatabase->setToolTip(message);
    m_statusDatabase->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_statusDatabase->show();
}

void MainWindow::updateStatusBar()
{
    m_statusKeys->setText(m_settingsPage->keychainSummary());
    if (!m_config->lastError().isEmpty()) {
        m_statusConfig->setText(tr("config.yaml has an error; the last good configuration is in use"));
        m_statusConfig->setStyleSheet(QStringLiteral("color: #b3261e;"));
    } else {
        m_statusConfig->setText(tr("Profile: %1").arg(QDir::toNativeSeparators(m_profile.configDir())));
        m_statusConfig->setStyleSheet(QString());
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_settingsPage->hasUnsavedChanges()) {
        event->ignore();   // asked first; closed again once the edits are saved or discarded
        showPage(Page::Settings);
        m_settingsPage->resolveUnsavedChanges([this] { close(); });
        return;
    }
    m_settings->setWindowGeometry(saveGeometry(), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::setChatStorage(Database *database, Ledger *ledger)
{
    m_chat->setStorage(database, ledger);
}

void MainWindow::setEndpoint(Gateway *gateway, GatewayKeys *keys)
{
    m_endpointPage = new EndpointPage(gateway, keys, m_settings, m_settingsPage);
    m_settingsPage->addTab(m_endpointPage, tr("Endpoint"));
    m_endpointPage->startIfEnabled();
}

void MainWindow::setTeam(TeamLink *team)
{
    m_dashboard->setTeam(team);
    m_settingsPage->setTeam(team);
    m_statusTeam->setTeam(team);
}
