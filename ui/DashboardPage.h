#pragma once

#include <QWidget>

// The cost dashboard. The ledger does not exist yet, so it shows no numbers at all rather than
// made-up ones, and says so.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    explicit DashboardPage(QWidget *parent = nullptr);
};
