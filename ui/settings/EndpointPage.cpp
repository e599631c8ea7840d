#include "EndpointPage.h"

#include "AppSettings.h"
#include "Dispatch.h"
#include "Gateway.h"
#include "GatewayKeys.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QString masked(const QString &key)
{
    return key.isEmpty() ? QString() : key.left(6) + QString(12, QChar(0x2022)) + key.right(4);
}

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

EndpointPage::EndpointPage(Gateway *gateway, GatewayKeys *keys, AppSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_keys(keys)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("endpointPage"));
    confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Local Endpoint"), question) == QMessageBox::Yes;
    };

    // On or off, and where.
    auto *serveBox = new QGroupBox(tr("Local endpoint"), this);
    auto *intro = note(tr("Scripts, agents and tools that speak OpenAI's or Anthropic's API (chat completions, "
                          "Responses, Messages, embeddings) can call one local URL with one key, and get the same "
                          "routing, fallback and cost ledger as this window. Calls made through it are marked with "
                          "the key's name in the ledger's client column."),
                       serveBox);
    m_enabled = new QCheckBox(tr("Serve the endpoint while Switchyard is open"), serveBox);
    m_enabled->setObjectName(QStringLiteral("endpointEnabled"));
    m_listen = new QLineEdit(serveBox);
    m_listen->setObjectName(QStringLiteral("endpointListen"));
    m_listen->setAccessibleName(tr("Address and port to listen on"));
    m_listen->setPlaceholderText(QStringLiteral("127.0.0.1:%1").arg(Gateway::DefaultPort));
    m_applyListen = new QPushButton(tr("Apply"), serveBox);
    m_applyListen->setObjectName(QStringLiteral("endpointApplyListen"));
    auto *listenRow = new QHBoxLayout;
    listenRow->addWidget(m_listen, 1);
    listenRow->addWidget(m_applyListen);
    m_exposure = new QLabel(serveBox);
    m_exposure->setObjectName(QStringLiteral("endpointExposureWarning"));
    m_exposure->setWordWrap(true);
    m_exposure->setStyleSheet(QStringLiteral("color: #b25000;"));
    m_status = new QLabel(serveBox);
    m_status->setObjectName(QStringLiteral("endpointStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *serveForm = new QFormLayout;
    serveForm->addRow(tr("Listen on:"), listenRow);
    serveForm->addRow(tr("Status:"), m_status);
    auto *serveLayout = new QVBoxLayout(serveBox);
    serveLayout->addWidget(intro);
    serveLayout->addWidget(m_enabled);
    serveLayout->addLayout(serveForm);
    serveLayout->addWidget(m_exposure);

    // The key, and how to use it.
    auto *keyBox = new QGroupBox(tr("Key"), this);
    m_key = new QLineEdit(keyBox);
    m_key->setObjectName(QStringLiteral("endpointKey"));
    m_key->setReadOnly(true);
    m_key->setAccessibleName(tr("The endpoint's key"));
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_showKey = new QPushButton(tr("Show"), keyBox);
    m_showKey->setObjectName(QStringLiteral("endpointShowKey"));
    m_showKey->setCheckable(true);
    m_copyKey = new QPushButton(tr("Copy"), keyBox);
    m_copyKey->setObjectName(QStringLiteral("endpointCopyKey"));
    m_regenerate = new QPushButton(tr("Regenerate…"), keyBox);
    m_regenerate->setObjectName(QStringLiteral("endpointRegenerateKey"));
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_showKey);
    keyRow->addWidget(m_copyKey);
    keyRow->addWidget(m_regenerate);
    m_keySource = note(QString(), keyBox);
    m_keySource->setObjectName(QStringLiteral("endpointKeySource"));
    // One setup per door and client: the text shown masks the key, the copy has it.
    m_snippetKind = new QComboBox(keyBox);
    m_snippetKind->setObjectName(QStringLiteral("endpointSnippetKind"));
    m_snippetKind->setAccessibleName(tr("Client to set up"));
    m_snippetKind->addItem(tr("curl: chat completions"), int(Snippet::Curl));
    m_snippetKind->addItem(tr("OpenAI SDK (Python)"), int(Snippet::OpenAiSdk));
    m_snippetKind->addItem(tr("curl: Responses API"), int(Snippet::Responses));
    m_snippetKind->addItem(tr("Claude Code"), int(Snippet::ClaudeCode));
    m_snippetKind->addItem(tr("Anthropic SDK (Python)"), int(Snippet::AnthropicSdk));
    m_snippetKind->addItem(tr("Codex CLI"), int(Snippet::CodexCli));
    m_snippetKind->addItem(tr("Vercel AI SDK"), int(Snippet::AiSdk));
    m_snippetKind->addItem(tr("curl: embeddings"), int(Snippet::Embeddings));
    m_snippetNote = note(QString(), keyBox);
    m_snippetNote->setObjectName(QStringLiteral("endpointSnippetNote"));
    m_example = new QPlainTextEdit(keyBox);
    m_example->setObjectName(QStringLiteral("endpointCurlExample"));
    m_example->setReadOnly(true);
    m_example->setAccessibleName(tr("Setup to paste"));
    m_example->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_example->setFixedHeight(m_example->fontMetrics().lineSpacing() * 9 + 12);
    m_example->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_copyExample = new QPushButton(tr("Copy with Key"), keyBox);
    m_copyExample->setObjectName(QStringLiteral("endpointCopyExample"));
    auto *exampleRow = new QHBoxLayout;
    auto *useFrom = new QLabel(tr("Use it from:"), keyBox);
    useFrom->setBuddy(m_snippetKind);
    exampleRow->addWidget(useFrom);
    exampleRow->addWidget(m_snippetKind);
    exampleRow->addStretch(1);
    exampleRow->addWidget(m_copyExample);
    auto *keyLayout = new QVBoxLayout(keyBox);
    keyLayout->addLayout(keyRow);
    keyLayout->addWidget(m_keySource);
    keyLayout->addLayout(exampleRow);
    keyLayout->addWidget(m_snippetNote);
    keyLayout->addWidget(m_example);

    // Named keys.
    auto *clientsBox = new QGroupBox(tr("Keys for separate apps"), this);
    auto *clientsNote = note(tr("Give each script or app its own key and its calls show up under that name in the "
                                "dashboard's client filter and in routing rules (client == \"name\")."),
                             clientsBox);
    m_clients = new QTableWidget(0, 2, clientsBox);
    m_clients->setObjectName(QStringLiteral("endpointClients"));
    m_clients->setHorizontalHeaderLabels({tr("Name"), tr("Key")});
    m_clients->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_clients->horizontalHeader()->setStretchLastSection(true);
    m_clients->verticalHeader()->hide();
    m_clients->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clients->setSelectionMode(QAbstractItemView::SingleSelection);
    m_clients->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_clients->setFixedHeight(m_clients->verticalHeader()->defaultSectionSize() * 3 + m_clients->horizontalHeader()->sizeHint().height() + 4);
    m_clientName = new QLineEdit(clientsBox);
    m_clientName->setObjectName(QStringLiteral("endpointClientName"));
    m_clientName->setPlaceholderText(tr("name, such as nightly-report"));
    m_clientName->setAccessibleName(tr("Name of the new key"));
    m_addClient = new QPushButton(tr("Add Key"), clientsBox);
    m_addClient->setObjectName(QStringLiteral("endpointAddClient"));
    m_removeClient = new QPushButton(tr("Remove Key…"), clientsBox);
    m_removeClient->setObjectName(QStringLiteral("endpointRemoveClient"));
    m_copyClient = new QPushButton(tr("Copy Key"), clientsBox);
    m_copyClient->setObjectName(QStringLiteral("endpointCopyClientKey"));
    auto *clientRow = new QHBoxLayout;
    clientRow->addWidget(m_clientName, 1);
    clientRow->addWidget(m_addClient);
    clientRow->addStretch();
    clientRow->addWidget(m_copyClient);
    clientRow->addWidget(m_removeClient);
    auto *clientsLayout = new QVBoxLayout(clientsBox);
    clientsLayout->addWidget(clientsNote);
    clientsLayout->addWidget(m_clients);
    clientsLayout->addLayout(clientRow);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(serveBox);
    layout->addWidget(keyBox);
    layout->addWidget(clientsBox);
    layout->addStretch();

    m_listen->setText(m_settings->gatewayListen());
    m_enabled->setChecked(m_settings->gatewayEnabled());
    connect(m_enabled, &QCheckBox::toggled, this, &EndpointPage::setEnabled);
    connect(m_applyListen, &QPushButton::clicked, this, &EndpointPage::applyListen);
    connect(m_listen, &QLineEdit::returnPressed, this, &EndpointPage::applyListen);
    connect(m_listen, &QLineEdit::textChanged, this, &EndpointPage::updateState);
    connect(m_showKey, &QPushButton::toggled, this, [this](bool on) {
        m_keyVisible = on;
        updateState();
    });
    connect(m_copyKey, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_keys->mainKey()); });
    connect(m_copyExample, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(snippet(Snippet(m_snippetKind->currentData().toInt()), currentUrl(),
                                                                 m_keys->mainKey())); });
    connect(m_snippetKind, &QComboBox::currentIndexChanged, this, &EndpointPage::updateState);
    connect(m_regenerate, &QPushButton::clicked, this, &EndpointPage::regenerate);
    connect(m_addClient, &QPushButton::clicked, this, &EndpointPage::addClient);
    connect(m_clientName, &QLineEdit::returnPressed, this, &EndpointPage::addClient);
    connect(m_removeClient, &QPushButton::clicked, this, &EndpointPage::removeClient);
    connect(m_copyClient, &QPushButton::clicked, this, [this] {
        const int row = m_clients->currentRow();
        if (row >= 0)
            QApplication::clipboard()->setText(m_keys->key(m_clients->item(row, 0)->text()));
    });
    connect(m_clients, &QTableWidget::itemSelectionChanged, this, &EndpointPage::updateState);
    connect(m_gateway, &Gateway::listeningChanged, this, &EndpointPage::updateState);
    connect(m_gateway, &Gateway::requestFinished, this, [this] {
        ++m_served;
        updateState();
    });
    connect(m_keys, &GatewayKeys::changed, this, [this] {
        updateClients();
        updateState();
    });
    updateClients();
    updateState();
}

void EndpointPage::startIfEnabled()
{
    if (m_settings->gatewayEnabled())
        start();
}

void EndpointPage::setEnabled(bool on)
{
    m_settings->setGatewayEnabled(on);
    m_problem.clear();
    if (on) {
        start();
    } else {
        m_gateway->stop();
        updateState();
    }
}

void EndpointPage::start()
{
    QHostAddress address;
    quint16 port = 0;
    QString error;
    if (!Gateway::parseListen(m_settings->gatewayListen(), &address, &port, &error)) {
        showProblem(error);
        return;
    }
    auto listen = [this, address, port] {
        if (!m_enabled->isChecked())
            return;
        QString why;
        if (!m_gateway->listen(address, port, &why))
            showProblem(why);
        else
            updateState();
    };
    if (m_keys->isLoaded()) {
        listen();
        return;
    }
    m_status->setText(tr("Reading the endpoint's key from the keychain…"));
    m_keys->load(m_settings->gatewayClients(), [this, listen](const QString &problem) {
        if (!problem.isEmpty()) {
            showProblem(problem);
            return;
        }
        listen();
    });
}

void EndpointPage::applyListen()
{
    QHostAddress address;
    quint16 port = 0;
    QString error;
    if (!Gateway::parseListen(m_listen->text(), &address, &port, &error)) {
        showProblem(error);
        return;
    }
    m_settings->setGatewayListen(m_listen->text().trimmed());
    m_problem.clear();
    if (m_enabled->isChecked()) {
        m_gateway->stop();
        start();
    }
    updateState();
}

void EndpointPage::showProblem(const QString &message)
{
    m_problem = message;
    updateState();
}

QString EndpointPage::currentUrl() const
{
    return m_gateway->isListening() ? m_gateway->url().toString()
                                    : QStringLiteral("http://%1/v1").arg(m_settings->gatewayListen());
}

QString EndpointPage::snippet(Snippet which, const QString &url, const QString &key)
{
    // Claude Code and the Anthropic SDK add /v1/messages to the base URL themselves.
    QString root = url;
    if (root.endsWith(QLatin1String("/v1")))
        root.chop(3);
    switch (which) {
    case Snippet::Curl:
        return QStringLiteral("curl %1/chat/completions \\\n"
                              "  -H \"Authorization: Bearer %2\" \\\n"
                              "  -H \"Content-Type: application/json\" \\\n"
                              "  -d '{\"model\": \"auto\", \"stream\": true,\n"
                              "       \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}'")
            .arg(url, key);
    case Snippet::OpenAiSdk:
        return QStringLiteral("from openai import OpenAI\n\n"
                              "client = OpenAI(base_url=\"%1\", api_key=\"%2\")\n"
                              "reply = client.chat.completions.create(\n"
                              "    model=\"auto\", messages=[{\"role\": \"user\", \"content\": \"Hello\"}])\n"
                              "print(reply.choices[0].message.content)")
            .arg(url, key);
    case Snippet::Responses:
        return QStringLiteral("curl %1/responses \\\n"
                              "  -H \"Authorization: Bearer %2\" \\\n"
                              "  -H \"Content-Type: application/json\" \\\n"
                              "  -d '{\"model\": \"auto\", \"input\": \"Hello\"}'")
            .arg(url, key);
    case Snippet::ClaudeCode:
        return QStringLiteral("export ANTHROPIC_BASE_URL=%1\n"
                              "export ANTHROPIC_AUTH_TOKEN=%2\n"
                              "claude")
            .arg(root, key);
    case Snippet::AnthropicSdk:
        return QStringLiteral("import anthropic\n\n"
                              "client = anthropic.Anthropic(base_url=\"%1\", api_key=\"%2\")\n"
                              "message = client.messages.create(\n"
                              "    model=\"auto\", max_tokens=1024,\n"
                              "    messages=[{\"role\": \"user\", \"content\": \"Hello\"}])\n"
                              "print(message.content[0].text)")
            .arg(root, key);
    case Snippet::CodexCli:
        return QStringLiteral("# ~/.codex/config.toml\n"
                              "model = \"auto\"\n"
                              "model_provider = \"switchyard\"\n\n"
                              "[model_providers.switchyard]\n"
                              "name = \"Switchyard\"\n"
                              "base_url = \"%1\"\n"
                              "env_key = \"SWITCHYARD_API_KEY\"\n"
                              "wire_api = \"responses\"\n\n"
                              "# in the shell that runs codex:\n"
                              "export SWITCHYARD_API_KEY=%2")
            .arg(url, key);
    case Snippet::AiSdk:
        return QStringLiteral("import { createOpenAI } from '@ai-sdk/openai';\n"
                              "import { generateText } from 'ai';\n\n"
                              "const switchyard = createOpenAI({ baseURL: '%1', apiKey: '%2' });\n"
                              "const { text } = await generateText({ model: switchyard('auto'), prompt: 'Hello' });")
            .arg(url, key);
    case Snippet::Embeddings:
        return QStringLiteral("curl %1/embeddings \\\n"
                              "  -H \"Authorization: Bearer %2\" \\\n"
                              "  -H \"Content-Type: application/json\" \\\n"
                              "  -d '{\"model\": \"auto\", \"input\": [\"first text\", \"second text\"]}'")
            .arg(url, key);
    }
    return {};
}

QString EndpointPage::snippetNote(Snippet which)
{
    switch (which) {
    case Snippet::Curl:
        return tr("Try it, or point any OpenAI-compatible client's base URL at the endpoint.");
    case Snippet::OpenAiSdk:
        return tr("Any OpenAI SDK works the same way: the base URL and the key are all it needs.");
    case Snippet::Responses:
        return tr("The Responses API, as the AI SDK and Codex use it; previous_response_id works for answers served here.");
    case Snippet::ClaudeCode:
        return tr("Set these before starting Claude Code. Its claude-… model names are routed as \"auto\" unless "
                  "model_aliases in config.yaml maps them to your models.");
    case Snippet::AnthropicSdk:
        return tr("The Anthropic Messages API; the key may also go in x-api-key (the SDK's api_key).");
    case Snippet::CodexCli:
        return tr("Add this provider to Codex's config.toml and set the key in the shell that runs codex.");
    case Snippet::AiSdk:
        return tr("switchyard('auto') speaks the Responses API, switchyard.chat('auto') chat completions, "
                  "switchyard.embedding(…) embeddings.");
    case Snippet::Embeddings:
        return tr("Embeddings go to the models marked kind: embedding in config.yaml.");
    }
    return {};
}

void EndpointPage::updateState()
{
    QHostAddress address;
    quint16 port = 0;
    QString ignored;
    const bool parsed = Gateway::parseListen(m_listen->text().isEmpty() ? m_settings->gatewayListen() : m_listen->text(),
                                             &address, &port, &ignored);
    const QString warning = parsed ? Gateway::exposureWarning(address) : QString();
    m_exposure->setText(warning.isEmpty() ? QString() : tr("Warning: %1").arg(warning));
    m_exposure->setVisible(!warning.isEmpty());
    m_applyListen->setEnabled(m_listen->text().trimmed() != m_settings->gatewayListen());

    if (!m_problem.isEmpty()) {
        m_status->setText(m_problem);
    } else if (m_gateway->isListening()) {
        m_status->setText(m_served == 0 ? tr("Listening on %1").arg(m_gateway->url().toString())
                                        : tr("Listening on %1 · %n request(s) served since Switchyard started", nullptr, m_served)
                                              .arg(m_gateway->url().toString()));
    } else if (!m_enabled->isChecked()) {
        m_status->setText(tr("Off. Scripts can also run it without this window: switchyard serve"));
    }

    const bool haveKey = m_keys->isLoaded();
    m_key->setText(!haveKey ? QString() : m_keyVisible ? m_keys->mainKey() : masked(m_keys->mainKey()));
    m_key->setPlaceholderText(tr("Created in the keychain when the endpoint is first turned on"));
    m_showKey->setEnabled(haveKey);
    m_showKey->setText(m_keyVisible ? tr("Hide") : tr("Show"));
    m_copyKey->setEnabled(haveKey);
    m_copyExample->setEnabled(haveKey);
    m_regenerate->setEnabled(haveKey && !m_keys->mainKeyFromEnvironment());
    m_keySource->setText(m_keys->mainKeyFromEnvironment()
                             ? tr("This key comes from %1, which is set for this session.")
                                   .arg(QLatin1String(GatewayKeys::EnvironmentVariable))
                             : tr("Kept in the system keychain. switchyard serve uses the same key, or %1 when it is set.")
                                   .arg(QLatin1String(GatewayKeys::EnvironmentVariable)));
    const auto which = Snippet(m_snippetKind->currentData().toInt());
    m_snippetNote->setText(snippetNote(which));
    m_example->setPlainText(snippet(which, currentUrl(),
                                    haveKey ? (m_keyVisible ? m_keys->mainKey() : masked(m_keys->mainKey()))
                                            : QStringLiteral("<key>")));
    m_addClient->setEnabled(haveKey);
    m_clientName->setEnabled(haveKey);
    m_removeClient->setEnabled(haveKey && m_clients->currentRow() >= 0);
    m_copyClient->setEnabled(m_clients->currentRow() >= 0);
}

void EndpointPage::updateClients()
{
    const QStringList names = m_keys->clientNames();
    m_clients->setRowCount(int(names.size()));
    for (int i = 0; i < names.size(); ++i) {
        m_clients->setItem(i, 0, new QTableWidgetItem(names[i]));
        m_clients->setItem(i, 1, new QTableWidgetItem(masked(m_keys->key(names[i]))));
    }
}

void EndpointPage::regenerate()
{
    if (!confirm(tr("Make a new key? Scripts that use the current key will be refused until they are given the new one.")))
        return;
    m_keys->regenerate([this](const QString &error) { showProblem(error); });
}

void EndpointPage::addClient()
{
    const QString name = m_clientName->text().trimmed();
    if (name.isEmpty())
        return;
    if (m_keys->clientNames().contains(name)) {
        showProblem(tr("There is already a key named \"%1\".").arg(name));
        return;
    }
    m_keys->addClient(name, [this, name](const QString &error) {
        if (!error.isEmpty()) {
            showProblem(error);
            return;
        }
        m_settings->setGatewayClients(m_keys->clientNames());
        m_clientName->clear();
        m_problem.clear();
        updateState();
    });
}

void EndpointPage::removeClient()
{
    const int row = m_clients->currentRow();
    if (row < 0)
        return;
    const QString name = m_clients->item(row, 0)->text();
    if (!confirm(tr("Remove the key \"%1\"? Anything that uses it will be refused.").arg(name)))
        return;
    m_keys->removeClient(name, [this](const QString &error) {
        if (!error.isEmpty()) {
            showProblem(error);
            return;
        }
        m_settings->setGatewayClients(m_keys->clientNames());
    });
}
