#include "Money.h"

#include <QTest>

#include <limits>

class TestMoney : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("price") << QStringLiteral("0.435") << true << qint64(435000);
        QTest::newRow("six decimals") << QStringLiteral("0.003625") << true << qint64(3625);
        QTest::newRow("whole") << QStringLiteral("27") << true << qint64(27000000);
        QTest::newRow("trailing dot") << QStringLiteral("3.") << true << qint64(3000000);
        QTest::newRow("leading dot") << QStringLiteral(".5") << true << qint64(500000);
        QTest::newRow("negative") << QStringLiteral("-1.25") << true << qint64(-1250000);
        QTest::newRow("spaces") << QStringLiteral(" 1.5 ") << true << qint64(1500000);
        QTest::newRow("seven decimals") << QStringLiteral("0.0000001") << false << qint64(0);
        QTest::newRow("exponent") << QStringLiteral("1e-3") << false << qint64(0);
        QTest::newRow("comma") << QStringLiteral("1,5") << false << qint64(0);
        QTest::newRow("empty") << QString() << false << qint64(0);
        QTest::newRow("dot only") << QStringLiteral(".") << false << qint64(0);
        QTest::newRow("arabic-indic digit") << QStringLiteral("\u0661") << false << qint64(0);
        QTest::newRow("overflow") << QStringLiteral("99999999999999999999") << false << qint64(0);
        // The bounds of qint64 micros, exactly, and one micro past them on either side.
        QTest::newRow("max") << QStringLiteral("9223372036854.775807") << true
                             << std::numeric_limits<qint64>::max();
        QTest::newRow("max + 1") << QStringLiteral("9223372036854.775808") << false << qint64(0);
        QTest::newRow("min") << QStringLiteral("-9223372036854.775808") << true
                             << std::numeric_limits<qint64>::min();
        QTest::newRow("min - 1") << QStringLiteral("-9223372036854.775809") << false << qint64(0);
        QTest::newRow("whole max + 1") << QStringLiteral("9223372036855") << false << qint64(0);
        // Whole parts just past the old digit check wrapped around to a positive price.
        QTest::newRow("wraps to positive") << QStringLiteral("-9223372036859") << false << qint64(0);
        QTest::newRow("wraps, positive") << QStringLiteral("9223372036859") << false << qint64(0);
        QTest::newRow("largest whole") << QStringLiteral("9223372036854") << true
                                       << qint64(9223372036854000000);
        QTest::newRow("negative zero") << QStringLiteral("-0") << true << qint64(0);
        QTest::newRow("leading zeros") << QStringLiteral("00000000000000000000001.5") << true << qint64(1500000);
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, micros);
        const auto parsed = Money::parseMicros(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, micros);
    }

    void format()
    {
        QCOMPARE(Money::formatMicros(435000), QStringLiteral("0.435"));
        QCOMPARE(Money::formatMicros(27000000), QStringLiteral("27.0"));
        QCOMPARE(Money::formatMicros(3625), QStringLiteral("0.003625"));
        QCOMPARE(Money::formatMicros(-1250000), QStringLiteral("-1.25"));
        QCOMPARE(Money::formatMicros(std::numeric_limits<qint64>::min()), QStringLiteral("-9223372036854.775808"));
    }

    void display_data()
    {
        QTest::addColumn<qint64>("micros");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("en");
        QTest::addColumn<QString>("zh");
        QTest::newRow("dollars") << qint64(1234567890) << "USD" << "$1,234.57" << "$1,234.57";
        QTest::newRow("yuan") << qint64(86200000) << "CNY" << "¥86.20" << "¥86.20";
        QTest::newRow("zero") << qint64(0) << "USD" << "$0.00" << "$0.00";
        QTest::newRow("a cheap call") << qint64(4200) << "USD" << "$0.0042" << "$0.0042";
        QTest::newRow("cheaper") << qint64(384) << "USD" << "$0.00038" << "$0.00038";
        QTest::newRow("one micro") << qint64(1) << "CNY" << "¥0.000001" << "¥0.000001";
        QTest::newRow("other code") << qint64(3100000) << "GBP" << "GBP 3.10" << "GBP 3.10";
        QTest::newRow("negative") << qint64(-2500000) << "EUR" << "-€2.50" << "-€2.50";
    }

    void display()
    {
        QFETCH(qint64, micros);
        QFETCH(QString, currency);
        QFETCH(QString, en);
        QFETCH(QString, zh);
        QCOMPARE(Money::display(micros, currency, QLocale(QLocale::English, QLocale::UnitedStates)), en);
        QCOMPARE(Money::display(micros, currency, QLocale(QLocale::Chinese, QLocale::China)), zh);
    }

    void currency()
    {
        QVERIFY(Money::isCurrencyCode(u"USD"));
        QVERIFY(Money::isCurrencyCode(u"CNY"));
        QVERIFY(!Money::isCurrencyCode(u"usd"));
        QVERIFY(!Money::isCurrencyCode(u"US"));
        QVERIFY(!Money::isCurrencyCode(u"US$"));
    }
};

QTEST_GUILESS_MAIN(TestMoney)
#include "tst_money.moc"
