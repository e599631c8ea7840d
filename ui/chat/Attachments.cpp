#include "Attachments.h"

#include "RequestAnalyzer.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeDatabase>
#include <QPointer>
#include <QStringDecoder>
#include <QThreadPool>

#include <poppler-qt6.h>

namespace {

const QStringList &textSuffixes()
{
    static const QStringList s = {
        QStringLiteral("txt"),  QStringLiteral("md"),   QStringLiteral("markdown"), QStringLiteral("rst"),
        QStringLiteral("log"),  QStringLiteral("csv"),  QStringLiteral("tsv"),      QStringLiteral("json"),
        QStringLiteral("jsonl"), QStringLiteral("yaml"), QStringLiteral("yml"),     QStringLiteral("toml"),
        QStringLiteral("ini"),  QStringLiteral("xml"),  QStringLiteral("html"),     QStringLiteral("css"),
        QStringLiteral("c"),    QStringLiteral("h"),    QStringLiteral("cc"),       QStringLiteral("cpp"),
        QStringLiteral("cxx"),  QStringLiteral("hpp"),  QStringLiteral("m"),        QStringLiteral("mm"),
        QStringLiteral("py"),   QStringLiteral("js"),   QStringLiteral("mjs"),      QStringLiteral("ts"),
        QStringLiteral("tsx"),  QStringLiteral("jsx"),  QStringLiteral("rs"),       QStringLiteral("go"),
        QStringLiteral("java"), QStringLiteral("kt"),   QStringLiteral("swift"),    QStringLiteral("rb"),
        QStringLiteral("php"),  QStringLiteral("cs"),   QStringLiteral("sh"),       QStringLiteral("bash"),
        QStringLiteral("zsh"),  QStringLiteral("sql"),  QStringLiteral("lua"),      QStringLiteral("r"),
        QStringLiteral("scala"), QStringLiteral("dart"), QStringLiteral("vue"),     QStringLiteral("svelte"),
        QStringLiteral("cmake"), QStringLiteral("mk"),  QStringLiteral("diff"),     QStringLiteral("patch"),
        QStringLiteral("tex"),  QStringLiteral("qml"),  QStringLiteral("proto"),    QStringLiteral("gradle"),
    };
    return s;
}

std::optional<ChatAttachment> readPdf(const QString &path, const QString &name, QString *error)
{
    std::unique_ptr<Poppler::Document> doc = Poppler::Document::load(path);
    if (!doc) {
        *error = QCoreApplication::translate("Attachments", "%1 is not a PDF that can be read.").arg(name);
        return std::nullopt;
    }
    if (doc->isLocked()) {
        *error = QCoreApplication::translate("Attachments", "%1 is protected by a password; Switchyard cannot read its text.").arg(name);
        return std::nullopt;
    }
    QStringList pages;
    for (int i = 0; i < doc->numPages(); ++i) {
        std::unique_ptr<Poppler::Page> page = doc->page(i);
        if (page)
            pages << page->text(QRectF()).trimmed();
    }
    ChatAttachment a;
    a.kind = ChatAttachment::Kind::Document;
    a.name = name;
    a.mimeType = "application/pdf";
    a.text = pages.join(QStringLiteral("\n\n"));
    if (a.text.trimmed().isEmpty()) {
        *error = QCoreApplication::translate("Attachments", "%1 has no text to read (it may be scanned images); attach the pages as images instead.").arg(name);
        return std::nullopt;
    }
    a.tokens = RequestAnalyzer::estimateTokens(a.text);
    return a;
}

} // namespace

namespace Attachments {

std::optional<ChatAttachment> fromImage(const QImage &image, const QString &name)
{
    if (image.isNull())
        return std::nullopt;
    ChatAttachment a;
    a.kind = ChatAttachment::Kind::Image;
    a.name = name;
    a.mimeType = "image/png";
    QBuffer buffer(&a.data);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    a.tokens = RequestAnalyzer::tokensPerImage;
    return a;
}

std::optional<ChatAttachment> read(const QString &path, QString *error)
{
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (!info.isFile() || !info.isReadable()) {
        *error = QCoreApplication::translate("Attachments", "%1 cannot be read.").arg(path);
        return std::nullopt;
    }
    const QMimeType mime = QMimeDatabase().mimeTypeForFile(info);
    const QString suffix = info.suffix().toLower();
    if (mime.name().startsWith(u"image/") && mime.name() != u"image/svg+xml") {
        if (info.size() > MaxImageBytes) {
            *error = QCoreApplication::translate("Attachments", "%1 is larger than 20 MB; providers refuse images that big.").arg(name);
            return std::nullopt;
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QCoreApplication::translate("Attachments", "%1 cannot be read: %2").arg(name, f.errorString());
            return std::nullopt;
        }
        ChatAttachment a;
        a.kind = ChatAttachment::Kind::Image;
        a.name = name;
        a.data = f.readAll();
        QBuffer buffer(&a.data);
        QImageReader reader(&buffer);
        if (!reader.canRead()) {
            *error = QCoreApplication::translate("Attachments", "%1 is not an image Switchyard can read.").arg(name);
            return std::nullopt;
        }
        const QByteArray format = reader.format();
        static const QList<QByteArray> sendable = {"png", "jpeg", "jpg", "webp", "gif"};
        if (sendable.contains(format)) {
            a.mimeType = format == "jpg" ? QByteArray("image/jpeg") : "image/" + format;
        } else {   // BMP, TIFF…: providers take PNG
            return fromImage(reader.read(), name);
        }
        a.tokens = RequestAnalyzer::tokensPerImage;
        return a;
    }
    if (mime.name() == u"application/pdf" || suffix == u"pdf")
        return readPdf(path, name, error);
    if (!mime.inherits(QStringLiteral("text/plain")) && !textSuffixes().contains(suffix)) {
        *error = QCoreApplication::translate("Attachments", "%1 is a %2 file; Switchyard reads images, PDF, text and source files.").arg(name, mime.comment());
        return std::nullopt;
    }
    if (info.size() > MaxDocumentBytes) {
        *error = QCoreApplication::translate("Attachments", "%1 is larger than 64 MB.").arg(name);
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("Attachments", "%1 cannot be read: %2").arg(name, f.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = f.readAll();
    if (bytes.contains('\0')) {
        *error = QCoreApplication::translate("Attachments", "%1 looks like a binary file, not text.").arg(name);
        return std::nullopt;
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    QString text = utf8.decode(bytes);
    if (utf8.hasError()) {
        QStringDecoder latin(QStringDecoder::Latin1);
        text = latin.decode(bytes);
    }
    ChatAttachment a;
    a.kind = ChatAttachment::Kind::Document;
    a.name = name;
    a.mimeType = mime.name().toLatin1();
    a.text = text;
    a.tokens = RequestAnalyzer::estimateTokens(a.text);
    return a;
}

void load(const QString &path, QObject *context,
          std::function<void(const std::optional<ChatAttachment> &, const QString &error)> done)
{
    QPointer<QObject> guard(context);
    QThreadPool::globalInstance()->start([path, guard, done = std::move(done)] {
        QString error;
        std::optional<ChatAttachment> a = read(path, &error);
        // The receiver is looked at on the GUI thread only.
        QMetaObject::invokeMethod(QCoreApplication::instance(), [guard, a, error, done] {
            if (guard)
                done(a, error);
        }, Qt::QueuedConnection);
    });
}

QString fileDialogFilter()
{
    QStringList patterns = {QStringLiteral("*.png"), QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"),
                            QStringLiteral("*.webp"), QStringLiteral("*.gif"), QStringLiteral("*.pdf")};
    for (const QString &s : textSuffixes())
        patterns << QStringLiteral("*.") + s;
    return QCoreApplication::translate("Attachments", "Images, documents and source files (%1)").arg(patterns.join(u' ')) + QStringLiteral(";;")
           + QCoreApplication::translate("Attachments", "All files (*)");
}

} // namespace Attachments
