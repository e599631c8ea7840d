#pragma once

#include "Config.h"
#include "ConversationStore.h"

#include <QSet>
#include <QPlainTextEdit>
#include <QWidget>

class AppSettings;
class ElidedLabel;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QToolButton;

// The input: Enter sends and Shift+Enter starts a new line (or Ctrl+Enter sends, when chosen);
// pasted images and files become attachments.
class ComposerInput : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit ComposerInput(QWidget *parent = nullptr);
    void setEnterSends(bool on) { m_enterSends = on; }
    bool enterSends() const { return m_enterSends; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void submitted();
    void escapePressed();
    void imagePasted(const QImage &image);
    void filesPasted(const QStringList &paths);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    bool m_enterSends = true;
};

// The bottom of the chat: attachments, the input, the model and task pickers, Send and Stop.
class Composer : public QWidget
{
    Q_OBJECT

public:
    explicit Composer(AppSettings *settings, QWidget *parent = nullptr);

    ComposerInput *input() const { return m_input; }
    QString text() const;
    void setText(const QString &text);

    QList<ChatAttachment> attachments() const { return m_attachments; }
    void addAttachment(const ChatAttachment &a);
    void clearAttachments();
    void setLoading(int files);   // attachments still being read

    // Models of providers in `keyless` are listed, marked as having no key.
    void setModels(const Config &config, const QSet<QString> &keyless = {});
    QString model() const;        // empty: Auto (routing rules)
    void setModel(const QString &name);
    QString taskType() const;     // empty: Auto
    QSet<QString> keylessModels() const { return m_keylessModels; }
    QStringList modelNames() const { return m_modelNames; }

    void setStreaming(bool streaming);
    void setStatus(const QString &text, bool problem = false);
    void setEstimate(const QString &text);
    void setEditing(bool editing);
    bool isEditing() const { return m_editing; }

signals:
    void sendRequested();
    void stopRequested();
    void attachRequested();
    void cancelEditRequested();
    void changed();   // text, attachments, model or task

private:
    void rebuildChips();

    AppSettings *m_settings;
    ComposerInput *m_input;
    QWidget *m_chips;
    QHBoxLayout *m_chipsLayout;
    QWidget *m_editBanner;
    QToolButton *m_attach;
    QComboBox *m_model;
    QComboBox *m_task;
    ElidedLabel *m_estimate;
    QLabel *m_status;
    QToolButton *m_options;
    QPushButton *m_send;
    QPushButton *m_stop;
    QList<ChatAttachment> m_attachments;
    QStringList m_modelNames;
    QSet<QString> m_keylessModels;
    int m_loading = 0;
    bool m_editing = false;
};
