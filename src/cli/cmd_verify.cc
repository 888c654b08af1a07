// `whereabouts verify`: the tamper evidence of the whole register. Recomputes the event chain
// (every event's hash from the one before) and every row of the person projections
// (person_versions, person_facts) from the events, and names the first event or row that does not
// match (exit 1). On SQLite and PostgreSQL alike.
#include <fmt/format.h>

#include <memory>

#include "app/reports.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "store/projection_check.h"

namespace whereabouts::cli {

void RegisterVerify(CLI::App& root, int& exit_code) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = root.add_subcommand(
      "verify",
      "check that nothing was changed behind the register's back: recompute the event chain and "
      "every row of the person projections from the events; names the first event or row that "
      "does not match (exit 1)");
  AddDbOption(cmd, db.get());
  SetCallback(cmd, exit_code, [db, &exit_code]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(*db, false));
    WB_ASSIGN_OR_RETURN(const app::ChainCheck chain, app::VerifyChain(*reg.registry));
    if (!chain.intact) {
      PrintError("the event chain does not match: " + chain.problem);
      exit_code = kExitFailure;
      return {};
    }
    fmt::print("event chain: {} events, intact (head event #{}, hash {})\n", chain.head.seq,
               chain.head.seq, chain.head.hash);
    WB_ASSIGN_OR_RETURN(const store::ProjectionCheck rows, store::CheckProjections(*reg.store));
    if (!rows.checked) {
      fmt::print("projections: not kept by this store\n");
      return {};
    }
    if (!rows.intact) {
      PrintError("a projection does not match the events: " + rows.problem);
      exit_code = kExitFailure;
      return {};
    }
    fmt::print("projections: {} rows of person_versions and person_facts, all as the events give\n",
               rows.rows);
    fmt::print("the register is intact\n");
    return {};
  });
}

}  // namespace whereabouts::cli
