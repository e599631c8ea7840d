#include "EnglishPlurals.h"

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    if (n < 0 || !sourceText)
        return {};   // not a plural text: the source stands
    QString text = QString::fromUtf8(sourceText);
    if (!text.contains(u"(s)"))
        return {};
    return text.replace(QStringLiteral("(s)"), n == 1 ? QString() : QStringLiteral("s"));
}
