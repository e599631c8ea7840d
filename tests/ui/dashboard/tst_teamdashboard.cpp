// The dashboard's Team scope over a real PostgreSQL (tests/support/PgServer.h): three members,
// alice (this profile, whose rows reach the team ledger through TeamLink's outbox), bob and carol
// (rows put in the team ledger directly). The Team scope adds them all up, the member filter
// narrows to one, the spend-by-member chart has each one's figure, budgets are per member and
// team-wide, and a server that stops leaves the last figures with a sentence.
#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "DashboardPage.h"
#include "Database.h"
#include "Dispatch.h"
#include "FakeSecretBackend.h"
#include "Ledger.h"
#include "Money.h"
#include "PgServer.h"
#include "SecretStore.h"
#include "TeamDatabase.h"
#include "TeamLink.h"
#include "TeamRows.h"
#include "Translations.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString memberPassword = QStringLiteral("team-pw");

// `count` answered calls of `model` today, from `hour` on, each with more tokens than the last.
QList<LedgerRow> callsOf(const Config &config, const QString &who, const QString &model, int count, int hour)
{
    QList<LedgerRow> out;
    const ModelConfig *m = config.model(model);
    for (int i = 0; i < count; ++i) {
        Attempt a;
        a.model = m->name;
        a.provider = m->provider;
        a.providerModel = m->id;
        a.result.httpStatus = 200;
        a.result.content = QStringLiteral("answer");
        a.result.usage.promptTokens = 20000 + 5000 * i;
        a.result.usage.completionTokens = 1500 + 100 * i;
        a.result.ttftMs = 300;
        a.result.totalMs = 2000;
        Ledger::Context ctx;
        ctx.requestId = QStringLiteral("%1-%2-%3").arg(who, model).arg(i);
        ctx.client = QStringLiteral("window");
        ctx.taskType = QStringLiteral("chat");
        ctx.rule = QStringLiteral("default");
        out << Ledger::rowFor(a, ctx, config, QDateTime(QDate::currentDate(), QTime(hour, i)).toUTC());
    }
    return out;
}

QMap<QString, qint64> totals(const QList<LedgerRow> &rows)
{
    QMap<QString, qint64> out;
    for (const LedgerRow &r : rows) {
        if (r.costMicros >= 0 && !r.currency.isEmpty())
            out[r.currency] += r.costMicros;
    }
    return out;
}

// Each bar set of a chart's bar series: its label, its colour and the sum of its values in micros.
struct Bar
{
    QColor color;
    qint64 micros = 0;
};
QMap<QString, Bar> bars(QChartView *view)
{
    QMap<QString, Bar> out;
    const QList<QAbstractSeries *> series = view->chart()->series();
    if (series.isEmpty())
        return out;
    if (auto *set = qobject_cast<QAbstractBarSeries *>(series.first())) {
        for (QBarSet *s : set->barSets()) {
            double sum = 0;
            for (int i = 0; i < s->count(); ++i)
                sum += s->at(i);
            out.insert(s->label(), Bar {s->color(), qRound64(sum * double(Money::MicrosPerUnit))});
        }
    }
    return out;
}

void writeLocalRows(const QString &path, const QList<LedgerRow> &rows)
{
    Database db(path);
    QSignalSpy opened(&db, &Database::opened);
    db.open();
    QVERIFY(opened.wait(10000));
    Ledger ledger(&db);
    QSignalSpy committed(&db, &Database::batchCommitted);
    for (const LedgerRow &r : rows)
        ledger.finished(r);
    ledger.flush();
    QVERIFY(committed.wait(10000));
}

} // namespace

class TestTeamDashboard : public QObject
{
    Q_OBJECT

    PgServer server;
    QTemporaryDir dir;
    std::shared_ptr<FakeSecretBackend::Shared> keychain = std::make_shared<FakeSecretBackend::Shared>();
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<ConfigStore> config;
    std::unique_ptr<Database> database;
    std::unique_ptr<TeamLink> team;
    std::unique_ptr<DashboardPage> page;
    QHash<QString, QList<LedgerRow>> rowsOf;   // member → rows

    template<typename T>
    T *find(const char *name)
    {
        T *w = page->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no %s", name);
        return w;
    }

    QMap<QString, qint64> everyone() const
    {
        QList<LedgerRow> all;
        for (const QList<LedgerRow> &rows : rowsOf)
            all << rows;
        return totals(all);
    }

    void chooseMember(const QString &member)
    {
        auto *box = find<QComboBox>("dashboardMember");
        const int i = box->findData(member);
        QVERIFY2(i >= 0, qPrintable(member));
        box->setCurrentIndex(i);
        emit box->activated(i);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QCOMPARE(Translations::install(*qApp, QStringLiteral("en_US")), QStringLiteral("en"));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY2(server.start(), qPrintable(server.error()));
        QVERIFY(server.createDatabase(QStringLiteral("team")));
        QString error;
        const auto ownerAddress = TeamAddress::parse(server.url(server.ownerUser(), QStringLiteral("team")), &error);
        QVERIFY2(ownerAddress, qPrintable(error));
        {
            std::optional<QSqlDatabase> owner = TeamDatabase::open(*ownerAddress, {}, QStringLiteral("owner"), &error);
            QVERIFY2(owner, qPrintable(error));
            QVERIFY2(TeamDatabase::init(*owner, QStringLiteral("team"), &error), qPrintable(error));
            const TeamDatabase::Roles roles = TeamDatabase::rolesFor(QStringLiteral("team"));
            for (const QString &member : {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}) {
                QVERIFY(server.createRole(member, memberPassword));
                QVERIFY(server.exec(QStringLiteral("GRANT %1 TO %2").arg(roles.members, member), QStringLiteral("team")));
            }

            // Budgets in USD: the team's, bob's own, and dave's (not in this ledger's month).
            QFile yaml(dir.filePath(QStringLiteral("config.yaml")));
            QVERIFY(yaml.open(QIODevice::WriteOnly));
            yaml.write(ConfigLoader::builtInCatalog());
            yaml.write(QStringLiteral("team:\n  url: \"%1\"\n  member: alice\n"
                                      "budgets:\n  - {currency: USD, monthly: 100}\n"
                                      "  - {currency: USD, monthly: 0.05, member: bob}\n"
                                      "  - {currency: USD, monthly: 7, member: dave}\n")
                           .arg(server.url(QStringLiteral("alice"), QStringLiteral("team")))
                           .toUtf8());
            yaml.close();
            config = std::make_unique<ConfigStore>(dir.filePath(QStringLiteral("config.yaml")));
            QVERIFY2(config->reload(), qPrintable(config->lastError()));
            QVERIFY(config->config().team.isSet());

            const Config &c = config->config();
            rowsOf.insert(QStringLiteral("alice"), callsOf(c, QStringLiteral("alice"), QStringLiteral("deepseek-v4-pro"), 4, 9));
            rowsOf.insert(QStringLiteral("bob"), callsOf(c, QStringLiteral("bob"), QStringLiteral("kimi-2.6"), 6, 10)
                                                      + callsOf(c, QStringLiteral("bob"), QStringLiteral("deepseek-v4-pro"), 2, 11));
            rowsOf.insert(QStringLiteral("carol"), callsOf(c, QStringLiteral("carol"), QStringLiteral("minimax-2.7"), 3, 12));
            for (const QString &member : {QStringLiteral("bob"), QStringLiteral("carol")})
                QVERIFY2(TeamRows::insert(*owner, member, rowsOf.value(member), &error), qPrintable(error));
            owner->close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("owner"));
        for (const QString &member : rowsOf.keys())
            QVERIFY2(everyone().value(QStringLiteral("USD")) > totals(rowsOf.value(member)).value(QStringLiteral("USD")),
                     "every member must have spent something in USD");

        // alice's own calls are in her local ledger; the outbox sends them.
        const QString dbPath = dir.filePath(QStringLiteral("switchyard.sqlite3"));
        writeLocalRows(dbPath, rowsOf.value(QStringLiteral("alice")));
        keychain->entries.insert(SecretStore::teamAccount(), memberPassword);
        secrets = std::make_unique<SecretStore>(std::make_unique<FakeSecretBackend>(keychain));
        database = std::make_unique<Database>(dbPath);
        team = std::make_unique<TeamLink>(config.get(), secrets.get(), database.get());
        page = std::make_unique<DashboardPage>(config.get(), dbPath);
        page->setSecretStore(secrets.get());
        page->setTeam(team.get());
        database->open();
        page->resize(1100, 900);
        page->show();
        QTRY_COMPARE_WITH_TIMEOUT(team->status().state, TeamLink::Status::State::UpToDate, 20000);
        QCOMPARE(server.value(QStringLiteral("SELECT count(*) FROM ledger WHERE member = 'alice'"), QStringLiteral("team")).toInt(),
                 rowsOf.value(QStringLiteral("alice")).size());
    }

    // Me: this profile's own ledger, with the switch showing since it is in a team.
    void meScope()
    {
        QTRY_VERIFY(find<QWidget>("dashboardScope")->isVisible());
        QCOMPARE(page->scope(), DashboardPage::Scope::Me);
        QTRY_VERIFY(page->report());
        QCOMPARE(page->report()->totalCost, totals(rowsOf.value(QStringLiteral("alice"))));
        QVERIFY(!find<QComboBox>("dashboardMember")->isVisible());
        QVERIFY(!find<QChartView>("dashboardMemberChart")->isVisible());
        // bob's and dave's budgets are theirs: only the team's shows here, against alice's spend.
        QCOMPARE(page->report()->budgets.size(), 1);
        QCOMPARE(page->report()->budgets[0].budget.member, QString());
        QCOMPARE(page->report()->budgets[0].spentMicros, totals(rowsOf.value(QStringLiteral("alice"))).value(QStringLiteral("USD")));
    }

    // Team: every member's rows, read from PostgreSQL off the GUI thread.
    void teamScope()
    {
        QSignalSpy shown(page.get(), &DashboardPage::reportShown);
        QTest::mouseClick(find<QPushButton>("dashboardScopeTeam"), Qt::LeftButton);
        QCOMPARE(page->scope(), DashboardPage::Scope::Team);
        QCOMPARE(find<QLabel>("dashboardStatus")->text(), QStringLiteral("Loading the team's figures…"));
        QVERIFY(shown.wait(20000));
        const LedgerReport *r = page->report();
        QVERIFY(r->query.team);
        QCOMPARE(r->totalCost, everyone());
        QCOMPARE(r->attempts, qint64(4 + 8 + 3));
        QCOMPARE(r->members, QStringList({QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
        QStringList models;
        for (const LedgerReport::ModelLine &m : r->models)
            models << m.model;
        models.sort();
        QCOMPARE(models, QStringList({QStringLiteral("deepseek-v4-pro"), QStringLiteral("kimi-2.6"), QStringLiteral("minimax-2.7")}));
        QVERIFY(find<QLabel>("dashboardSpend")->text().contains(Money::display(everyone(), QLocale()).toHtmlEscaped()));

        auto *member = find<QComboBox>("dashboardMember");
        QVERIFY(member->isVisible());
        QCOMPARE(member->count(), 4);
        QCOMPARE(member->itemText(0), QStringLiteral("All members"));
        QCOMPARE(member->itemData(2).toString(), QStringLiteral("bob"));

        // One bar per member, each its spend in USD, each its own colour.
        auto *chart = find<QChartView>("dashboardMemberChart");
        QVERIFY(chart->isVisible());
        QCOMPARE(chart->chart()->title(), QStringLiteral("Spend by member (USD)"));
        const QMap<QString, Bar> perMember = bars(chart);
        QCOMPARE(perMember.keys(), QStringList({QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
        QSet<QRgb> colors;
        for (auto it = perMember.cbegin(); it != perMember.cend(); ++it) {
            QCOMPARE(it.value().micros, totals(rowsOf.value(it.key())).value(QStringLiteral("USD")));
            colors.insert(it.value().color.rgb());
        }
        QCOMPARE(colors.size(), 3);
    }

    void memberFilter()
    {
        QSignalSpy shown(page.get(), &DashboardPage::reportShown);
        const QColor bobColor = bars(find<QChartView>("dashboardMemberChart")).value(QStringLiteral("bob")).color;
        chooseMember(QStringLiteral("bob"));
        QVERIFY(shown.wait(20000));
        const LedgerReport *r = page->report();
        QCOMPARE(r->query.filter.member, QStringLiteral("bob"));
        QCOMPARE(r->totalCost, totals(rowsOf.value(QStringLiteral("bob"))));
        QCOMPARE(r->attempts, qint64(8));
        QCOMPARE(r->members.size(), 3);   // the filter still offers everyone
        const QMap<QString, Bar> perMember = bars(find<QChartView>("dashboardMemberChart"));
        QCOMPARE(perMember.keys(), QStringList({QStringLiteral("bob")}));
        QCOMPARE(perMember.value(QStringLiteral("bob")).color, bobColor);   // the same colour, filtered or not
        // The costliest calls are bob's.
        for (const LedgerRow &row : r->costliest.value(QStringLiteral("USD")))
            QVERIFY2(row.requestId.startsWith(QLatin1String("bob-")), qPrintable(row.requestId));

        chooseMember(QString());
        QVERIFY(shown.wait(20000));
        QCOMPARE(page->report()->totalCost, everyone());
    }

    // In Team scope a budget with a member is that member's spend, one without the team's.
    void budgets()
    {
        QCOMPARE(page->scope(), DashboardPage::Scope::Team);
        const LedgerReport *r = page->report();
        QCOMPARE(r->budgets.size(), 3);
        QHash<QString, qint64> spent;
        for (const LedgerReport::BudgetStatus &b : r->budgets)
            spent.insert(b.budget.member, b.spentMicros);
        QCOMPARE(spent.value(QString()), everyone().value(QStringLiteral("USD")));
        QCOMPARE(spent.value(QStringLiteral("bob")), totals(rowsOf.value(QStringLiteral("bob"))).value(QStringLiteral("USD")));
        QCOMPARE(spent.value(QStringLiteral("dave")), qint64(0));
        // bob's 0.05 USD is long spent.
        auto *banner = find<QLabel>("dashboardBudgetBanner");
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("Over budget")) && banner->text().contains(QLatin1String("USD (bob)")),
                 qPrintable(banner->text()));
    }

    // The server stops: the last figures stay, with a sentence; it comes back: fresh figures.
    void unreachable()
    {
        const QMap<QString, qint64> before = page->report()->totalCost;
        QVERIFY(server.stop());
        page->refresh();
        auto *status = find<QLabel>("dashboardStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("The team's figures below were read at")), 20000);
        QCOMPARE(page->report()->totalCost, before);
        QCOMPARE(page->scope(), DashboardPage::Scope::Team);
        // Again, now on a fresh connection that cannot be made.
        page->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Cannot reach the team database")), 20000);
        QVERIFY(status->text().contains(QLatin1String("The team's figures below were read at")));

        QVERIFY2(server.start(), qPrintable(server.error()));
        QSignalSpy shown(page.get(), &DashboardPage::reportShown);
        page->refresh();
        QVERIFY(shown.wait(20000));
        QCOMPARE(page->report()->totalCost, everyone());
        QVERIFY(!status->text().contains(QLatin1String("read at")));
    }

    void backToMe()
    {
        QSignalSpy shown(page.get(), &DashboardPage::reportShown);
        QTest::mouseClick(find<QPushButton>("dashboardScopeMe"), Qt::LeftButton);
        QCOMPARE(page->scope(), DashboardPage::Scope::Me);
        QVERIFY(!find<QComboBox>("dashboardMember")->isVisible());
        QTRY_COMPARE(page->report()->query.team, false);
        QCOMPARE(page->report()->totalCost, totals(rowsOf.value(QStringLiteral("alice"))));
    }

    void cleanupTestCase()
    {
        page.reset();
        team.reset();
        database.reset();
    }
};

QTEST_MAIN(TestTeamDashboard)
#include "tst_teamdashboard.moc"
