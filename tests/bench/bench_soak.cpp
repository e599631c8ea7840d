// A soak of the real `switchyard serve`: STREAMS clients (500 by default) stream through it at
// once for SECONDS (SWITCHYARD_SOAK_SECONDS; `./dev soak` runs 600, `./dev bench` 60), with faults
// mixed in on both sides:
//   - the provider answers 5% of requests with 429 (serve falls back to a second provider) and
//     resets 3% of its streams after a few frames (the client gets a `truncated` error chunk);
//   - 5% of clients read slowly (a 1 MB answer, read 3 s late through a small receive buffer),
//     and 5% vanish after the first chunk.
// Prints what every request came to (anything else than those outcomes is "unexpected"), and
// serve's RSS and open descriptors at the start, at their peak and once the clients are gone.
#include "ProcessStats.h"

#include <httplib.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<long> upstreamRequests {0};
std::atomic<long> injected429 {0};
std::atomic<long> injectedResets {0};

std::string frame(const std::string &content)
{
    return "data: {\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"soak\","
           "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
}

const std::string lastFrames = "data: {\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                               "\"model\":\"soak\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                               "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42}}\n\n"
                               "data: [DONE]\n\n";

void startMock(httplib::Server &server, int *port)
{
    server.new_task_queue = [] { return new httplib::ThreadPool(2000); };
    server.set_keep_alive_max_count(1 << 30);
    server.set_keep_alive_timeout(2);   // pooled connections that serve stops using close soon after
    server.set_tcp_nodelay(true);
    server.Post(R"((.*)/chat/completions)", [](const httplib::Request &req, httplib::Response &res) {
        const long n = upstreamRequests.fetch_add(1);
        const bool primary = req.matches[1] == "/a/v1";
        if (primary && n % 20 == 7) {
            injected429.fetch_add(1);
            res.status = 429;
            res.set_header("Retry-After", "30");   // long: serve moves to the fallback at once
            res.set_content(R"({"error":{"message":"Rate limit reached","type":"rate_limit_error","code":"rate_limit"}})",
                            "application/json");
            return;
        }
        const bool big = req.body.find("[big]") != std::string::npos;
        const bool reset = !big && n % 33 == 11;
        if (reset)
            injectedResets.fetch_add(1);
        res.set_chunked_content_provider("text/event-stream", [big, reset](size_t, httplib::DataSink &sink) {
            if (big) {
                // 1 MB as fast as the reader takes it: 64 times what serve buffers for a client.
                const std::string f = frame(std::string(4000, 'x'));
                for (int i = 0; i < 250; ++i) {
                    if (!sink.write(f.data(), f.size()))
                        return false;
                }
            } else {
                for (int i = 0; i < 30; ++i) {
                    if (reset && i == 3)
                        return false;   // httplib closes the connection mid-body
                    std::this_thread::sleep_for(std::chrono::milliseconds(30));
                    const std::string f = frame("token" + std::to_string(i) + " ");
                    if (!sink.write(f.data(), f.size()))
                        return false;
                }
            }
            sink.write(lastFrames.data(), lastFrames.size());
            sink.done();
            return true;
        });
    });
    *port = server.bind_to_any_port("127.0.0.1");
    // Debian's cpp-httplib listens with a backlog of 5, built in: bursts of new connections then
    // lose SYNs, and a connect waits out TCP's retransmissions (1, 3, 7, 15, 31 s …), which a real
    // provider's server never makes serve do. Listening again on the same socket raises it.
    for (int fd = 0; fd < 1024; ++fd) {
        sockaddr_in a {};
        socklen_t length = sizeof a;
        int accepting = 0;
        socklen_t size = sizeof accepting;
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &length) == 0 && a.sin_family == AF_INET
            && ntohs(a.sin_port) == *port && ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0 && accepting)
            ::listen(fd, 4096);
    }
}

enum class Outcome { Ok, Truncated, Vanished, Unexpected };

struct Tally
{
    std::atomic<long> ok {0}, truncated {0}, vanished {0}, slow {0}, unexpected {0};
    std::mutex mutex;
    std::vector<std::string> samples;
    void unexpectedSample(const std::string &what)
    {
        unexpected.fetch_add(1);
        std::lock_guard lock(mutex);
        if (samples.size() < 5)
            samples.push_back(what);
    }
};

// One client: a keep-alive connection that streams one request after another until the deadline.
class Client
{
public:
    Client(int port, std::string key, unsigned seed)
        : m_port(port)
        , m_key(std::move(key))
        , m_random(seed)
    {
    }
    ~Client() { disconnect(); }

    void run(Clock::time_point until, Tally &tally)
    {
        while (Clock::now() < until) {
            const int roll = int(m_random() % 100);
            const bool slow = roll < 5;
            const bool vanish = roll >= 5 && roll < 10;
            if (m_fd < 0 && !connectTo(slow ? 16 << 10 : 0)) {
                tally.unexpectedSample("connect failed");
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            const std::string body = std::string(R"({"model":"auto","stream":true,"messages":[{"role":"user","content":")")
                                     + (slow ? "[big] " : "") + "Tell me about soak tests\"}]}";
            const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_key
                                        + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size())
                                        + "\r\n\r\n" + body;
            if (::send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size())) {
                // A keep-alive connection the server closed meanwhile (its idle deadline): once more.
                disconnect();
                continue;
            }
            switch (readAnswer(vanish, slow)) {
            case Outcome::Ok: tally.ok.fetch_add(1); break;
            case Outcome::Truncated: tally.truncated.fetch_add(1); break;
            case Outcome::Vanished: tally.vanished.fetch_add(1); break;
            case Outcome::Unexpected: tally.unexpectedSample(m_last.substr(0, 300)); break;
            }
            if (slow)
                tally.slow.fetch_add(1);
            if (slow || vanish)
                disconnect();   // a fresh connection with the default buffers next time
        }
    }

private:
    bool connectTo(int receiveBuffer)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (receiveBuffer)
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        timeval timeout {60, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_port = htons(quint16(m_port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
            disconnect();
            return false;
        }
        m_buffer.clear();
        return true;
    }

    void disconnect()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        m_buffer.clear();
    }

    bool fill()
    {
        errno = 0;
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, size_t(n));
        return true;
    }

    // Reads one answer: the status, then a chunked body to its last chunk (or a sized one).
    Outcome readAnswer(bool vanish, bool slow)
    {
        m_last.clear();
        const auto sent = Clock::now();
        size_t headEnd;
        while ((headEnd = m_buffer.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) {
                m_last = "no answer came (" + std::string(errno == EAGAIN ? "timed out" : "closed") + " after "
                         + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent).count())
                         + " ms)";
                disconnect();
                return Outcome::Unexpected;
            }
        }
        const std::string head = m_buffer.substr(0, headEnd);
        m_buffer.erase(0, headEnd + 4);
        m_last = head;
        const bool chunked = head.find("Transfer-Encoding: chunked") != std::string::npos;
        if (head.compare(0, 12, "HTTP/1.1 200") != 0 || !chunked) {
            disconnect();
            return Outcome::Unexpected;
        }
        if (vanish) {
            fill();
            disconnect();
            return Outcome::Vanished;
        }
        if (slow)
            std::this_thread::sleep_for(std::chrono::seconds(3));
        std::string body;
        for (;;) {
            size_t line;
            while ((line = m_buffer.find("\r\n")) == std::string::npos) {
                if (!fill()) {
                    m_last = head + "\n… the connection closed mid-answer: " + body.substr(body.size() > 200 ? body.size() - 200 : 0);
                    disconnect();
                    return Outcome::Unexpected;
                }
            }
            const size_t size = std::stoul(m_buffer.substr(0, line), nullptr, 16);
            while (m_buffer.size() < line + 2 + size + 2) {
                if (!fill()) {
                    m_last = head + "\n… the connection closed mid-chunk";
                    disconnect();
                    return Outcome::Unexpected;
                }
            }
            body.append(m_buffer, line + 2, size);
            if (body.size() > (1 << 16))
                body.erase(0, body.size() - 4096);   // only the end says how the answer ended
            m_buffer.erase(0, line + 2 + size + 2);
            if (size == 0)
                break;
        }
        if (body.find("data: [DONE]") != std::string::npos)
            return Outcome::Ok;
        if (body.find("\"code\":\"truncated\"") != std::string::npos)
            return Outcome::Truncated;
        m_last = head + "\n" + body.substr(body.size() > 300 ? body.size() - 300 : 0);
        return Outcome::Unexpected;
    }

    int m_port;
    std::string m_key;
    std::mt19937 m_random;
    int m_fd = -1;
    std::string m_buffer;
    std::string m_last;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int seconds = qEnvironmentVariableIsSet("SWITCHYARD_SOAK_SECONDS") ? qEnvironmentVariableIntValue("SWITCHYARD_SOAK_SECONDS") : 60;
    const int streams = qEnvironmentVariableIsSet("SWITCHYARD_SOAK_STREAMS") ? qEnvironmentVariableIntValue("SWITCHYARD_SOAK_STREAMS") : 500;

    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    httplib::Server mock;
    int mockPort = 0;
    startMock(mock, &mockPort);
    std::thread mockThread([&mock] { mock.listen_after_bind(); });

    QTemporaryDir profile;
    QFile config(profile.filePath(QStringLiteral("config.yaml")));
    if (!config.open(QIODevice::WriteOnly))
        return 1;
    config.write(QStringLiteral("providers:\n"
                                "  - {id: first, dialect: openai, base_url: 'http://127.0.0.1:%1/a/v1', api_key_env: SOAK_UPSTREAM_KEY}\n"
                                "  - {id: second, dialect: openai, base_url: 'http://127.0.0.1:%1/b/v1', api_key_env: SOAK_UPSTREAM_KEY}\n"
                                "models:\n"
                                "  - {name: a, provider: first, id: a, context: 128000, fallback: [b], price: {currency: USD, input: 1, output: 2}}\n"
                                "  - {name: b, provider: second, id: b, context: 128000, price: {currency: USD, input: 1, output: 2}}\n"
                                "routes:\n"
                                "  - default: a\n")
                     .arg(mockPort)
                     .toUtf8());
    config.close();

    const std::string key = "sk-sy-soak";
    QProcess serve;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SWITCHYARD_GATEWAY_KEY"), QString::fromStdString(key));
    env.insert(QStringLiteral("SOAK_UPSTREAM_KEY"), QStringLiteral("sk-upstream"));
    serve.setProcessEnvironment(env);
    serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serve.start(qEnvironmentVariable("SWITCHYARD_BINARY"), {QStringLiteral("serve"), QStringLiteral("--listen"),
                                                            QStringLiteral("127.0.0.1:0"), QStringLiteral("--profile"), profile.path()});
    if (!serve.waitForStarted(10000) || !serve.waitForReadyRead(20000)) {
        std::fprintf(stderr, "switchyard serve did not start\n");
        return 1;
    }
    const QUrl url(QString::fromUtf8(serve.readLine().trimmed()));
    const int port = url.port();
    const qint64 pid = serve.processId();

    // One request first, so the baseline includes what every first request loads.
    Tally warmTally;
    {
        Client warm(port, key, 1);
        warm.run(Clock::now() + std::chrono::milliseconds(1), warmTally);
    }
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const qint64 rssBefore = rssKiB(pid), fdsBefore = openFiles(pid);
    std::printf("bench_soak: %d streams for %d s through switchyard serve; serve starts at %lld KiB RSS, %lld open files\n",
                streams, seconds, rssBefore, fdsBefore);
    std::fflush(stdout);

    Tally tally;
    const auto start = Clock::now();
    const auto until = start + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    threads.reserve(size_t(streams));
    for (int i = 0; i < streams; ++i) {
        threads.emplace_back([&, i] {
            Client c(port, key, unsigned(1000 + i));
            c.run(until, tally);
        });
    }
    qint64 rssPeak = rssBefore, fdsPeak = fdsBefore;
    int tick = 0;
    while (Clock::now() < until + std::chrono::seconds(5)) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        rssPeak = std::max(rssPeak, rssKiB(pid));
        fdsPeak = std::max(fdsPeak, openFiles(pid));
        if (++tick % 60 == 0) {
            std::printf("bench_soak: %3d s: %ld answers, %ld unexpected; RSS %lld KiB, %lld open files\n", tick,
                        tally.ok.load(), tally.unexpected.load(), rssKiB(pid), openFiles(pid));
            std::fflush(stdout);
        }
        if (serve.state() != QProcess::Running)
            break;
    }
    for (std::thread &t : threads)
        t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const long total = tally.ok + tally.truncated + tally.vanished + tally.unexpected;

    // Once the clients are gone: descriptors back (pooled connections to the provider close when
    // it drops them after 2 s idle), memory back.
    const auto settleStart = Clock::now();
    qint64 fdsAfter = openFiles(pid), rssAfter = rssKiB(pid);
    while (Clock::now() - settleStart < std::chrono::seconds(30) && (fdsAfter > fdsBefore + 2 || rssAfter > rssBefore + 8 * 1024)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        fdsAfter = openFiles(pid);
        rssAfter = rssKiB(pid);
    }
    const double settled = std::chrono::duration<double>(Clock::now() - settleStart).count();

    std::printf("bench_soak: %ld requests in %.0f s (%.0f/s): %ld answered whole (%ld of them read slowly), %ld cut off "
                "by a provider reset (%ld resets injected), %ld clients vanished, %ld unexpected; %ld 429s injected, "
                "%ld upstream requests\n",
                total, elapsed, double(total) / elapsed, tally.ok.load(), tally.slow.load(), tally.truncated.load(),
                injectedResets.load(), tally.vanished.load(), tally.unexpected.load(), injected429.load(), upstreamRequests.load());
    std::printf("bench_soak: serve RSS %lld KiB at the start, %lld KiB at the peak, %lld KiB after; open files %lld, %lld, %lld "
                "(settled %.1f s after the clients left)\n",
                rssBefore, rssPeak, rssAfter, fdsBefore, fdsPeak, fdsAfter, settled);
    for (const std::string &s : tally.samples)
        std::printf("bench_soak: unexpected: %s\n", s.c_str());

    const bool running = serve.state() == QProcess::Running;
    serve.terminate();
    serve.waitForFinished(30000);
    mock.stop();
    mockThread.join();
    if (!running) {
        std::printf("bench_soak: FAILED: serve died\n");
        return 1;
    }
    const bool ok = tally.unexpected == 0 && tally.truncated <= injectedResets && fdsAfter <= fdsBefore + 2
                    && rssAfter <= rssBefore + 8 * 1024;
    std::printf("bench_soak: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
