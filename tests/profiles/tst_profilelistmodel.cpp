// The profile list: built-ins first and read-only; add, duplicate, rename, delete and undo.
#include "profiles/profilelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsi;

class tst_ProfileListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtinsFirstAndReadOnly()
    {
        ProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data().toString(), u"Built-in echo server"_s);
        QCOMPARE(model.index(0).data(ProfileListModel::UrlRole).toString(), u"builtin:echo"_s);
        QVERIFY(model.index(0).data(ProfileListModel::BuiltinRole).toBool());
        QVERIFY(!(model.flags(model.index(0)) & Qt::ItemIsEditable));
        QVERIFY(!model.removeProfile(0));
        QVERIFY(!model.setData(model.index(1), u"Mine"_s));
        QVERIFY(!model.updateProfile(2, Profile()));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.savedProfiles().isEmpty());
    }

    void addDuplicateRenameRemove()
    {
        ProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &ProfileListModel::profilesChanged);
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
        QCOMPARE(model.profileAt(3), *removed);
        QCOMPARE(model.savedProfiles().size(), 3);
        QCOMPARE(changed.size(), 6); // add, add, duplicate, rename, remove, undo
    }

    void setSavedProfilesKeepsBuiltins()
    {
        ProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Profile a;
        a.name = u"A"_s;
        Profile b = Profile::builtinEcho(); // a built-in in a file is ignored
        model.setSavedProfiles({ a, b });
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.savedProfiles().size(), 1);
        QVERIFY(!model.savedProfiles().first().id.isEmpty());
        Profile edited = model.profileAt(3);
        edited.url = u"ws://example.com/"_s;
        QVERIFY(model.updateProfile(3, edited));
        QCOMPARE(model.index(3).data(Qt::ToolTipRole).toString(), u"ws://example.com/"_s);
    }
};

QTEST_GUILESS_MAIN(tst_ProfileListModel)
#include "tst_profilelistmodel.moc"
