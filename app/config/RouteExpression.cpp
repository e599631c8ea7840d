#include "RouteExpression.h"

#include <cmath>

namespace {

enum class Type { Number, String, Bool };
enum class Var { ContextLength, MessageCount, Hour, TaskType, Model, Weekday, Client, Api, HasImage, HasDocument };

struct VarInfo
{
    const char16_t *name;
    Var var;
    Type type;
};
constexpr VarInfo varInfo[] = {
    {u"context_length", Var::ContextLength, Type::Number}, {u"message_count", Var::MessageCount, Type::Number},
    {u"hour", Var::Hour, Type::Number},                    {u"task_type", Var::TaskType, Type::String},
    {u"model", Var::Model, Type::String},                  {u"weekday", Var::Weekday, Type::String},
    {u"client", Var::Client, Type::String},                {u"has_image", Var::HasImage, Type::Bool},
    {u"has_document", Var::HasDocument, Type::Bool},       {u"api", Var::Api, Type::String},
};

QString typeName(Type t)
{
    switch (t) {
    case Type::Number: return RouteExpression::tr("a number");
    case Type::String: return RouteExpression::tr("a string");
    case Type::Bool: return RouteExpression::tr("true or false");
    }
    return QString();
}

} // namespace

struct RouteExpression::Node
{
    enum class Kind { Or, And, Not, Compare, In, Literal, Variable };
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge };
    Kind kind = Kind::Literal;
    Op op = Op::Eq;
    Type type = Type::Bool;
    Var var = Var::ContextLength;
    double number = 0;
    QString string;
    bool boolean = false;
    int left = -1;
    int right = -1;
    std::vector<int> items;   // In: the list
    bool negate = false;      // In: "not in"
};

namespace {

using Node = RouteExpression::Node;

struct Token
{
    enum class Kind { End, Number, String, Ident, Op, LParen, RParen, LBracket, RBracket, Comma, Invalid };
    Kind kind = Kind::End;
    QString text;
    double number = 0;
    int pos = 0;
};

class Parser
{
public:
    Parser(const QString &text, std::vector<Node> &nodes)
        : m_text(text)
        , m_nodes(nodes)
    {
        next();
    }

    int parseAll()
    {
        const int root = parseOr();
        if (root >= 0 && m_token.kind != Token::Kind::End)
            fail(m_token.pos, RouteExpression::tr("expected \"and\", \"or\" or the end of the rule, found \"%1\"").arg(m_token.text));
        if (root >= 0 && !failed() && m_nodes[root].type != Type::Bool)
            fail(0, RouteExpression::tr("a rule must be a condition (true or false), such as context_length > 80000"));
        return failed() ? -1 : root;
    }

    bool failed() const { return m_errorPos >= 0; }
    int errorPos() const { return m_errorPos; }
    QString errorMessage() const { return m_errorMessage; }

private:
    void fail(int pos, const QString &message)
    {
        if (failed())
            return;
        m_errorPos = pos;
        m_errorMessage = message;
    }

    int add(Node n)
    {
        // Bounded so that evaluation (recursive) stays shallow whatever is pasted in.
        if (m_nodes.size() >= 2000) {
            fail(m_token.pos, RouteExpression::tr("the rule is too long; split it into several rules"));
            return -1;
        }
        m_nodes.push_back(std::move(n));
        return int(m_nodes.size()) - 1;
    }

    // Nesting ("((((" or "not not not") is bounded too, so parsing cannot exhaust the stack.
    struct Depth
    {
        Parser &p;
        explicit Depth(Parser &parser)
            : p(parser)
        {
            if (++p.m_depth > 64)
                p.fail(p.m_token.pos, RouteExpression::tr("the rule nests too deeply"));
        }
        ~Depth() { --p.m_depth; }
    };

    bool isWord(const char *word) const
    {
        return m_token.kind == Token::Kind::Ident && m_token.text == QLatin1String(word);
    }
    bool isOp(const char *op) const { return m_token.kind == Token::Kind::Op && m_token.text == QLatin1String(op); }

    void next()
    {
        const qsizetype n = m_text.size();
        while (m_pos < n && m_text.at(m_pos).isSpace())
            ++m_pos;
        m_token = Token {};
        m_token.pos = int(m_pos);
        if (m_pos >= n) {
            m_token.kind = Token::Kind::End;
            m_token.text = RouteExpression::tr("the end of the rule");
            return;
        }
        const QChar c = m_text.at(m_pos);
        auto single = [&](Token::Kind kind) {
            m_token.kind = kind;
            m_token.text = QString(c);
            ++m_pos;
        };
        if (c == u'(') return single(Token::Kind::LParen);
        if (c == u')') return single(Token::Kind::RParen);
        if (c == u'[') return single(Token::Kind::LBracket);
        if (c == u']') return single(Token::Kind::RBracket);
        if (c == u',') return single(Token::Kind::Comma);
        if (c == u'"' || c == u'\'') {
            const qsizetype start = ++m_pos;
            while (m_pos < n && m_text.at(m_pos) != c)
                ++m_pos;
            if (m_pos >= n) {
                m_token.kind = Token::Kind::Invalid;
                m_token.text = RouteExpression::tr("an unterminated string");
                fail(int(start - 1), RouteExpression::tr("the string is not closed; add %1").arg(c));
                return;
            }
            m_token.kind = Token::Kind::String;
            m_token.text = m_text.mid(start, m_pos - start);
            ++m_pos;
            return;
        }
        if (c.isDigit() || (c == u'.' && m_pos + 1 < n && m_text.at(m_pos + 1).isDigit())) {
            const qsizetype start = m_pos;
            while (m_pos < n && (m_text.at(m_pos).isDigit() || m_text.at(m_pos) == u'.' || m_text.at(m_pos) == u'_'))
                ++m_pos;
            QString digits = m_text.mid(start, m_pos - start);
            digits.remove(u'_');
            bool ok = false;
            double value = digits.toDouble(&ok);
            if (m_pos < n && (m_text.at(m_pos) == u'k' || m_text.at(m_pos) == u'K')) {
                value *= 1000;
                ++m_pos;
            } else if (m_pos < n && (m_text.at(m_pos) == u'm' || m_text.at(m_pos) == u'M')) {
                value *= 1000000;
                ++m_pos;
            }
            m_token.kind = ok ? Token::Kind::Number : Token::Kind::Invalid;
            m_token.text = m_text.mid(start, m_pos - start);
            m_token.number = value;
            if (!ok)
                fail(int(start), RouteExpression::tr("\"%1\" is not a number").arg(m_token.text));
            return;
        }
        if (c.isLetter() || c == u'_') {
            const qsizetype start = m_pos;
            while (m_pos < n && (m_text.at(m_pos).isLetterOrNumber() || m_text.at(m_pos) == u'_' || m_text.at(m_pos) == u'.'))
                ++m_pos;
            m_token.kind = Token::Kind::Ident;
            m_token.text = m_text.mid(start, m_pos - start);
            return;
        }
        static const char *ops[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "="};
        for (const char *op : ops) {
            const QLatin1String o(op);
            if (QStringView(m_text).mid(m_pos).startsWith(o)) {
                m_token.kind = Token::Kind::Op;
                m_token.text = o;
                m_pos += o.size();
                if (m_token.text == u"=")
                    fail(m_token.pos, RouteExpression::tr("use == to compare, not ="));
                return;
            }
        }
        m_token.kind = Token::Kind::Invalid;
        m_token.text = QString(c);
        fail(int(m_pos), RouteExpression::tr("unexpected character \"%1\"").arg(c));
    }

    // or and and: left-associative chains of conditions.
    int parseChain(Node::Kind kind, const char *word, const char *symbol, int (Parser::*operand)())
    {
        int left = (this->*operand)();
        while (left >= 0 && (isWord(word) || isOp(symbol))) {
            const int pos = m_token.pos;
            next();
            const int right = (this->*operand)();
            if (right < 0)
                return -1;
            if (!requireBool(left, pos) || !requireBool(right, pos))
                return -1;
            left = add({kind, Node::Op::Eq, Type::Bool, Var::ContextLength, 0, {}, false, left, right, {}, false});
        }
        return left;
    }

    int parseOr() { return parseChain(Node::Kind::Or, "or", "||", &Parser::parseAnd); }
    int parseAnd() { return parseChain(Node::Kind::And, "and", "&&", &Parser::parseNot); }

    int parseNot()
    {
        if (isWord("not") || isOp("!")) {
            const Depth depth(*this);
            if (failed())
                return -1;
            const int pos = m_token.pos;
            next();
            const int operand = parseNot();
            if (operand < 0 || !requireBool(operand, pos))
                return -1;
            return add({Node::Kind::Not, Node::Op::Eq, Type::Bool, Var::ContextLength, 0, {}, false, operand, -1, {}, false});
        }
        return parseCompare();
    }

    bool requireBool(int node, int pos)
    {
        if (m_nodes[node].type == Type::Bool)
            return true;
        fail(pos, RouteExpression::tr("\"and\", \"or\" and \"not\" need conditions on both sides, not %1")
                      .arg(typeName(m_nodes[node].type)));
        return false;
    }

    int parseCompare()
    {
        const int leftPos = m_token.pos;
        const int left = parseValue();
        if (left < 0)
            return -1;
        static const std::pair<const char *, Node::Op> ops[] = {{"==", Node::Op::Eq}, {"!=", Node::Op::Ne}, {"<", Node::Op::Lt},
                                                                {"<=", Node::Op::Le}, {">", Node::Op::Gt}, {">=", Node::Op::Ge}};
        for (const auto &[text, op] : ops) {
            if (!isOp(text))
                continue;
            const int opPos = m_token.pos;
            next();
            const int rightPos = m_token.pos;
            const int right = parseValue();
            if (right < 0)
                return -1;
            const Type lt = m_nodes[left].type;
            const Type rt = m_nodes[right].type;
            if (lt != rt) {
                fail(rightPos, RouteExpression::tr("expected %1 to compare with the left side, found %2").arg(typeName(lt), typeName(rt)));
                return -1;
            }
            if (lt != Type::Number && op != Node::Op::Eq && op != Node::Op::Ne) {
                fail(opPos, RouteExpression::tr("only numbers can be ordered with %1; use == or != here").arg(QLatin1String(text)));
                return -1;
            }
            return add({Node::Kind::Compare, op, Type::Bool, Var::ContextLength, 0, {}, false, left, right, {}, false});
        }
        bool negate = false;
        if (isWord("not")) {
            negate = true;
            next();
            if (!isWord("in")) {
                fail(m_token.pos, RouteExpression::tr("expected \"in\" after \"not\", found \"%1\"").arg(m_token.text));
                return -1;
            }
        }
        if (isWord("in")) {
            next();
            if (m_token.kind != Token::Kind::LBracket) {
                fail(m_token.pos, RouteExpression::tr("expected \"[\" to start the list after \"in\", found \"%1\"").arg(m_token.text));
                return -1;
            }
            next();
            Node in {Node::Kind::In, Node::Op::Eq, Type::Bool, Var::ContextLength, 0, {}, false, left, -1, {}, negate};
            while (m_token.kind != Token::Kind::RBracket) {
                const int itemPos = m_token.pos;
                const int item = parseValue();
                if (item < 0)
                    return -1;
                if (m_nodes[item].type != m_nodes[left].type) {
                    fail(itemPos, RouteExpression::tr("the list must hold %1, like the left side").arg(typeName(m_nodes[left].type)));
                    return -1;
                }
                in.items.push_back(item);
                if (m_token.kind == Token::Kind::Comma) {
                    next();
                    if (m_token.kind == Token::Kind::RBracket) {
                        fail(m_token.pos, RouteExpression::tr("expected a value after \",\""));
                        return -1;
                    }
                    continue;
                }
                if (m_token.kind != Token::Kind::RBracket) {
                    fail(m_token.pos, RouteExpression::tr("expected \",\" or \"]\" in the list, found \"%1\"").arg(m_token.text));
                    return -1;
                }
            }
            next();
            return add(std::move(in));
        }
        Q_UNUSED(leftPos);
        return left;
    }

    int parseValue()
    {
        const Token t = m_token;
        switch (t.kind) {
        case Token::Kind::Number:
            next();
            return add({Node::Kind::Literal, Node::Op::Eq, Type::Number, Var::ContextLength, t.number, {}, false, -1, -1, {}, false});
        case Token::Kind::String:
            next();
            return add({Node::Kind::Literal, Node::Op::Eq, Type::String, Var::ContextLength, 0, t.text, false, -1, -1, {}, false});
        case Token::Kind::LParen: {
            const Depth depth(*this);
            if (failed())
                return -1;
            next();
            const int inner = parseOr();
            if (inner < 0)
                return -1;
            if (m_token.kind != Token::Kind::RParen) {
                fail(m_token.pos, RouteExpression::tr("expected \")\", found \"%1\"").arg(m_token.text));
                return -1;
            }
            next();
            return inner;
        }
        case Token::Kind::Ident: {
            if (t.text == u"true" || t.text == u"false") {
                next();
                return add({Node::Kind::Literal, Node::Op::Eq, Type::Bool, Var::ContextLength, 0, {}, t.text == u"true", -1, -1, {}, false});
            }
            for (const VarInfo &v : varInfo) {
                if (t.text == QStringView(v.name)) {
                    next();
                    return add({Node::Kind::Variable, Node::Op::Eq, v.type, v.var, 0, {}, false, -1, -1, {}, false});
                }
            }
            fail(t.pos, RouteExpression::tr("unknown variable \"%1\"; use one of: %2")
                            .arg(t.text, RouteExpression::variables().join(QStringLiteral(", "))));
            return -1;
        }
        case Token::Kind::Invalid:
            return -1;   // already reported
        default:
            fail(t.pos, RouteExpression::tr("expected a variable, a number or a string, found \"%1\"").arg(t.text));
            return -1;
        }
    }

    const QString &m_text;
    std::vector<Node> &m_nodes;
    qsizetype m_pos = 0;
    Token m_token;
    int m_errorPos = -1;
    QString m_errorMessage;
    int m_depth = 0;
};

struct Value
{
    double number = 0;
    QStringView string;
    bool boolean = false;
};

} // namespace

QStringList RouteExpression::variables()
{
    QStringList names;
    for (const VarInfo &v : varInfo)
        names << QString::fromUtf16(v.name);
    return names;
}

std::optional<RouteExpression> RouteExpression::parse(const QString &text, Error *error)
{
    auto nodes = std::make_shared<std::vector<Node>>();
    Parser parser(text, *nodes);
    const int root = parser.parseAll();
    if (root < 0) {
        if (error) {
            const int pos = std::max(0, parser.errorPos());
            const QStringView before = QStringView(text).left(pos);
            error->line = int(before.count(u'\n')) + 1;
            error->column = pos - int(before.lastIndexOf(u'\n'));
            error->message = parser.errorMessage();
        }
        return std::nullopt;
    }
    RouteExpression e;
    e.m_text = text;
    e.m_nodes = std::move(nodes);
    e.m_root = root;
    return e;
}

namespace {

Value evaluate(const std::vector<Node> &nodes, int index, const RequestFeatures &f)
{
    const Node &n = nodes[size_t(index)];
    switch (n.kind) {
    case Node::Kind::Literal:
        return {n.number, n.string, n.boolean};
    case Node::Kind::Variable:
        switch (n.var) {
        case Var::ContextLength: return {double(f.contextLength), {}, false};
        case Var::MessageCount: return {double(f.messageCount), {}, false};
        case Var::Hour: return {double(f.hour), {}, false};
        case Var::TaskType: return {0, f.taskType, false};
        case Var::Model: return {0, f.model, false};
        case Var::Weekday: return {0, f.weekday, false};
        case Var::Client: return {0, f.client, false};
        case Var::Api: return {0, f.api, false};
        case Var::HasImage: return {0, {}, f.hasImage};
        case Var::HasDocument: return {0, {}, f.hasDocument};
        }
        break;
    case Node::Kind::Not:
        return {0, {}, !evaluate(nodes, n.left, f).boolean};
    case Node::Kind::And:
        return {0, {}, evaluate(nodes, n.left, f).boolean && evaluate(nodes, n.right, f).boolean};
    case Node::Kind::Or:
        return {0, {}, evaluate(nodes, n.left, f).boolean || evaluate(nodes, n.right, f).boolean};
    case Node::Kind::Compare: {
        const Type t = nodes[size_t(n.left)].type;
        const Value a = evaluate(nodes, n.left, f);
        const Value b = evaluate(nodes, n.right, f);
        int cmp = 0;
        if (t == Type::Number)
            cmp = a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
        else if (t == Type::String)
            cmp = a.string.compare(b.string, Qt::CaseInsensitive) == 0 ? 0 : 1;
        else
            cmp = a.boolean == b.boolean ? 0 : 1;
        bool result = false;
        switch (n.op) {
        case Node::Op::Eq: result = cmp == 0; break;
        case Node::Op::Ne: result = cmp != 0; break;
        case Node::Op::Lt: result = cmp < 0; break;
        case Node::Op::Le: result = cmp <= 0; break;
        case Node::Op::Gt: result = cmp > 0; break;
        case Node::Op::Ge: result = cmp >= 0; break;
        }
        return {0, {}, result};
    }
    case Node::Kind::In: {
        const Type t = nodes[size_t(n.left)].type;
        const Value a = evaluate(nodes, n.left, f);
        bool found = false;
        for (int item : n.items) {
            const Value b = evaluate(nodes, item, f);
            found = t == Type::Number   ? a.number == b.number
                    : t == Type::String ? a.string.compare(b.string, Qt::CaseInsensitive) == 0
                                        : a.boolean == b.boolean;
            if (found)
                break;
        }
        return {0, {}, found != n.negate};
    }
    }
    return {};
}

} // namespace

bool RouteExpression::matches(const RequestFeatures &features) const
{
    return m_nodes && evaluate(*m_nodes, m_root, features).boolean;
}
