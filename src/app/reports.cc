#include "app/reports.h"

#include <cctype>
#include <charconv>
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

Result<ChainAnchor> ParseChainAnchor(std::string_view text) {
  ChainAnchor a;
  std::string_view hash = text;
  if (const size_t colon = text.find(':'); colon != std::string_view::npos) {
    std::string_view seq = text.substr(0, colon);
    if (!seq.empty() && seq.front() == '#') seq.remove_prefix(1);
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), n);
    if (seq.empty() || ec != std::errc() || end != seq.data() + seq.size() || n < 1) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "an anchor is HASH or SEQ:HASH, SEQ an event number from 1 (got '" +
                           std::string(text) + "')",
                       "anchor");
    }
    a.seq = n;
    hash = text.substr(colon + 1);
  }
  if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an anchor's hash is a chain hash of 64 hex digits, as reports print it",
                     "anchor");
  }
  for (char c : hash) a.hash += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return a;
}

Result<AnchorCheck> CheckChainAnchor(registry::RegistryStore& store,
                                     const registry::ChainHead& head, const ChainAnchor& anchor) {
  AnchorCheck out;
  const std::string ends = head.seq == 0
                               ? std::string("the register has no event")
                               : "the register's chain ends at event #" + std::to_string(head.seq) +
                                     " (hash " + head.hash + ")";
  const auto found = [&](int64_t seq) {
    out.found = true;
    out.seq = seq;
    out.after = head.seq - seq;
    return out;
  };
  if (anchor.seq) {
    const int64_t seq = *anchor.seq;
    const std::string at = "#" + std::to_string(seq);
    if (seq > head.seq) {
      out.problem = "the anchor names event " + at + ", but " + ends + ": " +
                    std::to_string(seq - head.seq) +
                    " events are missing from the end (cut), or the history was rewritten";
      return out;
    }
    registry::EventQuery q;
    q.from_seq = seq;
    q.to_seq = seq;
    WB_ASSIGN_OR_RETURN(const std::vector<registry::Event> events, store.Events(q));
    if (events.size() == 1 && events.front().hash == anchor.hash) return found(seq);
    out.problem = "event " + at + " of the register " +
                  (events.size() == 1 ? "has the chain hash " + events.front().hash
                                      : std::string("is missing")) +
                  ", not the anchor's " + anchor.hash +
                  ": the history up to it was rewritten, or the anchor is of another register";
    return out;
  }
  registry::EventQuery q;
  q.include_persons = true;
  q.include_relatives = true;
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Event> events, store.Events(q));
  for (const registry::Event& e : events) {
    if (e.hash == anchor.hash) return found(e.seq);
  }
  out.problem = "no event of the register has the anchor's chain hash " + anchor.hash +
                ": events were cut from the end (" + ends +
                "), the history was rewritten, or the anchor is of another register";
  return out;
}

}  // namespace whereabouts::app
