// The chat window's figures (issue "Chat window"): GUI-thread time per streamed delta at 1 KB,
// 20 KB and 100 KB of answer; time to open a 1,000-message conversation; memory of the real
// window idle after start, and of a page that has streamed 200 answers. Figures only: nothing
// passes or fails on time.
#include "ChatFixture.h"

#include "ConversationView.h"
#include "MessageWidgets.h"
#include "ProcessStats.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>

namespace {

QTextStream out(stdout);

qint64 percentile(QList<qint64> v, double p)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    return v.at(std::min<qsizetype>(v.size() - 1, qsizetype(p * v.size())));
}

QString us(qint64 ns)
{
    return QString::number(ns / 1000.0, 'f', 1) + QStringLiteral(" µs");
}

// An answer like a model's: headings, paragraphs, a list, code, a table; `n` sections of ~1.1 KB.
QString answerText(int sections)
{
    QString s;
    for (int i = 0; i < sections; ++i) {
        s += QStringLiteral("## Step %1\n\nThe request goes to the model the rules pick; when it is rate limited the "
                            "next one in the chain answers, and the ledger records **both attempts** with their "
                            "tokens and cost, so the dashboard shows what the fallback cost.\n\n"
                            "- first, the route's own fallback\n- then the model's\n- then the default chain\n\n")
                 .arg(i + 1);
        if (i % 3 == 1) {
            s += QStringLiteral("```cpp\nfor (const Attempt &a : result.attempts) {\n    if (a.skipped)\n        continue;\n"
                                "    total += priceOf(a.usage, a.model);   // step %1\n}\n```\n\n")
                     .arg(i + 1);
        } else if (i % 3 == 2) {
            s += QStringLiteral("| Model | Input | Output |\n|---|---|---|\n| deepseek-chat | ¥2.00 | ¥3.00 |\n"
                                "| kimi-k2 | ¥4.00 | ¥16.00 |\n\n");
        } else {
            s += QStringLiteral("Time to first token stays under a second for `deepseek-chat`, while `kimi-k2` "
                                "thinks first; the badge under each answer shows both figures.\n\n");
        }
    }
    return s;
}

QString mib(qint64 kib)
{
    return QString::number(kib / 1024.0, 'f', 1) + QStringLiteral(" MiB");
}

// Counts what is painted (each widget's paint rectangle, parents and children alike).
struct PaintProbe : QObject
{
    qint64 area = 0;
    int events = 0;
    bool eventFilter(QObject *, QEvent *e) override
    {
        if (e->type() == QEvent::Paint) {
            const QRect r = static_cast<QPaintEvent *>(e)->region().boundingRect();
            area += qint64(r.width()) * r.height();
            ++events;
        }
        return false;
    }
};

// 1. Each delta laid out and painted on its own (the worst case: one frame per delta).
void perDelta()
{
    QWidget top;
    top.resize(1100, 760);
    auto *layout = new QVBoxLayout(&top);
    auto *view = new ConversationView(&top);
    layout->addWidget(view);
    top.show();
    QCoreApplication::processEvents();

    const QString answer = answerText(qEnvironmentVariableIntValue("SWITCHYARD_BENCH_SECTIONS") > 0 ? qEnvironmentVariableIntValue("SWITCHYARD_BENCH_SECTIONS") : 240);   // ~105 KB
    const qsizetype piece = 24;               // a few tokens, as providers send them
    struct Window
    {
        const char *label;
        qsizetype from, to;
        QList<qint64> ns;
        qint64 flushNs = 0, layoutNs = 0, paintNs = 0;
    } windows[] = {{"1 KB", 0, 2048, {}}, {"20 KB", 19 * 1024, 21 * 1024, {}}, {"100 KB", 98 * 1024, 102 * 1024, {}}};
    PaintProbe probe;
    qApp->installEventFilter(&probe);
    const int runs = 5;
    qint64 totalNs = 0;
    qint64 deltas = 0;
    for (int run = 0; run < runs; ++run) {
        StoredMessage m;
        m.id = QStringLiteral("bench-%1").arg(run);
        m.role = QStringLiteral("assistant");
        m.status = QStringLiteral("streaming");
        view->setMessages({});
        MessageWidget *w = view->appendMessage(m);
        QCoreApplication::processEvents();
        QElapsedTimer clock;
        for (qsizetype at = 0; at < answer.size(); at += piece) {
            clock.start();
            w->appendContent(QStringView(answer).mid(at, piece));
            w->flush();
            const qint64 flushed = clock.nsecsElapsed();
            // The layout requests the growth posted, then the paint of what they changed, as the
            // event loop would run them before the next frame.
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            const qint64 laidOut = clock.nsecsElapsed();
            QCoreApplication::sendPostedEvents();
            const qint64 ns = clock.nsecsElapsed();
            totalNs += ns;
            ++deltas;
            for (Window &win : windows) {
                if (at >= win.from && at < win.to) {
                    win.ns << ns;
                    win.flushNs += flushed;
                    win.layoutNs += laidOut - flushed;
                    win.paintNs += ns - laidOut;
                }
            }
        }
    }
    out << "GUI-thread time per streamed delta (" << piece << " characters; append, Markdown layout, "
        << " widget layout and painting what changed, every delta; " << runs << " answers of "
        << answer.size() / 1024 << " KB):\n";
    for (const Window &win : windows) {
        out << "  at " << win.label << " of answer: p50 " << us(percentile(win.ns, 0.5)) << ", p99 "
            << us(percentile(win.ns, 0.99)) << ", max " << us(percentile(win.ns, 1.0)) << " (" << win.ns.size()
            << " deltas); mean " << us(win.flushNs / std::max<qsizetype>(1, win.ns.size())) << " Markdown + text layout, "
            << us(win.layoutNs / std::max<qsizetype>(1, win.ns.size())) << " widget layout, "
            << us(win.paintNs / std::max<qsizetype>(1, win.ns.size())) << " paint\n";
    }
    const double growth50 = double(percentile(windows[2].ns, 0.5)) / double(std::max<qint64>(1, percentile(windows[0].ns, 0.5)));
    const double growth99 = double(percentile(windows[2].ns, 0.99)) / double(std::max<qint64>(1, percentile(windows[0].ns, 0.99)));
    out << "  growth from 1 KB to 100 KB: p50 ×" << QString::number(growth50, 'f', 2) << ", p99 ×"
        << QString::number(growth99, 'f', 2) << "   (goals: p99 ≤ 2 ms at 20 KB, ≤ 4 ms at 100 KB, growth ≤ 2×)\n";
    qApp->removeEventFilter(&probe);
    out << "  painted per delta: " << QString::number(probe.events / double(deltas), 'f', 1) << " paint events, "
        << QString::number(probe.area / double(deltas) / 1000.0, 'f', 0) << "K px (the view is "
        << view->viewport()->width() << "×" << view->viewport()->height() << ")\n";
    out << "  mean over all " << deltas << " deltas: " << us(totalNs / std::max<qint64>(1, deltas)) << "\n";
    out.flush();
}

// 2. Opening a conversation of 1,000 messages from the profile's database.
void openLong(ChatFixture &f)
{
    ConversationStore *store = f.page->store();
    const QString answer = answerText(2);
    ConversationInfo c;
    c.id = ConversationStore::newId();
    c.title = QStringLiteral("A thousand messages");
    c.createdMs = c.updatedMs = QDateTime::currentMSecsSinceEpoch();
    store->saveConversation(c);
    for (int i = 0; i < 1000; ++i) {
        StoredMessage m;
        m.id = ConversationStore::newId();
        m.conversation = c.id;
        m.seq = i;
        m.role = i % 2 ? QStringLiteral("assistant") : QStringLiteral("user");
        m.content = i % 2 ? answer : QStringLiteral("Question %1: how do fallbacks change the cost?").arg(i);
        m.status = QStringLiteral("done");
        m.createdMs = c.createdMs + i;
        store->saveMessage(m);
    }
    if (!QTest::qWaitFor([&] { return store->messages(c.id).size() == 1000; }, 30000)) {
        out << "the 1,000 messages were not written\n";
        return;
    }
    QList<qint64> ms;
    for (int run = 0; run < 7; ++run) {
        f.page->newConversation();
        QCoreApplication::processEvents();
        QElapsedTimer clock;
        clock.start();
        f.page->openConversation(c.id);
        QCoreApplication::sendPostedEvents();
        f.page->repaint();
        ms << clock.nsecsElapsed();
    }
    out << "Open a 1,000-message conversation (" << QString::number(answer.size() / 1024.0, 'f', 1)
        << " KB answers; read from SQLite, the last " << ConversationView::PageSize
        << " messages laid out and painted): median " << QString::number(percentile(ms, 0.5) / 1e6, 'f', 1)
        << " ms, max " << QString::number(percentile(ms, 1.0) / 1e6, 'f', 1) << " ms   (goal ≤ 300 ms)\n";
    QElapsedTimer clock;
    clock.start();
    const QList<StoredMessage> all = store->messages(c.id);
    out << "  of which reading the 1,000 messages: " << QString::number(clock.nsecsElapsed() / 1e6, 'f', 1) << " ms\n";
    out.flush();
}

// 3. The real window, idle after start, with a profile that has a conversation open.
void idleWindow(ChatFixture &f)
{
    const QString binary = QStringLiteral(SWITCHYARD_WINDOW_BINARY);
    QProcess window;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    window.setProcessEnvironment(env);
    f.ledger->flush();
    window.start(binary, {QStringLiteral("--profile"), f.dir.path()});
    if (!window.waitForStarted(10000)) {
        out << "Window RSS: " << binary << " did not start\n";
        return;
    }
    QTest::qWait(4000);
    const qint64 kib = rssKiB(window.processId());
    out << "RSS of the real window idle 4 s after start (offscreen, the 1,000-message conversation open): " << mib(kib)
        << "   (goal ≤ 80 MB)\n";
    window.terminate();
    window.waitForFinished(5000);
    out.flush();
}

// 4. A page that has streamed 200 answers into one conversation.
void twoHundredAnswers(ChatFixture &f)
{
    f.page->newConversation();
    QCoreApplication::processEvents();
    const qint64 before = rssKiB(QCoreApplication::applicationPid());
    const QString answer = answerText(2);
    QList<QByteArray> payloads;
    for (qsizetype i = 0; i < answer.size(); i += 24) {
        payloads << QJsonDocument(QJsonObject {{QStringLiteral("choices"),
                                                QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                                                                         {QStringLiteral("delta"), QJsonObject {{QStringLiteral("content"), answer.mid(i, 24)}}}}}}})
                        .toJson(QJsonDocument::Compact);
    }
    for (int i = 0; i < 200; ++i)
        f.fake.enqueue(FakeResponse::sse(payloads));
    auto *input = f.page->findChild<QPlainTextEdit *>(QStringLiteral("composerInput"));
    auto *send = f.page->findChild<QPushButton *>(QStringLiteral("sendButton"));
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 200; ++i) {
        QSignalSpy done(f.page.get(), &ChatPage::answerFinished);
        input->setPlainText(QStringLiteral("Question %1").arg(i));
        send->click();
        if (!done.wait(20000)) {
            out << "answer " << i << " did not finish\n";
            return;
        }
    }
    const qint64 elapsed = clock.elapsed();
    QCoreApplication::processEvents();
    const qint64 after = rssKiB(QCoreApplication::applicationPid());
    f.page->newConversation();
    QTest::qWait(200);
    const qint64 closed = rssKiB(QCoreApplication::applicationPid());
    out << "200 answers of " << QString::number(answer.size() / 1024.0, 'f', 1) << " KB streamed through the fake provider ("
        << answer.size() / 24 << " deltas each) into one conversation, in " << QString::number(elapsed / 1000.0, 'f', 1)
        << " s: RSS of this process " << mib(before) << " before, " << mib(after) << " after (400 messages, of which the last " << ConversationView::MaxWidgets << " have widgets), "
        << mib(closed) << " once a new chat replaces them\n";
    out.flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    perDelta();
    if (qEnvironmentVariableIsSet("SWITCHYARD_BENCH_DELTAS_ONLY"))
        return 0;
    ChatFixture f;
    QString why;
    if (!f.start(&why)) {
        out << "cannot set the chat up: " << why << "\n";
        return 1;
    }
    openLong(f);
    idleWindow(f);
    twoHundredAnswers(f);
    return 0;
}
