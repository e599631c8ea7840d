#pragma once

#include <QTranslator>

// English plural forms for texts written the Qt way, tr("%n attempt(s)", nullptr, n): "(s)" is
// dropped for one and becomes "s" for any other count, which is what an English catalogue would
// hold for every such text. Installed when Switchyard shows its English source texts; a
// translation's own catalogue carries its plural forms.
class EnglishPlurals : public QTranslator
{
    Q_OBJECT

public:
    using QTranslator::QTranslator;

    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *disambiguation, int n) const override;
};
