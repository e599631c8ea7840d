#include "ProviderDetails.h"

#include "ConfigStore.h"
#include "Money.h"
#include "ProviderProbe.h"
#include "SaveBar.h"
#include "TeamRulesBanner.h"
#include "SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

enum Column { Name, Id, Context, Currency, Input, Cached, Output, AsOf, ColumnCount };

QString priceText(qint64 micros)
{
    return micros < 0 ? QString() : Money::formatMicros(micros);
}

} // namespace

ProviderDetails::ProviderDetails(ConfigStore *config, SecretStore *secrets, QNetworkAccessManager *nam, QWidget *parent)
    : DraftPage(parent)
    , m_config(config)
    , m_secrets(secrets)
    , m_nam(nam)
{
    setObjectName(QStringLiteral("providerDetails"));
    m_title = new QLabel(this);
    QFont tf = m_title->font();
    tf.setWeight(QFont::DemiBold);
    m_title->setFont(tf);

    m_enabled = new QCheckBox(tr("Enabled"), this);
    m_enabled->setObjectName(QStringLiteral("providerEnabledCheck"));
    m_streaming = new QCheckBox(tr("Stream answers"), this);
    m_streaming->setObjectName(QStringLiteral("providerStreamingCheck"));
    m_streaming->setToolTip(tr("Turn off for endpoints that fail on streaming. DISABLE_STREAMING_BETA=1 turns it off everywhere."));
    m_region = new QComboBox(this);
    m_region->setObjectName(QStringLiteral("providerRegionCombo"));
    m_region->setAccessibleName(tr("Region"));
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("providerBaseUrlEdit"));
    m_baseUrl->setAccessibleName(tr("Base URL"));
    m_test = new QPushButton(tr("Test Connection"), this);
    m_test->setObjectName(QStringLiteral("testConnectionButton"));
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testConnectionLabel"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *switches = new QHBoxLayout;
    switches->addWidget(m_enabled);
    switches->addWidget(m_streaming);
    switches->addStretch();
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    auto *form = new QFormLayout;
    form->addRow(QString(), switches);
    form->addRow(tr("Region:"), m_region);
    form->addRow(tr("Base URL:"), m_baseUrl);
    form->addRow(QString(), testRow);

    m_models = new QTableWidget(0, ColumnCount, this);
    m_models->setObjectName(QStringLiteral("modelsTable"));
    m_models->setAccessibleName(tr("Models and prices"));
    m_models->setHorizontalHeaderLabels({tr("Model"), tr("Provider's ID"), tr("Context"), tr("Currency"),
                                         tr("Input / 1M"), tr("Cached input / 1M"), tr("Output / 1M"), tr("Prices as of")});
    m_models->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_models->horizontalHeader()->setStretchLastSection(true);
    m_models->verticalHeader()->hide();
    m_models->setAlternatingRowColors(true);
    m_models->setMinimumHeight(160);
    m_models->setToolTip(tr("Prices are per 1M tokens. Edit the currency and the three prices; the date is set to today."));
    m_refresh = new QPushButton(tr("Refresh Models"), this);
    m_refresh->setObjectName(QStringLiteral("refreshModelsButton"));
    m_refreshResult = new QLabel(this);
    m_refreshResult->setObjectName(QStringLiteral("refreshModelsLabel"));
    m_refreshResult->setWordWrap(true);
    m_addListed = new QPushButton(tr("Add Them"), this);
    m_addListed->setObjectName(QStringLiteral("addListedModelsButton"));
    m_addListed->hide();
    auto *refreshRow = new QHBoxLayout;
    refreshRow->addWidget(m_refresh);
    refreshRow->addWidget(m_refreshResult, 1);
    refreshRow->addWidget(m_addListed);

    m_bar = new SaveBar(QStringLiteral("Provider"), this);
    m_teamBanner = new TeamRulesBanner(config, this);
    m_teamBanner->setNote(tr("The models and prices below are the team's, and are not changed here."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addWidget(m_teamBanner);
    layout->addWidget(m_models);
    layout->addLayout(refreshRow);
    layout->addWidget(m_bar);   // Settings moves it below the scrolling content

    connect(m_enabled, &QCheckBox::toggled, this, [this](bool on) {
        if (auto *p = draftProvider(); p && !m_filling) {
            p->enabled = on;
            markDirty();
        }
    });
    connect(m_streaming, &QCheckBox::toggled, this, [this](bool on) {
        if (auto *p = draftProvider(); p && !m_filling) {
            p->streaming = on;
            markDirty();
        }
    });
    connect(m_region, &QComboBox::currentIndexChanged, this, [this](int index) {
        ProviderConfig *p = draftProvider();
        if (!p || m_filling || index < 0 || index >= p->regions.size())
            return;
        p->region = p->regions[index].name;
        p->baseUrl = p->regions[index].baseUrl;
        m_filling = true;
        m_baseUrl->setText(p->baseUrl.toString());
        m_filling = false;
        markDirty();
    });
    connect(m_baseUrl, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (ProviderConfig *p = draftProvider()) {
            p->baseUrl = QUrl(text.trimmed());
            markDirty();
        }
    });
    connect(m_models, &QTableWidget::cellChanged, this, &ProviderDetails::modelCellChanged);
    connect(m_test, &QPushButton::clicked, this, &ProviderDetails::testConnection);
    connect(m_refresh, &QPushButton::clicked, this, &ProviderDetails::refreshModels);
    connect(m_addListed, &QPushButton::clicked, this, &ProviderDetails::addListedModels);
    connect(m_baseUrl, &QLineEdit::returnPressed, this, [this] {
        if (m_dirty)
            save();
    });
    connect(m_bar, &SaveBar::saveClicked, this, &ProviderDetails::save);
    connect(m_bar, &SaveBar::revertClicked, this, &ProviderDetails::revert);
    connect(m_config, &ConfigStore::configChanged, this, [this] {
        if (!m_dirty)
            loadDraft();
    });
    m_editTriggers = int(m_models->editTriggers());
    connect(m_teamBanner, &TeamRulesBanner::changed, this, &ProviderDetails::updateTeamMode);
    loadDraft();
}

void ProviderDetails::setTeam(TeamLink *team)
{
    m_team = team;
    m_teamBanner->setTeam(team);
    updateTeamMode();
}

void ProviderDetails::updateTeamMode()
{
    // config.yaml keeps this machine's own models while the team's are in force (ConfigStore::save),
    // so an edit here would be lost: the team's come from its published versions.
    const bool teams = TeamRulesBanner::publishes(m_team, m_config);
    m_models->setEditTriggers(teams ? QAbstractItemView::NoEditTriggers : QAbstractItemView::EditTriggers(m_editTriggers));
    m_refresh->setEnabled(!teams && draftProvider());
    m_addListed->setEnabled(!teams);
}

ProviderConfig *ProviderDetails::draftProvider()
{
    for (ProviderConfig &p : m_draft.providers) {
        if (p.id == m_providerId)
            return &p;
    }
    return nullptr;
}

void ProviderDetails::showProvider(const QString &providerId)
{
    if (providerId == m_providerId)
        return;
    m_providerId = providerId;
    m_invalidCells.clear();   // rows are per provider
    m_incompleteRows.clear();
    m_testResult->clear();
    m_refreshResult->clear();
    m_addListed->hide();
    m_unlisted.clear();
    fillForm();
}

QString ProviderDetails::draftName() const
{
    QStringList labels;
    for (const QString &id : m_edited) {
        if (const ProviderConfig *p = m_draft.provider(id))
            labels << p->label();
    }
    if (labels.isEmpty())
        return tr("the provider settings");
    return tr("the %1 settings").arg(QLocale().createSeparatedList(labels));
}

void ProviderDetails::revert()
{
    loadDraft();
    m_bar->showDiscarded();
}

void ProviderDetails::loadDraft()
{
    m_draft = m_config->config();
    m_dirty = false;
    m_edited.clear();
    m_invalidCells.clear();
    m_incompleteRows.clear();
    fillForm();
}

void ProviderDetails::markDirty()
{
    m_dirty = true;
    if (!m_edited.contains(m_providerId))
        m_edited << m_providerId;
    m_bar->showUnsaved(!m_invalidCells.isEmpty()     ? tr("Fix the value in red before saving.")
                       : !m_incompleteRows.isEmpty() ? tr("Enter both the input and the output price.")
                                                     : QString());
}

void ProviderDetails::fillForm()
{
    m_filling = true;
    const ProviderConfig *p = draftProvider();
    const bool has = p != nullptr;
    for (QWidget *w : std::initializer_list<QWidget *> {m_enabled, m_streaming, m_region, m_baseUrl, m_test, m_models, m_refresh})
        w->setEnabled(has);
    if (!has) {
        m_title->setText(tr("Select a provider above to see its settings and models."));
        m_models->setRowCount(0);
        m_filling = false;
        return;
    }
    m_title->setText(tr("%1 (%2 dialect)").arg(p->label(), dialectName(p->dialect)));
    m_enabled->setChecked(p->enabled);
    m_streaming->setChecked(p->streaming);
    m_region->clear();
    for (const ProviderRegion &r : p->regions)
        m_region->addItem(tr("%1 — %2").arg(r.name, r.baseUrl.host()));
    m_region->setEnabled(!p->regions.isEmpty());
    if (p->regions.isEmpty())
        m_region->addItem(tr("One endpoint"));
    for (int i = 0; i < p->regions.size(); ++i) {
        if (p->regions[i].name == p->region)
            m_region->setCurrentIndex(i);
    }
    m_baseUrl->setText(p->baseUrl.toString());
    fillModels();
    updateTeamMode();
    m_filling = false;
}

void ProviderDetails::fillModels()
{
    const bool wasFilling = std::exchange(m_filling, true);
    m_models->setRowCount(0);
    for (const ModelConfig &m : std::as_const(m_draft.models)) {
        if (m.provider != m_providerId)
            continue;
        const int row = m_models->rowCount();
        m_models->insertRow(row);
        auto readOnly = [](const QString &text) {
            auto *item = new QTableWidgetItem(text);
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            return item;
        };
        auto *name = readOnly(m.name);
        name->setData(Qt::UserRole, m.name);
        QStringList tip;
        if (m.isEmbedding())
            tip << tr("An embedding model: it answers POST /v1/embeddings, and is billed on input alone.");
        if (!m.aliases.isEmpty())
            tip << tr("Also called: %1").arg(m.aliases.join(QStringLiteral(", ")));
        name->setToolTip(tip.join(QLatin1Char('\n')));
        m_models->setItem(row, Name, name);
        m_models->setItem(row, Id, readOnly(m.id));
        m_models->setItem(row, Context, readOnly(m.isEmbedding() ? (m.context > 0 ? tr("embedding, %1 per input")
                                                                                        .arg(QLocale().toString(m.context))
                                                                                  : tr("embedding"))
                                                                 : QLocale().toString(m.context)));
        const Price price = m.price.value_or(Price {});
        m_models->setItem(row, Currency, new QTableWidgetItem(price.currency));
        m_models->setItem(row, Input, new QTableWidgetItem(m.price ? priceText(price.rates.input) : QString()));
        m_models->setItem(row, Cached, new QTableWidgetItem(m.price ? priceText(price.rates.cachedInput) : QString()));
        m_models->setItem(row, Output, new QTableWidgetItem(m.price ? priceText(price.rates.output) : QString()));
        QString asOf = price.asOf.isValid() ? QLocale().toString(price.asOf, QLocale::ShortFormat) : QString();
        if (!m.price)
            asOf = tr("no price yet");
        else if (!price.tiers.isEmpty() || price.offPeak)
            asOf += QLatin1Char(' ') + tr("(+ tiers or off-peak in config.yaml)");
        m_models->setItem(row, AsOf, readOnly(asOf));
    }
    m_filling = wasFilling;
}

void ProviderDetails::modelCellChanged(int row, int column)
{
    if (m_filling)
        return;
    const QString name = m_models->item(row, Name)->data(Qt::UserRole).toString();
    ModelConfig *model = nullptr;
    for (ModelConfig &m : m_draft.models) {
        if (m.name == name)
            model = &m;
    }
    if (!model)
        return;
    QTableWidgetItem *item = m_models->item(row, column);
    const QString text = item->text().trimmed();
    Price price = model->price.value_or(Price {});
    bool valid = true;
    if (column == Currency) {
        valid = Money::isCurrencyCode(text);
        if (valid)
            price.currency = text;
    } else {
        const std::optional<qint64> micros = Money::parseMicros(text);
        valid = (micros && *micros >= 0) || (column == Cached && text.isEmpty());
        if (valid) {
            const qint64 value = micros.value_or(-1);
            if (column == Input)
                price.rates.input = value;
            else if (column == Cached)
                price.rates.cachedInput = value;
            else if (column == Output)
                price.rates.output = value;
        }
    }
    // A new price needs both input and output before it can mean anything.
    const bool complete = model->price.has_value() || (!m_models->item(row, Input)->text().trimmed().isEmpty()
                                                       && !m_models->item(row, Output)->text().trimmed().isEmpty());
    item->setForeground(valid ? palette().color(QPalette::Text) : QColor(0xb3, 0x26, 0x1e));
    item->setToolTip(valid ? QString()
                           : column == Currency ? tr("A three-letter code such as USD or CNY.")
                                                : tr("A price per 1M tokens, such as 0.435 (at most six decimals)."));
    const QPair<int, int> cell {row, column};
    if (valid)
        m_invalidCells.remove(cell);
    else
        m_invalidCells.insert(cell);
    if (!valid || !complete) {
        if (valid)
            m_incompleteRows.insert(row);
        markDirty();
        return;
    }
    m_incompleteRows.remove(row);
    if (price.currency.isEmpty())
        price.currency = QStringLiteral("USD");
    price.asOf = QDate::currentDate();   // a new price is in force from today; the ledger keeps older ones
    model->price = price;
    m_filling = true;
    m_models->item(row, AsOf)->setText(QLocale().toString(price.asOf, QLocale::ShortFormat));
    if (m_models->item(row, Currency)->text().isEmpty())
        m_models->item(row, Currency)->setText(price.currency);
    m_filling = false;
    markDirty();
}

void ProviderDetails::testConnection()
{
    const ProviderConfig *p = draftProvider();
    if (!p)
        return;
    m_test->setEnabled(false);
    m_testResult->setText(tr("Testing…"));
    const ProviderConfig provider = *p;
    m_secrets->readProviderKey(provider.id, provider.apiKeyEnv, this, [this, provider](const SecretResult &key) {
        if (!key.ok() && key.status != SecretResult::Status::NotFound) {
            m_test->setEnabled(true);
            m_testResult->setText(tr("The key could not be read: %1").arg(key.message));
            return;
        }
        auto *probe = ProviderProbe::connectionTest(m_nam, m_draft, provider, key.secret, this);
        connect(probe, &ProviderProbe::finished, this, [this, probe, noKey = !key.ok(), id = provider.id](const ProbeResult &r) {
            probe->deleteLater();
            m_test->setEnabled(true);
            if (id != m_providerId)
                return;   // the user moved on to another provider
            QString text = r.summary();
            if (noKey && !r.ok())
                text = tr("No key is set for this provider. %1").arg(text);
            m_testResult->setText(text);
            m_testResult->setStyleSheet(r.ok() ? QStringLiteral("color: #1e7d32;") : QStringLiteral("color: #b3261e;"));
        });
        probe->start();
    });
}

void ProviderDetails::refreshModels()
{
    const ProviderConfig *p = draftProvider();
    if (!p)
        return;
    m_refresh->setEnabled(false);
    m_refreshResult->setText(tr("Asking the provider for its models…"));
    const ProviderConfig provider = *p;
    m_secrets->readProviderKey(provider.id, provider.apiKeyEnv, this, [this, provider](const SecretResult &key) {
        auto *probe = new ProviderProbe(m_nam, provider, key.secret, std::nullopt, this);
        connect(probe, &ProviderProbe::finished, this, [this, probe, provider](const ProbeResult &r) {
            probe->deleteLater();
            m_refresh->setEnabled(true);
            if (provider.id != m_providerId)
                return;   // the user moved on to another provider
            m_addListed->hide();
            if (!r.ok()) {
                m_refreshResult->setText(r.error->httpStatus == 404
                                             ? tr("%1 does not publish a model list; type model ids in config.yaml.").arg(provider.label())
                                             : r.summary());
                return;
            }
            m_unlisted.clear();
            int unusable = 0;   // ids a model could not be named after: control characters, or too long
            for (const QString &id : r.modelIds) {
                if (!Config::nameProblem(id).isEmpty()) {
                    ++unusable;
                    continue;
                }
                const bool known = std::any_of(m_draft.models.cbegin(), m_draft.models.cend(), [&](const ModelConfig &m) {
                    return m.provider == provider.id && (m.id == id || m.name == id || m.aliases.contains(id));
                });
                if (!known)
                    m_unlisted << id;
            }
            const QString leftOut = unusable == 0 ? QString()
                                                  : QLatin1Char(' ') + tr("%1 of them have ids with control characters "
                                                                          "or over %2 characters, and are left out.")
                                                                           .arg(unusable)
                                                                           .arg(Config::MaxNameLength);
            if (m_unlisted.isEmpty()) {
                m_refreshResult->setText(tr("The provider lists %1 models; all are in your list.").arg(r.modelIds.size())
                                         + leftOut);
                return;
            }
            m_refreshResult->setText(tr("The provider lists %1 models. Not in your list yet: %2")
                                         .arg(r.modelIds.size())
                                         .arg(m_unlisted.join(QStringLiteral(", ")))
                                     + leftOut);
            m_addListed->show();
        });
        probe->start();
    });
}

void ProviderDetails::addListedModels()
{
    for (const QString &id : std::as_const(m_unlisted)) {
        if (m_draft.model(id))
            continue;   // the name is taken by another provider's model
        ModelConfig m;
        m.name = id;
        m.provider = m_providerId;
        m.id = id;
        m.context = 131072;   // unknown until the user says; the table shows it
        m_draft.models.append(m);
    }
    m_unlisted.clear();
    m_addListed->hide();
    m_refreshResult->setText(tr("Added. Check each new model's context and prices, then Save."));
    fillModels();
    markDirty();
}

bool ProviderDetails::save()
{
    if (!m_invalidCells.isEmpty() || !m_incompleteRows.isEmpty()) {
        markDirty();   // the bar says what to fix
        return false;
    }
    QString error;
    const bool overwritesHandEdits = m_config->source() == ConfigStore::Source::File;
    if (!m_config->save(m_draft, &error)) {
        m_bar->showFailure(tr("Not saved: %1").arg(error));
        return false;
    }
    m_dirty = false;
    loadDraft();
    m_bar->showSaved(overwritesHandEdits ? tr("Saved to config.yaml (comments in the file are not kept).")
                                         : tr("Saved to config.yaml."));
    return true;
}
