#pragma once

#include <QByteArray>
#include <QtGlobal>

// The few OS calls Switchyard needs, kept in one file so other platforms touch only this.
namespace Platform {

bool stdinIsTerminal();
// Reads one line from the terminal without echoing it (for pasting a key by hand).
QByteArray readHiddenLine();
QByteArray readAllStdin();

} // namespace Platform
