#include "ConversationStore.h"

#include "Database.h"
#include "RandomId.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {

QString sqlError(const QSqlQuery &q)
{
    return QCoreApplication::translate("ConversationStore", "Saving the conversation failed: %1")
        .arg(q.lastError().text());
}

// A null QString binds as SQL NULL; the text columns are NOT NULL.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

bool run(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    *error = sqlError(q);
    return false;
}

QString kindName(ChatAttachment::Kind k)
{
    return k == ChatAttachment::Kind::Image ? QStringLiteral("image") : QStringLiteral("document");
}

ConversationInfo readConversation(const QSqlQuery &q)
{
    ConversationInfo c;
    c.id = q.value(0).toString();
    c.title = q.value(1).toString();
    c.renamed = q.value(2).toBool();
    c.pinned = q.value(3).toBool();
    c.createdMs = q.value(4).toLongLong();
    c.updatedMs = q.value(5).toLongLong();
    return c;
}

// Columns from 0: kind, name, mime, tokens, then text and data when `payload`.
ChatAttachment readAttachment(const QSqlQuery &q, bool payload)
{
    ChatAttachment a;
    a.kind = q.value(0).toString() == u"image" ? ChatAttachment::Kind::Image : ChatAttachment::Kind::Document;
    a.name = q.value(1).toString();
    a.mimeType = q.value(2).toByteArray();
    a.tokens = q.value(3).toLongLong();
    a.loaded = payload;
    if (payload) {
        a.text = q.value(4).toString();
        a.data = q.value(5).toByteArray();
    }
    return a;
}

constexpr auto ConversationColumns = "id, title, renamed, pinned, created_ms, updated_ms";

// Some words either side of the hit, on one line.
QString snippetAround(const QString &text, const QString &needle)
{
    const qsizetype at = text.indexOf(needle, 0, Qt::CaseInsensitive);
    if (at < 0)
        return {};
    const qsizetype from = std::max<qsizetype>(0, at - 40);
    QString s = text.mid(from, needle.size() + 100).simplified();
    if (from > 0)
        s.prepend(QStringLiteral("…"));
    if (from + needle.size() + 100 < text.size())
        s.append(QStringLiteral("…"));
    return s;
}

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace

ConversationStore::ConversationStore(Database *database, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_connection(QStringLiteral("switchyard-conversations-%1").arg(quintptr(this)))
{
}

ConversationStore::~ConversationStore()
{
    if (m_db) {
        m_db->close();
        m_db.reset();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool ConversationStore::open(QString *error)
{
    if (m_db)
        return true;
    m_db = Database::openConnection(m_database->path(), m_connection, error);
    return m_db.has_value();
}

void ConversationStore::write(std::function<bool(QSqlDatabase &, QString *)> job)
{
    ++m_pending;
    m_database->write(std::move(job));
    m_database->whenWritten(this, [this] { --m_pending; });
}

void ConversationStore::whenWritten(QObject *context, std::function<void()> done)
{
    m_database->whenWritten(context, std::move(done));
}

QString ConversationStore::newId()
{
    return randomHexId<4>();
}

QList<ConversationInfo> ConversationStore::conversations()
{
    QList<ConversationInfo> out;
    if (!m_db)
        return out;
    QSqlQuery q(*m_db);
    q.setForwardOnly(true);
    q.exec(QStringLiteral("SELECT %1 FROM conversations WHERE deleted_ms IS NULL "
                          "ORDER BY pinned DESC, updated_ms DESC")
               .arg(QLatin1String(ConversationColumns)));
    while (q.next())
        out << readConversation(q);
    return out;
}

std::optional<ConversationInfo> ConversationStore::conversation(const QString &id)
{
    if (!m_db)
        return std::nullopt;
    QSqlQuery q(*m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM conversations WHERE id = ? AND deleted_ms IS NULL")
                  .arg(QLatin1String(ConversationColumns)));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return readConversation(q);
    return std::nullopt;
}

QList<ConversationInfo> ConversationStore::search(const QString &text)
{
    const QString needle = text.trimmed();
    if (needle.isEmpty())
        return conversations();
    QList<ConversationInfo> out;
    if (!m_db)
        return out;
    // The first matching message of each conversation (by seq), or the title.
    QSqlQuery q(*m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
                  "SELECT c.id, c.title, c.renamed, c.pinned, c.created_ms, c.updated_ms, "
                  " (SELECT m.id || char(31) || m.content FROM messages m WHERE m.conversation_id = c.id "
                  "   AND m.content LIKE :p ESCAPE '\\' ORDER BY m.seq LIMIT 1) "
                  "FROM conversations c WHERE c.deleted_ms IS NULL AND (c.title LIKE :p ESCAPE '\\' OR EXISTS "
                  " (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE :p ESCAPE '\\')) "
                  "ORDER BY c.pinned DESC, c.updated_ms DESC"));
    q.bindValue(QStringLiteral(":p"), likePattern(needle));
    q.exec();
    while (q.next()) {
        ConversationInfo c = readConversation(q);
        const QString hit = q.value(6).toString();
        if (!hit.isEmpty()) {
            c.matchMessage = hit.section(QChar(31), 0, 0);
            c.snippet = snippetAround(hit.section(QChar(31), 1, -1), needle);
        }
        out << c;
    }
    return out;
}

QList<StoredMessage> ConversationStore::messages(const QString &conversation)
{
    QList<StoredMessage> out;
    if (!m_db)
        return out;
    QSqlQuery q(*m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, seq, role, content, reasoning, status, meta, created_ms FROM messages "
                             "WHERE conversation_id = ? ORDER BY seq"));
    q.addBindValue(conversation);
    q.exec();
    QHash<QString, qsizetype> streaming;
    while (q.next()) {
        StoredMessage m;
        m.id = q.value(0).toString();
        m.conversation = conversation;
        m.seq = q.value(1).toInt();
        m.role = q.value(2).toString();
        m.content = q.value(3).toString();
        m.reasoning = q.value(4).toString();
        m.status = q.value(5).toString();
        m.meta = QJsonDocument::fromJson(q.value(6).toByteArray()).object();
        m.createdMs = q.value(7).toLongLong();
        if (m.status == u"streaming")
            streaming.insert(m.id, out.size());
        out << m;
    }
    QSqlQuery a(*m_db);
    a.setForwardOnly(true);
    a.prepare(QStringLiteral("SELECT a.kind, a.name, a.mime, a.tokens, a.message_id FROM attachments a "
                             "JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ? "
                             "ORDER BY a.message_id, a.position"));
    a.addBindValue(conversation);
    a.exec();
    QHash<QString, qsizetype> byId;
    for (qsizetype i = 0; i < out.size(); ++i)
        byId.insert(out[i].id, i);
    while (a.next()) {
        const auto it = byId.constFind(a.value(4).toString());
        if (it != byId.constEnd())
            out[*it].attachments << readAttachment(a, false);
    }
    for (auto it = streaming.cbegin(); it != streaming.cend(); ++it) {
        QSqlQuery p(*m_db);
        p.prepare(QStringLiteral("SELECT reasoning, text FROM message_parts WHERE message_id = ? ORDER BY part"));
        p.addBindValue(it.key());
        p.exec();
        while (p.next())
            (p.value(0).toBool() ? out[*it].reasoning : out[*it].content) += p.value(1).toString();
    }
    return out;
}

QList<ChatAttachment> ConversationStore::attachmentPayload(const QString &messageId)
{
    QList<ChatAttachment> out;
    if (!m_db)
        return out;
    QSqlQuery a(*m_db);
    a.setForwardOnly(true);
    a.prepare(QStringLiteral("SELECT kind, name, mime, tokens, text, data FROM attachments WHERE message_id = ? "
                             "ORDER BY position"));
    a.addBindValue(messageId);
    a.exec();
    while (a.next())
        out << readAttachment(a, true);
    return out;
}

void ConversationStore::saveConversation(const ConversationInfo &c)
{
    write([c](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO conversations(id, title, renamed, pinned, created_ms, updated_ms) "
                                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
                                 "renamed = excluded.renamed, pinned = excluded.pinned, updated_ms = excluded.updated_ms"));
        q.addBindValue(c.id);
        q.addBindValue(text(c.title));
        q.addBindValue(c.renamed ? 1 : 0);
        q.addBindValue(c.pinned ? 1 : 0);
        q.addBindValue(c.createdMs);
        q.addBindValue(c.updatedMs);
        return run(q, error);
    });
}

void ConversationStore::rename(const QString &id, const QString &title)
{
    write([id, title](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE conversations SET title = ?, renamed = 1 WHERE id = ?"));
        q.addBindValue(text(title));
        q.addBindValue(id);
        return run(q, error);
    });
}

void ConversationStore::setPinned(const QString &id, bool pinned)
{
    write([id, pinned](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE conversations SET pinned = ? WHERE id = ?"));
        q.addBindValue(pinned ? 1 : 0);
        q.addBindValue(id);
        return run(q, error);
    });
}

void ConversationStore::touch(const QString &id, qint64 ms)
{
    write([id, ms](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE conversations SET updated_ms = ? WHERE id = ?"));
        q.addBindValue(ms);
        q.addBindValue(id);
        return run(q, error);
    });
}

void ConversationStore::setDeleted(const QString &id, bool deleted)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    write([id, deleted, now](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE conversations SET deleted_ms = ? WHERE id = ?"));
        q.addBindValue(deleted ? QVariant(now) : QVariant(QMetaType(QMetaType::LongLong)));
        q.addBindValue(id);
        return run(q, error);
    });
}

void ConversationStore::purgeDeleted()
{
    write([](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM conversations WHERE deleted_ms IS NOT NULL"));
        return run(q, error);
    });
}

void ConversationStore::saveMessage(const StoredMessage &m)
{
    const QByteArray meta = QJsonDocument(m.meta).toJson(QJsonDocument::Compact);
    write([m, meta](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO messages(id, conversation_id, seq, role, content, reasoning, status, meta, "
                                 "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                                 "seq = excluded.seq, content = excluded.content, reasoning = excluded.reasoning, "
                                 "status = excluded.status, meta = excluded.meta"));
        q.addBindValue(m.id);
        q.addBindValue(m.conversation);
        q.addBindValue(m.seq);
        q.addBindValue(m.role);
        q.addBindValue(text(m.content));
        q.addBindValue(text(m.reasoning));
        q.addBindValue(m.status);
        q.addBindValue(QString::fromUtf8(meta));
        q.addBindValue(m.createdMs);
        if (!run(q, error))
            return false;
        {   // the row holds everything shown so far; parts appended after it add to it
            QSqlQuery d(db);
            d.prepare(QStringLiteral("DELETE FROM message_parts WHERE message_id = ?"));
            d.addBindValue(m.id);
            if (!run(d, error))
                return false;
        }
        for (qsizetype i = 0; i < m.attachments.size(); ++i) {
            const ChatAttachment &a = m.attachments[i];
            if (!a.loaded)
                continue;
            QSqlQuery ins(db);
            ins.prepare(QStringLiteral("INSERT OR REPLACE INTO attachments(message_id, position, kind, name, mime, "
                                       "tokens, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
            ins.addBindValue(m.id);
            ins.addBindValue(int(i));
            ins.addBindValue(kindName(a.kind));
            ins.addBindValue(text(a.name));
            ins.addBindValue(text(QString::fromLatin1(a.mimeType)));
            ins.addBindValue(a.tokens);
            ins.addBindValue(text(a.text));
            ins.addBindValue(a.data.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(a.data));
            if (!run(ins, error))
                return false;
        }
        QSqlQuery t(db);
        t.prepare(QStringLiteral("UPDATE conversations SET updated_ms = max(updated_ms, ?) WHERE id = ?"));
        t.addBindValue(m.createdMs);
        t.addBindValue(m.conversation);
        return run(t, error);
    });
}

void ConversationStore::appendPart(const QString &messageId, int part, bool reasoning, const QString &text)
{
    write([messageId, part, reasoning, text](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO message_parts(message_id, part, reasoning, text) VALUES (?, ?, ?, ?)"));
        q.addBindValue(messageId);
        q.addBindValue(part);
        q.addBindValue(reasoning ? 1 : 0);
        q.addBindValue(QString(text));
        return run(q, error);
    });
}

void ConversationStore::deleteFrom(const QString &conversation, int seq)
{
    write([conversation, seq](QSqlDatabase &db, QString *error) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM messages WHERE conversation_id = ? AND seq >= ?"));
        q.addBindValue(conversation);
        q.addBindValue(seq);
        return run(q, error);
    });
}
