#include "DashboardPage.h"

#include "AxisTicks.h"
#include "ConfigStore.h"
#include "EmptyState.h"
#include "Money.h"
#include "ReportTableModel.h"
#include "SecretStore.h"
#include "TeamDatabase.h"
#include "TeamLink.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QButtonGroup>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QFontMetricsF>
#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegend>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtMath>

#include <atomic>
#include <numeric>

namespace {

enum class Period { Last7, Last30, ThisMonth, LastMonth, Last90, ThisYear };

std::pair<QDate, QDate> daysOf(Period p, QDate today)
{
    switch (p) {
    case Period::Last7: return {today.addDays(-6), today};
    case Period::Last30: return {today.addDays(-29), today};
    case Period::ThisMonth: return {QDate(today.year(), today.month(), 1), today};
    case Period::LastMonth: {
        const QDate first = QDate(today.year(), today.month(), 1).addMonths(-1);
        return {first, first.addMonths(1).addDays(-1)};
    }
    case Period::Last90: return {today.addDays(-89), today};
    case Period::ThisYear: return {QDate(today.year(), 1, 1), today};
    }
    return {today, today};
}

// Plotting only: a chart axis needs a double. Stored and shown figures stay integer micro-units.
double units(qint64 micros)
{
    return double(micros) / double(Money::MicrosPerUnit);
}

QString percent(qint64 part, qint64 whole, const QLocale &locale)
{
    if (whole <= 0)
        return QStringLiteral("—");
    return locale.toString(100.0 * double(part) / double(whole), 'f', 1) + QLatin1Char('%');
}

QString millis(qint64 ms, const QLocale &locale)
{
    if (ms < 0)
        return QStringLiteral("—");
    if (ms < 1000)
        return DashboardPage::tr("%1 ms").arg(locale.toString(ms));
    return DashboardPage::tr("%1 s").arg(locale.toString(double(ms) / 1000.0, 'f', 1));
}

// "median / 95th percentile"; marked ≈ when they come from a sample of a long period's answers.
ReportTableModel::Cell timingCell(const QString &median, const QString &p95, qint64 raw, double sampledPercent)
{
    const QString text = DashboardPage::tr("%1 / %2").arg(median, p95);
    if (sampledPercent >= 100)
        return ReportTableModel::Cell::number(text, raw);
    return ReportTableModel::Cell::number(
        DashboardPage::tr("≈ %1").arg(text), raw,
        DashboardPage::tr("Estimated from a sample of about %1% of the team ledger's calls in this period: it holds "
                          "too many to read them all quickly.")
            .arg(QLocale().toString(sampledPercent, 'f', sampledPercent < 10 ? 1 : 0)));
}

// The task types of the rule language, as people read them; an unknown one as it is.
// The endpoint's doors (the ledger's `api` column) as people know them.
QString apiLabel(const QString &id)
{
    if (id == u"chat")
        return DashboardPage::tr("Chat completions");
    if (id == u"responses")
        return DashboardPage::tr("Responses");
    if (id == u"messages")
        return DashboardPage::tr("Anthropic Messages");
    if (id == u"embeddings")
        return DashboardPage::tr("Embeddings");
    return id;
}

QString taskLabel(const QString &id)
{
    if (id == u"chat")
        return DashboardPage::tr("Chat");
    if (id == u"code")
        return DashboardPage::tr("Code");
    if (id == u"reasoning")
        return DashboardPage::tr("Reasoning");
    if (id == u"long_document")
        return DashboardPage::tr("Long document");
    if (id == u"vision")
        return DashboardPage::tr("Vision");
    if (id.isEmpty())
        return DashboardPage::tr("(none)");
    return id;
}

// What became of the attempts that did not answer: failed, stopped by the user (not an error),
// passed over for want of a key (nothing sent).
QString outcomes(qint64 errors, qint64 stopped, qint64 passedOver)
{
    QStringList parts {DashboardPage::tr("%Ln failed attempt(s)", nullptr, int(errors))};
    if (stopped > 0)
        parts << DashboardPage::tr("%Ln stopped", "answers the user stopped; not errors", int(stopped));
    if (passedOver > 0)
        parts << DashboardPage::tr("%Ln passed over: no key", "models skipped because their provider has no key", int(passedOver));
    return parts.join(QStringLiteral(" · "));
}

QLabel *card(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::RichText);
    label->setFrameShape(QFrame::StyledPanel);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setMargin(10);
    label->setWordWrap(true);
    label->setMinimumHeight(72);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString cardText(const QString &title, const QString &figure, const QString &detail)
{
    // The colour itself: rich text's palette(placeholder-text) came out near black on the dark theme.
    return QStringLiteral("<span style='color: %1'>%2</span><br><b style='font-size: large'>%3</b><br>%4")
        .arg(QApplication::palette().color(QPalette::PlaceholderText).name(), title.toHtmlEscaped(), figure.toHtmlEscaped(),
             detail.toHtmlEscaped());
}

QChartView *chartView(QWidget *parent, const QString &objectName, int minimumHeight)
{
    // Given its chart at birth: QChartView() makes a default one that setChart() would leak.
    auto *view = new QChartView(new QChart, parent);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(minimumHeight);
    return view;
}

// A new chart for `view`, themed after the window's palette (light or dark).
QChart *freshChart(QChartView *view, const QString &title)
{
    auto *chart = new QChart;
    const bool dark = view->palette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(view->palette().brush(QPalette::Base));
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
    return chart;
}

// A money axis for `series` with a label at every tick of `ticks`, as many decimals as they need.
QCategoryAxis *moneyAxis(QChart *chart, QAbstractSeries *series, Qt::Alignment alignment, const AxisTicks &ticks,
                         const QLocale &locale)
{
    auto *axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setStartValue(0);
    const QList<qint64> values = ticks.values();
    const QStringList labels = ticks.labels(locale);
    for (int i = 0; i < values.size(); ++i)
        axis->append(labels[i], units(values[i]));
    chart->addAxis(axis, alignment);
    series->attachAxis(axis);
    axis->setRange(0, units(ticks.maxMicros()));
    if (alignment == Qt::AlignBottom) {   // room for the last label, centred on the plot's right edge
        QMargins margins = chart->margins();
        margins.setRight(margins.right() + qCeil(QFontMetricsF(axis->labelsFont()).horizontalAdvance(labels.last()) / 2));
        chart->setMargins(margins);
    }
    return axis;
}

QTableView *tableView(QWidget *parent, const QString &objectName, ReportTableModel *model, const QString &accessibleName)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(ReportTableModel::RawValueRole);
    auto *view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setAccessibleName(accessibleName);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);   // the report's own order until a click
    proxy->sort(-1);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setMinimumHeight(180);
    return view;
}

} // namespace

DashboardPage::DashboardPage(ConfigStore *config, const QString &databasePath, QWidget *parent)
    : QWidget(parent)
    , m_config(config)
    , m_reader(databasePath)
{
    setObjectName(QStringLiteral("dashboardPage"));
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(2000);
    connect(m_refreshTimer, &QTimer::timeout, this, &DashboardPage::refresh);
    // Both readers answer whatever the scope; only the scope shown is drawn.
    connect(&m_reader, &LedgerReader::ready, this, [this](const LedgerReport &report) {
        m_lastMe = report;
        if (m_scope == Scope::Me)
            showReport(report);
    });
    connect(&m_reader, &LedgerReader::failed, this, [this](const QString &error) {
        if (m_scope == Scope::Me)
            showFailure(error);
    });
    // For screenshots and trying the team's view by hand: start in Team scope once in a team.
    if (qEnvironmentVariable("SWITCHYARD_DASHBOARD_SCOPE") == u"team")
        m_wantedScope = Scope::Team;

    m_empty = new EmptyState(QStringLiteral(":/icons/dashboard.svg"), this);
    m_empty->setObjectName(QStringLiteral("dashboardEmptyState"));
    m_empty->setTitle(tr("No calls recorded yet"));
    m_empty->setBody(tr("Every call from the Chat page and from the local endpoint lands in the cost ledger with its "
                        "tokens, time and cost, and this page charts them. Ask something on the Chat page to see "
                        "the first one here."));
    m_empty->setAction(tr("Go to Chat"));
    connect(m_empty, &EmptyState::actionTriggered, this, &DashboardPage::openChatRequested);

    // The filter bar.
    auto labelled = [this](const QString &objectName, const QString &accessibleName) {
        auto *box = new QComboBox(this);
        box->setObjectName(objectName);
        box->setAccessibleName(accessibleName);
        // Narrow enough that the filter bar never widens the window; the popup shows whole names.
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
        return box;
    };
    m_period = labelled(QStringLiteral("dashboardPeriod"), tr("Period"));
    m_period->addItem(tr("Last 7 days"), int(Period::Last7));
    m_period->addItem(tr("Last 30 days"), int(Period::Last30));
    m_period->addItem(tr("This month"), int(Period::ThisMonth));
    m_period->addItem(tr("Last month"), int(Period::LastMonth));
    m_period->addItem(tr("Last 90 days"), int(Period::Last90));
    m_period->addItem(tr("This year"), int(Period::ThisYear));
    m_period->setCurrentIndex(1);
    m_granularity = labelled(QStringLiteral("dashboardGranularity"), tr("Group by"));
    m_granularity->addItem(tr("By day"), int(LedgerReport::Granularity::Day));
    m_granularity->addItem(tr("By week"), int(LedgerReport::Granularity::Week));
    m_granularity->addItem(tr("By month"), int(LedgerReport::Granularity::Month));
    m_provider = labelled(QStringLiteral("dashboardProvider"), tr("Provider"));
    m_model = labelled(QStringLiteral("dashboardModel"), tr("Model"));
    m_task = labelled(QStringLiteral("dashboardTask"), tr("Task type"));
    m_client = labelled(QStringLiteral("dashboardClient"), tr("Client"));
    m_api = labelled(QStringLiteral("dashboardApi"), tr("API"));
    fillFilter(m_provider, tr("All providers"), {});
    fillFilter(m_model, tr("All models"), {});
    fillFilter(m_task, tr("All task types"), {});
    fillFilter(m_client, tr("All clients"), {});
    fillFilter(m_api, tr("All APIs"), {});
    m_member = labelled(QStringLiteral("dashboardMember"), tr("Member"));
    fillFilter(m_member, tr("All members"), {});
    m_member->hide();
    m_exportButton = new QPushButton(tr("Export…"), this);
    m_exportButton->setObjectName(QStringLiteral("dashboardExportButton"));
    m_exportButton->setToolTip(tr("Write the calls under these filters to a CSV or JSON Lines file"));
    for (QComboBox *box : {m_period, m_granularity, m_provider, m_model, m_task, m_client, m_api, m_member})
        connect(box, &QComboBox::activated, this, &DashboardPage::refresh);
    connect(m_exportButton, &QPushButton::clicked, this, &DashboardPage::chooseExportFile);

    // Two rows, so the bar fits a narrow window: when and how, then what.
    auto *filters = new QVBoxLayout;
    auto *when = new QHBoxLayout;
    when->addWidget(m_period);
    when->addWidget(m_granularity);
    when->addWidget(m_api);   // how the calls came in; a fifth combo on the next row would widen the window
    when->addStretch(1);
    when->addWidget(m_exportButton);
    auto *what = new QHBoxLayout;
    for (QComboBox *box : {m_provider, m_model, m_task, m_client})
        what->addWidget(box);
    what->addStretch(1);
    filters->addLayout(when);
    filters->addLayout(what);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("dashboardStatus"));
    m_status->setWordWrap(true);
    m_budgetBanner = new QLabel(this);
    m_budgetBanner->setObjectName(QStringLiteral("dashboardBudgetBanner"));
    m_budgetBanner->setWordWrap(true);
    m_budgetBanner->setMargin(8);
    m_budgetBanner->hide();

    m_content = new QWidget(this);
    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(0, 0, 8, 0);   // clear of the scroll bar

    auto *cards = new QHBoxLayout;
    m_spendSummary = card(m_content, QStringLiteral("dashboardSpend"));
    m_requestSummary = card(m_content, QStringLiteral("dashboardRequests"));
    m_tokenSummary = card(m_content, QStringLiteral("dashboardTokens"));
    m_reliabilitySummary = card(m_content, QStringLiteral("dashboardReliability"));
    for (QLabel *l : {m_spendSummary, m_requestSummary, m_tokenSummary, m_reliabilitySummary})
        cards->addWidget(l, 1);
    content->addLayout(cards);

    m_currency = new QComboBox(m_content);
    m_currency->setObjectName(QStringLiteral("dashboardCurrency"));
    m_currency->setAccessibleName(tr("Currency of the charts"));
    connect(m_currency, &QComboBox::activated, this, &DashboardPage::fillCharts);
    auto *currencyRow = new QHBoxLayout;
    auto *currencyLabel = new QLabel(tr("Charts in:"), m_content);
    currencyLabel->setBuddy(m_currency);
    currencyRow->addWidget(currencyLabel);
    currencyRow->addWidget(m_currency);
    auto *currencyNote = new QLabel(tr("Each currency is charted as billed; nothing is converted."), m_content);
    currencyNote->setObjectName(QStringLiteral("dashboardCurrencyNote"));
    currencyRow->addWidget(currencyNote);
    currencyRow->addStretch(1);
    content->addLayout(currencyRow);

    // The team's bill starts with who spent it (Team scope only).
    m_memberChart = chartView(m_content, QStringLiteral("dashboardMemberChart"), 200);
    m_memberChart->hide();
    content->addWidget(m_memberChart);
    m_timeChart = chartView(m_content, QStringLiteral("dashboardTimeChart"), 300);
    content->addWidget(m_timeChart);
    auto *pair = new QHBoxLayout;
    m_modelChart = chartView(m_content, QStringLiteral("dashboardModelChart"), 240);
    m_taskChart = chartView(m_content, QStringLiteral("dashboardTaskChart"), 240);
    pair->addWidget(m_modelChart, 1);
    pair->addWidget(m_taskChart, 1);
    content->addLayout(pair);

    m_compare = new QComboBox(m_content);
    m_compare->setObjectName(QStringLiteral("dashboardCompareModel"));
    m_compare->setAccessibleName(tr("Model to compare with"));
    connect(m_compare, &QComboBox::activated, this, &DashboardPage::refresh);
    m_comparison = new QLabel(m_content);
    m_comparison->setObjectName(QStringLiteral("dashboardComparison"));
    m_comparison->setWordWrap(true);
    auto *compareRow = new QHBoxLayout;
    auto *compareLabel = new QLabel(tr("What routing saved — the same calls, all sent to:"), m_content);
    compareLabel->setBuddy(m_compare);
    compareRow->addWidget(compareLabel);
    compareRow->addWidget(m_compare);
    compareRow->addWidget(m_comparison, 1);
    content->addLayout(compareRow);

    m_models = new ReportTableModel(this);
    m_models->setHeaders({tr("Model"), tr("Provider"), tr("Attempts"), tr("Errors"), tr("Cost"), tr("Input tokens"),
                          tr("Cache hits"), tr("Output tokens"), tr("First token"), tr("Total time")});
    m_models->setHeaderToolTip(3, tr("Share of the attempts sent that failed; answers you stopped are not errors"));
    m_models->setHeaderToolTip(6, tr("Share of input tokens served from the provider's cache"));
    m_models->setHeaderToolTip(8, tr("Time to the first token of successful calls: median / 95th percentile"));
    m_models->setHeaderToolTip(9, tr("Time to the end of successful calls: median / 95th percentile"));
    m_modelsView = tableView(m_content, QStringLiteral("dashboardModelsTable"), m_models, tr("Per model"));
    m_costliest = new ReportTableModel(this);
    m_costliest->setHeaders({tr("Time"), tr("Model"), tr("Task type"), tr("Client"), tr("Input tokens"),
                             tr("Output tokens"), tr("Cost")});
    m_costliestView = tableView(m_content, QStringLiteral("dashboardCostliestTable"), m_costliest, tr("Most expensive calls"));
    auto *modelsTitle = new QLabel(tr("<b>Per model</b>"), m_content);
    auto *costliestTitle = new QLabel(tr("<b>Most expensive calls</b>"), m_content);
    content->addWidget(modelsTitle);
    content->addWidget(m_modelsView);
    content->addWidget(costliestTitle);
    content->addWidget(m_costliestView);

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("dashboardScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_content);

    auto *reportPane = new QWidget(this);
    auto *reportLayout = new QVBoxLayout(reportPane);
    reportLayout->setContentsMargins(0, 0, 0, 0);
    reportLayout->addLayout(filters);
    reportLayout->addWidget(m_budgetBanner);
    reportLayout->addWidget(m_status);
    reportLayout->addWidget(m_scroll, 1);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(reportPane);
    auto *title = new QLabel(tr("Dashboard"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);
    // Me / Team: two buttons side by side, one always down.
    m_scopeSwitch = new QWidget(this);
    m_scopeSwitch->setObjectName(QStringLiteral("dashboardScope"));
    m_scopeSwitch->setAccessibleName(tr("Whose calls"));
    auto *scopeLayout = new QHBoxLayout(m_scopeSwitch);
    scopeLayout->setContentsMargins(0, 0, 0, 0);
    scopeLayout->setSpacing(0);
    m_scopeButtons = new QButtonGroup(this);
    auto scopeButton = [this, scopeLayout](const QString &objectName, const QString &text, const QString &tip, Scope scope) {
        auto *button = new QPushButton(text, m_scopeSwitch);
        button->setObjectName(objectName);
        button->setCheckable(true);
        button->setToolTip(tip);
        button->setMinimumWidth(72);
        m_scopeButtons->addButton(button, int(scope));
        scopeLayout->addWidget(button);
    };
    scopeButton(QStringLiteral("dashboardScopeMe"), tr("Me", "dashboard scope: this profile's calls"),
                tr("This profile's calls, from its own ledger"), Scope::Me);
    scopeButton(QStringLiteral("dashboardScopeTeam"), tr("Team", "dashboard scope: every member's calls"),
                tr("Every member's calls, from the team ledger"), Scope::Team);
    m_scopeButtons->button(int(Scope::Me))->setChecked(true);
    // A segmented pair whose pressed half shows in both themes (a checked QPushButton barely
    // differs from an unchecked one on the dark palette).
    m_scopeSwitch->setStyleSheet(QStringLiteral(
        "QPushButton { padding: 3px 14px; border: 1px solid palette(mid); background: palette(button); color: palette(button-text); }"
        "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text); border-color: palette(highlight); }"
        "QPushButton#dashboardScopeMe { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }"
        "QPushButton#dashboardScopeTeam { border-top-right-radius: 4px; border-bottom-right-radius: 4px; border-left: none; }"));
    connect(m_scopeButtons, &QButtonGroup::idClicked, this, [this](int id) { setScope(Scope(id)); });
    m_scopeSwitch->hide();
    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(m_member);   // whose calls, beside the switch: a fifth combo in a row would widen the window
    header->addWidget(m_scopeSwitch);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);

    connect(m_config, &ConfigStore::configChanged, this, &DashboardPage::refreshSoon);
}

void DashboardPage::fillFilter(QComboBox *box, const QString &all, const QStringList &values, Labels labels)
{
    const QString current = box->currentData().toString();
    box->clear();
    box->addItem(all, QString());
    for (const QString &v : values)
        box->addItem(labels == Labels::TaskTypes ? taskLabel(v)
                     : labels == Labels::Apis   ? apiLabel(v)
                     : v.isEmpty()              ? tr("(none)")
                                                : v,
                     v);
    const int i = box->findData(current);
    box->setCurrentIndex(i >= 0 ? i : 0);
}

LedgerReport::Query DashboardPage::currentQuery() const
{
    LedgerReport::Query q;
    const auto [first, last] = daysOf(Period(m_period->currentData().toInt()), QDate::currentDate());
    q.first = first;
    q.last = last;
    q.granularity = LedgerReport::Granularity(m_granularity->currentData().toInt());
    q.filter.provider = m_provider->currentData().toString();
    q.filter.model = m_model->currentData().toString();
    q.filter.taskType = m_task->currentData().toString();
    q.filter.client = m_client->currentData().toString();
    q.filter.api = m_api->currentData().toString();
    q.compareModel = m_compare->currentData().toString();
    q.team = m_scope == Scope::Team;
    q.self = m_config->config().team.member;
    if (q.team)
        q.filter.member = m_member->currentData().toString();
    return q;
}

void DashboardPage::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
    // A new team password (Settings → Team saves it after the address): a reader with it.
    connect(secrets, &SecretStore::secretChanged, this, [this](const QString &account) {
        if (account != SecretStore::teamAccount())
            return;
        m_teamUrl.clear();
        teamChanged();
    });
}

void DashboardPage::setTeam(TeamLink *team)
{
    m_team = team;
    if (team) {
        connect(team, &TeamLink::statusChanged, this, &DashboardPage::teamChanged);
        connect(m_config, &ConfigStore::configChanged, this, &DashboardPage::teamChanged);
    }
    teamChanged();
}

bool DashboardPage::inTeam() const
{
    return m_team && m_team->status().state != TeamLink::Status::State::Off && m_config->config().team.isSet();
}

// The team joined, left or moved, or its link's state changed.
void DashboardPage::teamChanged()
{
    const bool team = inTeam();
    m_scopeSwitch->setVisible(team);
    if (!team) {
        ++m_teamGeneration;
        m_teamReader.reset();
        m_teamUrl.clear();
        m_lastTeam.reset();
        if (m_scope == Scope::Team) {
            setScope(Scope::Me);
            m_wantedScope = Scope::Team;   // back to it when the team comes back
        }
        return;
    }
    const QString url = m_config->config().team.url;
    if (url != m_teamUrl) {
        m_teamUrl = url;
        m_teamReader.reset();
        m_lastTeam.reset();
        connectTeamReader();
    }
    if (m_wantedScope == Scope::Team && m_scope != Scope::Team)
        setScope(Scope::Team);
    // Rows this member sent are now the team's: read them again.
    const QDateTime sent = m_team->status().lastSend;
    if (sent != m_lastSend) {
        m_lastSend = sent;
        if (m_scope == Scope::Team)
            refreshSoon();
    }
}

// A reader on the team database, once the keychain has said its password.
void DashboardPage::connectTeamReader()
{
    const int generation = ++m_teamGeneration;
    QString error;
    const std::optional<TeamAddress> address = TeamAddress::parse(m_teamUrl, &error);
    if (!address) {
        m_teamWaiting = false;
        if (m_scope == Scope::Team)
            showTeamFailure(error);
        return;
    }
    auto make = [this, generation, address = *address](const QString &password) {
        if (generation != m_teamGeneration)
            return;
        m_teamReader = std::make_unique<LedgerReader>([address, password](const QString &name, QString *error) {
            return TeamDatabase::open(address, password, name, error);
        });
        connect(m_teamReader.get(), &LedgerReader::ready, this, [this](const LedgerReport &report) {
            m_lastTeam = report;
            m_lastTeamAt = QDateTime::currentDateTime();
            if (m_scope == Scope::Team)
                showReport(report);
        });
        connect(m_teamReader.get(), &LedgerReader::failed, this, [this](const QString &error) {
            if (m_scope == Scope::Team)
                showTeamFailure(error);
        });
        if (m_teamWaiting)
            refresh();
    };
    if (!m_secrets) {
        make(QString());
        return;
    }
    // No entry (or no keychain): libpq's PGPASSWORD or PGPASSFILE may have it, as for TeamLink.
    m_secrets->read(SecretStore::teamAccount(), this, [make](const SecretResult &result) {
        make(result.ok() ? result.secret : QString());
    });
}

void DashboardPage::setScope(Scope scope)
{
    m_wantedScope = scope;
    if (scope == Scope::Team && !inTeam())
        scope = Scope::Me;
    m_scopeButtons->button(int(scope))->setChecked(true);
    if (scope == m_scope)
        return;
    m_scope = scope;
    const bool team = scope == Scope::Team;
    m_member->setVisible(team);
    m_memberChart->setVisible(team);
    if (team) {
        m_empty->setTitle(tr("No calls in the team ledger yet"));
        m_empty->setBody(tr("Each member's calls reach the team ledger a few seconds after they are made, and this "
                            "page charts them together. Calls made here are sent as well."));
    } else {
        m_empty->setTitle(tr("No calls recorded yet"));
        m_empty->setBody(tr("Every call from the Chat page and from the local endpoint lands in the cost ledger with its "
                            "tokens, time and cost, and this page charts them. Ask something on the Chat page to see "
                            "the first one here."));
    }
    // The scope's last figures at once, then fresh ones.
    if (const std::optional<LedgerReport> &last = team ? m_lastTeam : m_lastMe)
        showReport(*last);
    refresh();
}

LedgerReader *DashboardPage::activeReader()
{
    return m_scope == Scope::Team ? m_teamReader.get() : &m_reader;
}

void DashboardPage::showTeamFailure(const QString &error)
{
    QString text = error.trimmed();
    if (!text.endsWith(QLatin1Char('.')) && !text.endsWith(QChar(0x3002)))   // 。
        text += QLatin1Char('.');
    if (m_lastTeam) {
        text += QLatin1Char(' ') + tr("The team's figures below were read at %1.")
                                      .arg(QLocale().toString(m_lastTeamAt.time(), QLocale::ShortFormat));
    } else {
        m_stack->setCurrentIndex(1);
        text += QLatin1Char(' ') + tr("The team's figures will show once it answers.");
    }
    m_status->setText(text);
}

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_report || m_dirty)
        refresh();
}

void DashboardPage::refreshSoon()
{
    m_dirty = true;
    if (!m_refreshTimer->isActive())   // hidden too: budgets are watched from any page
        m_refreshTimer->start();
}

void DashboardPage::refresh()
{
    m_dirty = false;
    if (m_scope == Scope::Team) {
        m_status->setText(tr("Loading the team's figures…"));
        m_teamWaiting = !m_teamReader;   // the keychain has not answered yet
        if (m_teamReader)
            m_teamReader->load(currentQuery(), m_config->config());
        return;
    }
    if (!m_report)
        m_status->setText(tr("Reading the ledger…"));
    m_reader.load(currentQuery(), m_config->config());
}

void DashboardPage::showFailure(const QString &error)
{
    m_stack->setCurrentIndex(1);
    m_status->setText(tr("The ledger could not be read: %1").arg(error));
}

void DashboardPage::showReport(const LedgerReport &report)
{
    m_report = report;
    const QLocale locale;
    const bool anything = !report.dimensions.models.isEmpty();
    m_stack->setCurrentIndex(anything ? 1 : 0);
    if (!anything) {
        emit reportShown();
        return;
    }
    fillFilter(m_provider, tr("All providers"), report.dimensions.providers);
    fillFilter(m_model, tr("All models"), report.dimensions.models);
    fillFilter(m_task, tr("All task types"), report.dimensions.taskTypes, Labels::TaskTypes);
    fillFilter(m_client, tr("All clients"), report.dimensions.clients);
    fillFilter(m_api, tr("All APIs"), report.dimensions.apis, Labels::Apis);
    if (report.query.team) {
        fillFilter(m_member, tr("All members"), report.members);
        m_memberColors = ModelColors(report.members);   // every member, so no filter changes a colour
    }
    // Colours settled over every model known, so no filter changes them.
    QStringList known = report.dimensions.models;
    for (const ModelConfig &m : m_config->config().models)
        known << m.name;
    m_colors = ModelColors(known);

    // The models one could compare with: every priced chat model in the configuration.
    const QString compare = m_compare->currentData().toString();
    m_compare->clear();
    m_compare->addItem(tr("(choose a model)"), QString());
    for (const ModelConfig &m : m_config->config().models) {
        if (m.price && !m.isEmbedding())
            m_compare->addItem(m.name, m.name);
    }
    m_compare->setCurrentIndex(std::max(0, m_compare->findData(compare)));

    const QString period = tr("%1 to %2").arg(locale.toString(report.query.first, QLocale::ShortFormat),
                                              locale.toString(report.query.last, QLocale::ShortFormat));
    if (report.isEmpty())
        m_status->setText(tr("No calls from %1 match these filters.").arg(period));
    else if (report.estimated > 0)
        m_status->setText(tr("%1. %Ln attempt(s) had no usage from their provider; their tokens and cost are "
                             "estimated (≈ in the tables, cost_estimated in the export).", nullptr, int(report.estimated))
                              .arg(period));
    else
        m_status->setText(tr("%1, local time.").arg(period));

    const QString currencies = report.currencies.join(QStringLiteral(", "));
    QString spendDetail = report.unpriced ? tr("%Ln attempt(s) had no price and are not counted", nullptr, int(report.unpriced))
                          : report.currencies.size() > 1 ? tr("in %1, each as billed").arg(currencies)
                                                         : tr("as billed");
    if (report.convertedTotal && report.currencies.size() > 1)
        spendDetail += QLatin1Char('\n')
                       + tr("≈ %1 in all at your rates (config.yaml)").arg(Money::display(*report.convertedTotal, report.convertedCurrency, locale));
    else if (!report.unconvertible.isEmpty() && report.currencies.size() > 1)
        spendDetail += QLatin1Char('\n') + tr("No rate set for %1, so no total in %2")
                                               .arg(report.unconvertible.join(QStringLiteral(", ")), report.convertedCurrency);
    m_spendSummary->setText(cardText(tr("Spend"), Money::display(report.totalCost, locale), spendDetail).replace(QLatin1Char('\n'), QStringLiteral("<br>")));

    // Budgets of the calendar month: warned at 80% and at 100%.
    QStringList warnings;
    int worst = 0;
    const QString month = (report.query.today.isValid() ? report.query.today : QDate::currentDate()).toString(QStringLiteral("yyyy-MM"));
    for (const LedgerReport::BudgetStatus &b : report.budgets) {
        const int percent = b.percent();
        if (percent < 80)
            continue;
        const int level = percent >= 100 ? 100 : 80;
        worst = std::max(worst, level);
        QString who = b.budget.provider.isEmpty() ? b.budget.currency : tr("%1 for %2").arg(b.budget.currency, b.budget.provider);
        if (!b.budget.member.isEmpty())
            who = tr("%1 (%2)", "a budget's currency (and provider), then the member whose it is").arg(who, b.budget.member);
        else if (report.query.team)
            who = tr("team's %1", "the budget of the whole team, in this currency (and provider)").arg(who);
        const QString spent = Money::display(b.spentMicros, b.budget.currency, locale);
        const QString limit = Money::display(b.budget.monthlyMicros, b.budget.currency, locale);
        const QString message = level == 100 ? tr("Over budget: %1 spent this month against the %2 budget of %3 (%4%).")
                                                   .arg(spent, who, limit, locale.toString(percent))
                                             : tr("%1 of the %2 budget used this month: %3 of %4.")
                                                   .arg(locale.toString(percent) + QLatin1Char('%'), who, spent, limit);
        warnings << message;
        QString key = month + QLatin1Char('|') + b.budget.currency + QLatin1Char('|') + b.budget.provider;
        if (report.query.team || !b.budget.member.isEmpty())   // apart from one's own month, warned once each
            key += QLatin1String(report.query.team ? "|team|" : "|me|") + b.budget.member;
        emit budgetAlert(key, level, message);
    }
    m_budgetBanner->setVisible(!warnings.isEmpty());
    m_budgetBanner->setText(warnings.join(QLatin1Char('\n')));
    m_budgetBanner->setStyleSheet(worst >= 100 ? QStringLiteral("background: #fbe9e7; color: #8c1d18; border-radius: 4px;")
                                               : QStringLiteral("background: #fff4e0; color: #6b4500; border-radius: 4px;"));
    m_requestSummary->setText(cardText(tr("Requests"), locale.toString(report.requests()),
                                       tr("%Ln attempt(s), %1 of requests fell back or retried", nullptr, int(report.attempts))
                                           .arg(percent(report.retries, report.requests(), locale))));
    m_tokenSummary->setText(cardText(tr("Tokens in / out"),
                                     tr("%1 / %2").arg(locale.toString(report.promptTokens),
                                                       locale.toString(report.completionTokens)),
                                     tr("%1 of input served from cache").arg(percent(report.cachedTokens, report.promptTokens, locale))));
    m_reliabilitySummary->setText(cardText(tr("Errors"), percent(report.errors, report.sent(), locale),
                                           outcomes(report.errors, report.stopped, report.passedOver)));

    const QString currentCurrency = m_currency->currentText();
    m_currency->clear();
    m_currency->addItems(report.currencies);
    m_currency->setCurrentIndex(std::max(0, m_currency->findText(currentCurrency)));
    m_currency->setEnabled(report.currencies.size() > 1);

    if (report.comparison) {
        const LedgerReport::Comparison &c = *report.comparison;
        const qint64 actual = report.totalCost.value(c.currency, -1);
        QString text = tr("%1 for the %Ln successful attempt(s), against %2 actually spent.", nullptr, int(c.attempts))
                           .arg(Money::display(c.costMicros, c.currency, locale), Money::display(report.totalCost, locale));
        if (actual >= 0 && report.totalCost.size() == 1 && actual < c.costMicros)
            text += QLatin1Char(' ') + tr("Routing saved %1.").arg(Money::display(c.costMicros - actual, c.currency, locale));
        else if (report.totalCost.size() > 1 || actual < 0)
            text += QLatin1Char(' ') + tr("The currencies differ, so no difference is worked out.");
        m_comparison->setText(text);
    } else {
        m_comparison->setText(tr("Choose a model to price this period as if every call had gone to it."));
    }
    fillCharts();
    fillTables();
    emit reportShown();
}

QString DashboardPage::currentCurrency() const
{
    return m_currency->currentText();
}

void DashboardPage::fillCharts()
{
    if (!m_report)
        return;
    const LedgerReport &r = *m_report;
    const QLocale locale;
    const QString currency = currentCurrency();
    const QMap<QString, QList<qint64>> series = r.spend.value(currency);
    const bool dark = m_timeChart->palette().color(QPalette::Window).lightness() < 128;
    // After the series joins its chart: the chart's theme paints each series as it is added.
    auto paint = [](QBarSet *set, const QColor &color) {
        set->setColor(color);
        set->setBorderColor(color);
    };

    // Spend over time, stacked by model: the seven dearest models, the rest as one.
    QList<std::pair<QString, qint64>> byModel;
    for (auto it = series.cbegin(); it != series.cend(); ++it)
        byModel.append({it.key(), std::accumulate(it.value().cbegin(), it.value().cend(), qint64(0))});
    std::sort(byModel.begin(), byModel.end(), [](const auto &a, const auto &b) { return a.second > b.second; });

    QChart *time = freshChart(m_timeChart, currency.isEmpty() ? tr("Spend over time") : tr("Spend over time (%1)").arg(currency));
    auto *stacked = new QStackedBarSeries;
    QList<qint64> other(r.buckets.size(), 0);
    QList<qint64> perBucket(r.buckets.size(), 0);
    QList<std::pair<QBarSet *, QColor>> colors;
    for (int i = 0; i < byModel.size(); ++i) {
        const QList<qint64> &values = series.value(byModel[i].first);
        for (int b = 0; b < values.size() && b < perBucket.size(); ++b)
            perBucket[b] += values[b];
        if (i >= 7) {
            for (int b = 0; b < values.size() && b < other.size(); ++b)
                other[b] += values[b];
            continue;
        }
        auto *set = new QBarSet(byModel[i].first);
        for (qint64 v : values)
            *set << units(v);
        stacked->append(set);
        colors.append({set, m_colors.color(byModel[i].first, dark)});
    }
    if (byModel.size() > 7) {
        auto *set = new QBarSet(tr("Other models"));
        for (qint64 v : std::as_const(other))
            *set << units(v);
        stacked->append(set);
        colors.append({set, ModelColors::otherColor(dark)});
    }
    time->addSeries(stacked);
    for (const auto &[set, color] : std::as_const(colors))
        paint(set, color);

    // Short labels that fit under a bar; the axis title says which months they belong to. Each is
    // unique in its period (QCategoryAxis drops a repeated label): the day of the month while the
    // period spans at most 31 days, the month and day beyond.
    const bool longPeriod = r.query.first.daysTo(r.query.last) >= 31;
    m_timeLabels.clear();
    for (const QDate &b : r.buckets) {
        switch (r.query.granularity) {
        case LedgerReport::Granularity::Day:
            m_timeLabels << (longPeriod ? locale.toString(b, tr("M/d", "chart axis: the first day of a week"))
                                        : locale.toString(b.day()));
            break;
        case LedgerReport::Granularity::Week: m_timeLabels << locale.toString(b, tr("M/d", "chart axis: the first day of a week")); break;
        case LedgerReport::Granularity::Month: m_timeLabels << locale.toString(b, tr("MMM yyyy", "chart axis: a month")); break;
        }
    }
    // Bars stand at 0, 1, 2, … on a value axis; its labels are set by thinTimeLabels() to those that fit.
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setGridLineVisible(false);
    if (!r.buckets.isEmpty() && r.query.granularity != LedgerReport::Granularity::Month)
        x->setTitleText(tr("%1 to %2").arg(locale.toString(r.query.first, QLocale::LongFormat),
                                            locale.toString(r.query.last, QLocale::LongFormat)));
    time->addAxis(x, Qt::AlignBottom);
    stacked->attachAxis(x);
    m_timeStride = 0;
    thinTimeLabels();
    connect(time, &QChart::plotAreaChanged, this, &DashboardPage::thinTimeLabels);
    const qint64 peak = perBucket.isEmpty() ? 0 : *std::max_element(perBucket.cbegin(), perBucket.cend());
    moneyAxis(time, stacked, Qt::AlignLeft, AxisTicks::forMicros(peak, 5), locale)->setTitleText(currency);

    // Spend by model, by task type and by member, in the same currency: a bar for each row, in the
    // colours of the models (or members) that make it up.
    using Row = std::pair<QString, QMap<QString, qint64>>;   // label → model → micros
    auto horizontal = [&](QChartView *view, const QString &title, const QList<Row> &rows, const ModelColors &palette) {
        QChart *chart = freshChart(view, title);
        chart->legend()->hide();
        QMap<QString, qint64> perModel;
        qint64 widest = 0;
        for (const Row &row : rows) {
            qint64 total = 0;
            for (auto it = row.second.cbegin(); it != row.second.cend(); ++it) {
                perModel[it.key()] += it.value();
                total += it.value();
            }
            widest = std::max(widest, total);
        }
        QList<std::pair<QString, qint64>> ordered;
        for (auto it = perModel.cbegin(); it != perModel.cend(); ++it)
            ordered.append({it.key(), it.value()});
        std::stable_sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        auto *bars = new QHorizontalStackedBarSeries;
        QList<std::pair<QBarSet *, QColor>> setColors;
        for (const auto &[model, total] : std::as_const(ordered)) {
            auto *set = new QBarSet(model);
            for (auto it = rows.crbegin(); it != rows.crend(); ++it)   // the largest on top
                *set << units(it->second.value(model));
            bars->append(set);
            setColors.append({set, palette.color(model, dark)});
        }
        chart->addSeries(bars);
        for (const auto &[set, color] : std::as_const(setColors))
            paint(set, color);
        QStringList names;
        for (auto it = rows.crbegin(); it != rows.crend(); ++it)
            names << it->first;
        auto *axis = new QBarCategoryAxis;
        axis->append(names);
        chart->addAxis(axis, Qt::AlignLeft);
        bars->attachAxis(axis);
        moneyAxis(chart, bars, Qt::AlignBottom, AxisTicks::forMicros(widest, 4), locale);
    };
    QList<Row> modelRows;
    for (const auto &[model, micros] : byModel.mid(0, 10))
        modelRows.append({model, {{model, micros}}});
    horizontal(m_modelChart, tr("Spend by model (%1)").arg(currency), modelRows, m_colors);
    QList<std::pair<Row, qint64>> byTask;
    for (auto it = r.byTaskAndModel.cbegin(); it != r.byTaskAndModel.cend(); ++it) {
        if (it.value().contains(currency))
            byTask.append({{taskLabel(it.key()), it.value().value(currency)}, r.byTask.value(it.key()).value(currency)});
    }
    std::stable_sort(byTask.begin(), byTask.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    QList<Row> taskRows;
    for (const auto &[row, total] : std::as_const(byTask))
        taskRows << row;
    horizontal(m_taskChart, tr("Spend by task type (%1)").arg(currency), taskRows, m_colors);

    if (!r.query.team)
        return;
    // Each member in a colour of their own, the largest spender on top.
    QList<Row> memberRows;
    for (auto it = r.byMember.cbegin(); it != r.byMember.cend(); ++it) {
        if (it.value().contains(currency))
            memberRows.append({it.key(), {{it.key(), it.value().value(currency)}}});
    }
    std::stable_sort(memberRows.begin(), memberRows.end(), [](const Row &a, const Row &b) {
        return a.second.value(a.first) > b.second.value(b.first);
    });
    horizontal(m_memberChart, tr("Spend by member (%1)").arg(currency), memberRows, m_memberColors);
    // A bar's height whatever the number of members.
    m_memberChart->setMinimumHeight(110 + 34 * int(memberRows.size()));
}

void DashboardPage::thinTimeLabels()
{
    QChart *chart = m_timeChart->chart();
    const QList<QAbstractAxis *> axes = chart->axes(Qt::Horizontal);
    auto *x = axes.isEmpty() ? nullptr : qobject_cast<QCategoryAxis *>(axes.first());
    if (!x || m_timeLabels.isEmpty())
        return;
    const QFontMetricsF metrics(x->labelsFont());
    qreal widest = 0;
    for (const QString &label : std::as_const(m_timeLabels))
        widest = std::max(widest, metrics.horizontalAdvance(label));
    QList<int> strides;
    switch (m_report ? m_report->query.granularity : LedgerReport::Granularity::Day) {
    case LedgerReport::Granularity::Day: strides = {1, 2, 7, 14, 28, 56, 112}; break;
    case LedgerReport::Granularity::Week: strides = {1, 2, 4, 8, 13, 26, 52}; break;
    case LedgerReport::Granularity::Month: strides = {1, 2, 3, 6, 12, 24}; break;
    }
    // QtCharts pads a label by a few pixels on each side.
    const int stride = labelStride(int(m_timeLabels.size()), widest + 16, chart->plotArea().width(), strides);
    if (stride == m_timeStride)
        return;
    m_timeStride = stride;
    const QStringList old = x->categoriesLabels();
    for (const QString &label : old)
        x->remove(label);
    const int n = int(m_timeLabels.size());
    x->setStartValue(-0.5);
    for (int i = (n - 1) % stride; i < n; i += stride)   // counted back from the newest bucket
        x->append(m_timeLabels[i], i);
    x->setRange(-0.5, n - 0.5);
}

void DashboardPage::fillTables()
{
    const LedgerReport &r = *m_report;
    const QLocale locale;
    using Cell = ReportTableModel::Cell;
    QList<QList<Cell>> rows;
    for (const LedgerReport::ModelLine &m : r.models) {
        const qint64 firstCost = m.costMicros.isEmpty() ? -1 : m.costMicros.first();
        rows.append({
            Cell {m.model, {}, Qt::AlignLeft | Qt::AlignVCenter, {}},
            Cell {m.provider, {}, Qt::AlignLeft | Qt::AlignVCenter, {}},
            Cell::number(locale.toString(m.attempts), m.attempts),
            Cell::number(percent(m.errors, m.sent(), locale), m.sent() > 0 ? m.errors * 10'000 / m.sent() : 0,
                         outcomes(m.errors, m.stopped, m.passedOver)),
            Cell::number(Money::display(m.costMicros, locale), firstCost),
            Cell::number(locale.toString(m.promptTokens), m.promptTokens),
            Cell::number(percent(m.cachedTokens, m.promptTokens, locale), m.cachedTokens),
            Cell::number(locale.toString(m.completionTokens), m.completionTokens),
            timingCell(millis(m.ttftP50, locale), millis(m.ttftP95, locale), m.ttftP50, m.timingsSampledPercent),
            timingCell(millis(m.totalP50, locale), millis(m.totalP95, locale), m.totalP50, m.timingsSampledPercent),
        });
    }
    m_models->setRows(rows);
    m_modelsView->resizeColumnsToContents();

    rows.clear();
    for (const QString &currency : r.currencies) {
        for (const LedgerRow &row : r.costliest.value(currency)) {
            const QString cost = Money::display(row.costMicros, currency, locale);
            rows.append({
                Cell {locale.toString(row.time.toLocalTime(), QLocale::ShortFormat), row.time.toMSecsSinceEpoch(),
                      Qt::AlignLeft | Qt::AlignVCenter, row.requestId},
                Cell {row.model, {}, Qt::AlignLeft | Qt::AlignVCenter, {}},
                Cell {taskLabel(row.taskType), row.taskType, Qt::AlignLeft | Qt::AlignVCenter, {}},
                Cell {row.client, {}, Qt::AlignLeft | Qt::AlignVCenter, {}},
                Cell::number(locale.toString(row.promptTokens), row.promptTokens),
                Cell::number(locale.toString(row.completionTokens), row.completionTokens),
                Cell::number(row.costEstimated ? tr("≈ %1").arg(cost) : cost, row.costMicros,
                             row.costEstimated ? tr("Estimated: the provider sent no usage") : QString()),
            });
        }
    }
    m_costliest->setRows(rows);
    m_costliestView->resizeColumnsToContents();
}

void DashboardPage::chooseExportFile()
{
    const LedgerReport::Query q = currentQuery();
    const QString suggested = QString::fromLatin1(m_scope == Scope::Team ? "switchyard-team-ledger-%1-to-%2.csv" : "switchyard-ledger-%1-to-%2.csv").arg(q.first.toString(Qt::ISODate), q.last.toString(Qt::ISODate));
    QString selected;
    const QString csv = tr("CSV, for spreadsheets (*.csv)");
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the ledger"), suggested, csv + QStringLiteral(";;") + jsonl,
                                                      &selected);
    if (path.isEmpty())
        return;
    const bool json = selected == jsonl || path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive);
    exportTo(path, json ? Ledger::Format::Jsonl : Ledger::Format::Csv);
}

void DashboardPage::exportTo(const QString &path, Ledger::Format format)
{
    LedgerReport::Query q = currentQuery();
    Ledger::Filter filter = q.filter;
    const Ledger::Filter days = Ledger::Filter::forDays(q.first, q.last);
    filter.since = days.since;
    filter.until = days.until;
    LedgerReader *reader = activeReader();
    const bool team = m_scope == Scope::Team;
    if (!reader) {
        const QString message = tr("Nothing was exported: %1").arg(tr("the team database has not been opened yet."));
        m_status->setText(message);
        emit exportFinished(false, message);
        return;
    }

    auto *progress = new QProgressDialog(tr("Exporting the ledger…"), tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("dashboardExportProgress"));
    progress->setWindowTitle(tr("Export"));
    progress->setMinimumDuration(400);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    m_exportButton->setEnabled(false);

    struct State
    {
        std::atomic<bool> cancelled {false};
        qint64 rows = -1;
        QString error;
    };
    auto state = std::make_shared<State>();
    connect(progress, &QProgressDialog::canceled, this, [state] { state->cancelled = true; });
    QPointer<QProgressDialog> dialog = progress;
    reader->run(
        [state, path, format, filter, dialog, team](QSqlDatabase *db, const QString &openError) {
            if (!db) {
                state->error = openError;
                return;
            }
            const qint64 total = Ledger::countRows(*db, filter, &state->error);
            if (total < 0)
                return;
            QMetaObject::invokeMethod(dialog, [dialog, total] {
                if (dialog)
                    dialog->setMaximum(int(std::min<qint64>(total, std::numeric_limits<int>::max())));
            }, Qt::QueuedConnection);
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly)) {
                state->error = tr("Cannot write %1: %2").arg(path, file.errorString());
                return;
            }
            const qint64 rows = Ledger::exportRows(*db, filter, format, &file, &state->error, [state, dialog](qint64 done) {
                QMetaObject::invokeMethod(dialog, [dialog, done] {
                    if (dialog)
                        dialog->setValue(int(std::min<qint64>(done, dialog->maximum())));
                }, Qt::QueuedConnection);
                return !state->cancelled.load();
            }, team);
            if (rows < 0) {
                file.cancelWriting();
                return;
            }
            if (!file.commit()) {
                state->error = tr("Cannot write %1: %2").arg(path, file.errorString());
                return;
            }
            state->rows = rows;
        },
        [this, state, path, dialog] {
            if (dialog)
                dialog->deleteLater();
            m_exportButton->setEnabled(true);
            if (state->rows >= 0) {
                const QString message = tr("Exported %Ln call(s) to %1.", nullptr, int(state->rows)).arg(path);
                m_status->setText(message);
                emit exportFinished(true, message);
            } else {
                const QString message = tr("Nothing was exported: %1").arg(state->error);
                m_status->setText(message);
                emit exportFinished(false, message);
            }
        });
}
