// libFuzzer target: any bytes as config.yaml. Loading gives a config, or at least one error with
// a sentence; every message names a line inside the text (or 0, for the file as a whole).
#include "ConfigLoader.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray yaml(reinterpret_cast<const char *>(data), qsizetype(size));
    const ConfigLoadResult result = ConfigLoader::parse(yaml);
    if (result.ok() != result.errors().isEmpty())
        std::abort();
    if (!result.ok() && result.errorSummary(QStringLiteral("config.yaml")).isEmpty())
        std::abort();
    const qsizetype lines = yaml.count('\n') + 1;
    for (const ConfigDiagnostic &d : result.diagnostics) {
        if (d.message.isEmpty() || d.line < 0 || d.line > lines + 1 || d.column < 0)
            std::abort();
    }
    return 0;
}
