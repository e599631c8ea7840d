#pragma once

#include "ChatRequest.h"
#include "RouteExpression.h"

#include <QCoreApplication>
#include <QDateTime>

// Computes what routing rules look at: the estimated input tokens, the task type (with the reason
// it was chosen), attachments, time of day.
class RequestAnalyzer
{
    Q_DECLARE_TR_FUNCTIONS(RequestAnalyzer)

public:
    // Tokens a text costs, counted differently for CJK (about 0.7 token a character) and other
    // scripts (about 4 characters a token). `correction` scales it for a model whose reported usage
    // shows the estimate runs high or low.
    static qint64 estimateTokens(QStringView text, double correction = 1.0);
    static qint64 estimateTokens(const ChatRequest &request, double correction = 1.0);
    static constexpr qint64 tokensPerImage = 1024;   // Kimi bills 1,024; DeepSeek up to 384: err high
    static constexpr qint64 longDocumentTokens = 32000;

    struct TaskGuess
    {
        QString taskType;   // chat, code, reasoning, long_document, vision
        QString reason;     // "reasoning: matched 'prove'"
    };
    // `explicitTask` wins when set (from the UI, metadata.task_type or X-Task-Type).
    static TaskGuess detectTask(const ChatRequest &request, qint64 contextLength, const QString &explicitTask = {});
    static QStringList taskTypes();

    static RequestFeatures features(const ChatRequest &request, const QString &askedModel, const QString &client,
                                    const QString &explicitTask = {}, const QDateTime &now = QDateTime::currentDateTime());
};
