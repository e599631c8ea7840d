#pragma once

#include "CommandLine.h"
#include "Profile.h"

// `switchyard export --format csv|jsonl [--since DATE] [--until DATE] [-o FILE]`. DATE is a day
// (2026-11-01, whole days in UTC; --until includes its day) or an ISO 8601 time. Returns the exit code.
namespace ExportCommand {
int run(const Invocation &invocation, const Profile &profile);
}
