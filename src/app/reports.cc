#include "app/reports.h"

#include <map>
#include <utility>

namespace whereabouts::app {
namespace {

Status CheckLimits(const registry::AgeLimits& limits) {
  if (limits.child_below <= 0 || limits.elderly_from <= limits.child_below) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "age limits must satisfy 0 < child_below < elderly_from (got " +
                         std::to_string(limits.child_below) + " and " +
                         std::to_string(limits.elderly_from) + ")",
                     "age_limits");
  }
  return {};
}

}  // namespace

Result<FiguresReport> ComputeFigures(registry::Registry& registry, const FiguresRequest& req) {
  WB_RETURN_IF_ERROR(CheckLimits(req.limits));
  WB_ASSIGN_OR_RETURN(registry::Registry::FiguresAt at,
                      registry.ComputeFiguresAt(req.as_of, req.limits));
  return FiguresReport{std::move(at.figures), at.head};
}

Result<CellRecords> RecordsBehindCell(registry::Registry& registry, registry::RegistryStore& store,
                                      const CellRequest& req) {
  WB_RETURN_IF_ERROR(CheckLimits(req.limits));
  CellRecords out;
  // The figures and the records behind the cell from one view: a writer committing meanwhile
  // cannot make a cell name a record that the lookup does not find.
  WB_RETURN_IF_ERROR(store.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(const registry::Registry::FiguresAt at,
                        registry.ComputeFiguresAt(req.as_of, req.limits));
    const registry::FigureRow* row = at.figures.Find(req.cell);
    if (row == nullptr) {
      return MakeError(ErrorCode::kNotFound, "no cell '" + req.cell + "'", "cell");
    }
    out.row = *row;
    out.head = at.head;
    if (row->entity == "person") {
      WB_ASSIGN_OR_RETURN(std::vector<registry::Person> all, store.Persons(req.as_of));
      std::map<int64_t, registry::Person> by_id;
      for (registry::Person& p : all) by_id.emplace(p.id.value, std::move(p));
      for (int64_t id : row->ids) {
        auto it = by_id.find(id);
        if (it == by_id.end()) {
          return MakeError(ErrorCode::kInternal,
                           "cell '" + req.cell + "' names person " + std::to_string(id) +
                               ", who is not in the register as of the same date");
        }
        out.persons.push_back(it->second);
      }
    } else {
      WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, registry.LoadSnapshot(req.as_of));
      for (int64_t id : row->ids) {
        auto it = snap.remains.find(id);
        if (it == snap.remains.end()) {
          return MakeError(ErrorCode::kInternal,
                           "cell '" + req.cell + "' names remains " + std::to_string(id) +
                               ", which are not in the register as of the same date");
        }
        out.remains.push_back(it->second);
      }
    }
    return {};
  }));
  return out;
}

Result<ChainCheck> VerifyChain(registry::Registry& registry) {
  auto head = registry.VerifyChain();
  ChainCheck out;
  if (!head) {
    // The register's verdict that the history was changed: a finding, not a failure to check.
    if (head.error().code != ErrorCode::kFailedPrecondition) return tl::unexpected(head.error());
    out.intact = false;
    out.problem = head.error().ToString();
    return out;
  }
  out.intact = true;
  out.head = *head;
  return out;
}

}  // namespace whereabouts::app
