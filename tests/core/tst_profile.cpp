#include "Profile.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestProfile : public QObject
{
    Q_OBJECT

private slots:
    void init() { qunsetenv("SWITCHYARD_PROFILE"); }

    void commandLineWinsOverEnvironment()
    {
        QTemporaryDir cli, env;
        qputenv("SWITCHYARD_PROFILE", env.path().toUtf8());
        const Profile p = Profile::resolve(cli.path());
        QCOMPARE(p.configDir(), QDir(cli.path()).absolutePath());
        QCOMPARE(p.dataDir(), p.configDir());
        QVERIFY(p.isCustom());
    }

    void environmentWinsOverDefault()
    {
        QTemporaryDir env;
        qputenv("SWITCHYARD_PROFILE", env.path().toUtf8());
        const Profile p = Profile::resolve(QString());
        QCOMPARE(p.configDir(), QDir(env.path()).absolutePath());
        QCOMPARE(p.configPath(), p.configDir() + QStringLiteral("/config.yaml"));
        QCOMPARE(p.databasePath(), p.configDir() + QStringLiteral("/switchyard.sqlite3"));
    }

    void defaultUsesStandardPaths()
    {
        QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
        const Profile p = Profile::resolve(QString());
        QVERIFY(!p.isCustom());
        QCOMPARE(p.configDir(), QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation));
        QCOMPARE(p.dataDir(), QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    }

    void relativeDirectoryBecomesAbsolute()
    {
        QTemporaryDir dir;
        QDir::setCurrent(dir.path());
        const Profile p = Profile::resolve(QStringLiteral("sub/profile"));
        QCOMPARE(p.configDir(), dir.path() + QStringLiteral("/sub/profile"));
        QString error;
        QVERIFY2(p.ensureExists(&error), qPrintable(error));
        QVERIFY(QFileInfo(p.logDir()).isDir());
    }

    void unwritableLocationIsReported()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Profile p = Profile::inDirectory(dir.filePath(QStringLiteral("file/profile")));
        QString error;
        QVERIFY(!p.ensureExists(&error));
        QVERIFY2(error.contains(QStringLiteral("Cannot create the profile folder")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
