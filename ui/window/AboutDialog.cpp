#include "AboutDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

AboutDialog::AboutDialog(const QString &profileDir, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Switchyard"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/switchyard.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    auto *name = new QLabel(QStringLiteral("Switchyard"), this);
    QFont f = name->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setWeight(QFont::DemiBold);
    name->setFont(f);

    auto *version = new QLabel(tr("Version %1 (Qt %2)")
                                   .arg(QStringLiteral(SWITCHYARD_VERSION_STRING), QString::fromLatin1(qVersion())),
                               this);
    version->setObjectName(QStringLiteral("aboutVersion"));
    version->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *text = new QLabel(tr("One window, one set of routing rules and one cost ledger for the LLM providers "
                               "your team pays for. Keys stay in your system keychain."),
                            this);
    text->setWordWrap(true);

    auto *profile = new QLabel(tr("Profile: %1").arg(QDir::toNativeSeparators(profileDir)), this);
    profile->setObjectName(QStringLiteral("aboutProfile"));
    profile->setTextInteractionFlags(Qt::TextSelectableByMouse);
    profile->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *textColumn = new QVBoxLayout;
    textColumn->addWidget(name);
    textColumn->addWidget(version);
    textColumn->addSpacing(8);
    textColumn->addWidget(text);
    textColumn->addWidget(profile);
    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addSpacing(12);
    row->addLayout(textColumn, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}
