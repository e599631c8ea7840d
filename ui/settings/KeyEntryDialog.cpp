#include "KeyEntryDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

KeyEntryDialog::KeyEntryDialog(const QString &providerLabel, const QString &storageDescription, QWidget *parent)
    : QDialog(parent)
    , m_edit(new QLineEdit(this))
{
    setObjectName(QStringLiteral("keyEntryDialog"));
    setWindowTitle(tr("Key for %1").arg(providerLabel));

    auto *intro = new QLabel(tr("Paste the API key for %1. It will be kept in %2 and never shown again.")
                                 .arg(providerLabel, storageDescription),
                             this);
    intro->setWordWrap(true);

    m_edit->setObjectName(QStringLiteral("keyEdit"));
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setAccessibleName(tr("API key"));
    m_edit->setPlaceholderText(tr("sk-…"));
    m_edit->setMinimumWidth(360);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Save);
    m_ok->setObjectName(QStringLiteral("keySaveButton"));
    m_ok->setEnabled(false);
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &text) { m_ok->setEnabled(!text.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_edit);
    layout->addWidget(buttons);
}

KeyEntryDialog::~KeyEntryDialog()
{
    m_edit->clear();
}

QString KeyEntryDialog::key() const
{
    return m_edit->text().trimmed();
}
