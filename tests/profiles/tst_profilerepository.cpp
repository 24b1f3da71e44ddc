// The one owner of the saved profiles: debounced atomic saves, field-level changes announced by
// id, and the three-way merge that keeps both an editor's and a session's changes.
#include "profiles/profilemerge.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "profiles/profilevalidator.h"
#include "profiles/secretvault.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_ProfileRepository : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SecretVault m_vault { SecretVault::Backend::File };
    int m_n = 0;

    QString freshPath() { return m_dir.filePath(u"profiles-%1.json"_s.arg(++m_n)); }
    Profile reread(const QString& path, const QString& id)
    {
        ProfileStore store(path, &m_vault);
        store.load();
        for (const Profile& p : store.profiles()) {
            if (p.id == id)
                return p;
        }
        return {};
    }
    static Profile sample()
    {
        Profile p;
        p.name = u"Local"_s;
        p.url = u"ws://127.0.0.1:8080/"_s;
        return p;
    }

private Q_SLOTS:
    void changesAreSavedOnceAfterAPause()
    {
        const QString path = freshPath();
        ProfileStore store(path, &m_vault);
        QVERIFY(store.load());
        ProfileRepository repo(&store);
        QSignalSpy saved(&repo, &ProfileRepository::saveFinished);
        const QString id = repo.add(sample());
        for (int i = 0; i < 20; ++i)
            QVERIFY(repo.appendSendHistory(id, u"message %1"_s.arg(i), 200));
        QVERIFY(repo.isSavePending());
        QVERIFY(!QFile::exists(path)); // nothing written yet: one write for the whole burst
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().first().toString(), QString());
        QCOMPARE(reread(path, id).sendHistory.size(), 20);
    }

    void destructionWritesWhatIsPending()
    {
        const QString path = freshPath();
        QString id;
        {
            ProfileStore store(path, &m_vault);
            store.load();
            ProfileRepository repo(&store);
            id = repo.add(sample());
            QVERIFY(repo.pinCertificate(id, u"AA:BB"_s, u"CN=test"_s));
        }
        const Profile p = reread(path, id);
        QCOMPARE(p.tls.pinnedFingerprints, QStringList { u"AA:BB"_s });
        QCOMPARE(p.tls.pinnedSubjects.value(u"AA:BB"_s), u"CN=test"_s);
    }

    void fieldChangesAnnouncedByIdAndNeverOverwriteOtherFields()
    {
        ProfileStore store(freshPath(), &m_vault);
        store.load();
        ProfileRepository repo(&store);
        const QString a = repo.add(sample());
        const QString b = repo.add(sample());
        QVERIFY(a != b);
        QCOMPARE(repo.find(b)->name, u"Local (2)"_s);
        QSignalSpy changed(&repo, &ProfileRepository::profileChanged);

        // Two tabs of one profile pin two certificates: both stay.
        QVERIFY(repo.pinCertificate(a, u"11:11"_s));
        QVERIFY(repo.pinCertificate(a, u"22:22"_s));
        QVERIFY(repo.pinCertificate(a, u"22:22"_s)); // again: no change
        QCOMPARE(repo.find(a)->tls.pinnedFingerprints, QStringList({ u"11:11"_s, u"22:22"_s }));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.last().first().toString(), a);
        QVERIFY(repo.find(b)->tls.pinnedFingerprints.isEmpty());

        // An editor that started before the pins saves its URL change: the pins stay.
        Profile base = sample();
        base.id = a;
        Profile edited = base;
        edited.url = u"ws://127.0.0.1:9090/"_s;
        QVERIFY(repo.applyEdit(a, base, edited));
        QCOMPARE(repo.find(a)->url, u"ws://127.0.0.1:9090/"_s);
        QCOMPARE(repo.find(a)->tls.pinnedFingerprints.size(), 2);

        QVERIFY(repo.appendSendHistory(a, u"x"_s, 2));
        QVERIFY(repo.appendSendHistory(a, u"x"_s, 2)); // a repeat is not added
        QVERIFY(repo.appendSendHistory(a, u"y"_s, 2));
        QVERIFY(repo.appendSendHistory(a, u"z"_s, 2));
        QCOMPARE(repo.find(a)->sendHistory, QStringList({ u"y"_s, u"z"_s }));

        QVERIFY(!repo.pinCertificate(u"builtin-echo"_s, u"11"_s)); // not a saved profile
        QVERIFY(!repo.rename(a, u"local (2)"_s)); // taken (case-insensitive)
        QVERIFY(repo.rename(a, u"Renamed"_s));
        QCOMPARE(repo.find(a)->name, u"Renamed"_s);
    }

    // Review finding: pin compared case-insensitively, unpin case-sensitively, so a fingerprint
    // pinned in one spelling could not be removed in another.
    void pinAndUnpinCompareOneFingerprintForm()
    {
        const QString path = freshPath();
        ProfileStore store(path, &m_vault);
        store.load();
        ProfileRepository repo(&store);
        const QString id = repo.add(sample());
        QVERIFY(repo.pinCertificate(id, u"AB:CD:EF:01"_s, u"CN=upper"_s));
        QVERIFY(repo.pinCertificate(id, u"abcdef01"_s)); // the same certificate: not pinned twice
        QCOMPARE(repo.find(id)->tls.pinnedFingerprints, QStringList { u"AB:CD:EF:01"_s });
        QCOMPARE(repo.find(id)->tls.pinnedSubjects.value(u"AB:CD:EF:01"_s), u"CN=upper"_s);

        QSignalSpy changed(&repo, &ProfileRepository::profileChanged);
        QVERIFY(repo.unpinCertificate(id, u"ab:cd:ef:01"_s));
        QCOMPARE(changed.size(), 1);
        QVERIFY(repo.find(id)->tls.pinnedFingerprints.isEmpty());
        QVERIFY(repo.find(id)->tls.pinnedSubjects.isEmpty());
        QVERIFY(repo.flush());
        QVERIFY(reread(path, id).tls.pinnedFingerprints.isEmpty());

        // A lower-case pin is stored in the one form too, and unpinned in upper case.
        QVERIFY(repo.pinCertificate(id, u"0a 1b 2c"_s, u"CN=lower"_s));
        QCOMPARE(repo.find(id)->tls.pinnedFingerprints, QStringList { u"0A:1B:2C"_s });
        QVERIFY(repo.unpinCertificate(id, u"0A:1B:2C"_s));
        QVERIFY(repo.find(id)->tls.pinnedFingerprints.isEmpty());
        QVERIFY(repo.find(id)->tls.pinnedSubjects.isEmpty());
        QVERIFY(!repo.pinCertificate(id, u"::"_s)); // nothing to pin
    }

    void mergeKeepsBothSidesAndNamesConflicts()
    {
        Profile base = sample();
        base.id = u"x"_s;
        Profile ours = base;
        ours.url = u"ws://ours/"_s;
        ours.origin = u"https://ours"_s;
        Profile theirs = base;
        theirs.sendHistory = { u"sent"_s };
        theirs.origin = u"https://theirs"_s;
        const ProfileMerge::Outcome out = ProfileMerge::merge(base, ours, theirs);
        QCOMPARE(out.merged.url, u"ws://ours/"_s);
        QCOMPARE(out.merged.sendHistory, QStringList { u"sent"_s });
        QCOMPARE(out.merged.origin, u"https://ours"_s); // ours wins, and says so
        QCOMPARE(out.conflicts, QStringList { u"Origin"_s });
        // The same change on both sides is no conflict.
        theirs.origin = ours.origin;
        QVERIFY(ProfileMerge::merge(base, ours, theirs).conflicts.isEmpty());
    }

    void addressesAsTyped_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("url"); // empty: refused
        QTest::addColumn<QString>("message"); // a notice, or the error
        QTest::newRow("ws") << u"ws://127.0.0.1:8080/chat"_s << u"ws://127.0.0.1:8080/chat"_s << QString();
        QTest::newRow("host:port") << u"127.0.0.1:8080"_s << u"ws://127.0.0.1:8080/"_s
                                   << u"\"127.0.0.1:8080\" has no scheme: taken as ws://127.0.0.1:8080 (type wss:// "
                                      u"in front for TLS)."_s;
        QTest::newRow("localhost:port/path") << u"localhost:3000/socket"_s << u"ws://localhost:3000/socket"_s
                                             << u"\"localhost:3000/socket\" has no scheme: taken as "
                                                u"ws://localhost:3000/socket (type wss:// in front for TLS)."_s;
        QTest::newRow("https") << u"https://example.com/feed"_s << u"wss://example.com/feed"_s
                               << u"URL scheme https:// was changed to wss://."_s;
        QTest::newRow("builtin") << u"builtin:echo"_s << u"builtin:echo"_s << QString();
        QTest::newRow("unknown builtin") << u"builtin:nope"_s << QString()
                                         << u"\"builtin:nope\" is not a built-in server: use builtin:echo, "
                                            u"builtin:chat or builtin:push."_s;
        QTest::newRow("ftp") << u"ftp://example.com"_s << QString()
                             << u"URL scheme \"ftp\" is not supported: use ws:// or wss://."_s;
        QTest::newRow("port out of range") << u"127.0.0.1:99999"_s << QString()
                                           << u"URL port \"99999\" is out of range: use a port from 1 to 65535."_s;
        // Each broken address gets its own sentence (audit 6: all were "port out of range" or "scheme").
        QTest::newRow("unclosed bracket")
            << u"wss://[::1"_s << QString()
            << u"URL \"wss://[::1\" has an unclosed \"[\": an IPv6 address goes between [ and ], as in "
               u"ws://[::1]:8080/."_s;
        QTest::newRow("colon, empty port")
            << u"ws://127.0.0.1:/"_s << QString()
            << u"URL \"ws://127.0.0.1:/\" has a colon but no port after it: add the port (as in :8080) or remove "
               u"the colon."_s;
        QTest::newRow("port not a number") << u"ws://host:abc/"_s << QString()
                                           << u"URL port \"abc\" is not a number: use digits only, a port from 1 to "
                                              u"65535."_s;
        QTest::newRow("host colon") << u"localhost:"_s << QString()
                                    << u"\"localhost:\" has a colon but no port after it: type the port, as in "
                                       u"localhost:8080, or remove the colon."_s;
        QTest::newRow("[::1] colon") << u"[::1]:/x"_s << QString()
                                     << u"\"[::1]:/x\" has a colon but no port after it: type the port, as in "
                                        u"[::1]:8080, or remove the colon."_s;
        QTest::newRow("one slash") << u"ws:/127.0.0.1:1"_s << QString()
                                   << u"URL \"ws:/127.0.0.1:1\" has no host: write it after two slashes, as in "
                                      u"ws://127.0.0.1:8080/."_s;
        QTest::newRow("empty") << u"  "_s << QString() << u"URL is empty: enter a ws:// or wss:// address."_s;
    }

    void addressesAsTyped()
    {
        QFETCH(QString, typed);
        QFETCH(QString, url);
        QFETCH(QString, message);
        const Result<TypedAddress> r = ProfileValidator::interpretAddress(typed);
        if (url.isEmpty()) {
            QVERIFY(!r);
            QCOMPARE(r.error().message, message);
            QVERIFY(!r.error().message.contains(u"Relative URL"_s));
        } else {
            QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
            QCOMPARE(r->url, url);
            QCOMPARE(r->notices.join(u' '), message);
        }
    }
};

QTEST_GUILESS_MAIN(tst_ProfileRepository)
#include "tst_profilerepository.moc"
