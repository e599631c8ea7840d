#pragma once

#include "Config.h"

#include <QByteArray>
#include <QString>

// Writes a Config as config.yaml text that ConfigLoader reads back to the same values. Comments in
// a hand-edited file are not kept; Settings says so before it first saves over one.
namespace ConfigWriter {

QByteArray toYaml(const Config &config);
// The file without its `routes:` section, and that section alone (for the routing editor, which
// puts the two back together to check what is typed).
QByteArray toYamlWithoutRoutes(const Config &config);
QByteArray routesToYaml(const QList<RouteConfig> &routes);
// Atomically replaces `path` (write to a temporary file, then rename). On failure returns false
// with a sentence in *error; the old file is untouched.
bool save(const Config &config, const QString &path, QString *error);
// What a team shares of `config` (ConfigLoader::teamSections()), as the YAML a team version holds.
QByteArray teamSections(const Config &config, bool personalRoutes);

} // namespace ConfigWriter
