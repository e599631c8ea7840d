// The local endpoint's cost, measured against a loopback mock upstream (cpp-httplib, OpenAI
// dialect). The real `switchyard serve` runs as its own process pinned to one CPU (`taskset`; CPU
// 0, or SWITCHYARD_BENCH_CPU), so every figure is for one core; the mock and the load generator
// run on another.
// Prints, direct to the mock vs through the endpoint:
//   - added latency p50/p99 at concurrency 1 (a 5-frame stream, no upstream delay);
//   - added time to first token p50/p99;
//   - requests per second at concurrency 64 with a 20 ms upstream, and the endpoint's CPU use;
//   - frames in = frames out over 128 concurrent streams of 50 frames each.
#include "Database.h"
#include "Profile.h"

#include <httplib.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<long> framesSent {0};
int gatewayPort = 0;
std::atomic<long> throughEndpoint {0};   // every 200 answer through the endpoint, inside a timed window or not

std::string frame(const std::string &content)
{
    return "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"mock\","
           "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
}

// The model id says how the mock answers: d0 = 5 frames at once, d20 = the same after 20 ms (both
// written in one piece, as a gateway benchmark's mock upstream does), s20 = 20 ms, then the 5
// frames 1 ms apart, each its own TCP segment, f50 = 50 frames 2 ms apart.
void startMock(httplib::Server &server, int *port)
{
    server.new_task_queue = [] { return new httplib::ThreadPool(192); };
    server.set_keep_alive_max_count(1 << 30);
    server.set_tcp_nodelay(true);
    server.Post("/v1/chat/completions", [](const httplib::Request &req, httplib::Response &res) {
        int delayMs = 0, frames = 5, gapMs = 0;
        const auto asked = [&req](const char *model) { return req.body.find(model) != std::string::npos; };
        if (asked("\"d20\""))
            delayMs = 20;
        if (asked("\"s20\"")) {
            delayMs = 20;
            gapMs = 1;
        }
        if (asked("\"f50\"")) {
            frames = 50;
            gapMs = 2;
        }
        res.set_chunked_content_provider("text/event-stream", [=](size_t, httplib::DataSink &sink) {
            if (delayMs)
                std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
            std::string burst;
            for (int i = 0; i < frames; ++i) {
                const std::string f = frame("tok" + std::to_string(i) + " ");
                framesSent.fetch_add(1, std::memory_order_relaxed);
                if (!gapMs) {
                    burst += f;
                    continue;
                }
                if (i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(gapMs));
                sink.write(f.data(), f.size());
            }
            burst += "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                     "\"model\":\"mock\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                     "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}\n\n"
                     "data: [DONE]\n\n";
            sink.write(burst.data(), burst.size());
            sink.done();
            return true;
        });
    });
    *port = server.bind_to_any_port("127.0.0.1");
}

// A keep-alive HTTP/1.1 connection that sends one streaming request at a time and reads the
// chunked answer to its end.
class Connection
{
public:
    explicit Connection(int port)
        : m_port(port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_port = htons(quint16(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_ok = ::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    }
    ~Connection() { ::close(m_fd); }

    struct Result
    {
        bool ok = false;
        double totalUs = 0;
        double ttftUs = -1;
        int contentFrames = 0;
    };

    Result post(const std::string &request)
    {
        Result r;
        if (!m_ok)
            return r;
        const auto start = Clock::now();
        if (::send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size()))
            return r;
        std::string in;
        char buf[16384];
        size_t scanned = 0;
        while (true) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                return r;
            in.append(buf, size_t(n));
            if (r.ttftUs < 0 && in.find("\"content\":\"", scanned > 16 ? scanned - 16 : 0) != std::string::npos)
                r.ttftUs = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
            scanned = in.size();
            if (in.size() >= 5 && in.compare(in.size() - 5, 5, "0\r\n\r\n") == 0)
                break;
        }
        r.totalUs = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        for (size_t at = in.find("\"content\":\""); at != std::string::npos; at = in.find("\"content\":\"", at + 1))
            ++r.contentFrames;
        r.ok = in.compare(0, 12, "HTTP/1.1 200") == 0;
        if (r.ok && m_port == gatewayPort)
            ++throughEndpoint;
        return r;
    }

private:
    int m_port;
    int m_fd = -1;
    bool m_ok = false;
};

std::string chatRequest(const std::string &model, const std::string &key)
{
    const std::string body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer "
           + key + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The same question through another of the endpoint's doors (issue 16): the Responses API and
// Anthropic's Messages API, translated to and from the engine's chat requests.
std::string doorRequest(const std::string &door, const std::string &model, const std::string &key)
{
    std::string path = "/v1/chat/completions";
    std::string body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    std::string auth = "Authorization: Bearer " + key;
    if (door == "responses" || door == "responses+store") {
        // store: false is translation alone (as Codex asks); the default also keeps the response for
        // previous_response_id, written to responses.sqlite off the loop.
        path = "/v1/responses";
        body = "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hello\""
               + (door == "responses" ? ",\"store\":false}" : "}");
    } else if (door == "messages") {
        path = "/v1/messages";
        body = "{\"model\":\"" + model
               + "\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        auth = "x-api-key: " + key + "\r\nanthropic-version: 2023-06-01";
    }
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + auth
           + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

struct Series
{
    std::vector<double> total;
    std::vector<double> ttft;
    int failed = 0;
};

Series sequential(int port, const std::string &request, int n)
{
    Series s;
    Connection c(port);
    for (int i = 0; i < n; ++i) {
        const Connection::Result r = c.post(request);
        if (!r.ok) {
            ++s.failed;
            continue;
        }
        s.total.push_back(r.totalUs);
        s.ttft.push_back(r.ttftUs);
    }
    return s;
}

struct Load
{
    double rps = 0;
    long done = 0;
    long failed = 0;
    long frames = 0;
};

// `concurrency` connections, each sending requests back to back for `seconds` (or once each
// when seconds is 0).
Load load(int port, const std::string &request, int concurrency, double seconds)
{
    std::atomic<long> done {0}, failed {0}, frames {0};
    std::atomic<bool> stop {false};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int i = 0; i < concurrency; ++i) {
        threads.emplace_back([&] {
            Connection c(port);
            do {
                const Connection::Result r = c.post(request);
                if (seconds > 0 && stop.load())
                    break;   // finished after the window closed: not counted
                (r.ok ? done : failed).fetch_add(1);
                frames.fetch_add(r.contentFrames);
                if (!r.ok)
                    break;
            } while (seconds > 0 && !stop.load());
        });
    }
    if (seconds > 0) {
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        stop = true;
    }
    const double elapsed = seconds > 0 ? std::chrono::duration<double>(Clock::now() - start).count() : 0;
    for (auto &t : threads)
        t.join();
    return {elapsed > 0 ? double(done) / elapsed : 0, done, failed, frames};
}

struct Cpu
{
    double user = 0;
    double system = 0;
    double total() const { return user + system; }
};

Cpu cpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = f.readAll().split(')').value(1).trimmed().split(' ');
    // utime and stime are fields 14 and 15 of stat; 12 and 13 after "pid (comm)".
    const double tick = double(sysconf(_SC_CLK_TCK));
    return {fields.value(11).toDouble() / tick, fields.value(12).toDouble() / tick};
}

void pinTo(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int cpus = int(std::thread::hardware_concurrency());
    const int endpointCpu = qEnvironmentVariableIntValue("SWITCHYARD_BENCH_CPU");
    pinTo(cpus > 1 ? (endpointCpu == 0 ? 1 : 0) : 0);   // the mock and the clients

    httplib::Server mock;
    int mockPort = 0;
    startMock(mock, &mockPort);
    std::thread mockThread([&mock] { mock.listen_after_bind(); });

    QTemporaryDir profile;
    QFile config(profile.filePath(QStringLiteral("config.yaml")));
    config.open(QIODevice::WriteOnly);
    config.write(QStringLiteral("providers:\n"
                                "  - {id: mock, dialect: openai, base_url: 'http://127.0.0.1:%1/v1', api_key_env: BENCH_UPSTREAM_KEY}\n"
                                "models:\n"
                                "  - {name: d0, provider: mock, id: d0, context: 128000, price: {currency: USD, input: 1, output: 2}}\n"
                                "  - {name: d20, provider: mock, id: d20, context: 128000, price: {currency: USD, input: 1, output: 2}}\n"
                                "  - {name: s20, provider: mock, id: s20, context: 128000, price: {currency: USD, input: 1, output: 2}}\n"
                                "  - {name: f50, provider: mock, id: f50, context: 128000, price: {currency: USD, input: 1, output: 2}}\n"
                                "routes:\n"
                                "  - default: d0\n")
                     .arg(mockPort)
                     .toUtf8());
    config.close();

    const std::string key = "sk-sy-bench";
    QProcess serve;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QString::fromStdString(key));
    env.insert(QStringLiteral("BENCH_UPSTREAM_KEY"), QStringLiteral("upstream"));
    serve.setProcessEnvironment(env);
    serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // SWITCHYARD_BENCH_WRAP runs the endpoint under a profiler ("valgrind --tool=callgrind", say).
    QStringList args = {QStringLiteral("-c"), QString::number(endpointCpu)};
    args << qEnvironmentVariable("SWITCHYARD_BENCH_WRAP").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    args << qEnvironmentVariable("SWITCHYARD_BINARY") << QStringLiteral("serve") << QStringLiteral("--listen")
         << QStringLiteral("127.0.0.1:0") << QStringLiteral("--profile") << profile.path();
    serve.start(QStringLiteral("taskset"), args);
    if (!serve.waitForStarted(10000) || !serve.waitForReadyRead(20000)) {
        std::fprintf(stderr, "switchyard serve did not start\n");
        return 1;
    }
    const QUrl url(QString::fromUtf8(serve.readLine().trimmed()));
    gatewayPort = url.port();
    std::printf("bench_endpoint: switchyard serve on %s, pinned to CPU %d; mock upstream and clients on the other CPU, "
                "127.0.0.1:%d\n",
                qPrintable(url.toString()), endpointCpu, mockPort);

    const std::string direct0 = chatRequest("d0", "upstream");
    const std::string through0 = chatRequest("d0", key);
    sequential(mockPort, direct0, 200);   // warm both paths up
    sequential(gatewayPort, through0, 200);

    const int n = qEnvironmentVariableIntValue("SWITCHYARD_BENCH_REQUESTS") > 0 ? qEnvironmentVariableIntValue("SWITCHYARD_BENCH_REQUESTS") : 3000;
    const Series d = sequential(mockPort, direct0, n);
    const Series t = sequential(gatewayPort, through0, n);
    std::printf("\nconcurrency 1, %d streamed requests, 5 frames written at once (failed: direct %d, endpoint %d)\n", n, d.failed,
                t.failed);
    std::printf("  %-28s %10s %10s %10s %10s\n", "", "p50", "p99", "p90", "p99.9");
    std::printf("  %-28s %8.0f µs %8.0f µs %8.0f µs %8.0f µs\n", "total, direct", percentile(d.total, 0.5),
                percentile(d.total, 0.99), percentile(d.total, 0.9), percentile(d.total, 0.999));
    std::printf("  %-28s %8.0f µs %8.0f µs %8.0f µs %8.0f µs\n", "total, through the endpoint", percentile(t.total, 0.5),
                percentile(t.total, 0.99), percentile(t.total, 0.9), percentile(t.total, 0.999));
    std::printf("  %-28s %8.0f µs %8.0f µs   (goal: p99 added <= 1000 µs)\n", "added latency",
                percentile(t.total, 0.5) - percentile(d.total, 0.5), percentile(t.total, 0.99) - percentile(d.total, 0.99));
    std::printf("  %-28s %8.0f µs %8.0f µs\n", "first token, direct", percentile(d.ttft, 0.5), percentile(d.ttft, 0.99));
    std::printf("  %-28s %8.0f µs %8.0f µs\n", "first token, endpoint", percentile(t.ttft, 0.5), percentile(t.ttft, 0.99));
    std::printf("  %-28s %8.0f µs %8.0f µs\n", "added time to first token",
                percentile(t.ttft, 0.5) - percentile(d.ttft, 0.5), percentile(t.ttft, 0.99) - percentile(d.ttft, 0.99));

    if (qEnvironmentVariableIsSet("SWITCHYARD_BENCH_LATENCY_ONLY")) {
        serve.terminate();
        serve.waitForFinished(60000);
        mock.stop();
        mockThread.join();
        return 0;
    }
    load(gatewayPort, chatRequest("d20", key), 64, 1.0);   // the endpoint's network pool grows to its size for 64 streams
    auto throughput = [&](const std::string &model, const char *what) {
        const Load ld = load(mockPort, chatRequest(model, "upstream"), 64, 5.0);
        const Cpu cpuBefore = cpuSeconds(serve.processId());
        const Load lt = load(gatewayPort, chatRequest(model, key), 64, 5.0);
        const Cpu cpuAfter = cpuSeconds(serve.processId());
        const double cpuUsed = cpuAfter.total() - cpuBefore.total();
        const double cpuSystem = cpuAfter.system - cpuBefore.system;
        std::printf("\nconcurrency 64, streamed requests, the upstream answers after 20 ms with %s; 5 s each\n", what);
        std::printf("  direct:             %7.0f requests/s (%ld done, %ld failed)\n", ld.rps, ld.done, ld.failed);
        std::printf("  through endpoint:   %7.0f requests/s (%ld done, %ld failed)   (goal: >= 1200 on one core)\n", lt.rps,
                    lt.done, lt.failed);
        std::printf("  endpoint CPU:       %7.2f s in 5 s (%.2f s of it in the kernel) = %.0f%% of its one core, %.0f µs per "
                    "request\n",
                    cpuUsed, cpuSystem, 100.0 * cpuUsed / 5.0, lt.done ? 1e6 * cpuUsed / double(lt.done) : 0.0);
    };
    throughput("d20", "5 frames in one piece");
    throughput("s20", "5 frames 1 ms apart (5 TCP segments)");

    // Each door side by side: what translating the request and the stream costs over the chat door.
    // The doors take turns, in rounds, so that drift (the ledger growing, the machine's other work)
    // weighs on each alike.
    std::printf("\nthe doors side by side, in %d rounds each (goal: translation costs <= 10%% over chat completions)\n", 5);
    std::printf("  %-16s %12s %12s %14s %16s\n", "", "added p50", "added p99", "c=64 req/s", "CPU per request");
    const char *const doors[] = {"chat", "responses", "responses+store", "messages"};
    constexpr int doorCount = int(std::size(doors));
    struct DoorFigures
    {
        Series s;
        long done = 0, failed = 0;
        double seconds = 0, cpu = 0;
    };
    DoorFigures figures[doorCount];
    Series direct;
    for (const char *door : doors)
        sequential(gatewayPort, doorRequest(door, "d0", key), 200);
    for (int round = 0; round < 5; ++round) {
        const Series d = sequential(mockPort, direct0, n / 5);
        direct.total.insert(direct.total.end(), d.total.begin(), d.total.end());
        for (int i = 0; i < doorCount; ++i) {
            const Series s = sequential(gatewayPort, doorRequest(doors[i], "d0", key), n / 5);
            figures[i].s.total.insert(figures[i].s.total.end(), s.total.begin(), s.total.end());
            figures[i].s.failed += s.failed;
            const Cpu before = cpuSeconds(serve.processId());
            const Load l = load(gatewayPort, doorRequest(doors[i], "d20", key), 64, 1.0);
            const Cpu after = cpuSeconds(serve.processId());
            figures[i].done += l.done;
            figures[i].failed += l.failed;
            figures[i].seconds += l.rps > 0 ? double(l.done) / l.rps : 1.0;
            figures[i].cpu += after.total() - before.total();
        }
    }
    const double directP50 = percentile(direct.total, 0.5), directP99 = percentile(direct.total, 0.99);
    double chatP50 = 0, chatRps = 0, chatCpu = 0;
    for (int i = 0; i < doorCount; ++i) {
        const DoorFigures &f = figures[i];
        const double p50 = percentile(f.s.total, 0.5) - directP50;
        const double rps = f.seconds > 0 ? double(f.done) / f.seconds : 0.0;
        const double cpu = f.done ? 1e6 * f.cpu / double(f.done) : 0.0;
        std::printf("  %-16s %9.0f µs %9.0f µs %14.0f %13.0f µs", doors[i], p50, percentile(f.s.total, 0.99) - directP99,
                    rps, cpu);
        if (i == 0) {
            chatP50 = p50;
            chatRps = rps;
            chatCpu = cpu;
            std::printf("   (failed: %d, %ld)\n", f.s.failed, f.failed);
        } else {
            std::printf("   p50 %+.1f%%, req/s %+.1f%%, CPU %+.1f%% vs chat (failed: %d, %ld)\n",
                        chatP50 > 0 ? 100.0 * (p50 / chatP50 - 1.0) : 0.0, chatRps > 0 ? 100.0 * (rps / chatRps - 1.0) : 0.0,
                        chatCpu > 0 ? 100.0 * (cpu / chatCpu - 1.0) : 0.0, f.s.failed, f.failed);
        }
    }

    framesSent = 0;
    const Load lf = load(gatewayPort, chatRequest("f50", key), 128, 0);
    std::printf("\n128 concurrent streams of 50 frames, through the endpoint\n");
    std::printf("  frames in (sent by the upstream): %ld\n", framesSent.load());
    std::printf("  frames out (content chunks seen): %ld   %s\n", lf.frames,
                lf.frames == framesSent.load() && lf.failed == 0 ? "(equal)" : "(NOT equal)");
    std::printf("  streams complete: %ld of 128, failed %ld\n", lf.done, lf.failed);

    // Every answer through the endpoint is a row in its ledger once serve has stopped (it writes
    // what it holds on SIGTERM).
    serve.terminate();
    serve.waitForFinished(30000);
    long rows = -1;
    {
        QString error;
        std::optional<QSqlDatabase> db = Database::openConnection(Profile::resolve(profile.path()).databasePath(),
                                                                  QStringLiteral("bench"), &error);
        if (db) {
            QSqlQuery q(*db);
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM ledger WHERE status = 'ok'")) && q.next())
                rows = q.value(0).toLongLong();
            db->close();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    std::printf("\nledger: %ld rows with status ok, for %ld answers through the endpoint\n", rows, throughEndpoint.load());
    mock.stop();
    mockThread.join();
    return 0;
}
