#pragma once

#include <QString>

class AppSettings;
struct Config;

// Hands NetworkPolicy what config.yaml and settings.ini say about reaching providers: each
// provider's `proxy` and `ca_file` (by the origin of its base URL and its regions' URLs), and
// Settings → Network's proxy mode and certificate file. Call again after either changes.
namespace NetworkSetup {
// A relative ca_file is taken from `configDir`, the folder of config.yaml.
void applyConfig(const Config &config, const QString &configDir = QString());
void applySettings(const AppSettings &settings);
}
