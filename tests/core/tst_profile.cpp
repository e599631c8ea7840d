#include "AppSettings.h"
#include "FileModes.h"
#include "Platform.h"
#include "PrivateFiles.h"
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

    void foldersAndSettingsArePrivateUnderAnyUmask()
    {
        const UmaskZero umaskZero;   // the worst case: whatever is not set explicitly is 0777 or 0666
        QTemporaryDir dir;
        const Profile p = Profile::inDirectory(dir.filePath(QStringLiteral("profile")));
        QString error;
        QVERIFY2(p.ensureExists(&error), qPrintable(error));
        QCOMPARE(fileMode(p.configDir()), 0700);
        QCOMPARE(fileMode(p.dataDir()), 0700);
        QCOMPARE(fileMode(p.logDir()), 0700);

        // QSettings writes a new file and renames it over the old: the result is checked after a sync.
        {
            AppSettings settings(p.settingsPath());
            QCOMPARE(fileMode(p.settingsPath()), 0600);
            settings.setGatewayListen(QStringLiteral("127.0.0.1:4141"));
            settings.raw().sync();
            QCOMPARE(settings.raw().status(), QSettings::NoError);
        }
        QCOMPARE(fileMode(p.settingsPath()), 0600);
        QCOMPARE(AppSettings(p.settingsPath()).gatewayListen(), QStringLiteral("127.0.0.1:4141"));
        {
            AppSettings settings(p.settingsPath());
            settings.setGatewayListen(QStringLiteral("127.0.0.1:4242"));
        }
        QCOMPARE(fileMode(p.settingsPath()), 0600);
    }

    void looserModesAreTightenedAtStart()
    {
        const UmaskZero umaskZero;
        QTemporaryDir dir;
        const Profile p = Profile::inDirectory(dir.filePath(QStringLiteral("profile")));
        QVERIFY(QDir().mkpath(p.logDir()));
        QCOMPARE(::chmod(QFile::encodeName(p.configDir()).constData(), 0755), 0);
        QCOMPARE(::chmod(QFile::encodeName(p.logDir()).constData(), 0777), 0);
        for (const QString &file : {p.configPath(), p.settingsPath()}) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("# hand-written\n");
        }
        QCOMPARE(::chmod(QFile::encodeName(p.configPath()).constData(), 0644), 0);
        QCOMPARE(::chmod(QFile::encodeName(p.settingsPath()).constData(), 0666), 0);
        QCOMPARE(fileMode(p.logDir()), 0777);

        QString error;
        QVERIFY2(p.ensureExists(&error), qPrintable(error));
        QCOMPARE(fileMode(p.configDir()), 0700);
        QCOMPARE(fileMode(p.logDir()), 0700);
        QCOMPARE(fileMode(p.configPath()), 0600);
        QCOMPARE(fileMode(p.settingsPath()), 0600);
        QFile kept(p.configPath());
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("# hand-written\n"));   // tightened, not rewritten
    }

    void privateFilesHelpers()
    {
        const UmaskZero umaskZero;
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("a/b/file"));
        QVERIFY(PrivateFiles::makeFolder(dir.filePath(QStringLiteral("a/b"))));
        QCOMPARE(fileMode(dir.filePath(QStringLiteral("a/b"))), 0700);
        QVERIFY(PrivateFiles::makeFile(file));
        QCOMPARE(fileMode(file), 0600);
        QVERIFY(PrivateFiles::tighten(dir.filePath(QStringLiteral("missing"))));   // nothing to do
        QVERIFY(!PrivateFiles::makeFile(dir.filePath(QStringLiteral("missing/file"))));
        // A file the group may read becomes its owner's alone.
        QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0440), 0);
        QVERIFY(PrivateFiles::tighten(file));
        QCOMPARE(fileMode(file), 0600);
    }

    void programsCreateFilesPrivate()
    {
        const UmaskZero umaskZero;   // restored when the test ends
        Platform::restrictNewFiles();
        QTemporaryDir dir;
        QFile plain(dir.filePath(QStringLiteral("export.csv")));
        QVERIFY(plain.open(QIODevice::WriteOnly));   // QFile asks for 0666
        QCOMPARE(fileMode(plain.fileName()), 0600);
        QVERIFY(QDir().mkdir(dir.filePath(QStringLiteral("folder"))));
        QCOMPARE(fileMode(dir.filePath(QStringLiteral("folder"))), 0700);
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
