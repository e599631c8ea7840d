#include "KeychainBackend.h"

#include <qt6keychain/keychain.h>

namespace {

SecretResult resultOf(const QKeychain::Job &job)
{
    using S = SecretResult::Status;
    switch (job.error()) {
    case QKeychain::NoError:
        return {S::Ok, {}, {}};
    case QKeychain::EntryNotFound:
        return {S::NotFound, {}, KeychainBackend::tr("No key is stored.")};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return {S::Locked, {},
                KeychainBackend::tr("The keychain is locked or refused access (%1). Unlock it and try again.")
                    .arg(job.errorString())};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return {S::Unavailable, {},
                KeychainBackend::tr("No working keychain was found (%1). Start your desktop's keyring "
                                    "(GNOME Keyring or KWallet) and try again.")
                    .arg(job.errorString())};
    case QKeychain::CouldNotDeleteEntry:
        return {S::Failed, {}, KeychainBackend::tr("The keychain could not delete the key (%1).").arg(job.errorString())};
    }
    return {S::Failed, {}, job.errorString()};
}

} // namespace

KeychainBackend::KeychainBackend(QString service)
    : m_service(std::move(service))
{
}

QString KeychainBackend::description() const
{
    return tr("the system keychain");
}

void KeychainBackend::read(const QString &account, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(account);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job *j) {
        SecretResult result = resultOf(*j);
        if (result.ok())
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        done(std::move(result));
    });
    job->start();
}

void KeychainBackend::write(const QString &account, const QString &secret, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(account);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [done = std::move(done)](QKeychain::Job *j) { done(resultOf(*j)); });
    job->start();
}

void KeychainBackend::remove(const QString &account, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(account);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [done = std::move(done)](QKeychain::Job *j) { done(resultOf(*j)); });
    job->start();
}
