#include "NetworkPool.h"

#include <QNetworkAccessManager>

NetworkPool::NetworkPool(QObject *parent)
    : QObject(parent)
{
}

NetworkPool::~NetworkPool() = default;

QNetworkAccessManager *NetworkPool::acquire()
{
    QNetworkAccessManager *best = nullptr;
    int bestBusy = 0;
    for (const auto &m : m_managers) {
        const int busy = m_busy.value(m.get());
        if (!best || busy < bestBusy) {
            best = m.get();
            bestBusy = busy;
        }
    }
    if (!best || (bestBusy >= RequestsPerManager && int(m_managers.size()) < MaxManagers)) {
        m_managers.push_back(std::make_unique<QNetworkAccessManager>());
        best = m_managers.back().get();
    }
    ++m_busy[best];
    return best;
}

void NetworkPool::release(QNetworkAccessManager *nam)
{
    auto it = m_busy.find(nam);
    if (it != m_busy.end() && --it.value() <= 0)
        m_busy.erase(it);
}
