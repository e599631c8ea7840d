#include "FirstRunPanel.h"

#include "ConfigStore.h"
#include "ProviderProbe.h"
#include "SecretStore.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace {

// Where each provider's own API hosts hand out keys. Keyed by the base URL's host, so a provider
// pointed at a gateway or a local server gets a hint instead of a console that is not its own.
QUrl keyPageFor(const QUrl &baseUrl)
{
    static const QHash<QString, QString> pages {
        {QStringLiteral("api.deepseek.com"), QStringLiteral("https://platform.deepseek.com/api_keys")},
        {QStringLiteral("api.moonshot.ai"), QStringLiteral("https://platform.moonshot.ai/console/api-keys")},
        {QStringLiteral("api.moonshot.cn"), QStringLiteral("https://platform.moonshot.cn/console/api-keys")},
        {QStringLiteral("api.minimax.io"), QStringLiteral("https://platform.minimax.io/user-center/basic-information/interface-key")},
        {QStringLiteral("api.minimaxi.com"), QStringLiteral("https://platform.minimaxi.com/user-center/basic-information/interface-key")},
        {QStringLiteral("dashscope.aliyuncs.com"), QStringLiteral("https://help.aliyun.com/zh/model-studio/get-api-key")},
        {QStringLiteral("dashscope-intl.aliyuncs.com"), QStringLiteral("https://www.alibabacloud.com/help/en/model-studio/get-api-key")},
        {QStringLiteral("dashscope-us.aliyuncs.com"), QStringLiteral("https://www.alibabacloud.com/help/en/model-studio/get-api-key")},
        {QStringLiteral("cn-hongkong.dashscope.aliyuncs.com"), QStringLiteral("https://www.alibabacloud.com/help/en/model-studio/get-api-key")},
        {QStringLiteral("openrouter.ai"), QStringLiteral("https://openrouter.ai/settings/keys")},
    };
    return QUrl(pages.value(baseUrl.host().toLower()));
}

bool hasChatModel(const Config &config, const QString &providerId)
{
    return std::any_of(config.models.cbegin(), config.models.cend(), [&](const ModelConfig &m) {
        return m.provider == providerId && !m.isEmbedding();
    });
}

} // namespace

FirstRunPanel::FirstRunPanel(ConfigStore *config, SecretStore *secrets, QNetworkAccessManager *nam, QWidget *parent)
    : QWidget(parent)
    , m_config(config)
    , m_secrets(secrets)
    , m_nam(nam)
    , m_problem(new QLabel(this))
    , m_provider(new QComboBox(this))
    , m_hint(new QLabel(this))
    , m_key(new QLineEdit(this))
    , m_test(new QPushButton(tr("Test Connection"), this))
    , m_result(new QLabel(this))
    , m_save(new QPushButton(tr("Save and Start Chatting"), this))
    , m_skip(new QPushButton(tr("Skip, I'll set up later"), this))
    , m_storage(new QLabel(this))
{
    setObjectName(QStringLiteral("firstRunPanel"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/key.svg")).pixmap(56, 56));
    icon->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(tr("Welcome to Switchyard"), this);
    title->setObjectName(QStringLiteral("firstRunTitle"));
    title->setAlignment(Qt::AlignCenter);
    title->setWordWrap(true);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    auto *intro = new QLabel(tr("Add one provider's key to start; the routing rules use whatever keys you have."), this);
    intro->setObjectName(QStringLiteral("firstRunIntro"));
    intro->setAlignment(Qt::AlignCenter);
    intro->setWordWrap(true);

    m_problem->setObjectName(QStringLiteral("firstRunKeychainProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();

    m_provider->setObjectName(QStringLiteral("firstRunProviderCombo"));
    m_provider->setAccessibleName(tr("Provider"));
    m_hint->setObjectName(QStringLiteral("firstRunKeyHint"));
    m_hint->setWordWrap(true);
    m_hint->setOpenExternalLinks(true);
    m_hint->setTextFormat(Qt::RichText);
    m_hint->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    m_key->setObjectName(QStringLiteral("firstRunKeyEdit"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setAccessibleName(tr("API key"));
    m_key->setPlaceholderText(tr("Paste the key here"));
    m_key->setMinimumWidth(280);

    m_test->setObjectName(QStringLiteral("firstRunTestButton"));
    m_result->setObjectName(QStringLiteral("firstRunResultLabel"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(m_result->fontMetrics().lineSpacing());   // a one-line result does not shift the buttons
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_save->setObjectName(QStringLiteral("firstRunSaveButton"));
    m_save->setDefault(true);
    m_skip->setObjectName(QStringLiteral("firstRunSkipButton"));
    m_skip->setFlat(true);   // the way out, quieter than the way on, but coloured as something to click
    QPalette skipPalette = m_skip->palette();
    skipPalette.setColor(QPalette::ButtonText, skipPalette.color(QPalette::Link));
    m_skip->setPalette(skipPalette);
    m_storage->setObjectName(QStringLiteral("firstRunStorageLabel"));
    m_storage->setWordWrap(true);
    m_storage->setForegroundRole(QPalette::PlaceholderText);

    // A grid, not a QFormLayout: that one sizes wrapped labels for a narrower width than they get,
    // which left blank lines under the hint and the result.
    auto *providerLabel = new QLabel(tr("&Provider:"), this);
    providerLabel->setBuddy(m_provider);
    auto *keyLabel = new QLabel(tr("API &key:"), this);
    keyLabel->setBuddy(m_key);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addStretch(1);
    auto *form = new QGridLayout;
    form->setColumnStretch(1, 1);
    form->addWidget(providerLabel, 0, 0);
    form->addWidget(m_provider, 0, 1);
    form->addWidget(m_hint, 1, 1);   // the hint belongs to the choice above it
    form->setRowMinimumHeight(2, 4);
    form->addWidget(keyLabel, 3, 0);
    form->addWidget(m_key, 3, 1);
    form->addLayout(testRow, 4, 1);
    form->addWidget(m_result, 5, 1);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_skip);
    buttons->addStretch(1);
    buttons->addWidget(m_save);

    // A column of bounded width in the middle, in a scroll area so nothing is cut at 800×600.
    auto *column = new QWidget;
    column->setMaximumWidth(600);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->addWidget(icon);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(title);
    columnLayout->addWidget(intro);
    columnLayout->addSpacing(12);
    columnLayout->addWidget(m_problem);
    columnLayout->addLayout(form);
    columnLayout->addSpacing(8);
    columnLayout->addLayout(buttons);
    columnLayout->addWidget(m_storage);
    columnLayout->addStretch(1);   // height given for a narrower width goes below, not between the rows

    auto *content = new QWidget;
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 6);
    row->addStretch(1);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addStretch(2);
    contentLayout->addLayout(row);
    contentLayout->addStretch(3);
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    setTabOrder(m_provider, m_hint);
    setTabOrder(m_hint, m_key);
    setTabOrder(m_key, m_test);
    setTabOrder(m_test, m_save);
    setTabOrder(m_save, m_skip);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &FirstRunPanel::providerChanged);
    connect(m_key, &QLineEdit::textEdited, this, [this] {
        cancelTest();   // a result for another key would mislead
        m_result->clear();
        setBusy(false);
    });
    connect(m_key, &QLineEdit::returnPressed, this, [this] { testConnection(true); });
    connect(m_test, &QPushButton::clicked, this, [this] { testConnection(false); });
    connect(m_save, &QPushButton::clicked, this, &FirstRunPanel::save);
    connect(m_skip, &QPushButton::clicked, this, &FirstRunPanel::skipRequested);
    connect(m_config, &ConfigStore::configChanged, this, &FirstRunPanel::fillProviders);
    fillProviders();
    m_storage->setText(tr("The key is kept in %1, never in a file in your profile folder.")
                           .arg(m_secrets->backend().description()));
}

FirstRunPanel::~FirstRunPanel()
{
    m_key->clear();
}

void FirstRunPanel::setKeychainProblem(const QString &problem)
{
    m_problem->setText(tr("The keychain could not be read: %1").arg(problem));
    m_problem->setVisible(!problem.isEmpty());
}

QString FirstRunPanel::providerId() const
{
    return m_provider->currentData().toString();
}

void FirstRunPanel::focusKey()
{
    m_key->setFocus(Qt::OtherFocusReason);
}

void FirstRunPanel::fillProviders()
{
    const Config &config = m_config->config();
    const QString current = providerId();
    QList<const ProviderConfig *> providers;
    for (const ProviderConfig &p : config.providers) {
        if (p.enabled && hasChatModel(config, p.id))   // the first answer needs a chat model
            providers << &p;
    }
    // DeepSeek first: one key there answers every kind of request the shipped rules name.
    std::stable_sort(providers.begin(), providers.end(), [](const ProviderConfig *a, const ProviderConfig *b) {
        return a->dialect == Dialect::DeepSeek && b->dialect != Dialect::DeepSeek;
    });
    const QSignalBlocker blocker(m_provider);
    m_provider->clear();
    for (const ProviderConfig *p : std::as_const(providers))
        m_provider->addItem(p->label(), p->id);
    const int keep = m_provider->findData(current);
    m_provider->setCurrentIndex(keep >= 0 ? keep : 0);
    providerChanged();
}

void FirstRunPanel::providerChanged()
{
    cancelTest();
    m_result->clear();
    setBusy(false);
    const ProviderConfig *p = m_config->config().provider(providerId());
    if (!p) {
        m_hint->setText(tr("No provider is enabled. Enable one in Settings → Providers."));
        return;
    }
    const QString host = p->baseUrl.host().toHtmlEscaped();
    const QUrl page = keyPageFor(p->baseUrl);
    if (page.isValid() && !page.isEmpty())
        m_hint->setText(tr("No key yet? <a href=\"%1\">Get a key</a> from %2. Calls go to %3.")
                            .arg(page.toString(QUrl::FullyEncoded).toHtmlEscaped(), p->label().toHtmlEscaped(), host));
    else
        m_hint->setText(tr("Use the key the server at %1 expects; a local server may take any text.").arg(host));
}

void FirstRunPanel::cancelTest()
{
    delete m_probe.data();   // its reply goes with it, and no result arrives
}

void FirstRunPanel::setBusy(bool busy)
{
    m_busy = busy;
    const bool ready = !busy && !m_key->text().trimmed().isEmpty() && !providerId().isEmpty();
    m_test->setEnabled(ready);
    m_save->setEnabled(ready);
    m_provider->setEnabled(!busy);
}

void FirstRunPanel::showResult(const QString &text, Outcome outcome)
{
    // Readable on both palettes: darker tones on a light window, lighter on a dark one.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QString colour;
    if (outcome == Outcome::Ok)
        colour = dark ? QStringLiteral("#81c995") : QStringLiteral("#1e7d32");
    else if (outcome == Outcome::Failed)
        colour = dark ? QStringLiteral("#f28b82") : QStringLiteral("#b3261e");
    m_result->setStyleSheet(colour.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(colour));
    m_result->setText(text);
}

void FirstRunPanel::testConnection(bool thenSave)
{
    const ProviderConfig *p = m_config->config().provider(providerId());
    const QString key = m_key->text().trimmed();
    if (!p || key.isEmpty() || m_busy)
        return;
    cancelTest();
    setBusy(true);
    showResult(tr("Testing %1…").arg(p->label()), Outcome::Pending);
    m_probe = ProviderProbe::connectionTest(m_nam, m_config->config(), *p, key, this);
    connect(m_probe, &ProviderProbe::finished, this, [this, probe = m_probe.data(), thenSave](const ProbeResult &r) {
        probe->deleteLater();
        setBusy(false);
        showResult(r.summary(), r.ok() ? Outcome::Ok : Outcome::Failed);   // the probe has taken the key out of any message
        if (r.ok() && thenSave)
            save();
    });
    m_probe->start();
}

void FirstRunPanel::save()
{
    const ProviderConfig *p = m_config->config().provider(providerId());
    const QString key = m_key->text().trimmed();
    if (!p || key.isEmpty())
        return;
    cancelTest();
    setBusy(true);
    const QString id = p->id;
    const QString label = p->label();
    showResult(tr("Saving the key for %1…").arg(label), Outcome::Pending);
    m_key->setReadOnly(true);   // what is saved is what the field shows
    m_secrets->write(SecretStore::providerAccount(id), key, this, [this, id, label](const SecretResult &result) {
        m_key->setReadOnly(false);
        if (!result.ok()) {   // the key stays in the field, to try again once the keychain opens
            setBusy(false);
            showResult(tr("The key for %1 was not saved: %2").arg(label, result.message), Outcome::Failed);
            return;
        }
        m_key->clear();
        setBusy(false);
        showResult(tr("The key for %1 is saved.").arg(label), Outcome::Ok);
        emit keySaved(id);
    });
}
