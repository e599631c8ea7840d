#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

// What a routing rule can look at, computed once per request.
struct RequestFeatures
{
    qint64 contextLength = 0;     // estimated input tokens of the whole request
    QString taskType;             // chat, code, reasoning, long_document, vision
    bool hasImage = false;
    bool hasDocument = false;
    QString model;                // what was asked for ("auto" or a model name)
    qint64 messageCount = 0;
    qint64 hour = 0;              // 0-23, local time
    QString weekday;              // mon … sun, local time
    QString client;               // "window" or the endpoint key's name
    QString api = QStringLiteral("chat");   // the endpoint's door: chat, responses, messages (the window: chat)
};

// A routing condition such as `context_length > 80000 and not has_image`.
//
//   expr     := or
//   or       := and { ("or" | "||") and }
//   and      := not { ("and" | "&&") not }
//   not      := ("not" | "!") not | compare
//   compare  := value [ ("==" | "!=" | "<" | "<=" | ">" | ">=") value
//                      | ["not"] "in" "[" [ value { "," value } ] "]" ]
//   value    := NUMBER [k|m] | STRING | true | false | VARIABLE | "(" expr ")"
//
// NUMBER is 80000, 1.5 or 80k (k = 1,000, m = 1,000,000); STRING is "…" or '…'. Variables:
// context_length, message_count, hour (numbers); task_type, model, weekday, client, api (strings);
// has_image, has_document (booleans). Types are checked when the rule is read, so a rule that
// parses cannot fail at run time.
class RouteExpression
{
    Q_DECLARE_TR_FUNCTIONS(RouteExpression)

public:
    struct Error
    {
        int line = 1;       // within the expression text, 1-based
        int column = 1;
        QString message;    // says what was expected
    };

    static std::optional<RouteExpression> parse(const QString &text, Error *error);
    static QStringList variables();

    bool matches(const RequestFeatures &features) const;
    QString text() const { return m_text; }

    struct Node;

private:
    QString m_text;
    std::shared_ptr<const std::vector<Node>> m_nodes;   // shared: routes are copied with the config
    int m_root = -1;
};
