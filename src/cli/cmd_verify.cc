// `whereabouts verify`: the tamper evidence of the whole register. Recomputes the event chain
// (every event's hash from the one before) and every row of the person projections
// (person_versions, person_facts) from the events, and names the first event or row that does not
// match (exit 1). On SQLite and PostgreSQL alike. With `--head`, also checks that chain heads kept
// outside the register (printed by reports, documents and signed list versions) are events of the
// chain: events cut from the end, which the chain alone cannot show, are found that way.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/reports.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "store/projection_check.h"

namespace whereabouts::cli {
namespace {

// An anchor given as text ("HASH", "SEQ:HASH") or as a file that states a chain head: a list
// version's JSON (`chain_head`) or the JSON of `report figures --format json` (`computed_from`).
Result<app::ChainAnchor> AnchorOf(const std::string& given) {
  std::error_code ec;
  if (given.size() > 5 && given.compare(given.size() - 5, 5, ".json") == 0 &&
      std::filesystem::is_regular_file(given, ec)) {
    WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(given));
    try {
      const auto j = nlohmann::json::parse(text);
      for (const char* key : {"chain_head", "computed_from"}) {
        if (!j.contains(key)) continue;
        const auto& h = j.at(key);
        const int64_t seq = h.at("seq").get<int64_t>();
        return app::ParseChainAnchor(std::to_string(seq) + ":" + h.at("hash").get<std::string>())
            .map_error([&](Error e) {
              e.field = given;
              return e;
            });
      }
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("not a file with a chain head: ") + e.what(), given);
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     "states no chain head (chain_head of a list version, computed_from of "
                     "report figures --format json)",
                     given);
  }
  return app::ParseChainAnchor(given).map_error([](Error e) {
    e.field = "--head";
    return e;
  });
}

}  // namespace

void RegisterVerify(CLI::App& root, int& exit_code) {
  auto db = std::make_shared<std::string>();
  auto heads = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = root.add_subcommand(
      "verify",
      "check that nothing was changed behind the register's back: recompute the event chain and "
      "every row of the person projections from the events; names the first event or row that "
      "does not match (exit 1)");
  AddDbOption(cmd, db.get());
  cmd->add_option(
      "--head", *heads,
      "a chain head kept outside the register (HASH or SEQ:HASH as reports print it, or a list "
      "version's .json or report figures' JSON): it must be an event of the chain, else events "
      "were cut from the end or the history rewritten (exit 1); repeatable");
  SetCallback(cmd, exit_code, [db, heads, &exit_code]() -> Status {
    // Anchors are read before the register is opened: bad input is refused before any check.
    std::vector<std::pair<std::string, app::ChainAnchor>> anchors;
    for (const std::string& h : *heads) {
      WB_ASSIGN_OR_RETURN(app::ChainAnchor a, AnchorOf(h));
      anchors.emplace_back(h, std::move(a));
    }
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(*db, false));
    WB_ASSIGN_OR_RETURN(const app::ChainCheck chain, app::VerifyChain(*reg.registry));
    if (!chain.intact) {
      PrintError("the event chain does not match: " + chain.problem);
      exit_code = kExitFailure;
      return {};
    }
    fmt::print("event chain: {} events, intact (head event #{}, hash {})\n", chain.head.seq,
               chain.head.seq, chain.head.hash);
    bool anchored = true;
    for (const auto& [given, anchor] : anchors) {
      WB_ASSIGN_OR_RETURN(const app::AnchorCheck a,
                          app::CheckChainAnchor(*reg.store, chain.head, anchor));
      if (!a.found) {
        PrintError("the anchor " + given + " is not in the event chain: " + a.problem);
        anchored = false;
        continue;
      }
      fmt::print(
          "anchor {}: event #{} of the chain (the anchor's chain had {} events; {} recorded "
          "after it)\n",
          given, a.seq, a.seq, a.after);
    }
    if (!anchored) {
      exit_code = kExitFailure;
      return {};
    }
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
    if (anchors.empty()) {
      fmt::print(
          "the register is intact (events cut from the end are found only against a chain head "
          "kept elsewhere: --head)\n");
    } else {
      fmt::print("the register is intact\n");
    }
    return {};
  });
}

}  // namespace whereabouts::cli
