#pragma once

// A test as a client of the local endpoint: one HTTP request sent and its whole answer waited for,
// and a client program (curl, a case of a tests/node script) run as a separate process. Both wait
// with this thread's event loop running: the same loop serves the Gateway and the fake provider.
#include "GatewayFixture.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>

#include <utility>

struct HttpReply
{
    int status = 0;   // 0 when no answer came
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;   // lower-case names
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value(QStringLiteral("error")).toObject(); }
};

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

// Sends a JSON body (or none) to `url` and waits up to 30 s for the whole answer.
inline HttpReply sendAndWait(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url, const QByteArray &body,
                             const HttpHeaders &headers)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    HttpReply out;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
        return out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        out.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return out;
}

struct ProcessRun
{
    bool finished = false;   // false: it did not start, or ran past a minute (err says which)
    int exitCode = -1;       // -1 when it did not finish normally
    QByteArray out;
    QByteArray err;
};

// Runs `program` to its end, a minute at most, with `input` on its standard input.
inline ProcessRun runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                             const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    ProcessRun r;
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, 60000)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.finished = true;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// One case of a tests/node script against the fixture's endpoint, with SWITCHYARD_URL, the
// fixture's key in SWITCHYARD_KEY, `model` in MODEL when given, and then `vars` (which may replace
// any of them). Its JSON line; {"error": why} when node did not start or ran past a minute.
inline QJsonObject runNodeCase(const GatewayFixture &fx, const QString &node, const QString &script, const QString &which,
                               const QString &model = {}, const QHash<QString, QString> &vars = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SWITCHYARD_URL"), fx.url());
    env.insert(QStringLiteral("SWITCHYARD_KEY"), QString::fromLatin1(GatewayFixture::Key));
    if (!model.isEmpty())
        env.insert(QStringLiteral("MODEL"), model);
    for (auto it = vars.begin(); it != vars.end(); ++it)
        env.insert(it.key(), it.value());
    const ProcessRun r = runProcess(node, {script, which}, env);
    if (r.exitCode != 0)
        qWarning("node %s exited %d: %s", qPrintable(which), r.exitCode, r.err.constData());
    if (!r.finished)
        return {{QStringLiteral("error"), QString::fromUtf8(r.err)}};
    return QJsonDocument::fromJson(r.out).object();
}
