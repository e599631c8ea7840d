#include "AttemptJournal.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#ifndef Q_OS_WIN
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace {

void appendEscaped(QByteArray &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
        }
    }
}

void appendNumber(QByteArray &out, qint64 v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr - buf);
}

QByteArray keyOf(const QString &requestId, int attempt)
{
    QByteArray key;
    appendEscaped(key, requestId);
    key += '\t';
    appendNumber(key, attempt);
    return key;
}

QString unescaped(QByteArrayView field)
{
    if (!field.contains('\\'))
        return QString::fromUtf8(field);
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        char c = field[i];
        if (c == '\\' && i + 1 < field.size()) {
            const char e = field[++i];
            c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

qint64 numberOf(QByteArrayView field, qint64 fallback = -1)
{
    qint64 v = 0;
    const auto r = std::from_chars(field.data(), field.data() + field.size(), v);
    return r.ec == std::errc() && r.ptr == field.data() + field.size() ? v : fallback;
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// The rows a journal's text leaves open: opened, not closed, with their last progress.
QList<LedgerRow> openRowsOf(const QByteArray &text)
{
    QHash<QByteArray, LedgerRow> open;
    QList<QByteArray> order;
    qsizetype start = 0;
    for (qsizetype end; (end = text.indexOf('\n', start)) >= 0; start = end + 1) {
        const QList<QByteArray> f = text.mid(start, end - start).split('\t');
        if (f.size() < 3)
            continue;
        const QByteArray key = f[1] + '\t' + f[2];
        if (f[0] == "o" && f.size() >= 12) {
            LedgerRow r;
            r.requestId = unescaped(f[1]);
            r.attempt = int(numberOf(f[2], 0));
            r.time = QDateTime::fromMSecsSinceEpoch(numberOf(f[3], 0), Qt::UTC);
            r.client = unescaped(f[4]);
            r.taskType = unescaped(f[5]);
            r.rule = unescaped(f[6]);
            r.model = unescaped(f[7]);
            r.provider = unescaped(f[8]);
            r.providerModel = unescaped(f[9]);
            r.conversation = unescaped(f[10]);
            r.estimatedInputTokens = numberOf(f[11]);
            if (f.size() >= 13)   // journals of older versions end here: their calls were chat
                r.api = unescaped(f[12]);
            r.status = errorClassName(ErrorClass::Cancelled);
            if (!open.contains(key))
                order << key;
            open.insert(key, r);
        } else if (f[0] == "p" && f.size() >= 9) {
            const auto it = open.find(key);
            if (it == open.end())
                continue;
            it->latencyMs = numberOf(f[3]);
            it->promptTokens = numberOf(f[4]);
            it->completionTokens = numberOf(f[5]);
            it->costMicros = numberOf(f[6]);
            it->currency = unescaped(f[7]);
            it->priceAsOf = QDate::fromString(unescaped(f[8]), Qt::ISODate);
            it->costEstimated = true;   // counted from the text received, not the provider's usage
        } else if (f[0] == "d") {
            open.remove(key);
        }
    }
    QList<LedgerRow> rows;
    for (const QByteArray &key : std::as_const(order))
        if (const auto it = open.constFind(key); it != open.constEnd())
            rows << *it;
    return rows;
}

} // namespace

AttemptJournal::AttemptJournal(const QString &directory)
    : m_directory(directory)
{
    create(directory, &m_path, &m_fd);
}

AttemptJournal::~AttemptJournal()
{
#ifndef Q_OS_WIN
    if (m_fd < 0)
        return;
    if (m_open.isEmpty())
        ::unlink(QFile::encodeName(m_path).constData());
    ::close(m_fd);   // drops the lock: what is still open is the next start's to settle
#endif
}

bool AttemptJournal::create(const QString &directory, QString *path, int *fd)
{
#ifdef Q_OS_WIN
    Q_UNUSED(directory);
    Q_UNUSED(path);
    Q_UNUSED(fd);
    m_error = QCoreApplication::translate("AttemptJournal", "The attempt journal needs a POSIX system.");
    return false;
#else
    if (!QDir().mkpath(directory)) {
        m_error = QCoreApplication::translate("AttemptJournal", "Cannot create the folder %1.").arg(directory);
        return false;
    }
    QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // Made under a name settle() does not look at, locked, then renamed: a journal is never seen
    // by another process without its lock (rename keeps the file and the lock).
    for (int tries = 0; tries < 3; ++tries) {
        const QString name = QStringLiteral("%1-%2.journal")
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
        const QString final = QDir(directory).filePath(name);
        const QByteArray temporary = QFile::encodeName(final + QStringLiteral(".new"));
        // O_CLOEXEC: a program this process starts must not keep the lock alive after it.
        const int f = ::open(temporary.constData(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
        if (f < 0) {
            m_error = QCoreApplication::translate("AttemptJournal", "Cannot create the attempt journal %1: %2")
                          .arg(final, systemError());
            continue;
        }
        if (::flock(f, LOCK_EX | LOCK_NB) != 0 || ::rename(temporary.constData(), QFile::encodeName(final).constData()) != 0) {
            m_error = QCoreApplication::translate("AttemptJournal", "Cannot create the attempt journal %1: %2")
                          .arg(final, systemError());
            ::close(f);
            ::unlink(temporary.constData());
            continue;
        }
        *path = final;
        *fd = f;
        m_error.clear();
        return true;
    }
    return false;
#endif
}

bool AttemptJournal::append(const QByteArray &bytes)
{
#ifdef Q_OS_WIN
    Q_UNUSED(bytes);
    return false;
#else
    if (m_fd < 0)
        return false;
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_error = QCoreApplication::translate("AttemptJournal", "Cannot write the attempt journal %1: %2")
                          .arg(m_path, systemError());
            // Later attempts fall back on the database; this file stays for the next start.
            ::close(m_fd);
            m_fd = -1;
            return false;
        }
        done += n;
    }
    m_size += bytes.size();
    return true;
#endif
}

bool AttemptJournal::opened(const LedgerRow &row)
{
    if (m_fd < 0)
        return false;
    const QByteArray key = keyOf(row.requestId, row.attempt);
    QByteArray line;
    line.reserve(256);
    line += "o\t";
    line += key;
    line += '\t';
    appendNumber(line, row.time.toMSecsSinceEpoch());
    for (const QString *s : {&row.client, &row.taskType, &row.rule, &row.model, &row.provider, &row.providerModel,
                             &row.conversation}) {
        line += '\t';
        appendEscaped(line, *s);
    }
    line += '\t';
    appendNumber(line, row.estimatedInputTokens);
    line += '\t';
    appendEscaped(line, row.api);
    line += '\n';
    if (!append(line))
        return false;
    m_open.insert(key, Open {line, {}});
    return true;
}

bool AttemptJournal::progress(const LedgerRow &row, qint64 elapsedMs)
{
    if (m_fd < 0)
        return false;
    const QByteArray key = keyOf(row.requestId, row.attempt);
    const auto it = m_open.find(key);
    if (it == m_open.end())
        return false;
    QByteArray line;
    line.reserve(128);
    line += "p\t";
    line += key;
    for (const qint64 v : {elapsedMs, row.promptTokens, row.completionTokens, row.costMicros}) {
        line += '\t';
        appendNumber(line, v);
    }
    line += '\t';
    appendEscaped(line, row.currency);
    line += '\t';
    line += row.priceAsOf.toString(Qt::ISODate).toLatin1();
    line += '\n';
    if (!append(line))
        return false;
    it->progress = line;
    return true;
}

void AttemptJournal::closed(const QList<std::pair<QString, int>> &attempts)
{
#ifndef Q_OS_WIN
    if (m_fd < 0)
        return;
    QByteArray lines;
    for (const auto &[requestId, attempt] : attempts) {
        const QByteArray key = keyOf(requestId, attempt);
        if (m_open.remove(key))
            lines += "d\t" + key + '\n';
    }
    if (m_open.isEmpty() && m_size > EmptyAboveBytes) {
        // Nothing left to settle: empty the file (O_APPEND writes go to its new end). Not after
        // every request: an ftruncate() costs ext4 some 13 µs, an appended line about 1.
        if (::ftruncate(m_fd, 0) == 0) {
            m_size = 0;
            return;
        }
    }
    if (!lines.isEmpty() && append(lines) && !m_open.isEmpty() && m_size > CompactAboveBytes)
        compact();
#else
    Q_UNUSED(attempts);
#endif
}

// A long-running process rarely has no attempt open: its journal is rewritten into a new file
// with only the open ones, which replaces the old one. A crash in between leaves both, and the
// attempts in both are settled once (settlement skips rows already in the ledger).
void AttemptJournal::compact()
{
#ifndef Q_OS_WIN
    QString path;
    int fd = -1;
    if (!create(m_directory, &path, &fd))
        return;   // the old one goes on growing; nothing is lost
    QByteArray text;
    for (const Open &o : std::as_const(m_open))
        text += o.opening + o.progress;
    const int old = std::exchange(m_fd, fd);
    const QString oldPath = std::exchange(m_path, path);
    m_size = 0;
    if (!append(text)) {
        m_fd = old;   // keep the old one, which still holds everything
        m_path = oldPath;
        ::unlink(QFile::encodeName(path).constData());
        return;
    }
    ::unlink(QFile::encodeName(oldPath).constData());
    ::close(old);
#endif
}

std::shared_ptr<AttemptJournal::Orphans> AttemptJournal::claimOrphans(const QString &directory)
{
    auto orphans = std::make_shared<Orphans>();
#ifndef Q_OS_WIN
    const QDir dir(directory);
    const QStringList names = dir.entryList({QStringLiteral("*.journal"), QStringLiteral("*.journal.new")}, QDir::Files,
                                            QDir::Name);
    for (const QString &name : names) {
        const QString path = dir.filePath(name);
        const QByteArray native = QFile::encodeName(path);
        const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;   // settled and removed by another process meanwhile
        struct stat held {};
        struct stat named {};
        // Locked: its owner runs. Or the name now leads elsewhere: another process settled it.
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || ::fstat(fd, &held) != 0 || ::stat(native.constData(), &named) != 0
            || held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
            ::close(fd);
            continue;
        }
        QFile file;
        QByteArray text;
        if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::DontCloseHandle)) {
            orphans->problems << QCoreApplication::translate("AttemptJournal", "Cannot read the attempt journal %1: %2")
                                     .arg(path, file.errorString());
            ::close(fd);
            continue;
        }
        text = file.readAll();
        file.close();
        orphans->rows << openRowsOf(text);
        orphans->fds << fd;
        orphans->paths << path;
    }
    std::stable_sort(orphans->rows.begin(), orphans->rows.end(),
                     [](const LedgerRow &a, const LedgerRow &b) { return a.time < b.time; });
#else
    Q_UNUSED(directory);
#endif
    return orphans;
}

void AttemptJournal::release(Orphans &orphans, bool remove)
{
#ifndef Q_OS_WIN
    for (qsizetype i = 0; i < orphans.fds.size(); ++i) {
        if (remove)
            ::unlink(QFile::encodeName(orphans.paths[i]).constData());   // before the lock goes
        ::close(orphans.fds[i]);
    }
#else
    Q_UNUSED(remove);
#endif
    orphans.fds.clear();
    orphans.paths.clear();
}
