#pragma once
// What the boot and shutdown reports take from a campaign's results database: its boundary
// classes and reboots as the shutdown report's input, and its reboots as boots.

#include <ferros/base/failure.h>
#include <ferros/campaign/results_db.h>
#include <ferros/reports/boot_report.h>
#include <ferros/reports/shutdown_report.h>
#include <vector>

namespace ferros::reports {

// Errors: Io (the database), NotReached (the campaign's walk or its loss pass has not
// finished: rerun the campaign), Unsupported (a database from before boundary classes were
// recorded).
Result<ShutdownInput> shutdown_input(campaign::ResultsDb& db);

// Every reboot of the campaign as a boot ("campaign state B/X", the cut's boundary, the SSD's
// size, kernel-entry to ready). Errors: Io.
Result<std::vector<BootRun>> campaign_boots(campaign::ResultsDb& db);

} // namespace ferros::reports
