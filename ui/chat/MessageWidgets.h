#pragma once

#include "ChatTurn.h"
#include "ConversationStore.h"
#include "MarkdownStream.h"

#include <QSet>
#include <QFrame>
#include <QTextBrowser>

class QLabel;
class QPlainTextEdit;
class QToolButton;
class QVBoxLayout;

// A run of Markdown laid out by one QTextDocument, as tall as its text. Finished blocks are
// appended once (QTextDocument lays out only what changed); the open tail is replaced as it grows.
class TextSegment : public QTextBrowser
{
    Q_OBJECT

public:
    explicit TextSegment(QWidget *parent = nullptr);

    void commit(const QString &markdown);
    void setTail(const QString &markdown);
    void appendPlain(QStringView text);   // for reasoning: plain text, appended
    QString source() const { return m_source + m_tail; }
    // While an answer streams, the height grows in steps of several lines, so the widgets around
    // it are laid out (and the view repainted) once a step rather than on every new line.
    void setGrowInSteps(bool on);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitHeight();
    void replaceTail(const QString &markdown);
    void styleTables(int fromFrame);
    void keepShaping(int from);
    void styleInlineCode(int from);

    int m_tailStart = 0;      // where the tail starts in the document
    bool m_steps = false;
    bool m_empty = true;      // nothing committed yet
    QString m_source;         // committed Markdown
    QString m_tail;
};

// A fenced code block: its language, a Copy button, and the code unwrapped in a fixed-pitch font.
class CodeBlock : public QFrame
{
    Q_OBJECT

public:
    explicit CodeBlock(const QString &language, QWidget *parent = nullptr);

    // Shows `code`; when it extends what is shown, only the difference is appended.
    void setCode(QStringView code);
    QString code() const { return m_code; }

private:
    void fitHeight();

    QPlainTextEdit *m_view;
    QToolButton *m_copy;
    QString m_code;
};

// The body of an answer as it streams: Markdown split by MarkdownStream into text runs and code
// blocks. append() only buffers; flush() lays out, at most once a frame.
class AnswerBody : public QWidget
{
    Q_OBJECT

public:
    explicit AnswerBody(QWidget *parent = nullptr);

    void append(QStringView delta);
    bool hasPending() const { return !m_pending.isEmpty(); }
    // Applies what was appended since the last flush; returns it.
    QString flush();
    void finish();
    void setMarkdown(const QString &text);   // a finished answer, at once
    // Lays `text` out again from scratch; unfinished, so more can be appended (a continuation).
    void reset(const QString &text, bool finished);
    QString text() const { return m_text; }

private:
    TextSegment *textSegment();
    void applyTail();
    bool m_finished = false;

    QVBoxLayout *m_layout;
    MarkdownStream m_stream;
    QString m_text;
    QString m_pending;
    QWidget *m_last = nullptr;        // the last segment (TextSegment or CodeBlock)
    CodeBlock *m_openCode = nullptr;  // the code block being written
};

// One message of a conversation: who wrote it, the reasoning (collapsible), the text, the answer's
// badge or error, and its actions.
class MessageWidget : public QFrame
{
    Q_OBJECT

public:
    MessageWidget(const StoredMessage &message, QWidget *parent = nullptr);

    QString messageId() const { return m_message.id; }
    const StoredMessage &message() const { return m_message; }
    AnswerBody *body() const { return m_body; }

    // Streaming:
    void setTrying(const QString &model, const QString &provider, int attempt);
    void appendContent(QStringView delta);
    void appendReasoning(QStringView delta);
    // Lays out what arrived since the last frame; returns {content, reasoning} appended.
    QPair<QString, QString> flush();
    void finish(const StoredMessage &message);   // the final state (status, meta)
    // Streams again into this message: a continuation, or the answer still arriving when its
    // conversation is opened again.
    void resume(bool continuation);
    // Only the conversation's last answer can be regenerated or continued.
    void setLast(bool last);
    bool isStreaming() const { return m_message.status == u"streaming" && m_live; }
    void setActionsEnabled(bool enabled);
    void setModels(const QStringList &models, const QSet<QString> &keyless = {});   // for "Regenerate with"

signals:
    void regenerateRequested(const QString &model);   // empty: the same choice as before
    void continueRequested();
    void editRequested();
    // `providerId` empty: Settings as it was; else that provider's page (a missing or refused key).
    void openSettingsRequested(const QString &providerId = QString());

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColors();
    void buildBadge();
    void buildError();
    void updateActions();
    void setReasoningExpanded(bool expanded);

    StoredMessage m_message;
    bool m_live = false;
    QLabel *m_author;
    QToolButton *m_reasoningToggle = nullptr;
    TextSegment *m_reasoning = nullptr;
    AnswerBody *m_body = nullptr;
    QLabel *m_userText = nullptr;
    QLabel *m_badge = nullptr;
    QFrame *m_error = nullptr;
    QLabel *m_errorText = nullptr;
    QLabel *m_note = nullptr;
    QToolButton *m_copy = nullptr;
    QToolButton *m_regenerate = nullptr;
    QToolButton *m_continue = nullptr;
    QToolButton *m_edit = nullptr;
    QToolButton *m_errorSettings = nullptr;
    QStringList m_models;
    bool m_isLast = true;
    bool m_applyingColors = false;
    QString m_pendingReasoning;
    qint64 m_startedMs = 0;
};

// "1.2 s", "850 ms"; and the badge's token counts.
QString formatDuration(qint64 ms);
