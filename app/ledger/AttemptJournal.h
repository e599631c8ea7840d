#pragma once

#include "Ledger.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>

// The attempts one process has sent and not yet seen committed to the ledger, in a file of its own
// (DATA/switchyard.sqlite3-attempts/<pid>-<random>.journal, mode 0600) that the process holds under an exclusive
// flock() for as long as it runs. Each line is one write() on the calling thread: an attempt's
// opening before its request leaves, its progress (estimated tokens and cost, at most once a
// second) while it streams, and its end once its row is committed. A write() that returned is in
// the kernel, so it outlives kill -9 or a crash of the process; it does not outlive a power loss.
// The kernel drops the lock with the process, however it ends: a journal that another process can
// lock has no owner left, and settle() turns its open attempts into `cancelled` rows.
//
// Lines are tab-separated, with backslash, tab, CR and LF escaped (\\ \t \r \n):
//   o  request_id attempt time_ms client task_type rule model provider provider_model conversation est_input
//   p  request_id attempt elapsed_ms prompt_tokens completion_tokens cost_micros currency price_as_of
//   d  request_id attempt
// A last line without its newline (a write the kernel never finished) is ignored.
class AttemptJournal
{
public:
    // Creates and locks a new journal in `directory`; isOpen() says whether that worked.
    explicit AttemptJournal(const QString &directory);
    // Removes the file when no attempt is open; otherwise leaves it for the next start to settle.
    ~AttemptJournal();
    AttemptJournal(const AttemptJournal &) = delete;
    AttemptJournal &operator=(const AttemptJournal &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    int openAttempts() const { return int(m_open.size()); }

    // False when the line did not reach the kernel (then the journal is closed: errorString()).
    bool opened(const LedgerRow &row);
    // `row` carries the attempt's key, its estimated tokens, cost, currency and price date so far.
    bool progress(const LedgerRow &row, qint64 elapsedMs);
    // The attempts whose rows are committed. With none left open a file grown past EmptyAboveBytes
    // is emptied; with some open, one grown past CompactAboveBytes is rewritten with only those.
    void closed(const QList<std::pair<QString, int>> &attempts);

    // The rows of attempts that journals without a living owner in `directory` left open,
    // oldest first, their files held locked until release(). Journals that cannot be read are
    // reported in *problems and left alone.
    struct Orphans
    {
        Orphans() = default;
        Orphans(const Orphans &) = delete;
        Orphans &operator=(const Orphans &) = delete;
        ~Orphans() { release(*this, false); }   // unlocked, never lost, when nothing committed them
        QList<LedgerRow> rows;
        QList<int> fds;
        QStringList paths;
        QStringList problems;
    };
    static std::shared_ptr<Orphans> claimOrphans(const QString &directory);
    // Unlocks the claimed journals; deletes them when `remove` (their rows are committed).
    static void release(Orphans &orphans, bool remove);

    static constexpr qint64 EmptyAboveBytes = 64 * 1024;
    static constexpr qint64 CompactAboveBytes = 256 * 1024;

private:
    bool append(const QByteArray &bytes);
    bool create(const QString &directory, QString *path, int *fd);
    void compact();

    QString m_directory;
    QString m_path;
    int m_fd = -1;
    qint64 m_size = 0;
    QString m_error;
    struct Open
    {
        QByteArray opening;   // the attempt's o line
        QByteArray progress;  // its last p line
    };
    QHash<QByteArray, Open> m_open;   // by the escaped "request_id\tattempt"
};
