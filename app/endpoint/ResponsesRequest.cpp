// Reading a POST /v1/responses body (OpenAI's Responses API) into the engine's chat request: the
// request's items become chat messages (docs/endpoint.md has the mapping and what is refused). No
// gateway, store or writer here, so that the fuzz build can read requests on their own.
#include "ResponsesRequest.h"

#include "JsonString.h"

#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace {
const QStringList &efforts()
{
    static const QStringList list {QStringLiteral("none"), QStringLiteral("minimal"), QStringLiteral("low"),
                                   QStringLiteral("medium"), QStringLiteral("high"), QStringLiteral("xhigh"),
                                   QStringLiteral("max")};
    return list;
}

// Reads Responses input items into chat completions messages, in order: consecutive function_call
// items (and the assistant text and reasoning items around them) become one assistant message with
// tool_calls, so that parallel calls stay one turn even with reasoning between them (LiteLLM's and
// llama.cpp's bug, doors.md §5.3); function_call_output items follow it as tool messages in the
// order of its calls; a reasoning item's text goes to the next assistant message's
// reasoning_content, which DeepSeek and Kimi thinking models want back.
class ItemReader
{
    Q_DECLARE_TR_FUNCTIONS(Gateway)

public:
    explicit ItemReader(OpenAiRequest::Problem *problem)
        : m_problem(problem)
    {
    }

    // `skipReferences`: item_reference items are left out (they are resolved once the store is at
    // hand, DoorWriter::prepare); otherwise one is an error.
    std::optional<QJsonArray> read(const QJsonArray &items, bool skipReferences)
    {
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString at = QStringLiteral("input[%1]").arg(i);
            const QJsonValue v = items.at(i);
            if (!v.isObject())
                return fail(tr("Invalid type for '%1': expected an object, but got %2 instead.").arg(at, OpenAiRequest::typeName(v)),
                            at, QStringLiteral("invalid_type"));
            const QJsonObject item = v.toObject();
            const QJsonValue typeValue = OpenAiRequest::field(item, QLatin1StringView("type"));
            if (!typeValue.isUndefined() && !typeValue.isString())
                return fail(tr("Invalid type for '%1.type': expected a string, but got %2 instead.")
                                .arg(at, OpenAiRequest::typeName(typeValue)),
                            at + QStringLiteral(".type"), QStringLiteral("invalid_type"));
            QString type = typeValue.toString();
            if (type.isEmpty() && item.contains(QStringLiteral("role")))
                type = QStringLiteral("message");
            if (type != u"function_call_output")
                flushOutputs();
            bool ok = true;
            if (type == u"message")
                ok = message(item, at);
            else if (type == u"function_call")
                ok = functionCall(item, at);
            else if (type == u"function_call_output")
                ok = functionCallOutput(item, at);
            else if (type == u"reasoning")
                ok = reasoning(item, at);
            else if (type == u"item_reference" && skipReferences)
                continue;
            else if (type == u"item_reference")
                return fail(tr("Item with id '%1' not found.").arg(item.value(QStringLiteral("id")).toString().left(200)),
                            at + QStringLiteral(".id"), QStringLiteral("item_not_found"));
            else if (type.isEmpty())
                return fail(tr("Input item %1 has neither a \"type\" nor a \"role\".").arg(i), at + QStringLiteral(".type"),
                            QStringLiteral("missing_required_parameter"));
            else
                return fail(tr("Input items of type \"%1\" are not supported here: this endpoint runs function tools only "
                               "(messages, function_call, function_call_output, reasoning and item_reference items).")
                                .arg(type.left(100)),
                            at + QStringLiteral(".type"), QStringLiteral("unsupported_value"));
            if (!ok)
                return std::nullopt;
        }
        flushAssistant();
        flushOutputs();
        return m_messages;
    }

private:
    std::nullopt_t fail(const QString &message, const QString &param, const QString &code = QStringLiteral("invalid_value"))
    {
        *m_problem = {message, param, code};
        return std::nullopt;
    }

    bool string(const QJsonObject &o, const char *name, const QString &at, QString *out, bool required)
    {
        const QJsonValue v = OpenAiRequest::field(o, QLatin1StringView(name));
        const QString param = at + QLatin1Char('.') + QLatin1String(name);
        if (v.isUndefined() && !required)
            return true;
        if (v.isUndefined()) {
            fail(tr("Missing required parameter: '%1'.").arg(param), param, QStringLiteral("missing_required_parameter"));
            return false;
        }
        if (!v.isString()) {
            fail(tr("Invalid type for '%1': expected a string, but got %2 instead.").arg(param, OpenAiRequest::typeName(v)), param,
                 QStringLiteral("invalid_type"));
            return false;
        }
        *out = v.toString();
        return true;
    }

    // A message's content as chat parts (text and image_url), or its text alone (`textOnly`).
    bool content(const QJsonValue &v, const QString &at, bool textOnly, QJsonValue *out)
    {
        if (v.isString()) {
            *out = v;
            return true;
        }
        if (!v.isArray()) {
            fail(tr("Invalid type for '%1': expected a string or an array of content parts, but got %2 instead.")
                     .arg(at, OpenAiRequest::typeName(v)),
                 at, QStringLiteral("invalid_type"));
            return false;
        }
        QJsonArray parts;
        QStringList texts;
        const QJsonArray in = v.toArray();
        for (qsizetype j = 0; j < in.size(); ++j) {
            const QString partAt = QStringLiteral("%1[%2]").arg(at).arg(j);
            const QJsonObject part = in.at(j).toObject();
            const QString type = part.value(QStringLiteral("type")).toString();
            if (type == u"input_text" || type == u"output_text" || type == u"refusal") {
                QString text;
                if (!string(part, type == u"refusal" ? "refusal" : "text", partAt, &text, true))
                    return false;
                texts << text;
                parts.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}});
            } else if (type == u"input_image" && !textOnly) {
                QString url;
                if (!string(part, "image_url", partAt, &url, false))
                    return false;
                if (url.isEmpty()) {
                    fail(tr("'%1' has no image_url; images by file_id are not supported here: send the image as a "
                            "data: or https: URL.").arg(partAt),
                         partAt + QStringLiteral(".image_url"), QStringLiteral("unsupported_value"));
                    return false;
                }
                QJsonObject image {{QStringLiteral("url"), url}};
                if (const QJsonValue detail = OpenAiRequest::field(part, QLatin1StringView("detail")); detail.isString())
                    image.insert(QStringLiteral("detail"), detail);
                parts.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("image_url")}, {QStringLiteral("image_url"), image}});
            } else {
                fail(tr("Content parts of type \"%1\" are not supported in '%2'; send input_text%3.")
                         .arg(type.left(100), at, textOnly ? QString() : tr(" or input_image")),
                     partAt + QStringLiteral(".type"), QStringLiteral("unsupported_value"));
                return false;
            }
        }
        if (textOnly)
            *out = texts.join(QLatin1Char('\n'));
        else
            *out = parts;
        return true;
    }

    bool message(const QJsonObject &item, const QString &at)
    {
        QString role;
        if (!string(item, "role", at, &role, true))
            return false;
        if (role != u"user" && role != u"assistant" && role != u"system" && role != u"developer") {
            fail(tr("Invalid value for '%1.role': \"%2\"; use user, assistant, system or developer.").arg(at, role.left(100)),
                 at + QStringLiteral(".role"));
            return false;
        }
        // Only users send images; every other role's parts are text, which each provider takes as a string.
        QJsonValue text;
        if (!content(item.value(QStringLiteral("content")), at + QStringLiteral(".content"), role != u"user", &text))
            return false;
        if (role != u"assistant") {
            flushAssistant();
            m_messages.append(QJsonObject {{QStringLiteral("role"), role}, {QStringLiteral("content"), text}});
            return true;
        }
        if (m_open && (!m_calls.isEmpty() || !m_text.isEmpty()))
            flushAssistant();
        openAssistant();
        m_text += text.toString();
        return true;
    }

    bool functionCall(const QJsonObject &item, const QString &at)
    {
        QString callId, name, arguments;
        if (!string(item, "call_id", at, &callId, true) || !string(item, "name", at, &name, true)
            || !string(item, "arguments", at, &arguments, true))
            return false;
        if (callId.isEmpty()) {
            fail(tr("'%1.call_id' is empty.").arg(at), at + QStringLiteral(".call_id"));
            return false;
        }
        if (!m_open)
            openAssistant();
        else
            takeReasoning();   // a reasoning item between two calls of one turn
        m_calls.append(QJsonObject {{QStringLiteral("id"), callId},
                                    {QStringLiteral("type"), QStringLiteral("function")},
                                    {QStringLiteral("function"),
                                     QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("arguments"), arguments}}}});
        return true;
    }

    bool functionCallOutput(const QJsonObject &item, const QString &at)
    {
        QString callId;
        if (!string(item, "call_id", at, &callId, true))
            return false;
        const QJsonValue output = item.value(QStringLiteral("output"));
        QJsonValue text;
        if (output.isUndefined() || output.isNull()) {
            fail(tr("Missing required parameter: '%1.output'.").arg(at), at + QStringLiteral(".output"),
                 QStringLiteral("missing_required_parameter"));
            return false;
        }
        if (!content(output, at + QStringLiteral(".output"), true, &text))
            return false;
        flushAssistant();
        m_outputs.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("tool")},
                                      {QStringLiteral("tool_call_id"), callId},
                                      {QStringLiteral("content"), text}});
        return true;
    }

    bool reasoning(const QJsonObject &item, const QString &at)
    {
        // The raw reasoning when the item has it, else its summary (what this endpoint sends both as).
        QStringList texts;
        for (const char *list : {"content", "summary"}) {
            const QJsonValue v = OpenAiRequest::field(item, QLatin1StringView(list));
            if (!v.isUndefined() && !v.isArray()) {
                fail(tr("Invalid type for '%1.%2': expected an array, but got %3 instead.")
                         .arg(at, QLatin1String(list), OpenAiRequest::typeName(v)),
                     at + QLatin1Char('.') + QLatin1String(list), QStringLiteral("invalid_type"));
                return false;
            }
            for (const QJsonValue &part : v.toArray())
                texts << part.toObject().value(QStringLiteral("text")).toString();
            if (!texts.isEmpty())
                break;
        }
        const QString text = texts.join(QStringLiteral("\n\n"));
        if (!text.isEmpty())
            m_reasoning += (m_reasoning.isEmpty() ? QString() : QStringLiteral("\n\n")) + text;
        return true;
    }

    void openAssistant()
    {
        m_open = true;
        m_text.clear();
        m_calls = QJsonArray();
        m_assistantReasoning.clear();
        takeReasoning();
    }

    void takeReasoning()
    {
        if (m_reasoning.isEmpty())
            return;
        m_assistantReasoning += (m_assistantReasoning.isEmpty() ? QString() : QStringLiteral("\n\n")) + m_reasoning;
        m_reasoning.clear();
    }

    void flushAssistant()
    {
        if (!m_open)
            return;
        m_open = false;
        QJsonObject m {{QStringLiteral("role"), QStringLiteral("assistant")}};
        m.insert(QStringLiteral("content"), m_text.isEmpty() && !m_calls.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_text));
        if (!m_calls.isEmpty())
            m.insert(QStringLiteral("tool_calls"), m_calls);
        if (!m_assistantReasoning.isEmpty())
            m.insert(QStringLiteral("reasoning_content"), m_assistantReasoning);
        m_messages.append(m);
        m_lastCalls.clear();
        for (const QJsonValue &c : std::as_const(m_calls))
            m_lastCalls.append(c.toObject().value(QStringLiteral("id")).toString());
    }

    // The tool messages after a turn, in the order of its calls (a client may list them otherwise).
    void flushOutputs()
    {
        if (m_outputs.isEmpty())
            return;
        std::stable_sort(m_outputs.begin(), m_outputs.end(), [this](const QJsonObject &a, const QJsonObject &b) {
            const auto rank = [this](const QJsonObject &o) {
                const qsizetype i = m_lastCalls.indexOf(o.value(QStringLiteral("tool_call_id")).toString());
                return i < 0 ? m_lastCalls.size() : i;
            };
            return rank(a) < rank(b);
        });
        for (const QJsonObject &o : std::as_const(m_outputs))
            m_messages.append(o);
        m_outputs.clear();
    }

    OpenAiRequest::Problem *m_problem;
    QJsonArray m_messages;
    bool m_open = false;             // an assistant turn is being gathered
    QString m_text;
    QJsonArray m_calls;
    QString m_assistantReasoning;
    QString m_reasoning;             // reasoning items not yet given to an assistant turn
    QStringList m_lastCalls;         // the call ids of the last assistant turn
    QList<QJsonObject> m_outputs;    // function_call_output items waiting to follow it
};

// Reads the request's own fields; the items are ItemReader's.
class ResponsesReader
{
    Q_DECLARE_TR_FUNCTIONS(Gateway)

public:
    explicit ResponsesReader(OpenAiRequest::Problem *problem)
        : m_problem(problem)
    {
    }

    std::optional<ResponsesRequest> read(const QByteArray &body)
    {
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return fail(tr("The request is not valid JSON: %1 at byte %2.").arg(parseError.errorString()).arg(parseError.offset), {},
                        QStringLiteral("invalid_json"));
        if (!doc.isObject())
            return fail(tr("The request must be a JSON object."), {}, QStringLiteral("invalid_type"));
        const QJsonObject o = doc.object();

        if (!type(o, "model", QJsonValue::String) || !type(o, "instructions", QJsonValue::String)
            || !type(o, "tools", QJsonValue::Array) || !type(o, "parallel_tool_calls", QJsonValue::Bool)
            || !type(o, "text", QJsonValue::Object) || !type(o, "reasoning", QJsonValue::Object)
            || !type(o, "stream", QJsonValue::Bool) || !type(o, "stream_options", QJsonValue::Object)
            || !type(o, "store", QJsonValue::Bool) || !type(o, "previous_response_id", QJsonValue::String)
            || !type(o, "metadata", QJsonValue::Object) || !type(o, "user", QJsonValue::String)
            || !type(o, "background", QJsonValue::Bool) || !type(o, "include", QJsonValue::Array))
            return std::nullopt;
        // What this endpoint cannot do: said, never ignored.
        if (!OpenAiRequest::field(o, QLatin1StringView("conversation")).isUndefined())
            return fail(tr("\"conversation\" is not supported here; continue a conversation with previous_response_id, or "
                           "send its items in \"input\"."),
                        QStringLiteral("conversation"), QStringLiteral("unsupported_parameter"));
        if (OpenAiRequest::field(o, QLatin1StringView("background")).toBool())
            return fail(tr("Background responses are not supported here; send the request with \"background\": false."),
                        QStringLiteral("background"), QStringLiteral("unsupported_parameter"));
        if (!OpenAiRequest::field(o, QLatin1StringView("prompt")).isUndefined())
            return fail(tr("Stored prompts (\"prompt\") are not supported here; send the instructions and input themselves."),
                        QStringLiteral("prompt"), QStringLiteral("unsupported_parameter"));

        ResponsesRequest out;
        QJsonObject chat;
        const QString model = o.value(QStringLiteral("model")).toString();
        if (model.isEmpty())
            return fail(tr("The request needs \"model\": a model name or \"auto\"."), QStringLiteral("model"),
                        QStringLiteral("missing_required_parameter"));
        chat.insert(QStringLiteral("model"), model);
        out.stream = o.value(QStringLiteral("stream")).toBool();
        chat.insert(QStringLiteral("stream"), out.stream);
        out.store = o.value(QStringLiteral("store")).toBool(true);
        out.previousResponseId = o.value(QStringLiteral("previous_response_id")).toString();
        out.instructions = o.value(QStringLiteral("instructions")).toString();

        // input: a string is one user message.
        const QJsonValue inputValue = o.value(QStringLiteral("input"));
        if (inputValue.isString()) {
            out.textInput = true;
            out.inputText = inputValue.toString();
        } else if (inputValue.isArray()) {
            out.input = inputValue.toArray();
        } else if (inputValue.isUndefined() || inputValue.isNull()) {
            return fail(tr("The request needs \"input\": a string, or a list of input items."), QStringLiteral("input"),
                        QStringLiteral("missing_required_parameter"));
        } else {
            return fail(tr("Invalid type for 'input': expected a string or an array, but got %1 instead.")
                            .arg(OpenAiRequest::typeName(inputValue)),
                        QStringLiteral("input"), QStringLiteral("invalid_type"));
        }
        if (!out.textInput && out.input.isEmpty() && out.previousResponseId.isEmpty())
            return fail(tr("\"input\" is empty: send at least one message."), QStringLiteral("input"));
        bool references = false;
        for (const QJsonValue &v : std::as_const(out.input))
            references = references || v.toObject().value(QStringLiteral("type")).toString() == u"item_reference";
        out.deferred = references || !out.previousResponseId.isEmpty();
        // Every item is checked now, even those whose conversion waits for the store.
        std::optional<QJsonArray> messages = out.textInput
                                                 ? std::optional(QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                                                                          {QStringLiteral("content"), inputValue}}})
                                                 : ItemReader(m_problem).read(out.input, true);
        if (!messages)
            return std::nullopt;
        if (!out.instructions.isEmpty())
            messages->prepend(QJsonObject {{QStringLiteral("role"), QStringLiteral("system")},
                                           {QStringLiteral("content"), out.instructions}});
        if (messages->isEmpty())   // only references: the real ones come in prepare()
            messages->append(QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QString()}});

        if (!tools(o, &chat) || !toolChoice(o, &chat) || !format(o, &chat) || !reasoning(o, &chat) || !numbers(o, &chat)
            || !metadata(o, &chat))
            return std::nullopt;
        if (o.contains(QStringLiteral("parallel_tool_calls")) && o.value(QStringLiteral("parallel_tool_calls")).isBool())
            chat.insert(QStringLiteral("parallel_tool_calls"), o.value(QStringLiteral("parallel_tool_calls")));
        if (const QJsonValue user = OpenAiRequest::field(o, QLatin1StringView("user")); user.isString())
            chat.insert(QStringLiteral("user"), user);

        out.echoJson = echo(o);
        if (out.deferred)
            out.chatBase = chat;
        chat.insert(QStringLiteral("messages"), *messages);
        QString why;
        std::optional<OpenAiRequest> request = OpenAiRequest::fromObject(chat, &why, m_problem);
        if (!request) {
            if (m_problem->param.startsWith(u"messages"))
                m_problem->param = QStringLiteral("input");
            else if (m_problem->param == u"max_completion_tokens")
                m_problem->param = QStringLiteral("max_output_tokens");
            return std::nullopt;
        }
        out.chat = std::move(*request);
        return out;
    }

private:
    std::nullopt_t fail(const QString &message, const QString &param, const QString &code = QStringLiteral("invalid_value"))
    {
        *m_problem = {message, param, code};
        return std::nullopt;
    }

    bool type(const QJsonObject &o, const char *name, QJsonValue::Type wanted)
    {
        const QJsonValue v = OpenAiRequest::field(o, QLatin1StringView(name));
        if (v.isUndefined() || v.type() == wanted)
            return true;
        const QString expected = wanted == QJsonValue::String ? tr("a string")
                                 : wanted == QJsonValue::Bool ? tr("a boolean")
                                 : wanted == QJsonValue::Array ? tr("an array")
                                                               : tr("an object");
        fail(tr("Invalid type for '%1': expected %2, but got %3 instead.")
                 .arg(QLatin1String(name), expected, OpenAiRequest::typeName(v)),
             QLatin1String(name), QStringLiteral("invalid_type"));
        return false;
    }

    // Function tools are flat here ({"type":"function","name",…}); chat completions nests them.
    bool tools(const QJsonObject &o, QJsonObject *chat)
    {
        const QJsonArray in = o.value(QStringLiteral("tools")).toArray();
        if (in.isEmpty())
            return true;
        QJsonArray out;
        for (qsizetype i = 0; i < in.size(); ++i) {
            const QString at = QStringLiteral("tools[%1]").arg(i);
            const QJsonObject t = in.at(i).toObject();
            const QString kind = t.value(QStringLiteral("type")).toString();
            if (kind != u"function") {
                fail(tr("Tools of type \"%1\" are not supported here: only function tools are (the providers behind this "
                        "endpoint run no hosted tools).")
                         .arg(kind.left(100)),
                     at + QStringLiteral(".type"), QStringLiteral("unsupported_value"));
                return false;
            }
            const QJsonValue name = t.value(QStringLiteral("name"));
            if (!name.isString() || name.toString().isEmpty()) {
                fail(tr("Missing required parameter: '%1.name'.").arg(at), at + QStringLiteral(".name"),
                     QStringLiteral("missing_required_parameter"));
                return false;
            }
            QJsonObject function {{QStringLiteral("name"), name}};
            for (const auto &[key, wanted] : {std::pair {"description", QJsonValue::String}, std::pair {"parameters", QJsonValue::Object},
                                              std::pair {"strict", QJsonValue::Bool}}) {
                const QJsonValue v = OpenAiRequest::field(t, QLatin1StringView(key));
                if (v.isUndefined())
                    continue;
                if (v.type() != wanted) {
                    fail(tr("Invalid type for '%1.%2': expected %3, but got %4 instead.")
                             .arg(at, QLatin1String(key),
                                  wanted == QJsonValue::String ? tr("a string") : wanted == QJsonValue::Bool ? tr("a boolean") : tr("an object"),
                                  OpenAiRequest::typeName(v)),
                         at + QLatin1Char('.') + QLatin1String(key), QStringLiteral("invalid_type"));
                    return false;
                }
                function.insert(QLatin1String(key), v);
            }
            out.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("function")}, {QStringLiteral("function"), function}});
        }
        chat->insert(QStringLiteral("tools"), out);
        return true;
    }

    bool toolChoice(const QJsonObject &o, QJsonObject *chat)
    {
        const QJsonValue v = OpenAiRequest::field(o, QLatin1StringView("tool_choice"));
        if (v.isUndefined())
            return true;
        if (v.isString()) {
            const QString s = v.toString();
            if (s != u"none" && s != u"auto" && s != u"required") {
                fail(tr("Invalid value for 'tool_choice': \"%1\"; use none, auto, required or {\"type\":\"function\",\"name\":…}.")
                         .arg(s.left(100)),
                     QStringLiteral("tool_choice"));
                return false;
            }
            chat->insert(QStringLiteral("tool_choice"), s);
            return true;
        }
        const QJsonObject c = v.toObject();
        const QString name = c.value(QStringLiteral("name")).toString();
        if (!v.isObject() || c.value(QStringLiteral("type")).toString() != u"function" || name.isEmpty()) {
            fail(tr("This 'tool_choice' is not supported here: use none, auto, required or {\"type\":\"function\",\"name\":…} "
                    "(hosted, MCP, custom and allowed_tools choices are not)."),
                 QStringLiteral("tool_choice"), QStringLiteral("unsupported_value"));
            return false;
        }
        chat->insert(QStringLiteral("tool_choice"), QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                                                                 {QStringLiteral("function"), QJsonObject {{QStringLiteral("name"), name}}}});
        return true;
    }

    // text.format: flat here ({"type":"json_schema","name","schema",…}); chat completions nests it.
    bool format(const QJsonObject &o, QJsonObject *chat)
    {
        const QJsonValue f = OpenAiRequest::field(o.value(QStringLiteral("text")).toObject(), QLatin1StringView("format"));
        if (f.isUndefined())
            return true;
        if (!f.isObject()) {
            fail(tr("Invalid type for 'text.format': expected an object, but got %1 instead.").arg(OpenAiRequest::typeName(f)),
                 QStringLiteral("text.format"), QStringLiteral("invalid_type"));
            return false;
        }
        const QJsonObject format = f.toObject();
        const QString kind = format.value(QStringLiteral("type")).toString();
        if (kind == u"text")
            return true;
        if (kind == u"json_object") {
            chat->insert(QStringLiteral("response_format"), QJsonObject {{QStringLiteral("type"), QStringLiteral("json_object")}});
            return true;
        }
        if (kind != u"json_schema") {
            fail(tr("Invalid value for 'text.format.type': \"%1\"; use text, json_object or json_schema.").arg(kind.left(100)),
                 QStringLiteral("text.format.type"));
            return false;
        }
        const QJsonValue name = format.value(QStringLiteral("name"));
        const QJsonValue schema = format.value(QStringLiteral("schema"));
        if (!name.isString() || name.toString().isEmpty()) {
            fail(tr("Missing required parameter: 'text.format.name'."), QStringLiteral("text.format.name"),
                 QStringLiteral("missing_required_parameter"));
            return false;
        }
        if (!schema.isObject()) {
            fail(tr("Missing required parameter: 'text.format.schema' (an object)."), QStringLiteral("text.format.schema"),
                 QStringLiteral("missing_required_parameter"));
            return false;
        }
        QJsonObject jsonSchema {{QStringLiteral("name"), name}, {QStringLiteral("schema"), schema}};
        for (const char *key : {"strict", "description"}) {
            const QJsonValue v = OpenAiRequest::field(format, QLatin1StringView(key));
            if (!v.isUndefined())
                jsonSchema.insert(QLatin1String(key), v);
        }
        chat->insert(QStringLiteral("response_format"),
                     QJsonObject {{QStringLiteral("type"), QStringLiteral("json_schema")}, {QStringLiteral("json_schema"), jsonSchema}});
        return true;
    }

    bool reasoning(const QJsonObject &o, QJsonObject *chat)
    {
        const QJsonValue effort =
            OpenAiRequest::field(o.value(QStringLiteral("reasoning")).toObject(), QLatin1StringView("effort"));
        if (effort.isUndefined())
            return true;
        if (!effort.isString() || !efforts().contains(effort.toString())) {
            fail(tr("Invalid value for 'reasoning.effort'; use one of %1.").arg(efforts().join(QStringLiteral(", "))),
                 QStringLiteral("reasoning.effort"));
            return false;
        }
        chat->insert(QStringLiteral("reasoning_effort"), effort);
        return true;
    }

    bool numbers(const QJsonObject &o, QJsonObject *chat)
    {
        for (const char *name : {"temperature", "top_p"}) {
            const QJsonValue v = OpenAiRequest::field(o, QLatin1StringView(name));
            if (!v.isUndefined())
                chat->insert(QLatin1String(name), v);   // checked by OpenAiRequest, under the same names
        }
        const QJsonValue max = OpenAiRequest::field(o, QLatin1StringView("max_output_tokens"));
        if (max.isUndefined())
            return true;
        const double d = max.toDouble();
        if (!max.isDouble() || std::trunc(d) != d) {
            fail(tr("Invalid type for 'max_output_tokens': expected an integer, but got %1 instead.")
                     .arg(OpenAiRequest::typeName(max)),
                 QStringLiteral("max_output_tokens"), QStringLiteral("invalid_type"));
            return false;
        }
        if (d < 16 || d > 2147483647) {
            fail(tr("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got %1 instead.")
                     .arg(QString::number(d, 'g', 12)),
                 QStringLiteral("max_output_tokens"), d < 16 ? QStringLiteral("integer_below_min_value")
                                                             : QStringLiteral("integer_above_max_value"));
            return false;
        }
        // max_output_tokens counts reasoning too, as max_completion_tokens does; each dialect gets its own field.
        chat->insert(QStringLiteral("max_completion_tokens"), max);
        return true;
    }

    // OpenAI's bounds: 16 pairs of strings, keys up to 64 characters and values up to 512.
    bool metadata(const QJsonObject &o, QJsonObject *chat)
    {
        const QJsonObject m = o.value(QStringLiteral("metadata")).toObject();
        if (m.isEmpty())
            return true;
        if (m.size() > 16) {
            fail(tr("Invalid 'metadata': at most 16 keys, but got %1.").arg(m.size()), QStringLiteral("metadata"));
            return false;
        }
        for (auto it = m.begin(); it != m.end(); ++it) {
            if (!it.value().isString() || it.key().size() > 64 || it.value().toString().size() > 512) {
                fail(tr("Invalid 'metadata.%1': metadata holds strings, keys up to 64 characters and values up to 512.")
                         .arg(it.key().left(64)),
                     QStringLiteral("metadata"));
                return false;
            }
        }
        chat->insert(QStringLiteral("metadata"), m);
        return true;
    }

    // What every response object repeats of its request, with the spec's defaults: the inside of
    // a JSON object, built once per request by hand (every event of a stream repeats it).
    static QByteArray echo(const QJsonObject &o)
    {
        static const std::pair<const char *, const char *> fields[] = {
            {"instructions", "null"},      {"max_output_tokens", "null"},  {"metadata", "{}"},
            {"parallel_tool_calls", "true"}, {"previous_response_id", "null"}, {"store", "true"},
            {"temperature", "1.0"},        {"text", "{\"format\":{\"type\":\"text\"}}"},
            {"tool_choice", "\"auto\""},  {"tools", "[]"},                {"top_p", "1.0"},
            {"user", "null"}};
        QByteArray out;
        out.reserve(512);
        for (const auto &[name, fallback] : fields) {
            out += '"';
            out += name;
            out += "\":";
            const QJsonValue v = OpenAiRequest::field(o, QLatin1StringView(name));
            if (v.isUndefined())
                out += fallback;
            else
                appendValue(out, v);
            out += ',';
        }
        out += "\"reasoning\":{\"effort\":";
        const QJsonValue effort =
            OpenAiRequest::field(o.value(QStringLiteral("reasoning")).toObject(), QLatin1StringView("effort"));
        if (effort.isString())
            appendJsonString(out, effort.toString());
        else
            out += "null";
        out += ",\"summary\":null},\"truncation\":\"disabled\"";
        return out;
    }

    static void appendValue(QByteArray &out, const QJsonValue &v)
    {
        switch (v.type()) {
        case QJsonValue::Bool: out += v.toBool() ? "true" : "false"; break;
        case QJsonValue::Double: {
            const double d = v.toDouble();
            out += std::trunc(d) == d && std::abs(d) < 1e15 ? QByteArray::number(qint64(d))
                                                           : QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
            break;
        }
        case QJsonValue::String: appendJsonString(out, v.toString()); break;
        case QJsonValue::Array: out += QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact); break;
        case QJsonValue::Object: out += QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact); break;
        default: out += "null"; break;
        }
    }

    OpenAiRequest::Problem *m_problem;
};

} // namespace

std::optional<ResponsesRequest> ResponsesRequest::fromJson(const QByteArray &body, OpenAiRequest::Problem *problem)
{
    return ResponsesReader(problem).read(body);
}

std::optional<QJsonArray> ResponsesRequest::readItems(const QJsonArray &items, bool skipReferences, OpenAiRequest::Problem *problem)
{
    return ItemReader(problem).read(items, skipReferences);
}
