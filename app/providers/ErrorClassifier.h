#pragma once

#include "Config.h"
#include "StreamEvent.h"

#include <QByteArray>
#include <QJsonObject>

// Turns whatever a provider sends when something goes wrong into a ProviderError: the JSON error
// shapes of each dialect, MiniMax's base_resp on HTTP 200, OpenRouter's mid-stream error, plain
// text and HTML pages. Classes follow the message where codes are generic (context overflow,
// DashScope's quota-worded throttling).
namespace ErrorClassifier {

ProviderError fromHttp(Dialect dialect, int status, const QByteArray &body, const QByteArray &retryAfter = {});
// MiniMax base_resp.status_code / status_msg.
ProviderError fromBaseResp(int statusCode, const QString &message);
// A JSON object carrying an "error" inside a 200 stream (OpenRouter).
ProviderError fromStreamError(const QJsonObject &error);
// Seconds from a Retry-After value (delta-seconds or an HTTP date); -1 when absent or unreadable.
int parseRetryAfter(const QByteArray &value);

} // namespace ErrorClassifier
