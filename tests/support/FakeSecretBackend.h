#pragma once

#include "SecretStore.h"

#include <QHash>
#include <QList>

// An in-memory SecretBackend. In Immediate mode it answers at once; in Manual mode it keeps the
// callbacks so a test decides when (and whether) each operation finishes.
class FakeSecretBackend : public SecretBackend
{
public:
    enum class Mode { Immediate, Manual };

    struct Shared
    {
        QHash<QString, QString> entries;
        Mode mode = Mode::Immediate;
        SecretResult::Status failWith = SecretResult::Status::Ok;   // Ok = do not fail
        QList<std::function<void()>> pending;
        int calls = 0;
    };

    explicit FakeSecretBackend(std::shared_ptr<Shared> shared)
        : m_shared(std::move(shared))
    {
    }

    void read(const QString &account, Callback done) override
    {
        answer([s = m_shared, account, done] {
            if (s->failWith != SecretResult::Status::Ok)
                return done({s->failWith, {}, QStringLiteral("fake failure")});
            if (!s->entries.contains(account))
                return done({SecretResult::Status::NotFound, {}, QStringLiteral("not found")});
            done({SecretResult::Status::Ok, s->entries.value(account), {}});
        });
    }
    void write(const QString &account, const QString &secret, Callback done) override
    {
        answer([s = m_shared, account, secret, done] {
            if (s->failWith != SecretResult::Status::Ok)
                return done({s->failWith, {}, QStringLiteral("fake failure")});
            s->entries.insert(account, secret);
            done({SecretResult::Status::Ok, {}, {}});
        });
    }
    void remove(const QString &account, Callback done) override
    {
        answer([s = m_shared, account, done] {
            if (s->failWith != SecretResult::Status::Ok)
                return done({s->failWith, {}, QStringLiteral("fake failure")});
            if (!s->entries.remove(account))
                return done({SecretResult::Status::NotFound, {}, QStringLiteral("not found")});
            done({SecretResult::Status::Ok, {}, {}});
        });
    }
    bool isSecure() const override { return true; }
    QString description() const override { return QStringLiteral("the fake keychain"); }

private:
    void answer(std::function<void()> op)
    {
        ++m_shared->calls;
        if (m_shared->mode == Mode::Immediate)
            op();
        else
            m_shared->pending.append(std::move(op));
    }

    std::shared_ptr<Shared> m_shared;
};
