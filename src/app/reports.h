// Use cases of the register's reports: the figures as of a date with the last event they were
// computed from (anyone can recompute them from the events up to it), the records behind one
// cell of the figures, and the check of the event chain. Results are data; formatting them as a
// table, CSV, JSON or a document is the adapter's. Thread-safety: as the Registry and the store
// passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/event.h"
#include "registry/figures.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/snapshot.h"
#include "registry/store_port.h"

namespace whereabouts::app {

struct FiguresRequest {
  registry::AsOf as_of;  // nullopt: now
  registry::AgeLimits limits;
};

struct FiguresReport {
  registry::Figures figures;
  registry::ChainHead head;  // the last event the figures were computed from (seq 0: empty)
};

// The figures as of the date, read in one consistent view with their chain head. Errors:
// kInvalidArgument when the limits break 0 < child_below < elderly_from (field "age_limits");
// the store's.
[[nodiscard]] Result<FiguresReport> ComputeFigures(registry::Registry& registry,
                                                   const FiguresRequest& request);

struct CellRequest {
  registry::AsOf as_of;
  registry::AgeLimits limits;
  std::string cell;  // a row key, e.g. "captured.serviceman"
};

// The records behind one cell: the row (with its ids), and the persons or the remains they are,
// in the row's id order.
struct CellRecords {
  registry::FigureRow row;
  registry::ChainHead head;
  std::vector<registry::Person> persons;   // row.entity == "person"
  std::vector<registry::Remains> remains;  // row.entity == "remains"
};

// Resolves `cell` of the figures as of the date to its records, all from one consistent view.
// Errors: kNotFound "no cell 'KEY'" (field "cell"); as ComputeFigures.
[[nodiscard]] Result<CellRecords> RecordsBehindCell(registry::Registry& registry,
                                                    registry::RegistryStore& store,
                                                    const CellRequest& request);

// The outcome of recomputing the event chain from the first event.
struct ChainCheck {
  bool intact = false;
  registry::ChainHead head;  // intact: the last event (seq 0: an empty register)
  std::string problem;       // not intact: the first event that does not match, and how
};

// Recomputes the chain (Registry::VerifyChain). A changed history is a result (intact false),
// not an error. Errors: the store's.
[[nodiscard]] Result<ChainCheck> VerifyChain(registry::Registry& registry);

// A point of the event chain kept outside the register: the chain head a report, a document or
// a signed list version printed (its hash, and its event number when known). The chain alone
// cannot show events cut from its end (the remaining events still chain); an anchor can.
struct ChainAnchor {
  std::optional<int64_t> seq;  // the event number, when the anchor states it
  std::string hash;            // the event's chain hash: 64 lower-case hex digits
};

// Parses "HASH" or "SEQ:HASH" ("#SEQ:HASH" too; hex digits in any case). Errors:
// kInvalidArgument naming what is wrong (field "anchor").
[[nodiscard]] Result<ChainAnchor> ParseChainAnchor(std::string_view text);

// The outcome of checking an anchor against the register's chain.
struct AnchorCheck {
  bool found = false;   // the anchor is an event of the chain: the head or an ancestor of it
  int64_t seq = 0;      // found: the anchor's event, so the anchor's chain had `seq` events
  int64_t after = 0;    // found: events the register recorded after it
  std::string problem;  // not found: what is wrong (events cut from the end, a rewritten
                        // history, or an anchor of another register)
};

// Checks that the anchor's event is in the register's chain. REQUIRES: the chain was verified
// intact (VerifyChain) and `head` is its head. With the anchor's seq, reads that one event; with
// a hash alone, scans the events (O(events)). Errors: the store's.
[[nodiscard]] Result<AnchorCheck> CheckChainAnchor(registry::RegistryStore& store,
                                                   const registry::ChainHead& head,
                                                   const ChainAnchor& anchor);

}  // namespace whereabouts::app
