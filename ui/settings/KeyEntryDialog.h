#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

// Asks for one provider's key. The text is masked and never shown back; the dialog keeps it
// only until it is handed to the keychain.
class KeyEntryDialog : public QDialog
{
    Q_OBJECT

public:
    KeyEntryDialog(const QString &providerLabel, const QString &storageDescription, QWidget *parent = nullptr);
    ~KeyEntryDialog() override;

    QString key() const;

private:
    QLineEdit *m_edit;
    QPushButton *m_ok;
};
