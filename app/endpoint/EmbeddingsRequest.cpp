// Reading a POST /v1/embeddings body, OpenAI's CreateEmbeddingRequest: strict types, nothing
// coerced. No gateway here, so that the fuzz build can read requests on their own.
#include "EmbeddingsRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace {

constexpr int MaxInputs = 2048;          // OpenAI's limit on one request's list
constexpr int MaxDimensions = 65536;

// The sentences keep the Gateway's translation context, where they were written.
class EmbeddingsReader
{
    Q_DECLARE_TR_FUNCTIONS(Gateway)

public:
    static std::optional<EmbeddingsRequest> read(const QByteArray &body, OpenAiRequest::Problem *problem)
    {
        const auto fail = [problem](const QString &message, const QString &param = {},
                                    const QString &code = QStringLiteral("invalid_request")) {
            *problem = {message, param, code};
            return std::nullopt;
        };
        const auto wrongType = [&fail](const QString &name, const QJsonValue &v, const QString &expected) {
            return fail(tr("Invalid type for '%1': expected %2, but got %3 instead.")
                            .arg(name, expected, OpenAiRequest::typeName(v)),
                        name,
                        QStringLiteral("invalid_type"));
        };
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return fail(tr("The request is not valid JSON: %1 at byte %2.").arg(parseError.errorString()).arg(parseError.offset));
        if (!doc.isObject())
            return fail(tr("The request must be a JSON object."));
        QJsonObject o = doc.object();
        EmbeddingsRequest ask;

        const QJsonValue model = o.take(QStringLiteral("model"));
        if (model.isUndefined() || model.isNull())
            return fail(tr("You must provide a model parameter: an embedding model's name from GET /v1/models, or \"auto\"."),
                        QStringLiteral("model"), QStringLiteral("missing_required_parameter"));
        if (!model.isString())
            return wrongType(QStringLiteral("model"), model, QStringLiteral("a string"));
        ask.model = model.toString();

        const QJsonValue input = o.take(QStringLiteral("input"));
        if (input.isUndefined() || input.isNull())
            return fail(tr("'input' is a required property: a string, or a list of up to %1 strings.").arg(MaxInputs),
                        QStringLiteral("input"), QStringLiteral("missing_required_parameter"));
        const QString tokensRefused =
            tr("Token arrays in 'input' are not supported here: the models behind this endpoint use different tokenizers. "
               "Send the text, as a string or a list of strings.");
        if (input.isString()) {
            ask.request.inputs << input.toString();
        } else if (input.isArray()) {
            const QJsonArray list = input.toArray();
            if (list.isEmpty())
                return fail(tr("'input' must not be an empty list."), QStringLiteral("input"), QStringLiteral("empty_array"));
            if (list.size() > MaxInputs)
                return fail(tr("'input' holds %1 entries; at most %2 are allowed in one request.").arg(list.size()).arg(MaxInputs),
                            QStringLiteral("input"), QStringLiteral("array_above_max_length"));
            ask.request.inputs.reserve(list.size());
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QJsonValue item = list.at(i);
                if (item.isDouble() || item.isArray())
                    return fail(tokensRefused, QStringLiteral("input"), QStringLiteral("unsupported_input"));
                if (!item.isString())
                    return wrongType(QStringLiteral("input[%1]").arg(i), item, QStringLiteral("a string"));
                ask.request.inputs << item.toString();
            }
        } else {
            return wrongType(QStringLiteral("input"), input, QStringLiteral("a string or an array of strings"));
        }
        for (qsizetype i = 0; i < ask.request.inputs.size(); ++i) {
            if (ask.request.inputs.at(i).isEmpty()) {
                const QString param = input.isString() ? QStringLiteral("input") : QStringLiteral("input[%1]").arg(i);
                return fail(tr("'%1' is an empty string; every input must hold some text.").arg(param), param,
                            QStringLiteral("empty_string"));
            }
        }

        const QJsonValue format = o.take(QStringLiteral("encoding_format"));
        if (!format.isUndefined() && !format.isNull()) {
            if (!format.isString())
                return wrongType(QStringLiteral("encoding_format"), format, QStringLiteral("a string"));
            if (format.toString() == u"base64")
                ask.base64 = true;
            else if (format.toString() != u"float")
                return fail(tr("Invalid value for 'encoding_format': \"%1\"; use \"float\" or \"base64\".")
                                .arg(format.toString().left(100)),
                            QStringLiteral("encoding_format"), QStringLiteral("invalid_value"));
        }

        const QJsonValue dimensions = o.take(QStringLiteral("dimensions"));
        if (!dimensions.isUndefined() && !dimensions.isNull()) {
            const double d = dimensions.toDouble();
            if (!dimensions.isDouble() || d != std::floor(d))
                return wrongType(QStringLiteral("dimensions"), dimensions, QStringLiteral("an integer"));
            if (d < 1 || d > MaxDimensions)
                return fail(tr("Invalid 'dimensions': %1; expected a whole number from 1 to %2.").arg(d, 0, 'g', 12).arg(MaxDimensions),
                            QStringLiteral("dimensions"), d < 1 ? QStringLiteral("integer_below_min_value")
                                                                : QStringLiteral("integer_above_max_value"));
            ask.request.dimensions = int(d);
        }

        const QJsonValue user = o.value(QStringLiteral("user"));
        if (!user.isUndefined() && !user.isNull() && !user.isString())
            return wrongType(QStringLiteral("user"), user, QStringLiteral("a string"));
        // `user` and any field of a gateway's own (OpenRouter's `provider`, `input_type`) go on as they came.
        ask.request.extra = o;
        return ask;
    }
};

} // namespace

std::optional<EmbeddingsRequest> EmbeddingsRequest::fromJson(const QByteArray &body, OpenAiRequest::Problem *problem)
{
    return EmbeddingsReader::read(body, problem);
}
