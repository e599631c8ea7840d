#pragma once

#include "CommandLine.h"
#include "Profile.h"

// `switchyard route --explain FILE`: reads an OpenAI chat request (FILE, or stdin for "-") and
// prints the routing decision as JSON. Returns the exit code.
namespace RouteCommand {
int explain(const Invocation &invocation, const Profile &profile);
}
