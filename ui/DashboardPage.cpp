#include "DashboardPage.h"

#include "EmptyState.h"

#include <QVBoxLayout>

DashboardPage::DashboardPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("dashboardPage"));
    auto *state = new EmptyState(QStringLiteral(":/icons/dashboard.svg"), this);
    state->setObjectName(QStringLiteral("dashboardEmptyState"));
    state->setTitle(tr("No costs to show yet"));
    state->setBody(tr("The cost ledger is not built in this version, so no calls are recorded. Spend per model, "
                      "per task and over time will appear here once it is."));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(state);
}
