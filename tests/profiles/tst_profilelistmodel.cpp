// The profile list: built-ins first and read-only; add, duplicate, rename, delete and undo.
#include "profiles/profilelistmodel.h"
#include "profiles/profilerepository.h"
#include "profiles/profilestore.h"
#include "profiles/secretvault.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

// A repository over a store in a temporary directory, secrets in the file.
struct Fixture
{
    QTemporaryDir dir;
    SecretVault vault { SecretVault::Backend::File };
    ProfileStore store { dir.filePath(u"profiles.json"_s), &vault };
    ProfileRepository repository { &store };
    ProfileListModel model { &repository };
};

class tst_ProfileListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtinsFirstAndReadOnly()
    {
        Fixture f;
        ProfileListModel& model = f.model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data().toString(), u"Built-in echo server"_s);
        QCOMPARE(model.index(0).data(ProfileListModel::UrlRole).toString(), u"builtin:echo"_s);
        QVERIFY(model.index(0).data(ProfileListModel::BuiltinRole).toBool());
        QVERIFY(!(model.flags(model.index(0)) & Qt::ItemIsEditable));
        QVERIFY(!model.removeProfile(0));
        QVERIFY(!model.setData(model.index(1), u"Mine"_s));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.savedProfiles().isEmpty());
    }

    void addDuplicateRenameRemove()
    {
        Fixture f;
        ProfileListModel& model = f.model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy added(&f.repository, &ProfileRepository::profileAdded);
        QSignalSpy changed(&f.repository, &ProfileRepository::profileChanged);
        QSignalSpy removedSpy(&f.repository, &ProfileRepository::profileRemoved);
        Profile p;
        p.name = u"Local"_s;
        p.url = u"ws://127.0.0.1:8080/"_s;
        const int row = model.addProfile(p);
        QCOMPARE(row, 3);
        QVERIFY(!model.profileAt(row).id.isEmpty());
        QVERIFY(model.flags(model.index(row)) & Qt::ItemIsEditable);
        QCOMPARE(model.addProfile(p), 4);
        QCOMPARE(model.profileAt(4).name, u"Local (2)"_s); // names stay unique
        QVERIFY(model.profileAt(4).id != model.profileAt(3).id);

        const int copy = model.duplicateProfile(0); // a built-in can be duplicated into an editable one
        QCOMPARE(model.profileAt(copy).name, u"Built-in echo server (copy)"_s);
        QCOMPARE(model.profileAt(copy).url, u"builtin:echo"_s);
        QVERIFY(!model.isBuiltin(copy));

        QSignalSpy rejected(&model, &ProfileListModel::renameRejected);
        QVERIFY(!model.setData(model.index(4), u"local"_s));
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.first().first().toString(), u"Profile name \"local\" is already used by another profile."_s);
        QVERIFY(!model.setData(model.index(4), u" "_s));
        QVERIFY(model.setData(model.index(4), u"Production"_s));
        QCOMPARE(model.index(4).data().toString(), u"Production"_s);
        QCOMPARE(model.rowOfName(u"production"_s), 4);

        const QString id = model.profileAt(3).id;
        const auto removed = model.removeProfile(3);
        QVERIFY(removed);
        QCOMPARE(removed->name, u"Local"_s);
        QCOMPARE(model.rowOfId(id), -1);
        QCOMPARE(model.insertProfile(3, *removed), 3); // undo
        QCOMPARE(model.profileAt(3), *removed); // the same id again
        QCOMPARE(model.savedProfiles().size(), 3);
        QCOMPARE(added.size(), 4); // add, add, duplicate, undo
        QCOMPARE(changed.size(), 1); // rename
        QCOMPARE(removedSpy.size(), 1);
        QVERIFY(f.repository.flush());
        ProfileStore reread(f.store.filePath(), &f.vault);
        QVERIFY(reread.load());
        QCOMPARE(reread.names(), QStringList({ u"Local"_s, u"Production"_s, u"Built-in echo server (copy)"_s }));
    }

    void followsChangesMadeThroughTheRepository()
    {
        Fixture f;
        ProfileListModel& model = f.model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Profile a;
        a.name = u"A"_s;
        a.url = u"ws://127.0.0.1:9/"_s;
        const QString id = f.repository.add(a);
        QCOMPARE(model.rowCount(), 4);
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(f.repository.pinCertificate(id, u"AB:CD"_s));
        QCOMPARE(dataChanged.size(), 1);
        QCOMPARE(dataChanged.first().first().toModelIndex().row(), 3);
        QCOMPARE(model.profileAt(3).tls.pinnedFingerprints, QStringList { u"AB:CD"_s });
        QVERIFY(f.repository.remove(id));
        QCOMPARE(model.rowCount(), 3);
    }
};

QTEST_GUILESS_MAIN(tst_ProfileListModel)
#include "tst_profilelistmodel.moc"
