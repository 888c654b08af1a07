#include "app/audit.h"

#include <limits>
#include <map>
#include <unordered_set>

#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

void AddField(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '\n';
}

// The register's chain hash of event `seq`, recomputed from the event's content and the stored
// hash of the event before it; "" when the register has no such event. A stored hash that differs
// from the recomputed one (the event or its chain row was edited) also yields a mismatch:
// "!" + the stored hash, which no audit record can name.
Result<std::string> RegisterChainHash(registry::RegistryStore& registry, int64_t seq) {
  registry::EventQuery q;
  q.from_seq = seq > 1 ? seq - 1 : seq;
  q.to_seq = seq;
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Event> events, registry.Events(q));
  const registry::Event* event = nullptr;
  std::string prev;
  for (const registry::Event& e : events) {
    if (e.seq == seq) event = &e;
    if (e.seq == seq - 1) prev = e.hash;
  }
  if (event == nullptr) return std::string();
  const std::string recomputed = registry::ChainHash(prev, *event);
  if (recomputed != event->hash) return "!" + event->hash;
  return recomputed;
}

}  // namespace

std::string AuditHash(const AuditRecord& r) {
  std::string text = "whereabouts-audit/1\n";
  AddField(text, std::to_string(r.seq));
  AddField(text, std::to_string(r.at));
  AddField(text, r.actor);
  AddField(text, r.action);
  AddField(text, r.records);
  AddField(text, r.address);
  AddField(text, r.outcome);
  AddField(text, std::to_string(r.event_seq));
  AddField(text, r.event_hash);
  AddField(text, r.prev_hash);
  return registry::Sha256Hex(text);
}

Result<AuditRecord> AppendAudit(const AccessContext& ctx, const AuditEntry& e) {
  AuditRecord r;
  r.actor = e.actor;
  r.action = e.action;
  r.records = e.records;
  r.address = e.address;
  r.outcome = e.outcome;
  WB_RETURN_IF_ERROR(ctx.access.RunWrite([&]() -> Status {
    // Under the writer lock: no other record can take this seq meanwhile.
    WB_ASSIGN_OR_RETURN(const std::optional<AuditRecord> last, ctx.access.LastAudit());
    WB_ASSIGN_OR_RETURN(const registry::ChainHead head, ctx.registry.Head(std::nullopt));
    r.seq = last ? last->seq + 1 : 1;
    r.prev_hash = last ? last->hash : std::string();
    r.at = ctx.clock.NowSeconds();
    r.event_seq = head.seq;
    r.event_hash = head.seq > 0 ? head.hash : std::string();
    r.hash = AuditHash(r);
    return ctx.access.AppendAudit(r);
  }));
  return r;
}

Result<std::vector<AuditRecord>> ListAudit(AccessStore& access, int64_t from, size_t limit) {
  if (from < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "the first record is 1", "from");
  }
  if (limit < 1 || limit > 1000) {
    return MakeError(ErrorCode::kInvalidArgument, "a page holds 1 to 1000 records", "limit");
  }
  return access.AuditRecords(from, limit);
}

Result<AuditCheck> VerifyAudit(const AccessContext& ctx) {
  AuditCheck check;
  std::vector<AuditRecord> records;
  // One consistent view of the register and the trail (they share a connection).
  WB_RETURN_IF_ERROR(ctx.registry.RunRead([&]() -> Status {
    // Every record, from the first stored (whatever its seq, a forged one too).
    WB_ASSIGN_OR_RETURN(records, ctx.access.AuditRecords(std::numeric_limits<int64_t>::min(), 0));
    return {};
  }));
  check.records = static_cast<int64_t>(records.size());
  const auto bad = [&](int64_t seq, std::string problem) {
    check.ok = false;
    check.first_bad = seq;
    check.problem = std::move(problem);
    return check;
  };
  std::map<int64_t, std::string> chain;  // event seq -> the register's chain hash
  int64_t expected = 1;
  std::string prev_hash;
  std::unordered_set<int64_t> seen;
  for (size_t i = 0; i < records.size(); ++i) {
    const AuditRecord& r = records[i];
    const std::string rs = std::to_string(r.seq);
    if (AuditHash(r) != r.hash) return bad(r.seq, "record " + rs + " was edited");
    if (r.seq != expected) {
      if (r.seq < expected || seen.count(r.seq)) {
        return bad(r.seq, "record " + rs + " was inserted or moved");
      }
      // A later seq here: the expected record comes later (moved), or is gone (deleted); a record
      // that still chains to the one before it was put here, not left behind by a deletion.
      bool expected_later = false;
      for (size_t j = i + 1; j < records.size() && !expected_later; ++j) {
        expected_later = records[j].seq == expected;
      }
      if (expected_later || r.prev_hash == prev_hash) {
        return bad(r.seq, "record " + rs + " was inserted or moved");
      }
      return bad(expected, "record " + std::to_string(expected) + " is missing (deleted)");
    }
    if (r.prev_hash != prev_hash) return bad(r.seq, "record " + rs + " was inserted or moved");
    if (r.event_seq < 0 || (r.event_seq == 0 && !r.event_hash.empty())) {
      return bad(r.seq, "record " + rs + " names no event of the register");
    }
    if (r.event_seq > 0) {
      auto it = chain.find(r.event_seq);
      if (it == chain.end()) {
        WB_ASSIGN_OR_RETURN(std::string h, RegisterChainHash(ctx.registry, r.event_seq));
        it = chain.emplace(r.event_seq, std::move(h)).first;
      }
      const std::string es = std::to_string(r.event_seq);
      if (it->second.empty()) {
        return bad(r.seq,
                   "record " + rs + " names event " + es + ", which the register does not have");
      }
      if (it->second != r.event_hash) {
        return bad(r.seq, "record " + rs + " names event " + es +
                              ", whose chain hash differs from the register's");
      }
    }
    seen.insert(r.seq);
    prev_hash = r.hash;
    ++expected;
  }
  return check;
}

}  // namespace whereabouts::app
