// The audit trail: who did what, when, to which records, from where, with what outcome. Every
// write through the server, every sign-in (failed ones too), every read of genetic data or of a
// restricted case, and every account change appends a record. Records are chained by SHA-256,
// each to the one before and to the register's event chain as it stood, so that an edited,
// deleted, inserted or reordered record is found by VerifyAudit.
//
//   hash = hex SHA-256 of "whereabouts-audit/1\n" followed by, one per line: seq, at, actor,
//          action, records, address, outcome, event_seq, event_hash, prev_hash
//          (each field with '\\' -> "\\\\" and '\n' -> "\\n")
//
// Thread-safety: as the stores passed in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/access_store.h"
#include "app/accounts.h"
#include "common/result.h"

namespace whereabouts::app {

// The hash above, of r's fields (r.hash is ignored).
[[nodiscard]] std::string AuditHash(const AuditRecord& r);

struct AuditEntry {
  std::string actor, action, records, address;
  std::string outcome = "ok";
};

// Appends the entry as the next record (seq, at from ctx.clock, the register's head, prev_hash,
// hash) in one write transaction (joining an open one). Returns the record.
[[nodiscard]] Result<AuditRecord> AppendAudit(const AccessContext& ctx, const AuditEntry& e);

// Up to `limit` (1..1000) records from seq `from` (1 the first). Errors: kInvalidArgument.
[[nodiscard]] Result<std::vector<AuditRecord>> ListAudit(AccessStore& access, int64_t from,
                                                         size_t limit);

struct AuditCheck {
  int64_t records = 0;  // records read
  bool ok = true;
  int64_t first_bad = 0;  // seq (or storage position) of the first problem
  std::string problem;    // "record 7 was edited", "record 12 is missing (deleted)",
                          // "record 9 was inserted or moved", "record 4 names event 30, whose
                          // chain hash differs from the register's"
};
// Walks the trail in storage order and reports the first problem: a hash that does not recompute
// (edited), a gap in seq (deleted), a seq out of order or a broken prev_hash (inserted or
// reordered), an event-chain head that the register does not have.
[[nodiscard]] Result<AuditCheck> VerifyAudit(const AccessContext& ctx);

}  // namespace whereabouts::app
