#include "RequestAnalyzer.h"

#include <QRegularExpression>

namespace {

bool isCjk(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF)      // CJK unified ideographs
           || (c >= 0x3400 && c <= 0x4DBF)   // extension A
           || (c >= 0x20000 && c <= 0x2FA1F) // extensions B–F, compatibility supplement
           || (c >= 0x3040 && c <= 0x30FF)   // hiragana, katakana
           || (c >= 0xAC00 && c <= 0xD7AF)   // hangul syllables
           || (c >= 0x3000 && c <= 0x303F)   // CJK punctuation
           || (c >= 0xFF00 && c <= 0xFFEF);  // full-width forms
}

} // namespace

qint64 RequestAnalyzer::estimateTokens(QStringView text, double correction)
{
    qint64 cjk = 0;
    qint64 other = 0;
    for (char32_t c : text.toUcs4()) {
        if (isCjk(c))
            ++cjk;
        else
            ++other;
    }
    const double tokens = cjk * 0.7 + other / 4.0;
    return qint64(std::ceil(tokens * correction));
}

qint64 RequestAnalyzer::estimateTokens(const ChatRequest &request, double correction)
{
    qint64 total = 3;   // the reply's priming
    for (const ChatMessage &m : request.messages) {
        total += 4;     // role and separators
        total += estimateTokens(m.content, correction);
        total += qint64(m.images.size()) * tokensPerImage;
    }
    return total;
}

QStringList RequestAnalyzer::taskTypes()
{
    return {QStringLiteral("chat"), QStringLiteral("code"), QStringLiteral("reasoning"), QStringLiteral("long_document"),
            QStringLiteral("vision")};
}

RequestAnalyzer::TaskGuess RequestAnalyzer::detectTask(const ChatRequest &request, qint64 contextLength,
                                                       const QString &explicitTask)
{
    if (!explicitTask.isEmpty())
        return {explicitTask, tr("%1: set by the request").arg(explicitTask)};
    for (const ChatMessage &m : request.messages) {
        if (!m.images.isEmpty())
            return {QStringLiteral("vision"), tr("vision: the request has an image")};
    }
    if (contextLength > longDocumentTokens)
        return {QStringLiteral("long_document"),
                tr("long_document: about %1 input tokens").arg(QLocale().toString(contextLength))};

    // Look at what the user wrote last; earlier turns set the scene but not the task.
    QString last;
    for (auto it = request.messages.crbegin(); it != request.messages.crend(); ++it) {
        if (it->role == u"user") {
            last = it->content;
            break;
        }
    }
    static const QRegularExpression fence(QStringLiteral("```"));
    static const QRegularExpression codeFile(QStringLiteral("\\b[\\w-]+\\.(py|cpp|cc|cxx|h|hpp|c|rs|go|java|kt|js|ts|tsx|jsx|rb|php|cs|swift|sql|sh)\\b"));
    if (last.contains(fence))
        return {QStringLiteral("code"), tr("code: the message has a code block")};
    const QRegularExpressionMatch file = codeFile.match(last);
    if (file.hasMatch())
        return {QStringLiteral("code"), tr("code: mentions the source file '%1'").arg(file.captured(0))};

    static const QRegularExpression math(
        QStringLiteral("\\b(prove|proof|theorem|lemma|derive|derivation|integral|derivative|equation|"
                       "step by step|reason through|solve for)\\b|(证明|推导|定理|引理|求解|方程|积分|导数|逐步推理)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = math.match(last);
    if (m.hasMatch())
        return {QStringLiteral("reasoning"), tr("reasoning: matched '%1'").arg(m.captured(0))};
    return {QStringLiteral("chat"), tr("chat: nothing pointed to another task")};
}

RequestFeatures RequestAnalyzer::features(const ChatRequest &request, const QString &askedModel, const QString &client,
                                          const QString &explicitTask, const QDateTime &now)
{
    static const char16_t *days[] = {u"mon", u"tue", u"wed", u"thu", u"fri", u"sat", u"sun"};
    RequestFeatures f;
    f.contextLength = estimateTokens(request);
    f.taskType = detectTask(request, f.contextLength, explicitTask).taskType;
    for (const ChatMessage &m : request.messages) {
        f.hasImage = f.hasImage || !m.images.isEmpty();
        f.hasDocument = f.hasDocument || m.hasDocument;
    }
    f.model = askedModel.isEmpty() ? QStringLiteral("auto") : askedModel;
    f.messageCount = request.messages.size();
    f.hour = now.time().hour();
    f.weekday = QString::fromUtf16(days[now.date().dayOfWeek() - 1]);
    f.client = client.isEmpty() ? QStringLiteral("window") : client;
    return f;
}
