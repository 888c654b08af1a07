#include "store/memory_access_store.h"

#include <algorithm>

namespace whereabouts::store {

Status MemoryAccessStore::RunWrite(const std::function<Status()>& body) {
  State before = state_;
  Status s = joined_ != nullptr ? joined_->RunWrite(body) : body();
  if (!s) state_ = std::move(before);
  return s;
}

Result<int64_t> MemoryAccessStore::InsertAccount(const app::Account& a) {
  for (const app::Account& x : state_.accounts) {
    if (x.name == a.name) {
      return MakeError(ErrorCode::kAlreadyExists, "the account '" + a.name + "' exists", "name");
    }
  }
  app::Account stored = a;
  stored.id = static_cast<int64_t>(state_.accounts.size()) + 1;
  state_.accounts.push_back(stored);
  return stored.id;
}

Result<std::optional<app::Account>> MemoryAccessStore::FindAccount(std::string_view name) {
  for (const app::Account& a : state_.accounts) {
    if (a.name == name) return std::optional<app::Account>(a);
  }
  return std::optional<app::Account>{};
}

Result<std::optional<app::Account>> MemoryAccessStore::FindAccountById(int64_t id) {
  if (id < 1 || id > static_cast<int64_t>(state_.accounts.size())) {
    return std::optional<app::Account>{};
  }
  return std::optional<app::Account>(state_.accounts[static_cast<size_t>(id - 1)]);
}

Result<std::vector<app::Account>> MemoryAccessStore::Accounts() { return state_.accounts; }

Status MemoryAccessStore::UpdateAccount(const app::Account& a) {
  if (a.id < 1 || a.id > static_cast<int64_t>(state_.accounts.size())) {
    return MakeError(ErrorCode::kNotFound, "no account " + std::to_string(a.id));
  }
  app::Account& x = state_.accounts[static_cast<size_t>(a.id - 1)];
  x.role = a.role;
  x.disabled = a.disabled;
  x.password_hash = a.password_hash;
  x.failed_logins = a.failed_logins;
  x.locked_until = a.locked_until;
  return {};
}

Status MemoryAccessStore::PutSession(const app::SessionRecord& s) {
  state_.sessions[s.id_hash] = s;
  return {};
}

Result<std::optional<app::SessionRecord>> MemoryAccessStore::FindSession(std::string_view id_hash) {
  auto it = state_.sessions.find(id_hash);
  if (it == state_.sessions.end()) return std::optional<app::SessionRecord>{};
  return std::optional<app::SessionRecord>(it->second);
}

Status MemoryAccessStore::TouchSession(std::string_view id_hash, int64_t at) {
  auto it = state_.sessions.find(id_hash);
  if (it != state_.sessions.end()) it->second.last_seen_at = at;
  return {};
}

Status MemoryAccessStore::DeleteSession(std::string_view id_hash) {
  auto it = state_.sessions.find(id_hash);
  if (it != state_.sessions.end()) state_.sessions.erase(it);
  return {};
}

Status MemoryAccessStore::DeleteSessionsOf(int64_t account) {
  for (auto it = state_.sessions.begin(); it != state_.sessions.end();) {
    it = it->second.account == account ? state_.sessions.erase(it) : std::next(it);
  }
  return {};
}

Result<int64_t> MemoryAccessStore::InsertToken(const app::ApiTokenRecord& t) {
  if (t.account < 1 || t.account > static_cast<int64_t>(state_.accounts.size())) {
    return MakeError(ErrorCode::kNotFound, "no account " + std::to_string(t.account));
  }
  app::ApiTokenRecord stored = t;
  stored.id = static_cast<int64_t>(state_.tokens.size()) + 1;
  state_.tokens.push_back(stored);
  return stored.id;
}

Result<std::optional<app::ApiTokenRecord>> MemoryAccessStore::FindToken(
    std::string_view token_hash) {
  for (const app::ApiTokenRecord& t : state_.tokens) {
    if (t.token_hash == token_hash) return std::optional<app::ApiTokenRecord>(t);
  }
  return std::optional<app::ApiTokenRecord>{};
}

Result<std::vector<app::ApiTokenRecord>> MemoryAccessStore::Tokens() { return state_.tokens; }

Status MemoryAccessStore::RevokeToken(int64_t id) {
  if (id < 1 || id > static_cast<int64_t>(state_.tokens.size())) {
    return MakeError(ErrorCode::kNotFound, "no API token " + std::to_string(id), "id");
  }
  state_.tokens[static_cast<size_t>(id - 1)].revoked = true;
  return {};
}

Status MemoryAccessStore::SetRestriction(int64_t person, const std::vector<std::string>& staff) {
  if (staff.empty()) {
    state_.restrictions.erase(person);
  } else {
    std::vector<std::string> sorted = staff;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    state_.restrictions[person] = sorted;
  }
  return {};
}

Result<std::optional<std::vector<std::string>>> MemoryAccessStore::Restriction(int64_t person) {
  auto it = state_.restrictions.find(person);
  if (it == state_.restrictions.end()) return std::optional<std::vector<std::string>>{};
  return std::optional<std::vector<std::string>>(it->second);
}

Result<std::vector<int64_t>> MemoryAccessStore::RestrictedPersons() {
  std::vector<int64_t> out;
  for (const auto& [person, staff] : state_.restrictions) out.push_back(person);
  return out;
}

Status MemoryAccessStore::AppendAudit(const app::AuditRecord& r) {
  state_.audit.push_back(r);
  return {};
}

Result<std::optional<app::AuditRecord>> MemoryAccessStore::LastAudit() {
  if (state_.audit.empty()) return std::optional<app::AuditRecord>{};
  return std::optional<app::AuditRecord>(state_.audit.back());
}

Result<std::vector<app::AuditRecord>> MemoryAccessStore::AuditRecords(int64_t from_seq,
                                                                      size_t limit) {
  std::vector<app::AuditRecord> out;
  auto it = std::find_if(state_.audit.begin(), state_.audit.end(),
                         [&](const app::AuditRecord& r) { return r.seq >= from_seq; });
  for (; it != state_.audit.end() && (limit == 0 || out.size() < limit); ++it) out.push_back(*it);
  return out;
}

}  // namespace whereabouts::store
