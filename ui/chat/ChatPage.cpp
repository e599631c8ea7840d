#include "ChatPage.h"

#include "AppSettings.h"
#include "Attachments.h"
#include "Composer.h"
#include "ConfigStore.h"
#include "ConversationView.h"
#include "Database.h"
#include "ElidedLabel.h"
#include "EmptyState.h"
#include "FirstRunPanel.h"
#include "KeyStatus.h"
#include "Ledger.h"
#include "MessageWidgets.h"
#include "Router.h"

#include <QDateTime>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

constexpr auto LastConversationKey = "chat/lastConversation";
constexpr int FrameMs = 16;            // deltas are laid out at most once a frame
constexpr int UndoMs = 10'000;
enum Roles { IdRole = Qt::UserRole, MatchRole, TitleRole, HeaderRole };

QString titleFrom(const QString &prompt, const QList<ChatAttachment> &attachments)
{
    QString t = prompt.section(u'\n', 0, 0, QString::SectionSkipEmpty).simplified();
    if (t.isEmpty() && !attachments.isEmpty())
        t = attachments.first().name;
    if (t.size() > 60)
        t = t.left(58).trimmed() + QStringLiteral("…");
    return t.isEmpty() ? ChatPage::tr("New chat") : t;
}

} // namespace

ChatPage::ChatPage(ConfigStore *config, SecretStore *secrets, KeyStatus *keys, AppSettings *settings,
                   QNetworkAccessManager *nam, QWidget *parent)
    : QWidget(parent)
    , m_config(config)
    , m_secrets(secrets)
    , m_keys(keys)
    , m_settings(settings)
    , m_nam(nam)
    , m_stack(new QStackedWidget(this))
    , m_state(new EmptyState(QStringLiteral(":/icons/chat.svg"), this))
    , m_firstRun(new FirstRunPanel(config, secrets, nam, this))
    , m_chatArea(new QWidget(this))
    , m_search(new QLineEdit(this))
    , m_new(new QPushButton(tr("New Chat"), this))
    , m_list(new QListWidget(this))
    , m_undoBar(new QWidget(this))
    , m_undoText(new QLabel(this))
    , m_title(new ElidedLabel(this))
    , m_view(new ConversationView(this))
    , m_composer(new Composer(settings, this))
{
    setObjectName(QStringLiteral("chatPage"));
    setAcceptDrops(true);
    m_state->setObjectName(QStringLiteral("chatEmptyState"));
    m_chatArea->setObjectName(QStringLiteral("chatArea"));

    // The list of conversations.
    m_new->setObjectName(QStringLiteral("newChatButton"));
    m_new->setToolTip(tr("Start a new conversation (Ctrl+N)"));
    m_new->setAccessibleName(tr("New chat"));
    m_search->setObjectName(QStringLiteral("conversationSearch"));
    m_search->setPlaceholderText(tr("Search all conversations (Ctrl+K)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search conversations"));
    m_list->setObjectName(QStringLiteral("conversationList"));
    m_list->setAccessibleName(tr("Conversations"));
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setWordWrap(true);
    // Room around each title, so that wrapped titles do not run into the next conversation's.
    // (Above and below only: side padding would make wrapped items wider than the list.)
    m_list->setStyleSheet(QStringLiteral("QListWidget#conversationList::item { padding-top: 5px; padding-bottom: 5px; }"));
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_undoBar->setObjectName(QStringLiteral("undoBar"));
    auto *undoLayout = new QHBoxLayout(m_undoBar);
    undoLayout->setContentsMargins(4, 2, 4, 2);
    m_undoText->setWordWrap(true);
    auto *undo = new QPushButton(tr("Undo"), m_undoBar);
    undo->setObjectName(QStringLiteral("undoDeleteButton"));
    undoLayout->addWidget(m_undoText, 1);
    undoLayout->addWidget(undo);
    m_undoBar->hide();
    connect(undo, &QPushButton::clicked, this, &ChatPage::undoDelete);

    auto *side = new QWidget(this);
    side->setObjectName(QStringLiteral("conversationSidebar"));
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(8, 8, 0, 8);
    sideLayout->addWidget(m_new);
    sideLayout->addWidget(m_search);
    sideLayout->addWidget(m_list, 1);
    sideLayout->addWidget(m_undoBar);

    // The conversation.
    m_title->setObjectName(QStringLiteral("conversationTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.15);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setContentsMargins(16, 8, 16, 0);
    auto *main = new QWidget(this);
    auto *mainLayout = new QVBoxLayout(main);
    mainLayout->setContentsMargins(0, 0, 0, 0);
    mainLayout->setSpacing(0);
    mainLayout->addWidget(m_title);
    mainLayout->addWidget(m_view, 1);
    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    mainLayout->addWidget(line);
    mainLayout->addWidget(m_composer);

    auto *splitter = new QSplitter(Qt::Horizontal, m_chatArea);
    splitter->setObjectName(QStringLiteral("chatSplitter"));
    splitter->addWidget(side);
    splitter->addWidget(main);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({230, 800});
    splitter->setChildrenCollapsible(false);
    auto *areaLayout = new QHBoxLayout(m_chatArea);
    areaLayout->setContentsMargins(0, 0, 0, 0);
    areaLayout->addWidget(splitter);

    m_stack->addWidget(m_state);
    m_stack->addWidget(m_firstRun);
    m_stack->addWidget(m_chatArea);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_view->setPlaceholder(tr("Opening your conversations…"), QString());

    connect(m_state, &EmptyState::actionTriggered, this, [this] { emit openSettingsRequested(); });
    connect(m_firstRun, &FirstRunPanel::keySaved, this, &ChatPage::firstKeySaved);
    connect(m_firstRun, &FirstRunPanel::skipRequested, this, [this] {
        m_firstRunSkipped = true;
        updateState();
    });
    connect(m_keys, &KeyStatus::changed, this, &ChatPage::updateState);
    connect(m_new, &QPushButton::clicked, this, &ChatPage::newConversation);
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        if (!item->data(HeaderRole).toBool())
            openConversation(item->data(IdRole).toString(), item->data(MatchRole).toString());
    });
    connect(m_list, &QListWidget::itemChanged, this, &ChatPage::renameFromItem);
    connect(m_list, &QListWidget::customContextMenuRequested, this, &ChatPage::showListMenu);
    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(150);
    connect(m_search, &QLineEdit::textChanged, &m_searchTimer, qOverload<>(&QTimer::start));
    connect(&m_searchTimer, &QTimer::timeout, this, &ChatPage::reloadList);
    m_undoTimer.setSingleShot(true);
    m_undoTimer.setInterval(UndoMs);
    connect(&m_undoTimer, &QTimer::timeout, this, [this] {
        m_undoBar->hide();
        m_deletedId.clear();
        if (m_store)
            m_store->purgeDeleted();
    });

    connect(m_composer, &Composer::sendRequested, this, &ChatPage::send);
    connect(m_composer, &Composer::stopRequested, this, &ChatPage::stop);
    connect(m_composer, &Composer::cancelEditRequested, this, &ChatPage::cancelEdit);
    connect(m_composer, &Composer::attachRequested, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Attach files"), QString(),
                                                                Attachments::fileDialogFilter());
        addFiles(files);
    });
    connect(m_composer->input(), &ComposerInput::filesPasted, this, &ChatPage::addFiles);
    connect(m_composer->input(), &ComposerInput::imagePasted, this, [this](const QImage &image) { addImage(image); });
    m_estimateTimer.setSingleShot(true);
    m_estimateTimer.setInterval(250);
    connect(m_composer, &Composer::changed, &m_estimateTimer, qOverload<>(&QTimer::start));
    connect(&m_estimateTimer, &QTimer::timeout, this, &ChatPage::updateEstimate);

    connect(m_view, &ConversationView::regenerateRequested, this, &ChatPage::regenerate);
    connect(m_view, &ConversationView::continueRequested, this, &ChatPage::continueAnswer);
    connect(m_view, &ConversationView::editRequested, this, &ChatPage::edit);
    connect(m_view, &ConversationView::openSettingsRequested, this, &ChatPage::openSettingsRequested);

    m_frame.setSingleShot(true);
    m_frame.setInterval(FrameMs);
    connect(&m_frame, &QTimer::timeout, this, &ChatPage::frame);

    // Window-wide, wherever focus is (the sidebar just clicked, say): a shortcut's window context
    // also needs its parent shown, so they act only while the chat is the current page.
    const auto shortcut = [this](const QKeySequence &keys, const QString &what, auto slot) {
        auto *s = new QShortcut(keys, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, slot);
        m_shortcuts.append({keys, what});
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_N), tr("New chat"), [this] { newConversation(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_K), tr("Search conversations"), [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_L), tr("Go to the message field"), [this] { focusComposer(); });
    const auto escape = [this] {
        if (m_turn)
            stop();
        else if (m_composer->isEditing())
            cancelEdit();
    };
    shortcut(QKeySequence(Qt::Key_Escape), tr("Stop the answer (or cancel editing)"), escape);
    connect(m_composer->input(), &ComposerInput::escapePressed, this, escape);
    new QShortcut(QKeySequence::Delete, m_list, [this] {
        if (QListWidgetItem *item = m_list->currentItem(); item && !item->data(HeaderRole).toBool())
            deleteConversation(item->data(IdRole).toString());
    }, Qt::WidgetShortcut);
    m_listShortcuts.append({QKeySequence(QKeySequence::Delete), tr("Delete the selected conversation (in the list)")});
#ifdef Q_OS_MACOS
    m_listShortcuts.append({QKeySequence(Qt::Key_Return), tr("Rename the selected conversation (in the list)")});
#else
    m_listShortcuts.append({QKeySequence(Qt::Key_F2), tr("Rename the selected conversation (in the list)")});
#endif

    const auto listModels = [this] {
        m_composer->setModels(m_config->config(), m_keys->keyless());
        m_view->setModels(m_composer->modelNames(), m_composer->keylessModels());
    };
    connect(m_config, &ConfigStore::configChanged, this, listModels);
    connect(m_keys, &KeyStatus::changed, this, listModels);
    listModels();
    updateState();
}

ChatPage::~ChatPage()
{
    if (m_turn)
        m_turn->cancel();   // its finished() saves the answer as stopped
}

QList<QPair<QKeySequence, QString>> ChatPage::shortcuts() const
{
    QList<QPair<QKeySequence, QString>> out = m_shortcuts;
    if (m_composer->input()->enterSends()) {
        out.append({QKeySequence(Qt::Key_Enter), tr("Send the message")});
        out.append({QKeySequence(Qt::SHIFT | Qt::Key_Enter), tr("Start a new line")});
    } else {
        out.append({QKeySequence(Qt::CTRL | Qt::Key_Enter), tr("Send the message")});
        out.append({QKeySequence(Qt::Key_Enter), tr("Start a new line")});
    }
    return out + m_listShortcuts;
}

void ChatPage::focusComposer()
{
    m_composer->input()->setFocus(Qt::ShortcutFocusReason);
}

void ChatPage::updateState()
{
    if (m_keys->checking()) {
        if (m_stack->currentWidget() == m_firstRun)
            return;   // a second look at the keys does not take the typed key out of view
        m_state->setTitle(tr("Checking your keys…"));
        m_state->setBody(tr("Switchyard is asking the keychain which providers have a key."));
        m_state->setAction(QString());
        m_stack->setCurrentWidget(m_state);
        return;
    }
    if (!m_keys->anyKey() && !m_firstRunSkipped) {
        m_firstRun->setKeychainProblem(m_keys->keychainProblem());
        if (m_stack->currentWidget() != m_firstRun) {
            m_stack->setCurrentWidget(m_firstRun);
            m_firstRun->focusKey();
        }
        return;
    }
    if (!m_keys->anyKey() && !m_keys->keychainProblem().isEmpty()) {
        m_state->setTitle(tr("The keychain could not be read"));
        m_state->setBody(m_keys->keychainProblem());
        m_state->setAction(tr("Open Settings"));
        m_stack->setCurrentWidget(m_state);
        return;
    }
    if (!m_keys->anyKey()) {
        m_state->setTitle(tr("No provider has a key yet — add one in Settings"));
        m_state->setBody(tr("Add a key for DeepSeek, Kimi, MiniMax, Qwen, OpenRouter or your own "
                            "OpenAI-compatible endpoint. Keys are kept in your system keychain."));
        m_state->setAction(tr("Open Settings"));
        m_stack->setCurrentWidget(m_state);
        return;
    }
    const bool appearing = m_stack->currentWidget() != m_chatArea;
    m_stack->setCurrentWidget(m_chatArea);
    if (!m_firstKeyProvider.isEmpty())
        startFirstChat(std::exchange(m_firstKeyProvider, {}));
    else if (appearing && isVisible())
        focusComposer();   // the keys are read after the window opens: the cursor goes in once they are
}

void ChatPage::firstKeySaved(const QString &providerId)
{
    // KeyStatus hears of the new key from the store and reads it again; the chat shows once it has.
    m_firstKeyProvider = providerId;
    updateState();
}

void ChatPage::startFirstChat(const QString &providerId)
{
    const ProviderConfig *p = m_config->config().provider(providerId);
    if (m_messages.isEmpty())
        m_view->setPlaceholder(tr("You're ready"),
                               tr("The key for %1 is in your keychain. Ask anything, or try the suggestion below; "
                                  "your routing rules choose the model.")
                                   .arg(p ? p->label() : providerId));
    ComposerInput *input = m_composer->input();
    const QString before = input->placeholderText();
    const QString prompt = tr("Write a haiku about a railway switchyard at dawn");
    input->setPlaceholderText(input->enterSends() ? tr("Try: “%1” — Enter sends").arg(prompt)
                                                  : tr("Try: “%1” — Ctrl+Enter sends").arg(prompt));
    // One suggestion is enough: the usual hint comes back with the first question.
    connect(m_composer, &Composer::sendRequested, input, [input, before] { input->setPlaceholderText(before); },
            Qt::SingleShotConnection);
    input->setFocus(Qt::OtherFocusReason);
}

void ChatPage::setStorage(Database *database, Ledger *ledger)
{
    m_database = database;
    m_ledger = ledger;
    m_store = std::make_unique<ConversationStore>(database);
    connect(database, &Database::opened, this, &ChatPage::storageOpened);
    connect(database, &Database::openFailed, this, [this](const QString &error) {
        m_storageProblem = error;
        m_view->setPlaceholder(tr("Conversations cannot be saved"), error);
    });
}

void ChatPage::storageOpened()
{
    QString error;
    if (!m_store->open(&error)) {
        m_storageProblem = error;
        m_view->setPlaceholder(tr("Conversations cannot be read"), error);
        return;
    }
    m_store->purgeDeleted();   // deletions whose undo ran out when the program stopped
    reloadList();
    const QString last = m_settings ? m_settings->raw().value(QLatin1String(LastConversationKey)).toString() : QString();
    // (The purge just queued cannot touch these: deleted conversations are not read.)
    if (!last.isEmpty() && m_store->conversation(last)) {
        openNow(last, {});
        return;
    }
    const QList<ConversationInfo> all = m_store->conversations();   // the last one is gone: the latest
    if (!all.isEmpty())
        openNow(all.first().id, {});
    else
        newConversation();
}

void ChatPage::reloadList()
{
    if (!m_store)
        return;
    const QString needle = m_search->text().trimmed();
    const QList<ConversationInfo> list = needle.isEmpty() ? m_store->conversations() : m_store->search(needle);
    m_fillingList = true;
    m_list->clear();
    const auto header = [this](const QString &text) {
        auto *item = new QListWidgetItem(text, m_list);
        item->setFlags(Qt::NoItemFlags);
        item->setData(HeaderRole, true);
        QFont f = item->font();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 0.9);
        item->setFont(f);
    };
    if (!needle.isEmpty())
        header(list.isEmpty() ? tr("Nothing matches “%1”").arg(needle) : (list.size() == 1 ? tr("1 conversation matches") : tr("%1 conversations match").arg(list.size())));
    bool pinnedHeader = false;
    bool recentHeader = false;
    for (const ConversationInfo &c : list) {
        if (needle.isEmpty() && c.pinned && !pinnedHeader) {
            header(tr("Pinned"));
            pinnedHeader = true;
        } else if (needle.isEmpty() && !c.pinned && pinnedHeader && !recentHeader) {
            header(tr("Recent"));
            recentHeader = true;
        }
        auto *item = new QListWidgetItem(m_list);
        item->setText(c.snippet.isEmpty() ? c.title : c.title + QLatin1Char('\n') + c.snippet);
        item->setData(IdRole, c.id);
        item->setData(MatchRole, c.matchMessage);
        item->setData(TitleRole, c.title);
        item->setToolTip(c.pinned ? tr("%1 (pinned)").arg(c.title) : c.title);
        if (needle.isEmpty())
            item->setFlags(item->flags() | Qt::ItemIsEditable);
        if (c.id == m_conversation.id)
            m_list->setCurrentItem(item);
    }
    m_fillingList = false;
    emit conversationsChanged();
}

void ChatPage::reloadListAfterWrites()
{
    if (!m_store)
        return;
    const quint64 generation = ++m_reloadGeneration;   // only the last request reloads
    m_store->whenWritten(this, [this, generation] {
        if (generation != m_reloadGeneration)
            return;
        reloadList();
        if (!m_openAfterReload.isEmpty())
            openConversation(std::exchange(m_openAfterReload, {}));
    });
}

void ChatPage::setTitle(const QString &title)
{
    m_title->setText(title);
}

void ChatPage::newConversation()
{
    cancelEdit();
    m_conversation = ConversationInfo();
    m_messages.clear();
    m_view->setMessages({});
    m_view->setPlaceholder(tr("Ask anything"),
                           tr("Your routing rules choose the model, or pick one below. Drop images, PDF, text or "
                              "source files here to attach them."));
    setTitle(tr("New chat"));
    updateBusyStatus();
    m_list->setCurrentItem(nullptr);
    m_list->clearSelection();
    m_composer->input()->setFocus();
    updateEstimate();
}

void ChatPage::openConversation(const QString &id, const QString &revealMessage)
{
    if (!m_store)
        return;
    if (id == m_conversation.id && revealMessage.isEmpty())
        return;   // already shown
    if (m_store->hasPendingWrites()) {   // read it once what was just written has landed
        m_store->whenWritten(this, [this, id, revealMessage] { openNow(id, revealMessage); });
        return;
    }
    openNow(id, revealMessage);
}

void ChatPage::openNow(const QString &id, const QString &revealMessage)
{
    const std::optional<ConversationInfo> info = m_store->conversation(id);
    if (!info)
        return;
    cancelEdit();
    const bool streamingHere = m_turn && m_streaming.conversation == id;
    if (streamingHere)
        frame();   // what has arrived is in m_streaming, not only in the widget about to go
    m_conversation = *info;
    m_messages = m_store->messages(id);
    m_payloads.clear();
    if (streamingHere) {   // the answer still arriving: memory is ahead of the database
        const int i = indexOf(m_streaming.id);
        if (i >= 0)
            m_messages[i] = m_streaming;
        else
            m_messages << m_streaming;
    }
    m_view->setMessages(m_messages);
    if (streamingHere) {
        m_streamWidget = m_view->widgetFor(m_streaming.id);
        if (m_streamWidget)
            m_streamWidget->resume(false);
        m_view->setActionsEnabled(false);
    }
    updateBusyStatus();
    setTitle(m_conversation.title);
    if (m_settings)
        m_settings->raw().setValue(QLatin1String(LastConversationKey), id);
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(IdRole).toString() == id) {
            m_fillingList = true;
            m_list->setCurrentRow(i);
            m_fillingList = false;
        }
    }
    if (!revealMessage.isEmpty())
        m_view->reveal(revealMessage);
    updateEstimate();
}

int ChatPage::indexOf(const QString &messageId) const
{
    for (qsizetype i = 0; i < m_messages.size(); ++i) {
        if (m_messages[i].id == messageId)
            return int(i);
    }
    return -1;
}

QList<ChatAttachment> ChatPage::payload(const StoredMessage &m)
{
    if (m.attachments.isEmpty())
        return {};
    if (!m.attachments.first().loaded) {
        auto it = m_payloads.find(m.id);
        if (it == m_payloads.end())
            it = m_payloads.insert(m.id, m_store ? m_store->attachmentPayload(m.id) : QList<ChatAttachment>());
        return *it;
    }
    return m.attachments;
}

ChatRequest ChatPage::buildRequest(const QList<StoredMessage> &history)
{
    ChatRequest request;
    for (const StoredMessage &m : history) {
        if (m.role == u"user") {
            ChatMessage cm = ChatMessage::text(QStringLiteral("user"), QString());
            QString documents;
            for (const ChatAttachment &a : payload(m)) {
                if (a.kind == ChatAttachment::Kind::Image) {
                    cm.images << ChatMessage::Image {a.mimeType, a.data, QString()};
                } else {
                    documents += QStringLiteral("<document name=\"%1\">\n%2\n</document>\n\n").arg(a.name, a.text);
                    cm.hasDocument = true;
                }
            }
            cm.content = documents + m.content;
            request.messages << cm;
        } else if (m.role == u"assistant" && !m.content.isEmpty()) {
            request.messages << ChatMessage::text(QStringLiteral("assistant"), m.content);
        }
    }
    return request;
}

ChatTurn *ChatPage::makeTurn(const ChatRequest &request, const QString &model, const QString &task)
{
    ChatTurn::Services services;
    services.nam = m_nam;
    services.secrets = m_secrets;
    services.health = &m_health;
    services.ledger = m_ledger;
    services.timeouts = m_timeouts;
    services.keyless = m_keys->keyless();
    return new ChatTurn(services, m_config->config(), request, model, task, m_conversation.id, this);
}

void ChatPage::showRefusal(const QString &text)
{
    m_composer->setStatus(text, true);
}

void ChatPage::updateBusyStatus()
{
    if (m_turn && m_streaming.conversation != m_conversation.id) {
        const std::optional<ConversationInfo> c = m_store ? m_store->conversation(m_streaming.conversation) : std::nullopt;
        m_composer->setStatus(tr("An answer is still arriving in “%1”; Stop ends it.").arg(c ? c->title : QString()));
    } else if (m_turn) {
        m_composer->setStatus(QString());
    }
}

void ChatPage::send()
{
    if (m_turn) {
        updateBusyStatus();
        return;
    }
    const QString text = m_composer->text();
    const QList<ChatAttachment> attachments = m_composer->attachments();
    if (text.trimmed().isEmpty() && attachments.isEmpty())
        return;
    if (m_loading > 0) {
        showRefusal(tr("Wait until the files are read, then send."));
        return;
    }
    if (!m_store || !m_store->isOpen()) {
        showRefusal(m_storageProblem.isEmpty() ? tr("The conversations are still opening; try again in a moment.")
                                               : m_storageProblem);
        return;
    }
    QList<StoredMessage> history = m_messages;
    int editIndex = -1;
    if (!m_editingId.isEmpty()) {
        editIndex = indexOf(m_editingId);
        if (editIndex >= 0) {
            history = m_messages.mid(0, editIndex);
        } else {   // the message being edited is gone: this is a new one
            m_editingId.clear();
            m_composer->setEditing(false);
        }
    }
    const bool fresh = m_conversation.id.isEmpty();
    if (fresh)
        m_conversation.id = ConversationStore::newId();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    StoredMessage user;
    user.id = ConversationStore::newId();
    user.conversation = m_conversation.id;
    user.seq = history.isEmpty() ? 0 : history.constLast().seq + 1;
    user.role = QStringLiteral("user");
    user.content = text;
    user.status = QStringLiteral("done");
    user.meta = QJsonObject {{QStringLiteral("model"), m_composer->model()}, {QStringLiteral("task_type"), m_composer->taskType()}};
    user.createdMs = now;
    user.attachments = attachments;
    history << user;

    ChatTurn *turn = makeTurn(buildRequest(history), m_composer->model(), m_composer->taskType());
    QString refusal;
    if (!turn->start(&refusal)) {   // nothing is saved and the draft stays as it is
        delete turn;
        if (fresh)
            m_conversation.id.clear();
        showRefusal(refusal);
        return;
    }
    if (fresh) {
        m_conversation.title = titleFrom(text, attachments);
        m_conversation.createdMs = now;
        m_conversation.updatedMs = now;
        m_store->saveConversation(m_conversation);
        if (m_settings)
            m_settings->raw().setValue(QLatin1String(LastConversationKey), m_conversation.id);
        setTitle(m_conversation.title);
    }
    if (editIndex >= 0) {
        m_store->deleteFrom(m_conversation.id, m_messages[editIndex].seq);
        m_view->removeFrom(m_editingId);
        m_messages = m_messages.mid(0, editIndex);
        m_editingId.clear();
        m_composer->setEditing(false);
    }
    m_store->saveMessage(user);
    m_payloads.insert(user.id, attachments);
    m_messages << user;
    m_view->appendMessage(user);
    m_composer->setText(QString());
    m_composer->clearAttachments();
    m_composer->setStatus(QString());

    StoredMessage answer;
    answer.id = ConversationStore::newId();
    answer.conversation = m_conversation.id;
    answer.seq = user.seq + 1;
    answer.role = QStringLiteral("assistant");
    answer.status = QStringLiteral("streaming");
    answer.createdMs = QDateTime::currentMSecsSinceEpoch();
    beginAnswer(turn, answer, false);
    reloadListAfterWrites();   // the conversation moves to the top
}

void ChatPage::beginAnswer(ChatTurn *turn, const StoredMessage &message, bool continuing)
{
    m_turn = turn;
    m_streaming = message;
    m_streaming.status = QStringLiteral("streaming");
    m_part = 0;
    m_pendingContent.clear();
    m_pendingReasoning.clear();
    m_store->saveMessage(m_streaming);
    if (continuing) {
        m_streamWidget = m_view->widgetFor(message.id);
        if (m_streamWidget)
            m_streamWidget->resume(true);
    } else {
        m_messages << m_streaming;
        m_streamWidget = m_view->appendMessage(m_streaming);
    }
    m_composer->setStreaming(true);
    m_view->setActionsEnabled(false);
    connect(turn, &ChatTurn::attemptStarted, this, [this](const QString &model, const QString &provider, int n) {
        if (m_streamWidget)
            m_streamWidget->setTrying(model, provider, n);
    });
    connect(turn, &ChatTurn::contentDelta, this, [this](const QString &delta) {
        m_pendingContent += delta;
        if (m_streamWidget)
            m_streamWidget->appendContent(delta);
        if (!m_frame.isActive())
            m_frame.start();
    });
    connect(turn, &ChatTurn::reasoningDelta, this, [this](const QString &delta) {
        m_pendingReasoning += delta;
        if (m_streamWidget)
            m_streamWidget->appendReasoning(delta);
        if (!m_frame.isActive())
            m_frame.start();
    });
    connect(turn, &ChatTurn::finished, this, [this](const AnswerInfo &info) { onTurnFinished(info); });
}

void ChatPage::frame()
{
    if (m_streamWidget)
        m_streamWidget->flush();
    // Saved as shown, so a crash loses nothing already on screen.
    if (!m_pendingReasoning.isEmpty()) {
        m_store->appendPart(m_streaming.id, m_part++, true, m_pendingReasoning);
        m_streaming.reasoning += std::exchange(m_pendingReasoning, {});
    }
    if (!m_pendingContent.isEmpty()) {
        m_store->appendPart(m_streaming.id, m_part++, false, m_pendingContent);
        m_streaming.content += std::exchange(m_pendingContent, {});
    }
}

void ChatPage::onTurnFinished(const AnswerInfo &info)
{
    m_frame.stop();
    m_streaming.content += std::exchange(m_pendingContent, {});
    m_streaming.reasoning += std::exchange(m_pendingReasoning, {});
    StoredMessage done = m_streaming;
    done.status = !info.error ? QStringLiteral("done")
                  : info.error->errorClass == ErrorClass::Cancelled ? QStringLiteral("stopped")
                                                                      : QStringLiteral("error");
    QJsonObject meta = info.toJson();
    if (m_streaming.meta.value(QStringLiteral("continuing")).toBool()) {
        // A continuation: the badge counts both calls.
        AnswerInfo merged = info;
        const AnswerInfo before = AnswerInfo::fromJson(m_streaming.meta);
        const auto add = [](qint64 a, qint64 b) { return a < 0 ? b : b < 0 ? a : a + b; };
        merged.usage.promptTokens = add(before.usage.promptTokens, info.usage.promptTokens);
        merged.usage.cachedTokens = add(before.usage.cachedTokens, info.usage.cachedTokens);
        merged.usage.completionTokens = add(before.usage.completionTokens, info.usage.completionTokens);
        merged.usage.reasoningTokens = add(before.usage.reasoningTokens, info.usage.reasoningTokens);
        for (auto it = before.cost.cbegin(); it != before.cost.cend(); ++it)
            merged.cost[it.key()] += it.value();
        merged.costEstimated = before.costEstimated || info.costEstimated;
        merged.ttftMs = before.ttftMs >= 0 ? before.ttftMs : info.ttftMs;
        merged.totalMs = add(before.totalMs, info.totalMs);
        merged.fallbacks = before.fallbacks + info.fallbacks;
        meta = merged.toJson();
        meta.insert(QStringLiteral("continued"), true);
    } else if (m_streaming.meta.value(QStringLiteral("continued")).toBool()) {
        meta.insert(QStringLiteral("continued"), true);
    }
    done.meta = meta;
    m_store->saveMessage(done);
    if (m_conversation.id == done.conversation) {
        const int i = indexOf(done.id);
        if (i >= 0)
            m_messages[i] = done;
    }
    if (m_streamWidget)
        m_streamWidget->finish(done);
    m_turn->deleteLater();
    m_turn = nullptr;
    m_streamWidget = nullptr;
    m_composer->setStreaming(false);
    if (!m_composer->isEditing())
        m_composer->setStatus(QString());
    m_view->setActionsEnabled(true);
    emit answerFinished(done.id);
}

void ChatPage::stop()
{
    if (m_turn)
        m_turn->cancel();
}

void ChatPage::regenerate(const QString &messageId, const QString &model)
{
    if (m_turn)
        return;
    const int i = indexOf(messageId);
    if (i < 0 || m_messages[i].role != u"assistant")
        return;
    cancelEdit();
    const QList<StoredMessage> history = m_messages.mid(0, i);
    QString askedModel = model;
    QString task;
    for (qsizetype j = history.size() - 1; j >= 0; --j) {
        if (history[j].role == u"user") {
            if (askedModel.isEmpty())
                askedModel = history[j].meta.value(QStringLiteral("model")).toString();
            task = history[j].meta.value(QStringLiteral("task_type")).toString();
            break;
        }
    }
    ChatTurn *turn = makeTurn(buildRequest(history), askedModel, task);
    QString refusal;
    if (!turn->start(&refusal)) {
        delete turn;
        showRefusal(refusal);
        return;
    }
    const StoredMessage old = m_messages[i];
    m_store->deleteFrom(m_conversation.id, old.seq);
    m_view->removeFrom(old.id);
    m_messages = history;
    StoredMessage answer;
    answer.id = ConversationStore::newId();
    answer.conversation = m_conversation.id;
    answer.seq = old.seq;
    answer.role = QStringLiteral("assistant");
    answer.createdMs = QDateTime::currentMSecsSinceEpoch();
    m_composer->setStatus(QString());
    beginAnswer(turn, answer, false);
}

void ChatPage::continueAnswer(const QString &messageId)
{
    if (m_turn)
        return;
    const int i = indexOf(messageId);
    if (i < 0)
        return;
    if (i != m_messages.size() - 1) {
        showRefusal(tr("Only the last answer can be continued; use Regenerate for this one."));
        return;
    }
    ChatRequest request = buildRequest(m_messages);
    request.messages << ChatMessage::text(QStringLiteral("user"),
                                          tr("Continue exactly where your previous answer stopped, without repeating "
                                             "anything."));
    const AnswerInfo before = AnswerInfo::fromJson(m_messages[i].meta);
    ChatTurn *turn = makeTurn(request, before.model, before.taskType);
    QString refusal;
    if (!turn->start(&refusal)) {
        delete turn;
        showRefusal(refusal);
        return;
    }
    cancelEdit();
    StoredMessage answer = m_messages[i];
    answer.meta.insert(QStringLiteral("continuing"), true);   // the badge so far, merged at the end
    m_messages[i] = answer;
    m_composer->setStatus(QString());
    beginAnswer(turn, answer, true);
}

void ChatPage::edit(const QString &messageId)
{
    if (m_turn)
        return;
    const int i = indexOf(messageId);
    if (i < 0 || m_messages[i].role != u"user")
        return;
    m_editingId = messageId;
    m_composer->setEditing(true);
    m_composer->setText(m_messages[i].content);
    m_composer->clearAttachments();
    for (const ChatAttachment &a : payload(m_messages[i]))
        m_composer->addAttachment(a);
    m_composer->input()->setFocus();
}

void ChatPage::cancelEdit()
{
    if (m_editingId.isEmpty())
        return;
    m_editingId.clear();
    m_composer->setEditing(false);
    m_composer->setText(QString());
    m_composer->clearAttachments();
}

void ChatPage::updateEstimate()
{
    QList<StoredMessage> history = m_messages;
    const int editIndex = m_editingId.isEmpty() ? -1 : indexOf(m_editingId);
    if (editIndex >= 0)
        history = m_messages.mid(0, editIndex);
    StoredMessage draft;
    draft.role = QStringLiteral("user");
    draft.content = m_composer->text();
    draft.attachments = m_composer->attachments();
    qint64 attachmentTokens = 0;
    for (const ChatAttachment &a : draft.attachments)
        attachmentTokens += a.tokens;
    if (draft.content.trimmed().isEmpty() && draft.attachments.isEmpty()) {
        m_composer->setEstimate(QString());
        return;
    }
    history << draft;
    const ChatRequest request = buildRequest(history);
    const Config &config = m_config->config();
    const QString asked = m_composer->model();
    const RouteDecision d = Router(config).decide(request, asked.isEmpty() ? QStringLiteral("auto") : asked,
                                                  QString::fromLatin1(ChatTurn::Client), m_composer->taskType());
    const QLocale locale;
    const qint64 tokens = d.contextLength;   // the router's own estimate of the whole request
    QString text = attachmentTokens > 0
                       ? tr("≈ %1 tokens in (%2 from attachments)").arg(locale.toString(tokens), locale.toString(attachmentTokens))
                       : tr("≈ %1 tokens in").arg(locale.toString(tokens));
    if (!d.error.isEmpty())
        text += QStringLiteral(" · ") + d.error;
    else if (asked.isEmpty())
        text += QStringLiteral(" · ") + tr("→ %1 (rule “%2”)").arg(d.model, d.rule);
    m_composer->setEstimate(text);
}

void ChatPage::addFiles(const QStringList &paths)
{
    for (const QString &path : paths) {
        ++m_loading;
        m_composer->setLoading(m_loading);
        Attachments::load(path, this, [this](const std::optional<ChatAttachment> &a, const QString &error) {
            --m_loading;
            m_composer->setLoading(m_loading);
            if (a)
                m_composer->addAttachment(*a);
            else
                showRefusal(error);
        });
    }
}

void ChatPage::addImage(const QImage &image, const QString &name)
{
    const std::optional<ChatAttachment> a =
        Attachments::fromImage(image, name.isEmpty() ? tr("pasted image %1.png").arg(m_composer->attachments().size() + 1) : name);
    if (a)
        m_composer->addAttachment(*a);
}

void ChatPage::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasImage())
        event->acceptProposedAction();
}

void ChatPage::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &u : event->mimeData()->urls()) {
        if (u.isLocalFile())
            paths << u.toLocalFile();
    }
    if (!paths.isEmpty())
        addFiles(paths);
    else if (event->mimeData()->hasImage())
        addImage(qvariant_cast<QImage>(event->mimeData()->imageData()));
    event->acceptProposedAction();
}

void ChatPage::deleteConversation(const QString &id)
{
    if (!m_store || id.isEmpty())
        return;
    if (m_turn && m_streaming.conversation == id)
        m_turn->cancel();
    if (!m_deletedId.isEmpty())
        m_store->purgeDeleted();   // only the last deletion can be undone
    std::optional<ConversationInfo> c = m_store->conversation(id);
    m_store->setDeleted(id, true);
    m_deletedId = id;
    m_undoText->setText(tr("“%1” was deleted.").arg(c ? c->title : QString()));
    m_undoBar->show();
    m_undoTimer.start();
    if (m_conversation.id == id)
        newConversation();
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(IdRole).toString() == id)
            delete m_list->takeItem(i);
    }
    reloadListAfterWrites();   // and its section headers
}

void ChatPage::undoDelete()
{
    if (m_deletedId.isEmpty() || !m_store)
        return;
    const QString id = std::exchange(m_deletedId, {});
    m_undoTimer.stop();
    m_undoBar->hide();
    m_store->setDeleted(id, false);
    m_openAfterReload = id;
    reloadListAfterWrites();
}

void ChatPage::setPinned(const QString &id, bool pinned)
{
    if (!m_store)
        return;
    m_store->setPinned(id, pinned);
    if (m_conversation.id == id)
        m_conversation.pinned = pinned;
    reloadListAfterWrites();
}

void ChatPage::renameFromItem(QListWidgetItem *item)
{
    if (m_fillingList || !m_store || item->data(HeaderRole).toBool())
        return;
    const QString title = item->text().simplified();
    const QString id = item->data(IdRole).toString();
    if (title.isEmpty() || title == item->data(TitleRole).toString())
        return;
    m_store->rename(id, title);
    m_fillingList = true;
    item->setData(TitleRole, title);
    m_fillingList = false;
    if (m_conversation.id == id) {
        m_conversation.title = title;
        m_conversation.renamed = true;
        setTitle(title);
    }
}

void ChatPage::showListMenu(const QPoint &pos)
{
    QListWidgetItem *item = m_list->itemAt(pos);
    if (!item || item->data(HeaderRole).toBool() || !m_store)
        return;
    const QString id = item->data(IdRole).toString();
    item = nullptr;   // the list may be filled again while the menu is open
    const std::optional<ConversationInfo> c = m_store->conversation(id);
    QMenu menu(this);
    QAction *rename = menu.addAction(tr("Rename"));
    rename->setEnabled(m_search->text().trimmed().isEmpty());
    QAction *pin = menu.addAction(c && c->pinned ? tr("Unpin") : tr("Pin to Top"));
    menu.addSeparator();
    QAction *remove = menu.addAction(tr("Delete"));
    QAction *chosen = menu.exec(m_list->viewport()->mapToGlobal(pos));
    if (chosen == rename) {
        for (int i = 0; i < m_list->count(); ++i) {
            if (m_list->item(i)->data(IdRole).toString() == id)
                m_list->editItem(m_list->item(i));
        }
    }
    else if (chosen == pin)
        setPinned(id, !(c && c->pinned));
    else if (chosen == remove)
        deleteConversation(id);
}
