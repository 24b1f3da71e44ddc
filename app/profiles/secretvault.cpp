#include "secretvault.h"

#ifdef WSI_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace wsi {

SecretVault::SecretVault(QObject* parent)
    : SecretVault(keychainUsable() ? Backend::Keychain : Backend::File, parent)
{ }

SecretVault::SecretVault(Backend backend, QObject* parent)
    : QObject(parent)
    , m_backend(backend)
{
#ifndef WSI_HAVE_KEYCHAIN
    m_backend = Backend::File;
#endif
}

SecretVault::~SecretVault() = default;

bool SecretVault::keychainUsable()
{
#ifndef WSI_HAVE_KEYCHAIN
    return false;
#else
    if (qEnvironmentVariable("WSI_SECRETS") == u"file")
        return false;
#ifdef Q_OS_LINUX
    // libsecret and KWallet are reached over the session bus; without one every job fails
    // (after a D-Bus timeout), so do not even try.
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return false;
#endif
    return true;
#endif
}

void SecretVault::setBackend(Backend backend)
{
#ifdef WSI_HAVE_KEYCHAIN
    m_backend = backend;
#else
    Q_UNUSED(backend)
#endif
}

QString SecretVault::serviceName()
{
    return u"wsinspector"_s;
}

void SecretVault::read(const QString& key)
{
#ifdef WSI_HAVE_KEYCHAIN
    if (m_backend == Backend::Keychain) {
        auto* job = new QKeychain::ReadPasswordJob(serviceName(), this);
        job->setAutoDelete(true);
        job->setKey(key);
        connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
            auto* rj = static_cast<QKeychain::ReadPasswordJob*>(j);
            if (rj->error() == QKeychain::NoError)
                Q_EMIT readFinished(key, rj->textData(), true);
            else if (rj->error() == QKeychain::EntryNotFound)
                Q_EMIT readFinished(key, QString(), false);
            else
                Q_EMIT keychainFailed(tr("The system keychain could not be read: %1").arg(rj->errorString()));
        });
        job->start();
        return;
    }
#endif
    Q_EMIT readFinished(key, QString(), false);
}

void SecretVault::write(const QString& key, const QString& value)
{
#ifdef WSI_HAVE_KEYCHAIN
    if (m_backend == Backend::Keychain) {
        auto* job = new QKeychain::WritePasswordJob(serviceName(), this);
        job->setAutoDelete(true);
        job->setKey(key);
        job->setTextData(value);
        connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job* j) {
            if (j->error() != QKeychain::NoError)
                Q_EMIT keychainFailed(tr("The system keychain could not store a secret: %1").arg(j->errorString()));
        });
        job->start();
    }
#else
    Q_UNUSED(key)
    Q_UNUSED(value)
#endif
}

void SecretVault::remove(const QString& key)
{
#ifdef WSI_HAVE_KEYCHAIN
    if (m_backend == Backend::Keychain) {
        auto* job = new QKeychain::DeletePasswordJob(serviceName(), this);
        job->setAutoDelete(true);
        job->setKey(key);
        job->start();
    }
#else
    Q_UNUSED(key)
#endif
}

} // namespace wsi
