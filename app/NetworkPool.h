#pragma once

#include <QHash>
#include <QObject>

#include <memory>
#include <vector>

class QNetworkAccessManager;

// QNetworkAccessManagers for the local endpoint. Qt 6.4 opens at most six HTTP/1.1 connections per
// host and manager, so one manager would queue the 7th concurrent script behind the others when the
// upstream speaks HTTP/1.1 (a local vLLM or Ollama, a corporate proxy). Over HTTP/2 one manager
// multiplexes everything; the pool then never grows past its first manager.
class NetworkPool : public QObject
{
    Q_OBJECT

public:
    explicit NetworkPool(QObject *parent = nullptr);
    ~NetworkPool() override;

    // The manager with the most room; release() it when the request is over.
    QNetworkAccessManager *acquire();
    void release(QNetworkAccessManager *nam);

    int size() const { return int(m_managers.size()); }
    static constexpr int RequestsPerManager = 6;
    static constexpr int MaxManagers = 64;

private:
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_managers;
    QHash<QNetworkAccessManager *, int> m_busy;
};
