#include "ErrorClassifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>

namespace {

struct Parsed
{
    QString message;
    QString type;
    QString code;
    int numericCode = 0;   // OpenRouter error.code, MiniMax base_resp code
};

QString jsonString(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return QString();
}

Parsed parseBody(const QByteArray &body)
{
    Parsed p;
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(body.trimmed(), &err);
    if (doc.isObject()) {
        const QJsonObject root = doc.object();
        const QJsonValue error = root.value(QStringLiteral("error"));
        if (error.isObject()) {
            const QJsonObject e = error.toObject();
            p.message = jsonString(e.value(QStringLiteral("message")));
            p.type = jsonString(e.value(QStringLiteral("type")));
            const QJsonValue code = e.value(QStringLiteral("code"));
            p.code = jsonString(code);
            if (code.isDouble())
                p.numericCode = code.toInt();
        } else if (error.isString()) {
            p.message = error.toString();
        }
        if (p.message.isEmpty())
            p.message = jsonString(root.value(QStringLiteral("detail")));
        if (p.message.isEmpty())
            p.message = jsonString(root.value(QStringLiteral("message")));
        const QJsonObject baseResp = root.value(QStringLiteral("base_resp")).toObject();
        const int status = baseResp.value(QStringLiteral("status_code")).toInt();
        if (status != 0) {
            p.numericCode = status;
            if (p.message.isEmpty())
                p.message = baseResp.value(QStringLiteral("status_msg")).toString();
        }
        return p;
    }
    // Plain text or an HTML page: keep a readable line of it.
    QString text = QString::fromUtf8(body.left(4096));
    static const QRegularExpression title(QStringLiteral("<title>(.*?)</title>"),
                                          QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch t = title.match(text);
    if (t.hasMatch()) {
        text = t.captured(1);
    } else {
        static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
        text.remove(tags);
    }
    p.message = text.simplified().left(200);
    return p;
}

bool containsAny(const QString &text, std::initializer_list<const char *> needles)
{
    for (const char *n : needles) {
        if (text.contains(QLatin1String(n), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// Context overflow is told by the message; parse the limit where it is given.
bool contextOverflow(const QString &message, qint64 *limit)
{
    static const QRegularExpression patterns[] = {
        QRegularExpression(QStringLiteral("maximum context length is (\\d+)")),
        QRegularExpression(QStringLiteral("Range of input length should be \\[1,\\s*(\\d+)\\]")),
        QRegularExpression(QStringLiteral("exceeded model token limit\\s*:?\\s*(\\d+)?")),
        QRegularExpression(QStringLiteral("Input token length too long")),
        QRegularExpression(QStringLiteral("context[_ ]length[_ ]exceeded")),
        QRegularExpression(QStringLiteral("prompt is too long")),
    };
    for (const QRegularExpression &re : patterns) {
        const QRegularExpressionMatch m = re.match(message);
        if (m.hasMatch()) {
            if (m.lastCapturedIndex() >= 1 && !m.captured(1).isEmpty())
                *limit = m.captured(1).toLongLong();
            return true;
        }
    }
    return false;
}

ErrorClass classFromMiniMaxCode(int code)
{
    switch (code) {
    case 1002:
    case 1039: return ErrorClass::RateLimit;
    case 1004: return ErrorClass::Auth;
    case 1008: return ErrorClass::Balance;
    case 1026:
    case 1027: return ErrorClass::ContentFilter;
    case 1001: return ErrorClass::Timeout;
    case 2013: return ErrorClass::BadRequest;
    default: return ErrorClass::Server;
    }
}

ErrorClass classify(int status, const Parsed &p, qint64 *limit)
{
    const QString all = p.message + QLatin1Char(' ') + p.type + QLatin1Char(' ') + p.code;
    if (contextOverflow(p.message, limit))
        return ErrorClass::ContextOverflow;
    if (containsAny(all, {"Content Exists Risk", "content_filter", "DataInspectionFailed", "data_inspection_failed",
                          "inappropriate content", "considered high risk", "moderation"}))
        return ErrorClass::ContentFilter;
    // DashScope's throttling borrows OpenAI's quota wording but clears within the minute.
    if (containsAny(all, {"Throttling"}))
        return ErrorClass::RateLimit;
    if (containsAny(all, {"engine_overloaded", "overloaded"}))
        return ErrorClass::Overloaded;
    if (containsAny(all, {"Insufficient Balance", "insufficient balance", "exceeded_current_quota", "Arrearage",
                          "insufficient_balance", "Insufficient credits", "insufficient_quota", "余额不足"}))
        return ErrorClass::Balance;
    if (p.numericCode >= 1000)
        return classFromMiniMaxCode(p.numericCode);
    if (containsAny(all, {"rate_limit", "rate limit"}))
        return ErrorClass::RateLimit;
    if (containsAny(all, {"authentication", "api key", "api_key", "authorized_error", "Unauthorized"}) && status != 429)
        return ErrorClass::Auth;
    switch (status) {
    case 401:
    case 403: return ErrorClass::Auth;
    case 402: return ErrorClass::Balance;
    case 408:
    case 504:
    case 524: return ErrorClass::Timeout;
    case 429: return ErrorClass::RateLimit;
    case 503:
    case 529: return ErrorClass::Overloaded;
    default: break;
    }
    if (status >= 500)
        return ErrorClass::Server;
    if (status >= 400)
        return ErrorClass::BadRequest;
    return ErrorClass::Server;
}

} // namespace

namespace ErrorClassifier {

int parseRetryAfter(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const int seconds = v.toInt(&ok);
    if (ok)
        return std::max(0, seconds);
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when)));
}

ProviderError fromHttp(Dialect dialect, int status, const QByteArray &body, const QByteArray &retryAfter)
{
    const Parsed p = parseBody(body);
    ProviderError e;
    e.httpStatus = status;
    e.providerMessage = p.message;
    e.providerCode = p.type.isEmpty() ? p.code : p.type;
    e.retryAfterSeconds = parseRetryAfter(retryAfter);
    e.errorClass = classify(status, p, &e.contextLimit);
    // OpenRouter answers 403 only for moderation (https://openrouter.ai/docs/errors).
    if (dialect == Dialect::OpenRouter && status == 403)
        e.errorClass = ErrorClass::ContentFilter;
    return e;
}

ProviderError fromBaseResp(int statusCode, const QString &message)
{
    ProviderError e;
    e.httpStatus = 200;
    e.providerMessage = message;
    e.providerCode = QString::number(statusCode);
    Parsed p;
    p.message = message;
    p.numericCode = statusCode;
    e.errorClass = classify(200, p, &e.contextLimit);
    return e;
}

ProviderError fromStreamError(const QJsonObject &error)
{
    Parsed p;
    p.message = jsonString(error.value(QStringLiteral("message")));
    const QJsonValue code = error.value(QStringLiteral("code"));
    p.code = jsonString(code);
    ProviderError e;
    e.httpStatus = 200;
    e.providerMessage = p.message;
    e.providerCode = p.code;
    // OpenRouter puts the HTTP-like status in a numeric code.
    const int status = code.isDouble() ? code.toInt() : 0;
    if (status == 0 && p.code == u"server_error")
        e.errorClass = ErrorClass::Server;
    else
        e.errorClass = classify(status > 0 ? status : 500, p, &e.contextLimit);
    return e;
}

} // namespace ErrorClassifier
