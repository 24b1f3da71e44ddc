#pragma once

#include <QObject>
#include <QString>

namespace wsi {

// Where secret values live: the OS keychain (QtKeychain, asynchronous jobs) when one is usable,
// otherwise the profile file itself, readable only by the user.
class SecretVault : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Keychain, File };
    Q_ENUM(Backend)

    // Picks the backend with keychainUsable(); never blocks.
    explicit SecretVault(QObject* parent = nullptr);
    explicit SecretVault(Backend backend, QObject* parent = nullptr);
    ~SecretVault() override;

    // Quick check without talking to any service: QtKeychain compiled in, WSI_SECRETS is not
    // "file", and (on Linux) a D-Bus session bus to reach a secret service. A keychain that still
    // fails later is reported through keychainFailed() and the store falls back to the file.
    static bool keychainUsable();

    Backend backend() const { return m_backend; }
    void setBackend(Backend backend);

    // Asynchronous; readFinished/keychainFailed report the outcome. The value is a JSON text.
    // Virtual so that tests can stand in for a keychain this machine does not have.
    virtual void read(const QString& key);
    virtual void write(const QString& key, const QString& value);
    virtual void remove(const QString& key);

    static QString serviceName();

Q_SIGNALS:
    void readFinished(const QString& key, const QString& value, bool found);
    // The keychain could not be used (no service, access denied...): the caller falls back.
    void keychainFailed(const QString& message);

private:
    Backend m_backend = Backend::File;
};

} // namespace wsi
