#pragma once

#include <QByteArray>
#include <QString>

// Appends `text` as a JSON string; the hot paths of the streams build their events by hand.
void appendJsonString(QByteArray &out, const QString &text);
