#pragma once

#include "CommandLine.h"
#include "Profile.h"

// `switchyard serve [--listen ADDR:PORT]`: the local endpoint with no window (Qt Core and Network
// only, no display needed). Prints the URL on stdout, serves until SIGINT or SIGTERM, then lets the
// ledger finish writing. Returns the exit code.
namespace ServeCommand {
int run(const Invocation &invocation, const Profile &profile);
}
