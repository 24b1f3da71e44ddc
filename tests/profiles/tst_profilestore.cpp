// The profile file: round trip, unknown fields kept, bad files moved aside (never overwritten),
// atomic writes, secrets in the 0600 file without a keychain, export with and without secrets.
#include "profiles/profilestore.h"
#include "profiles/secretvault.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace wsi;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

Profile fullProfile()
{
    Profile p;
    p.id = u"6b1e7a1c-0000-4000-8000-000000000001"_s;
    p.name = u"Staging chat"_s;
    p.url = u"wss://staging.example.com:8443/chat?room=1"_s;
    p.headers = { { u"Authorization"_s, u"Bearer s3cr3t"_s, true, true }, { u"X-Trace"_s, u"on"_s, false, false } };
    p.subprotocols = { u"chat.v2"_s, u"chat.v1"_s };
    p.handshakeTimeoutMs = 2500;
    p.origin = u"https://example.com"_s;
    p.tcpNoDelay = false;
    p.perMessageDeflate = true;
    p.deflateOffer.clientMaxWindowBits = 12;
    p.deflateOffer.serverMaxWindowBits = 10;
    p.deflateOffer.clientNoContextTakeover = true;
    p.deflateOffer.serverNoContextTakeover = true;
    p.deflateOutgoing = false;
    p.autoReconnect = true;
    p.keepAlivePingMs = 15000;
    p.tls = { false, u"/ca.pem"_s, u"/cert.pem"_s, u"/key.pem"_s, u"key pass"_s, { u"ab12"_s }, {} };
    p.proxy = { ProxySettings::Type::Socks5, u"127.0.0.1"_s, 1080, u"me"_s, u"proxy pass"_s };
    p.maxIncomingMessageSize = 1024;
    p.lenient = true; // not the default, so the round trip proves it is stored
    p.savedMessages = { { u"hello"_s, u"json"_s, u"{\"a\":1}"_s } };
    p.sendHistory = { u"one"_s, u"two"_s };
    return p;
}

// Stands in for the OS keychain (none on a headless machine): answers asynchronously like
// QtKeychain, from a map, or fails every job when told to.
class FakeKeychain : public SecretVault
{
public:
    explicit FakeKeychain(QObject* parent)
        : SecretVault(SecretVault::Backend::Keychain, parent)
    { }
    void read(const QString& key) override
    {
        QTimer::singleShot(0, this, [this, key] {
            if (failing)
                Q_EMIT keychainFailed(u"The system keychain could not be read: locked"_s);
            else
                Q_EMIT readFinished(key, entries.value(key), entries.contains(key));
        });
    }
    void write(const QString& key, const QString& value) override
    {
        QTimer::singleShot(0, this, [this, key, value] {
            if (failing)
                Q_EMIT keychainFailed(u"The system keychain could not store a secret: no service"_s);
            else
                entries.insert(key, value);
        });
    }
    void remove(const QString& key) override { entries.remove(key); }
    QHash<QString, QString> entries;
    bool failing = false;
};

} // namespace

class tst_ProfileStore : public QObject
{
    Q_OBJECT
private:
    QString m_path;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setApplicationName(u"wsinspector-tst"_s);
        QStandardPaths::setTestModeEnabled(true);
        // Headless, like CI: no session bus, hence no keychain.
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        m_path = ProfileStore::defaultFilePath();
        QVERIFY(m_path.contains(u".qttest"_s));
        QVERIFY(m_path.endsWith(u"/profiles.json"_s));
    }

    void init()
    {
        QDir dir(QFileInfo(m_path).absolutePath());
        dir.removeRecursively();
        QVERIFY(QDir().mkpath(dir.absolutePath()));
    }

    void missingFileIsEmptySet()
    {
        ProfileStore store;
        QVERIFY(store.load());
        QVERIFY(store.profiles().isEmpty());
        QVERIFY(store.errorString().isEmpty());
    }

    void roundTripEveryField()
    {
        {
            ProfileStore store;
            QVERIFY(store.load());
            QVERIFY2(store.save({ fullProfile(), Profile::builtinEcho() }), qPrintable(store.errorString()));
        }
        ProfileStore store;
        QVERIFY(store.load());
        QCOMPARE(store.profiles().size(), 1); // built-ins are never saved
        QCOMPARE(store.profiles().first(), fullProfile());
        const QJsonObject root = QJsonDocument::fromJson(readAll(m_path)).object();
        QCOMPARE(root.value(u"schemaVersion"_s).toInt(), ProfileStore::kSchemaVersion);
        QVERIFY(store.find(u"staging CHAT"_s));
        QCOMPARE(store.names(), QStringList { u"Staging chat"_s });
        const QJsonObject deflate
            = root.value(u"profiles"_s).toArray().first().toObject().value(u"deflate"_s).toObject();
        QCOMPARE(deflate,
            (QJsonObject { { u"clientMaxWindowBits"_s, 12 }, { u"serverMaxWindowBits"_s, 10 },
                { u"clientNoContextTakeover"_s, true }, { u"serverNoContextTakeover"_s, true },
                { u"compressOutgoing"_s, false } }));
    }

    // A profile written before the strict/lenient choice existed is strict.
    void lenientDefaultsToStrict()
    {
        QCOMPARE(Profile().lenient, false);
        QCOMPARE(Profile::fromJson(QJsonObject { { u"url"_s, u"ws://127.0.0.1:1/"_s } }).lenient, false);
        QCOMPARE(Profile::fromJson(QJsonObject { { u"lenient"_s, true } }).lenient, true);
        QCOMPARE(fullProfile().toJson().value(u"lenient"_s), QJsonValue(true));
    }

    // The deflate object as a user or an older version writes it: missing fields are the
    // browsers' offer, window bits are true (offered without value), false (not offered) or a
    // number, and an out-of-range number is kept for the validator to name.
    void deflateFields_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("offer");
        QTest::addColumn<bool>("outgoing");
        QTest::newRow("older file without deflate") << QByteArray("{}") << u"client_max_window_bits"_s << true;
        QTest::newRow("empty object") << QByteArray(R"({"deflate": {}})") << u"client_max_window_bits"_s << true;
        QTest::newRow("nothing offered") << QByteArray(
            R"({"deflate": {"clientMaxWindowBits": false, "serverMaxWindowBits": false}})")
                                         << QString() << true;
        QTest::newRow("numbers") << QByteArray(R"({"deflate": {"clientMaxWindowBits": 9, "serverMaxWindowBits": 8,)"
                                               R"( "compressOutgoing": false}})")
                                 << u"server_max_window_bits=8; client_max_window_bits=9"_s << false;
        QTest::newRow("server true means nothing to offer")
            << QByteArray(R"({"deflate": {"serverMaxWindowBits": true, "serverNoContextTakeover": true}})")
            << u"server_no_context_takeover; client_max_window_bits"_s << true;
        QTest::newRow("out of range kept") << QByteArray(R"({"deflate": {"serverMaxWindowBits": 20}})")
                                           << u"server_max_window_bits=20; client_max_window_bits"_s << true;
        QTest::newRow("wrong type falls back")
            << QByteArray(R"({"deflate": {"clientMaxWindowBits": "nine", "serverMaxWindowBits": 9.5}})")
            << u"client_max_window_bits"_s << true;
    }
    void deflateFields()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, offer);
        QFETCH(bool, outgoing);
        const Profile p = Profile::fromJson(QJsonDocument::fromJson(json).object());
        QCOMPARE(p.deflateOffer.toParamString(), offer);
        QCOMPARE(p.deflateOutgoing, outgoing);
        QCOMPARE(Profile::fromJson(p.toJson()), p);
    }

    void unknownFieldsSurvive()
    {
        writeAll(m_path,
            "{\"schemaVersion\": 1, \"futureTopLevel\": {\"theme\": \"dark\"},"
            " \"profiles\": [ {\"id\": \"x1\", \"name\": \"Old\", \"url\": \"ws://127.0.0.1:1/\","
            " \"futureField\": [1, 2, 3], \"anotherOne\": \"kept\","
            " \"tls\": {\"verify\": false, \"ocspStapling\": true}, \"proxy\": {\"type\": \"http\", \"host\": \"p\","
            " \"port\": 3128, \"noProxyFor\": [\"localhost\"]},"
            " \"deflate\": {\"serverMaxWindowBits\": 10, \"level\": 3}} ] }");
        ProfileStore store;
        QVERIFY(store.load());
        QCOMPARE(store.profiles().size(), 1);
        Profile p = store.profiles().first();
        QCOMPARE(p.unknownFields.value(u"anotherOne"_s).toString(), u"kept"_s);
        p.name = u"Renamed"_s;
        QVERIFY(store.save({ p }));

        const QJsonObject root = QJsonDocument::fromJson(readAll(m_path)).object();
        QCOMPARE(root.value(u"futureTopLevel"_s).toObject().value(u"theme"_s).toString(), u"dark"_s);
        const QJsonObject saved = root.value(u"profiles"_s).toArray().first().toObject();
        QCOMPARE(saved.value(u"name"_s).toString(), u"Renamed"_s);
        QCOMPARE(saved.value(u"futureField"_s).toArray(), (QJsonArray { 1, 2, 3 }));
        QCOMPARE(saved.value(u"anotherOne"_s).toString(), u"kept"_s);
        // Inside nested objects too, beside the fields this version knows.
        QCOMPARE(saved.value(u"tls"_s).toObject().value(u"ocspStapling"_s).toBool(), true);
        QCOMPARE(saved.value(u"tls"_s).toObject().value(u"verify"_s).toBool(), false);
        QCOMPARE(saved.value(u"proxy"_s).toObject().value(u"noProxyFor"_s).toArray(), (QJsonArray { u"localhost"_s }));
        QCOMPARE(saved.value(u"proxy"_s).toObject().value(u"port"_s).toInt(), 3128);
        QCOMPARE(saved.value(u"deflate"_s).toObject().value(u"level"_s).toInt(), 3);
        QCOMPARE(saved.value(u"deflate"_s).toObject().value(u"serverMaxWindowBits"_s).toInt(), 10);
    }

    void badFileMovedAside_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("kind");
        QTest::newRow("not json") << QByteArray("{\"schemaVersion\": 1, \"profiles\": [ {\"name\": ") << u"corrupt"_s;
        QTest::newRow("binary junk") << QByteArray("\x00\x01\xff garbage", 12) << u"corrupt"_s;
        QTest::newRow("no schema version") << QByteArray("{\"profiles\": []}") << u"corrupt"_s;
        QTest::newRow("array") << QByteArray("[1, 2]") << u"corrupt"_s;
        QTest::newRow("newer schema") << QByteArray("{\"schemaVersion\": 2, \"profiles\": [{\"name\": \"future\"}]}")
                                      << u"newer"_s;
    }

    void badFileMovedAside()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, kind);
        writeAll(m_path, content);

        ProfileStore store;
        QSignalSpy moved(&store, &ProfileStore::fileMovedAside);
        QVERIFY(!store.load());
        QVERIFY(store.profiles().isEmpty());
        const QString aside = store.movedAsidePath();
        QVERIFY2(QRegularExpression(u"/profiles\\.json\\.%1-\\d{8}-\\d{6}$"_s.arg(kind)).match(aside).hasMatch(),
            qPrintable(aside));
        QCOMPARE(readAll(aside), content); // the user's bytes, untouched
        QVERIFY(!QFile::exists(m_path));
        QVERIFY2(store.errorString().contains(aside), qPrintable(store.errorString()));
        QCOMPARE(moved.size(), 1);
        QCOMPARE(moved.first().at(0).toString(), aside);

        // Saving now writes a fresh file and leaves the moved one alone.
        Profile p;
        p.name = u"Fresh"_s;
        p.url = u"ws://127.0.0.1:1/"_s;
        QVERIFY(store.save({ p }));
        QCOMPARE(readAll(aside), content);
        ProfileStore again;
        QVERIFY(again.load());
        QCOMPARE(again.names(), QStringList { u"Fresh"_s });
    }

    // A failing write (file size limit, which even root cannot bypass) must leave the old file whole.
    void atomicWriteKeepsOriginal()
    {
        Profile small;
        small.name = u"Small"_s;
        small.url = u"ws://127.0.0.1:1/"_s;
        ProfileStore store;
        QVERIFY(store.load());
        QVERIFY(store.save({ small }));
        const QByteArray before = readAll(m_path);
        QVERIFY(before.size() < 4000);

        Profile big = small;
        big.name = u"Big"_s;
        big.sendHistory = QStringList(200, QString(100, u'x'));

        std::signal(SIGXFSZ, SIG_IGN);
        rlimit old {};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit limited = old;
        limited.rlim_cur = 4096;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        const bool saved = store.save({ small, big });
        setrlimit(RLIMIT_FSIZE, &old);

        QVERIFY(!saved);
        QVERIFY2(store.errorString().startsWith(u"Cannot write"_s), qPrintable(store.errorString()));
        QCOMPARE(readAll(m_path), before);
        // No half-written temporary file is left next to it.
        QCOMPARE(QDir(QFileInfo(m_path).absolutePath()).entryList(QDir::Files), QStringList { u"profiles.json"_s });
    }

    void secretsFallBackToFile()
    {
        QVERIFY(!SecretVault::keychainUsable());
        ProfileStore store;
        QVERIFY(store.load());
        QVERIFY(store.secretsInFile());
        const QString notice = store.secretsNotice();
        QVERIFY2(notice.contains(u"No system keychain is available"_s), qPrintable(notice));
        QVERIFY2(notice.contains(u"0600"_s), qPrintable(notice));
        QVERIFY2(notice.contains(QDir::toNativeSeparators(m_path)), qPrintable(notice));

        QVERIFY(store.save({ fullProfile() }));
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        const QByteArray bytes = readAll(m_path);
        QVERIFY(bytes.contains("Bearer s3cr3t"));
        QVERIFY(bytes.contains("proxy pass"));
        QVERIFY(bytes.contains("key pass"));
    }

    void secretsGoToKeychainWhenAvailable()
    {
        auto* keychain = new FakeKeychain(this);
        {
            ProfileStore store(m_path, keychain);
            QVERIFY(store.load());
            QVERIFY(!store.secretsInFile());
            QVERIFY(store.secretsNotice().isEmpty());
            QVERIFY(store.save({ fullProfile() }));
            QTRY_COMPARE(keychain->entries.size(), 1);
        }
        const QByteArray bytes = readAll(m_path);
        QVERIFY(!bytes.contains("s3cr3t"));
        QVERIFY(!bytes.contains("proxy pass"));
        QVERIFY(!bytes.contains("key pass"));
        QVERIFY(bytes.contains("\"secretsInKeychain\": true"));

        ProfileStore store(m_path, keychain);
        QSignalSpy loaded(&store, &ProfileStore::secretsLoaded);
        QVERIFY(store.load());
        QCOMPARE(store.profiles().first().proxy.password, QString()); // not there yet: asynchronous
        // Saving before the keychain answered must not blank the stored secrets.
        QVERIFY(store.save(store.profiles()));
        QVERIFY(store.waitForSecrets(5000));
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(store.profiles().first(), fullProfile());
        QCOMPARE(store.profiles().first().unknownFields, QJsonObject()); // the flag is the store's, not the profile's
    }

    void failingKeychainFallsBackToFile()
    {
        auto* keychain = new FakeKeychain(this);
        keychain->failing = true;
        ProfileStore store(m_path, keychain);
        QSignalSpy notice(&store, &ProfileStore::secretsNoticeChanged);
        QVERIFY(store.load());
        QVERIFY(store.save({ fullProfile() }));
        QVERIFY(notice.wait(5000));
        QVERIFY(store.secretsInFile());
        QVERIFY2(store.secretsNotice().startsWith(u"The system keychain could not store a secret: no service: "_s),
            qPrintable(store.secretsNotice()));
        QVERIFY(readAll(m_path).contains("Bearer s3cr3t")); // written again, now with the secrets
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
    }

    void keychainSwitchedOffByEnvironment()
    {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
        qputenv("WSI_SECRETS", "file");
        QVERIFY(!SecretVault::keychainUsable());
        qunsetenv("WSI_SECRETS");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    }

    void exportLeavesSecretsOut()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"team.json"_s);
        QString error;
        QVERIFY(ProfileStore::exportProfiles(path, { fullProfile() }, Profile::Secrets::Omit, &error));
        const QByteArray bytes = readAll(path);
        QVERIFY(!bytes.contains("s3cr3t"));
        QVERIFY(!bytes.contains("proxy pass"));
        QVERIFY(!bytes.contains("key pass"));
        QVERIFY(bytes.contains("X-Trace")); // not secret: exported

        const QList<Profile> imported = ProfileStore::importProfiles(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(imported.size(), 1);
        QCOMPARE(imported.first(), fullProfile().withoutSecrets());
        QCOMPARE(imported.first().headers.first().secret, true); // the flag travels, the value does not
    }

    void exportWithSecretsWhenAsked()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"mine.json"_s);
        QString error;
        QVERIFY(ProfileStore::exportProfiles(path, { fullProfile() }, Profile::Secrets::Include, &error));
        const QList<Profile> imported = ProfileStore::importProfiles(path, &error);
        QCOMPARE(imported.size(), 1);
        QCOMPARE(imported.first(), fullProfile());
    }

    void importBadFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.json"_s);
        writeAll(path, "{\"profiles\": [");
        QString error;
        QVERIFY(ProfileStore::importProfiles(path, &error).isEmpty());
        QVERIFY2(error.startsWith(u"\"%1\" is not valid JSON: "_s.arg(path)), qPrintable(error));
        writeAll(path, "{\"schemaVersion\": 1}");
        QVERIFY(ProfileStore::importProfiles(path, &error).isEmpty());
        QCOMPARE(error, u"\"%1\" holds no profiles (no \"profiles\" list)."_s.arg(path));
        QVERIFY(ProfileStore::importProfiles(dir.filePath(u"missing.json"_s), &error).isEmpty());
        QVERIFY2(error.startsWith(u"Cannot read"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_ProfileStore)
#include "tst_profilestore.moc"
