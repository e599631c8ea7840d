#pragma once

#include <QString>

// Where Help → Documentation finds the docs: installed beside the program
// (share/doc/switchyard, see packaging/CMakeLists.txt), or, run from a build tree, the
// source tree's docs/ folder. Empty when neither is there.
namespace Documentation {

// The index page (README.md) of the first folder of `candidates` that has one.
QString indexIn(const QStringList &candidates);
// The folders this program looks in, installed location first.
QStringList candidates();

} // namespace Documentation
