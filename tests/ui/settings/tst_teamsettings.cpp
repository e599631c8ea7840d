// Settings → Team, the team's rules in Settings and the status bar's team ledger, driven through
// the real window against a private PostgreSQL 15 over TLS (PgServer.h) and the real keychain (the
// private keyring session `./dev test` starts).
#include "AppSettings.h"
#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "ConfigWriter.h"
#include "Database.h"
#include "KeyStatus.h"
#include "KeychainBackend.h"
#include "Ledger.h"
#include "MainWindow.h"
#include "PgServer.h"
#include "Profile.h"
#include "RoutesModel.h"
#include "RoutingPage.h"
#include "SaveBar.h"
#include "SecretStore.h"
#include "TeamDatabase.h"
#include "TeamLink.h"
#include "TeamRulesBanner.h"
#include "TeamStatusLabel.h"
#include "Translations.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString KeychainService = QStringLiteral("switchyard-test-teamsettings");
const QString AlicePassword = QStringLiteral("alice's team password");
const QString BobPassword = QStringLiteral("bob's team password");

// One member's Switchyard, wired as ui/window/main.cpp wires it, on a profile of its own.
struct Member
{
    QTemporaryDir dir;
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<KeyStatus> keys;
    std::unique_ptr<Database> database;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<TeamLink> team;
    QNetworkAccessManager nam;
    std::unique_ptr<MainWindow> window;

    Profile profile() const { return Profile::inDirectory(dir.path()); }

    // `url` empty: not in a team yet.
    bool open(const QString &url, const QString &member)
    {
        QString error;
        if (!profile().ensureExists(&error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        settings = std::make_unique<AppSettings>(profile().settingsPath());
        config = std::make_unique<ConfigStore>(profile().configPath());
        config->reload();
        if (!url.isEmpty()) {
            Config c = config->config();
            c.team.url = url;
            c.team.member = member;
            if (!config->save(c, &error)) {
                qWarning("%s", qPrintable(error));
                return false;
            }
        }
        secrets = std::make_unique<SecretStore>(std::make_unique<KeychainBackend>(KeychainService));
        keys = std::make_unique<KeyStatus>(config.get(), secrets.get());
        database = std::make_unique<Database>(profile().databasePath());
        ledger = std::make_unique<Ledger>(database.get());
        team = std::make_unique<TeamLink>(config.get(), secrets.get(), database.get());
        window = std::make_unique<MainWindow>(config.get(), secrets.get(), keys.get(), settings.get(), profile(), &nam);
        window->setChatStorage(database.get(), ledger.get());
        window->setTeam(team.get());
        database->open();
        window->resize(1280, 800);
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }

    ~Member()
    {
        window.reset();   // the pages before the link they watch
        team.reset();
        ledger.reset();
        database.reset();
    }

    template<typename T>
    T *find(const char *name) const
    {
        T *w = window->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no %s", name);
        return w;
    }

    // The Settings tab that holds the page named `pageName` ("teamPage", "routingPage").
    void showSettingsTab(const char *pageName)
    {
        window->showPage(MainWindow::Page::Settings);
        auto *tabs = find<QTabWidget>("settingsTabs");
        auto *page = find<QWidget>(pageName);
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->widget(i)->isAncestorOf(page))
                tabs->setCurrentIndex(i);
        }
    }

    QString statusBarTeam() const { return find<QLabel>("statusTeam")->text(); }
};

// Stores `secret` in the keychain entry `team`, or removes it (empty), and waits for the answer.
bool setTeamPassword(const QString &secret)
{
    SecretStore store(std::make_unique<KeychainBackend>(KeychainService));
    std::optional<SecretResult> result;
    QObject context;
    if (secret.isEmpty())
        store.remove(SecretStore::teamAccount(), &context, [&result](const SecretResult &r) { result = r; });
    else
        store.write(SecretStore::teamAccount(), secret, &context, [&result](const SecretResult &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10000))
        return false;
    if (!result->keychainWorks())
        qWarning("keychain: %s", qPrintable(result->message));
    return result->keychainWorks();
}

QString storedTeamPassword()
{
    SecretStore store(std::make_unique<KeychainBackend>(KeychainService));
    std::optional<SecretResult> result;
    QObject context;
    store.read(SecretStore::teamAccount(), &context, [&result](const SecretResult &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10000))
        return QStringLiteral("(the keychain did not answer)");
    return result->ok() ? result->secret : QString();
}

LedgerRow row(const QString &requestId)
{
    LedgerRow r;
    r.time = QDateTime::currentDateTimeUtc();
    r.requestId = requestId;
    r.model = QStringLiteral("deepseek-v4-pro");
    r.provider = QStringLiteral("deepseek");
    r.providerModel = QStringLiteral("deepseek-v4-pro");
    r.status = QStringLiteral("ok");
    r.httpStatus = 200;
    r.promptTokens = 100;
    r.completionTokens = 20;
    r.costMicros = 42;
    r.currency = QStringLiteral("CNY");
    return r;
}

} // namespace

class TestTeamSettings : public QObject
{
    Q_OBJECT

    PgServer server;
    TeamDatabase::Roles roles;

    QString url(const QString &user) const { return server.url(user, QStringLiteral("team")); }
    qint64 latestVersion() { return server.value(QStringLiteral("SELECT max(version) FROM team_rules"), QStringLiteral("team")).toLongLong(); }

private slots:
    void initTestCase()
    {
        QCOMPARE(Translations::install(*qApp, QStringLiteral("en_US")), QStringLiteral("en"));   // plurals
        QVERIFY2(server.start(), qPrintable(server.error()));
        QVERIFY2(server.createDatabase(QStringLiteral("team")), qPrintable(server.error()));
        QString error;
        const std::optional<TeamAddress> owner = TeamAddress::parse(url(server.ownerUser()), &error);
        QVERIFY2(owner, qPrintable(error));
        {
            std::optional<QSqlDatabase> db = TeamDatabase::open(*owner, QString(), QStringLiteral("owner"), &error);
            QVERIFY2(db, qPrintable(error));
            const std::optional<TeamDatabase::InitReport> report = TeamDatabase::init(*db, QStringLiteral("team"), &error);
            QVERIFY2(report, qPrintable(error));
            roles = report->roles;
            // The team's first rules: the catalog's shared sections, by the team's lead.
            const ConfigLoadResult catalog = ConfigLoader::parse(ConfigLoader::builtInCatalog());
            QVERIFY(catalog.ok());
            QVERIFY2(TeamDatabase::publishRules(*db, QStringLiteral("lead"), ConfigWriter::teamSections(*catalog.config, false),
                                                QStringLiteral("first rules"), &error),
                     qPrintable(error));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("owner"));
        QVERIFY2(server.createRole(QStringLiteral("alice"), AlicePassword), qPrintable(server.error()));
        QVERIFY2(server.createRole(QStringLiteral("bob"), BobPassword), qPrintable(server.error()));
        QVERIFY2(server.exec(QStringLiteral("GRANT %1 TO alice").arg(PgServer::quoted(roles.members))), qPrintable(server.error()));
        QVERIFY2(server.exec(QStringLiteral("GRANT %1, %2 TO bob").arg(PgServer::quoted(roles.members), PgServer::quoted(roles.editors))),
                 qPrintable(server.error()));
    }

    void cleanupTestCase()
    {
        setTeamPassword(QString());
    }

    void statusTexts()
    {
        TeamLink::Status s;
        QCOMPARE(TeamStatusLabel::text(s, QDateTime::currentDateTime()), QString());   // not in a team: hidden
        s.state = TeamLink::Status::State::UpToDate;
        QCOMPARE(TeamStatusLabel::text(s, QDateTime::currentDateTime()), QStringLiteral("Team ledger: up to date"));
        s.state = TeamLink::Status::State::Sending;
        s.waiting = 132;
        QCOMPARE(TeamStatusLabel::text(s, QDateTime::currentDateTime()), QStringLiteral("Team ledger: 132 calls waiting"));
        s.waiting = 1;
        QCOMPARE(TeamStatusLabel::text(s, QDateTime::currentDateTime()), QStringLiteral("Team ledger: 1 call waiting"));
        s.state = TeamLink::Status::State::Unreachable;
        s.waiting = 0;
        const QDateTime now(QDate(2026, 12, 5), QTime(15, 0));
        s.unreachableSince = QDateTime(QDate(2026, 12, 5), QTime(10, 42)).toUTC();
        QCOMPARE(TeamStatusLabel::text(s, now), QStringLiteral("Team ledger: unreachable since 10:42"));
        s.unreachableSince = QDateTime(QDate(2026, 12, 3), QTime(10, 42)).toUTC();   // not today: with the date
        QCOMPARE(TeamStatusLabel::text(s, now),
                 QStringLiteral("Team ledger: unreachable since %1 10:42").arg(QLocale().toString(QDate(2026, 12, 3), QLocale::ShortFormat)));

        QCOMPARE(TeamRulesBanner::relativeTime(now.addSecs(-2 * 3600 - 50), now), QStringLiteral("2 hours ago"));
        QCOMPARE(TeamRulesBanner::relativeTime(now.addSecs(-60), now), QStringLiteral("1 minute ago"));
        QCOMPARE(TeamRulesBanner::relativeTime(now.addSecs(-5), now), QStringLiteral("just now"));
    }

    void teamTabSavesConfigAndKeychain()
    {
        QVERIFY(setTeamPassword(QString()));
        Member alice;
        QVERIFY(alice.open(QString(), QString()));
        QVERIFY(alice.find<QLabel>("statusTeam")->isHidden());   // not in a team
        alice.showSettingsTab("teamPage");
        QTRY_VERIFY(alice.find<QLabel>("teamPasswordState")->text().startsWith(QStringLiteral("No password in the keychain")));
        QVERIFY(!alice.find<QPushButton>("leaveTeamButton")->isEnabled());

        QTest::keyClicks(alice.find<QLineEdit>("teamUrlEdit"), url(QStringLiteral("alice")));
        QTest::keyClicks(alice.find<QLineEdit>("teamMemberEdit"), QStringLiteral("alice"));
        QTest::keyClicks(alice.find<QLineEdit>("teamPasswordEdit"), AlicePassword);
        QVERIFY(alice.find<QPushButton>("saveTeamButton")->isVisible());

        // Test Connection uses what is typed, before it is saved.
        QSignalSpy tested(alice.window->findChild<QWidget *>(QStringLiteral("teamPage")), SIGNAL(connectionTested()));
        QTest::mouseClick(alice.find<QPushButton>("testTeamButton"), Qt::LeftButton);
        QVERIFY(tested.wait(15000));
        const QString result = alice.find<QLabel>("teamTestResult")->text();
        QVERIFY2(result.startsWith(QStringLiteral("Connected to PostgreSQL 15")), qPrintable(result));
        QVERIFY2(result.contains(QStringLiteral("TLS")), qPrintable(result));
        QVERIFY2(result.endsWith(QStringLiteral("This member uses the team's rules but may not change them.")), qPrintable(result));

        QTest::mouseClick(alice.find<QPushButton>("saveTeamButton"), Qt::LeftButton);
        const ConfigLoadResult saved = ConfigLoader::loadFile(alice.profile().configPath());
        QVERIFY(saved.ok());
        QCOMPARE(saved.config->team.url, url(QStringLiteral("alice")));
        QCOMPARE(saved.config->team.member, QStringLiteral("alice"));
        QFile file(alice.profile().configPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(AlicePassword.toUtf8()));   // never in the file
        QVERIFY(alice.find<QLineEdit>("teamPasswordEdit")->text().isEmpty());   // never shown back
        QTRY_COMPARE(alice.find<QLabel>("saveTeamLabel")->text(), QStringLiteral("Saved. The password is stored in the keychain."));
        QCOMPARE(storedTeamPassword(), AlicePassword);
        QTRY_VERIFY(alice.find<QLabel>("teamPasswordState")->text().startsWith(QStringLiteral("A password is stored in the keychain")));

        // The link connects with that password: the status bar and the tab say so.
        QTRY_COMPARE_WITH_TIMEOUT(alice.statusBarTeam(), QStringLiteral("Team ledger: up to date"), 15000);
        QVERIFY(alice.find<QLabel>("statusTeam")->isVisible());
        QVERIFY(alice.find<QLabel>("teamServerLabel")->text().startsWith(QStringLiteral("PostgreSQL 15")));
        QTRY_VERIFY(alice.find<QLabel>("teamRulesLabel")->text().startsWith(QStringLiteral("Rules from the team, version ")));
        QVERIFY(alice.find<QPushButton>("leaveTeamButton")->isEnabled());

        // Leaving asks first, then takes the team out of config.yaml and the password out of the keychain.
        QTest::mouseClick(alice.find<QPushButton>("leaveTeamButton"), Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = alice.window->findChild<QMessageBox *>(QStringLiteral("leaveTeamBox"))));
        QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("leaveTeamConfirm")), Qt::LeftButton);
        QTRY_VERIFY(alice.find<QLabel>("statusTeam")->isHidden());
        QVERIFY(!ConfigLoader::loadFile(alice.profile().configPath()).config->team.isSet());
        QVERIFY(alice.find<QLineEdit>("teamUrlEdit")->text().isEmpty());
        QCOMPARE(alice.find<QLabel>("saveTeamLabel")->text(), QStringLiteral("You left the team."));
        QTRY_COMPARE(storedTeamPassword(), QString());
    }

    void statusBarFollowsTheLedger()
    {
        QVERIFY(setTeamPassword(AlicePassword));
        Member alice;
        QVERIFY(alice.open(url(QStringLiteral("alice")), QStringLiteral("alice")));
        QTRY_COMPARE_WITH_TIMEOUT(alice.statusBarTeam(), QStringLiteral("Team ledger: up to date"), 15000);
        const QString tip = alice.find<QLabel>("statusTeam")->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("Server: PostgreSQL 15")) && tip.contains(QStringLiteral("Member: alice")), qPrintable(tip));

        QVERIFY2(server.stop(), qPrintable(server.error()));
        for (int i = 0; i < 3; ++i)
            alice.ledger->finished(row(QStringLiteral("teamsettings-%1").arg(i)));
        QTRY_VERIFY_WITH_TIMEOUT(alice.statusBarTeam().endsWith(QStringLiteral(", 3 calls waiting")), 20000);
        const TeamLink::Status down = alice.team->status();
        QCOMPARE(down.state, TeamLink::Status::State::Unreachable);
        QCOMPARE(alice.statusBarTeam(), QStringLiteral("Team ledger: unreachable since %1, 3 calls waiting")
                                            .arg(down.unreachableSince.toLocalTime().toString(QStringLiteral("HH:mm"))));
        QVERIFY(alice.find<QLabel>("statusTeam")->toolTip().contains(QStringLiteral("Error: ")));
        QVERIFY(alice.find<QLabel>("teamStateLabel")->text().startsWith(QStringLiteral("Unreachable since ")));
        QCOMPARE(alice.find<QLabel>("teamWaitingLabel")->text(), QStringLiteral("3 calls"));
        QVERIFY2(server.start(), qPrintable(server.error()));
        QTRY_COMPARE_WITH_TIMEOUT(alice.statusBarTeam(), QStringLiteral("Team ledger: up to date"), 20000);
        QCOMPARE(server.value(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'alice' AND request_id LIKE 'teamsettings-%'"),
                              QStringLiteral("team"))
                     .toInt(),
                 3);
        QVERIFY(!alice.find<QLabel>("statusTeam")->toolTip().contains(QStringLiteral("Error: ")));
        QVERIFY(alice.find<QLabel>("teamLastSendLabel")->text() != QStringLiteral("Nothing sent yet"));
    }

    void editorPublishesFromRouting()
    {
        QVERIFY(setTeamPassword(BobPassword));
        Member bob;
        QVERIFY(bob.open(url(QStringLiteral("bob")), QStringLiteral("bob")));
        bob.showSettingsTab("routingPage");
        auto *page = bob.find<RoutingPage>("routingPage");
        auto *banner = page->findChild<TeamRulesBanner *>();
        QTRY_VERIFY2_WITH_TIMEOUT(banner->isVisible() && banner->text().endsWith(QStringLiteral("Saving publishes a new version for the whole team.")),
                                  qPrintable(banner->text()), 15000);
        const qint64 before = latestVersion();
        QVERIFY2(banner->text().startsWith(QStringLiteral("Rules from the team, version %1 by ").arg(before)), qPrintable(banner->text()));
        QVERIFY(bob.find<QPushButton>("addRuleButton")->isEnabled());
        QVERIFY(!bob.find<QPlainTextEdit>("routesYamlEdit")->isReadOnly());

        RoutesModel *model = page->model();
        const QString match = QStringLiteral("context_length > 123456");
        QVERIFY(model->setData(model->index(0, RoutesModel::Match), match, Qt::EditRole));
        QTRY_VERIFY(bob.find<QPushButton>("saveRoutesButton")->isVisible());
        QTest::mouseClick(bob.find<QPushButton>("saveRoutesButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(bob.find<QLabel>("saveRoutesLabel")->text(),
                                  QStringLiteral("Published as version %1 of the team's rules.").arg(before + 1), 15000);
        QCOMPARE(latestVersion(), before + 1);
        QCOMPARE(server.value(QStringLiteral("SELECT member FROM team_rules WHERE version = %1").arg(before + 1), QStringLiteral("team")).toString(),
                 QStringLiteral("bob"));
        QCOMPARE(server.value(QStringLiteral("SELECT summary FROM team_rules WHERE version = %1").arg(before + 1), QStringLiteral("team")).toString(),
                 QStringLiteral("routes: 3 rules (1 changed)"));
        // The new version comes back as the rules in force; config.yaml keeps this machine's own.
        QTRY_VERIFY_WITH_TIMEOUT(banner->text().startsWith(QStringLiteral("Rules from the team, version %1 by bob, just now.").arg(before + 1)),
                                 10000);
        QTRY_COMPARE(bob.config->config().routes.value(0).match, match);
        QVERIFY(!page->hasUnsavedChanges());
        QFile file(bob.profile().configPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(match.toUtf8()));
    }

    void editorSharesThisMachinesRules()
    {
        QVERIFY(setTeamPassword(BobPassword));
        Member bob;
        QVERIFY(bob.open(url(QStringLiteral("bob")), QStringLiteral("bob")));
        bob.showSettingsTab("teamPage");
        auto *share = bob.find<QPushButton>("shareRulesButton");
        QTRY_VERIFY_WITH_TIMEOUT(share->isVisible(), 15000);
        QCOMPARE(share->text(), QStringLiteral("Replace with This Machine's Rules…"));
        const qint64 before = latestVersion();
        QTest::mouseClick(share, Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = bob.window->findChild<QMessageBox *>()) && box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("instead of version %1").arg(before)), qPrintable(box->text()));
        QAbstractButton *replace = nullptr;
        for (QAbstractButton *b : box->buttons())
            if (b->text() == u"Replace")
                replace = b;
        QVERIFY(replace);
        QTest::mouseClick(replace, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(bob.find<QLabel>("shareRulesResult")->text(),
                                  QStringLiteral("Published as version %1.").arg(before + 1), 15000);
        QCOMPARE(latestVersion(), before + 1);
        QCOMPARE(server.value(QStringLiteral("SELECT summary FROM team_rules WHERE version = %1").arg(before + 1),
                              QStringLiteral("team")).toString(),
                 QStringLiteral("this machine's rules, from bob"));
        // What was shared is this machine's config.yaml's (here the catalog's) routes, not the team's.
        const QString body = server.value(QStringLiteral("SELECT body FROM team_rules WHERE version = %1").arg(before + 1),
                                          QStringLiteral("team")).toString();
        QVERIFY(!body.contains(QStringLiteral("123456")));
        QVERIFY(!body.contains(QStringLiteral("providers:")));

        // A member who may not write never sees the button.
        QVERIFY(setTeamPassword(AlicePassword));
        Member alice;
        QVERIFY(alice.open(url(QStringLiteral("alice")), QStringLiteral("alice")));
        alice.showSettingsTab("teamPage");
        QTRY_VERIFY_WITH_TIMEOUT(alice.find<QLabel>("teamRulesLabel")->text().startsWith(QStringLiteral("Rules from the team")), 15000);
        QVERIFY(!alice.find<QPushButton>("shareRulesButton")->isVisible());
    }

    void memberSeesReadOnlyAndIsRefused()
    {
        QVERIFY(setTeamPassword(AlicePassword));
        Member alice;
        QVERIFY(alice.open(url(QStringLiteral("alice")), QStringLiteral("alice")));
        alice.showSettingsTab("routingPage");
        auto *page = alice.find<RoutingPage>("routingPage");
        auto *banner = page->findChild<TeamRulesBanner *>();
        QTRY_VERIFY2_WITH_TIMEOUT(banner->isVisible() && banner->text().endsWith(QStringLiteral("Only the team's rule editors can change them.")),
                                  qPrintable(banner->text()), 15000);
        QVERIFY(!alice.find<QPushButton>("addRuleButton")->isEnabled());
        QVERIFY(!alice.find<QPushButton>("removeRuleButton")->isEnabled());
        QVERIFY(!alice.find<QPushButton>("importRoutesButton")->isEnabled());
        QVERIFY(alice.find<QPushButton>("exportRoutesButton")->isEnabled());
        QVERIFY(alice.find<QPlainTextEdit>("routesYamlEdit")->isReadOnly());
        QCOMPARE(alice.find<QTableView>("routesTable")->editTriggers(), QAbstractItemView::NoEditTriggers);
        // The models and prices are the team's too.
        alice.showSettingsTab("providerDetails");
        auto *providerBanner = alice.find<QWidget>("providerDetails")->findChild<TeamRulesBanner *>();
        QVERIFY2(providerBanner->text().endsWith(QStringLiteral("The models and prices below are the team's, and are not changed here.")),
                 qPrintable(providerBanner->text()));

        // Forced past the read-only view, PostgreSQL still decides, and nothing typed is lost.
        alice.showSettingsTab("routingPage");
        const qint64 before = latestVersion();
        const QString match = QStringLiteral("context_length > 654321");
        QVERIFY(page->model()->setData(page->model()->index(0, RoutesModel::Match), match, Qt::EditRole));
        QVERIFY(page->hasUnsavedChanges());
        QTest::mouseClick(alice.find<QPushButton>("saveRoutesButton"), Qt::LeftButton);
        const QString refusal = QStringLiteral("Not published: The team database did not let your role (alice) change the team's rules. "
                                               "Only rule editors may: ask whoever runs the team database to grant you the role %1.")
                                    .arg(roles.editors);
        auto *label = alice.find<QLabel>("saveRoutesLabel");
        QTRY_COMPARE_WITH_TIMEOUT(label->text(), refusal, 15000);
        QVERIFY(label->styleSheet().contains(QStringLiteral("#b3261e")));   // in red
        QVERIFY(alice.find<QPushButton>("saveRoutesButton")->isEnabled());   // another try, or Revert
        QCOMPARE(latestVersion(), before);
        QVERIFY(page->hasUnsavedChanges());
        QCOMPARE(page->model()->routes().value(0).match, match);
    }
};

QTEST_MAIN(TestTeamSettings)
#include "tst_teamsettings.moc"
