#include "RoutingPage.h"

#include "LedgerReport.h"
#include "Money.h"

#include "ConfigLoader.h"
#include "ConfigStore.h"
#include "ConfigWriter.h"
#include "ModelChoiceDelegate.h"
#include "RequestAnalyzer.h"
#include "RoutesModel.h"
#include "KeyStatus.h"
#include "Router.h"
#include "SaveBar.h"
#include "TeamLink.h"
#include "TeamRulesBanner.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

RoutingPage::RoutingPage(ConfigStore *config, const QString &databasePath, QWidget *parent)
    : DraftPage(parent)
    , m_config(config)
    , m_model(new RoutesModel(this))
{
    setObjectName(QStringLiteral("routingPage"));
    auto *intro = new QLabel(tr("The first rule that matches picks the model; the default route takes everything else. "
                                "Drag rows to reorder them. The rule language is described in docs/routing.md."),
                             this);
    intro->setWordWrap(true);
    m_teamBanner = new TeamRulesBanner(config, this);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("routesTable"));
    m_table->setAccessibleName(tr("Routing rules"));
    m_table->setModel(m_model);
    m_modelDelegate = new ModelChoiceDelegate(config, m_table);
    m_table->setItemDelegateForColumn(RoutesModel::Model, m_modelDelegate);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setDragEnabled(true);
    m_table->setAcceptDrops(true);
    m_table->setDropIndicatorShown(true);
    m_table->setDragDropMode(QAbstractItemView::InternalMove);
    m_table->setDefaultDropAction(Qt::MoveAction);
    m_table->setDragDropOverwriteMode(false);
    m_table->horizontalHeader()->setSectionResizeMode(RoutesModel::Match, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(RoutesModel::Name, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RoutesModel::Model, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RoutesModel::Fallback, QHeaderView::ResizeToContents);
    m_table->setMinimumHeight(150);
    m_table->setMaximumHeight(230);

    auto button = [this](const QString &text, const char *name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(QLatin1String(name));
        return b;
    };
    QPushButton *add = button(tr("Add Rule"), "addRuleButton");
    QPushButton *remove = button(tr("Remove"), "removeRuleButton");
    QPushButton *up = button(tr("Move Up"), "moveRuleUpButton");
    QPushButton *down = button(tr("Move Down"), "moveRuleDownButton");
    QPushButton *importButton = button(tr("Import…"), "importRoutesButton");
    QPushButton *exportButton = button(tr("Export…"), "exportRoutesButton");
    auto *tableButtons = new QHBoxLayout;
    for (QPushButton *b : {add, remove, up, down})
        tableButtons->addWidget(b);
    m_editButtons = {add, remove, up, down, importButton};
    tableButtons->addStretch();
    tableButtons->addWidget(importButton);
    tableButtons->addWidget(exportButton);

    m_yaml = new QPlainTextEdit(this);
    m_yaml->setObjectName(QStringLiteral("routesYamlEdit"));
    m_yaml->setAccessibleName(tr("Routing rules as YAML"));
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_yaml->setMinimumHeight(120);
    m_yaml->setMaximumHeight(170);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("routesStatusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *tryLabel = new QLabel(tr("Try a request:"), this);
    m_tryText = new QLineEdit(this);
    m_tryText->setObjectName(QStringLiteral("tryRequestEdit"));
    m_tryText->setAccessibleName(tr("A request to try the rules on"));
    m_tryText->setPlaceholderText(tr("Type what a user might ask, or paste a long text"));
    m_tryTask = new QComboBox(this);
    m_tryTask->setObjectName(QStringLiteral("tryTaskCombo"));
    m_tryTask->setAccessibleName(tr("Task type"));
    m_tryTask->addItem(tr("Auto-detect task"), QString());
    for (const QString &t : RequestAnalyzer::taskTypes())
        m_tryTask->addItem(t, t);
    m_tryResult = new QLabel(this);
    m_tryResult->setObjectName(QStringLiteral("tryResultLabel"));
    m_tryResult->setWordWrap(true);
    m_tryResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *tryRow = new QHBoxLayout;
    tryRow->addWidget(tryLabel);
    tryRow->addWidget(m_tryText, 1);
    tryRow->addWidget(m_tryTask);

    m_bar = new SaveBar(QStringLiteral("Routes"), this);

    // Replaying past calls under the draft: the bill before switching.
    auto *replayRow = new QHBoxLayout;
    if (!databasePath.isEmpty()) {
        m_ledger = std::make_unique<LedgerReader>(databasePath);
        m_replayPeriod = new QComboBox(this);
        m_replayPeriod->setObjectName(QStringLiteral("replayPeriodCombo"));
        m_replayPeriod->setAccessibleName(tr("Period to replay"));
        m_replayPeriod->addItem(tr("Last 7 days"), 7);
        m_replayPeriod->addItem(tr("Last 30 days"), 30);
        m_replayPeriod->addItem(tr("Last 90 days"), 90);
        m_replayPeriod->setCurrentIndex(1);
        m_replayButton = button(tr("Estimate the Bill"), "replayButton");
        m_replayButton->setToolTip(tr("Route the recorded calls again with the rules above, and price them with the "
                                      "tokens they really used"));
        m_replayResult = new QLabel(this);
        m_replayResult->setObjectName(QStringLiteral("replayResultLabel"));
        m_replayResult->setWordWrap(true);
        m_replayResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *replayLabel = new QLabel(tr("These rules over past calls:"), this);
        replayLabel->setBuddy(m_replayPeriod);
        replayRow->addWidget(replayLabel);
        replayRow->addWidget(m_replayPeriod);
        replayRow->addWidget(m_replayButton);
        replayRow->addWidget(m_replayResult, 1);
        connect(m_replayButton, &QPushButton::clicked, this, &RoutingPage::estimateBill);
    }

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_teamBanner);
    layout->addWidget(intro);
    layout->addWidget(m_table);
    layout->addLayout(tableButtons);
    layout->addWidget(m_yaml);
    layout->addWidget(m_status);
    layout->addLayout(tryRow);
    layout->addWidget(m_tryResult);
    layout->addLayout(replayRow);
    layout->addStretch(1);
    layout->addWidget(m_bar);   // Settings moves it below the scrolling content

    m_yamlTimer.setSingleShot(true);
    m_yamlTimer.setInterval(250);
    connect(&m_yamlTimer, &QTimer::timeout, this, &RoutingPage::yamlEdited);
    connect(m_yaml, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_syncing)
            m_yamlTimer.start();
    });
    connect(m_model, &RoutesModel::routesEdited, this, &RoutingPage::tableEdited);
    connect(add, &QPushButton::clicked, this, [this] {
        const int row = m_model->addRule();
        m_table->selectRow(row);
        m_table->edit(m_model->index(row, RoutesModel::Match));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty() && !m_model->removeRows(rows.first().row(), 1))
            m_status->setText(tr("The default route cannot be removed; every request needs somewhere to go."));
    });
    connect(up, &QPushButton::clicked, this, [this] { move(-1); });
    connect(down, &QPushButton::clicked, this, [this] { move(+1); });
    connect(importButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Import Routing Rules"), QString(), tr("YAML files (*.yaml *.yml)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            QString error;
            if (!importFrom(path, &error))
                m_status->setText(error);
        });
        dialog->open();
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Export Routing Rules"), QStringLiteral("routes.yaml"), tr("YAML files (*.yaml *.yml)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            QString error;
            m_status->setText(exportTo(path, &error) ? tr("Exported to %1.").arg(path) : error);
        });
        dialog->open();
    });
    connect(m_tryText, &QLineEdit::textChanged, this, &RoutingPage::updateTry);
    connect(m_tryTask, &QComboBox::currentIndexChanged, this, &RoutingPage::updateTry);
    connect(m_bar, &SaveBar::saveClicked, this, &RoutingPage::save);
    connect(m_bar, &SaveBar::revertClicked, this, &RoutingPage::revert);
    connect(m_config, &ConfigStore::configChanged, this, [this] {
        if (!hasUnsavedChanges())
            load();
    });
    m_editTriggers = int(m_table->editTriggers());
    connect(m_teamBanner, &TeamRulesBanner::changed, this, &RoutingPage::updateTeamMode);
    load();
}

void RoutingPage::setTeam(TeamLink *team)
{
    m_team = team;
    m_teamBanner->setTeam(team);
    updateTeamMode();
}

void RoutingPage::updateTeamMode()
{
    // A courtesy: PostgreSQL decides, and a publish it refuses says so in the bar.
    const bool readOnly = TeamRulesBanner::readOnly(m_team, m_config);
    m_table->setEditTriggers(readOnly ? QAbstractItemView::NoEditTriggers : QAbstractItemView::EditTriggers(m_editTriggers));
    m_table->setDragEnabled(!readOnly);
    m_table->setAcceptDrops(!readOnly);
    m_yaml->setReadOnly(readOnly);
    for (QPushButton *b : std::as_const(m_editButtons))
        b->setEnabled(!readOnly);
}

RoutingPage::~RoutingPage()
{
    // Qt deletes the children after this page's members are gone, and the table commits an editor
    // left open as it goes (the editor loses focus): unhook the model, so that edit never reaches
    // tableEdited() on a half-destroyed page.
    m_model->disconnect(this);
}

void RoutingPage::estimateBill()
{
    if (!m_ledger)
        return;
    if (!m_yamlError.isEmpty() || m_model->hasProblems()) {
        m_replayResult->setText(tr("Fix the rules first."));
        emit replayFinished();
        return;
    }
    const int days = m_replayPeriod->currentData().toInt();
    const QDate today = QDate::currentDate();
    const Ledger::Filter filter = Ledger::Filter::forDays(today.addDays(1 - days), today);
    const Config rules = draft();
    m_replayButton->setEnabled(false);
    m_replayResult->setText(tr("Replaying…"));
    auto result = std::make_shared<std::optional<LedgerReplay>>();
    auto error = std::make_shared<QString>();
    m_ledger->run(
        [filter, rules, result, error](QSqlDatabase *db, const QString &openError) {
            if (!db)
                *error = openError;
            else
                *result = LedgerReplay::run(*db, filter, rules, error.get());
        },
        [this, result, error] {
            m_replayButton->setEnabled(true);
            const QLocale locale;
            if (!*result) {
                m_replayResult->setText(tr("The ledger could not be read: %1").arg(*error));
            } else if ((*result)->requests == 0) {
                m_replayResult->setText(tr("No calls were recorded in this period, so there is nothing to replay."));
            } else {
                const LedgerReplay &r = **result;
                QString text = tr("%1 calls would have cost %2 (they cost %3); %4 go to another model.")
                                   .arg(locale.toString(r.requests), Money::display(r.replayed, locale), Money::display(r.actual, locale),
                                        locale.toString(r.changed));
                if (r.replayedUnpriced)
                    text += QLatin1Char(' ') + tr("%1 would go to models with no price and are not counted.")
                                                   .arg(locale.toString(r.replayedUnpriced));
                if (!r.guessedVariables.isEmpty())
                    text += QLatin1Char(' ') + tr("The ledger does not keep %1; those conditions are judged from the "
                                                  "task type, or taken as 0 and \"auto\".")
                                                   .arg(r.guessedVariables.join(QStringLiteral(", ")));
                m_replayResult->setText(text);
            }
            emit replayFinished();
        });
}

Config RoutingPage::draft() const
{
    Config c = m_config->config();
    c.routes = m_model->routes();
    return c;
}

void RoutingPage::load()
{
    m_dirty = false;
    m_yamlError.clear();
    m_model->setRoutes(m_config->config().routes, m_config->config());
    m_syncing = true;
    m_yaml->setPlainText(QString::fromUtf8(ConfigWriter::routesToYaml(m_config->config().routes)));
    m_syncing = false;
    updateStatus();
    updateTry();
}

void RoutingPage::tableEdited()
{
    if (m_syncing)
        return;
    m_dirty = true;
    m_yamlError.clear();
    m_syncing = true;
    m_yaml->setPlainText(QString::fromUtf8(ConfigWriter::routesToYaml(m_model->routes())));
    m_syncing = false;
    updateStatus();
    updateTry();
}

void RoutingPage::yamlEdited()
{
    // The rules are checked as part of the whole file, so model names and the default are known.
    const QByteArray prefix = ConfigWriter::toYamlWithoutRoutes(m_config->config());
    const int prefixLines = int(prefix.count('\n'));
    const ConfigLoadResult r = ConfigLoader::parse(prefix + m_yaml->toPlainText().toUtf8());
    m_dirty = true;
    if (!r.ok()) {
        ConfigDiagnostic first = r.errors().constFirst();
        first.line = first.line > prefixLines ? first.line - prefixLines : 0;   // 0: about the whole text
        m_yamlError = first.toString();
        updateStatus();
        return;
    }
    m_yamlError.clear();
    m_syncing = true;
    m_model->setRoutes(r.config->routes, m_config->config());
    m_syncing = false;
    updateStatus();
    updateTry();
}

void RoutingPage::updateStatus()
{
    QString text;
    bool ok = false;
    if (!m_yamlError.isEmpty()) {
        text = tr("The YAML has an error: %1").arg(m_yamlError);
    } else if (m_model->hasProblems()) {
        for (int i = 0; i < m_model->rowCount() && text.isEmpty(); ++i)
            text = m_model->problem(i);
    } else {
        ok = true;
        text = m_dirty ? tr("%1 rules, all valid. Unsaved changes.").arg(m_model->rowCount())
                       : tr("%1 rules, all valid.").arg(m_model->rowCount());
    }
    m_status->setText(text);
    m_status->setStyleSheet(ok ? QString() : QStringLiteral("color: #b3261e;"));
    // The bar keeps the last Save's confirmation until there is something new to save.
    if (m_dirty)
        m_bar->showUnsaved(ok ? QString() : text);
}

void RoutingPage::updateTry()
{
    const QString text = m_tryText->text();
    if (text.isEmpty()) {
        m_tryResult->setText(tr("Type a request above to see where it would go."));
        return;
    }
    if (m_model->hasProblems() || !m_yamlError.isEmpty()) {
        m_tryResult->setText(tr("Fix the rules first."));
        return;
    }
    ChatRequest request;
    request.messages = {ChatMessage::text(QStringLiteral("user"), text)};
    // As the chat would route it now: models whose provider has no key are passed over.
    const Router router(draft(), m_keys ? m_keys->keyless() : QSet<QString>());
    const RouteDecision d = router.decide(request, QStringLiteral("auto"), QStringLiteral("window"), m_tryTask->currentData().toString());
    QStringList passed;
    for (const RouteDecision::PassedOver &p : d.passedOver)
        passed << tr("%1 (%2)").arg(p.model, p.why).toHtmlEscaped();
    const QString passedLine = passed.isEmpty() ? QString()
                                                : QStringLiteral("<br>") + tr("Passed over: %1.").arg(passed.join(QStringLiteral("; ")));
    if (!d.error.isEmpty()) {
        m_tryResult->setText(d.error.toHtmlEscaped() + passedLine);
        return;
    }
    m_tryResult->setText(tr("<b>%1</b> → <b>%2</b> (%3, %4). Then: %5.<br>About %6 input tokens, task %7. %8")
                             .arg(d.rule.toHtmlEscaped(), d.model.toHtmlEscaped(), d.provider.toHtmlEscaped(),
                                  d.providerModel.toHtmlEscaped(),
                                  d.fallback.isEmpty() ? tr("nothing") : d.fallback.join(QStringLiteral(", ")).toHtmlEscaped(),
                                  QLocale().toString(d.contextLength), d.taskType, d.why.toHtmlEscaped())
                         + passedLine);
}

void RoutingPage::move(int delta)
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const int row = rows.first().row();
    const int destination = delta < 0 ? row - 1 : row + 2;
    if (m_model->moveRows({}, row, 1, {}, destination))
        m_table->selectRow(delta < 0 ? row - 1 : row + 1);
}

void RoutingPage::setKeyStatus(KeyStatus *keys)
{
    m_modelDelegate->setKeyStatus(keys);
    m_keys = keys;
    connect(keys, &KeyStatus::changed, this, &RoutingPage::updateTry);   // a key added changes where a request goes
}

QString RoutingPage::draftName() const
{
    return tr("the routing rules");
}

bool RoutingPage::save()
{
    if (m_yamlTimer.isActive()) {   // the last keystrokes in the YAML are part of what is saved
        m_yamlTimer.stop();
        yamlEdited();
    }
    if (!m_yamlError.isEmpty() || m_model->hasProblems()) {
        updateStatus();   // the bar says what to fix
        return false;
    }
    if (TeamRulesBanner::publishes(m_team, m_config)) {
        // The routes are the team's: config.yaml keeps this machine's own (ConfigStore::save).
        // Publishing takes a moment, so this Save has not happened yet: the edits stay until it has.
        publish();
        return false;
    }
    QString error;
    if (!m_config->save(draft(), &error)) {
        m_bar->showFailure(tr("Not saved: %1").arg(error));
        return false;
    }
    m_dirty = false;
    load();
    m_bar->showSaved(tr("Saved to config.yaml."));
    return true;
}

namespace {

// What a new version changes in the routes, for the team's history: "routes: 4 rules (1 added)".
// Rules found unchanged anywhere are set aside; of the rest, one gone and one new make a change.
QString routesSummary(const QList<RouteConfig> &before, const QList<RouteConfig> &after)
{
    auto same = [](const RouteConfig &a, const RouteConfig &b) {
        return a.isDefault == b.isDefault && a.name == b.name && a.match == b.match && a.model == b.model
               && a.fallback == b.fallback;
    };
    QList<RouteConfig> gone = before;
    int kept = 0;
    for (const RouteConfig &r : after) {
        for (qsizetype i = 0; i < gone.size(); ++i) {
            if (same(gone.at(i), r)) {
                gone.removeAt(i);
                ++kept;
                break;
            }
        }
    }
    const int removedOrChanged = int(gone.size());
    const int addedOrChanged = int(after.size()) - kept;
    const int changed = std::min(removedOrChanged, addedOrChanged);
    const int added = addedOrChanged - changed;
    const int removed = removedOrChanged - changed;
    bool reordered = false;
    for (qsizetype i = 0; i < after.size() && !reordered && changed + added + removed == 0; ++i)
        reordered = !same(before.at(i), after.at(i));
    QStringList parts;
    if (added)
        parts << RoutingPage::tr("%n added", nullptr, added);
    if (changed)
        parts << RoutingPage::tr("%n changed", nullptr, changed);
    if (removed)
        parts << RoutingPage::tr("%n removed", nullptr, removed);
    if (reordered)
        parts << RoutingPage::tr("reordered");
    const QString count = RoutingPage::tr("routes: %n rule(s)", nullptr, int(after.size()));
    return parts.isEmpty() ? count : RoutingPage::tr("%1 (%2)").arg(count, parts.join(QStringLiteral(", ")));
}

} // namespace

void RoutingPage::publish()
{
    if (m_publishing)
        return;
    m_publishing = true;
    m_bar->showBusy(tr("Publishing to the team…"));
    const Config rules = draft();
    m_team->publishRules(rules, routesSummary(m_config->config().routes, rules.routes), this,
                         [this](qint64 version, const QString &error) {
                             m_publishing = false;
                             if (version <= 0) {
                                 // Nothing is lost: the edits stay for another try, or for Revert.
                                 m_bar->showFailure(tr("Not published: %1").arg(error));
                                 return;
                             }
                             // The version comes back through TeamLink::rulesChanged, and the page
                             // shows it then (configChanged reloads a page with no edits).
                             m_dirty = false;
                             updateStatus();
                             m_bar->showSaved(tr("Published as version %1 of the team's rules.").arg(version));
                         });
}

void RoutingPage::revert()
{
    m_yamlTimer.stop();
    load();
    m_bar->showDiscarded();
}

bool RoutingPage::importFrom(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray text = file.readAll();
    // A whole config.yaml, or a file with only routes (checked against this configuration's models).
    ConfigLoadResult r = ConfigLoader::parse(text);
    if (!r.ok()) {
        const QByteArray prefix = ConfigWriter::toYamlWithoutRoutes(m_config->config());
        r = ConfigLoader::parse(prefix + text);
        if (!r.ok()) {
            ConfigDiagnostic first = r.errors().constFirst();
            const int prefixLines = int(prefix.count('\n'));
            first.line = first.line > prefixLines ? first.line - prefixLines : 0;   // not in the user's file
            *error = path + QStringLiteral(", ") + first.toString();
            return false;
        }
    }
    m_model->setRoutes(r.config->routes, m_config->config());
    if (m_model->hasProblems()) {
        *error = tr("The rules in %1 name models this configuration does not have.").arg(path);
        load();
        return false;
    }
    tableEdited();
    m_status->setText(tr("Imported %1 rules from %2. Save to use them.").arg(m_model->rowCount()).arg(path));
    return true;
}

bool RoutingPage::exportTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    const QByteArray text = ConfigWriter::routesToYaml(m_model->routes());
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
