#pragma once

#include "ConversationStore.h"

#include <QImage>
#include <QObject>

#include <functional>
#include <optional>

// Reads files given to the composer: images (PNG, JPEG, WebP, GIF) for vision models, and
// documents whose text goes into the request: plain text, Markdown, source code and PDF (through
// poppler-qt6). Refuses what it cannot read with a sentence.
namespace Attachments {

inline constexpr qint64 MaxImageBytes = 20 * 1024 * 1024;
inline constexpr qint64 MaxDocumentBytes = 64 * 1024 * 1024;

std::optional<ChatAttachment> read(const QString &path, QString *error);
std::optional<ChatAttachment> fromImage(const QImage &image, const QString &name);
// read() on a pool thread; `done` runs on `context`'s thread (not at all if it is gone).
void load(const QString &path, QObject *context,
          std::function<void(const std::optional<ChatAttachment> &, const QString &error)> done);
QString fileDialogFilter();

} // namespace Attachments
