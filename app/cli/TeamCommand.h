#pragma once

#include "CommandLine.h"
#include "Profile.h"

#include <QSqlDatabase>

#include <functional>

// `switchyard team init URL` (sets a PostgreSQL database up as a team's ledger and says which roles
// to grant) and `switchyard team status` (the team database, the member, rows waiting to be sent,
// the last send, the team's rules in force). docs/team.md.
namespace TeamCommand {

int run(const Invocation &invocation, const Profile &profile);
int init(const Profile &profile, const QString &url);
int status(const Profile &profile);

// Connects to the team of `url` with the keychain's `team` password (or libpq's PGPASSWORD /
// PGPASSFILE when there is none), runs `work` on the open connection and returns its exit code;
// 1 with a sentence on stderr when the address is wrong or the server cannot be reached. Runs
// the event loop while the keychain answers. `export --scope team` uses it too.
int withTeamDatabase(const Profile &profile, const QString &url, const QString &command,
                     const std::function<int(QSqlDatabase &db)> &work);

} // namespace TeamCommand
