#include "store/memory_store.h"

namespace whereabouts::store {

using registry::EntityKind;
using registry::Event;
using registry::Person;

Result<std::vector<Event>> MemoryStore::Append(std::vector<Event> events) {
  auto entities = entities_;
  auto current = current_;
  int64_t seq = static_cast<int64_t>(events_.size());
  std::map<EntityKind, int64_t> next;
  std::string prev_hash = events_.empty() ? std::string() : events_.back().hash;
  for (Event& e : events) {
    const bool creation = registry::IsCreationEvent(e.type);
    if (creation && e.entity_id == 0) {
      if (!next.count(e.kind)) {
        int64_t max_id = 0;
        for (const auto& [key, unused] : entities) {
          if (key.first == e.kind) max_id = std::max(max_id, key.second);
        }
        next[e.kind] = max_id + 1;
      }
      e.entity_id = next[e.kind]++;
    }
    const auto key = std::make_pair(e.kind, e.entity_id);
    if (creation) {
      if (entities.count(key)) {
        return MakeError(ErrorCode::kAlreadyExists, std::string(registry::EntityKindName(e.kind)) +
                                                        " " + std::to_string(e.entity_id) +
                                                        " already exists");
      }
      entities[key] = true;
      if (next.count(e.kind)) next[e.kind] = std::max(next[e.kind], e.entity_id + 1);
    } else if (!entities.count(key)) {
      return MakeError(ErrorCode::kNotFound, "no " + std::string(registry::EntityKindName(e.kind)) +
                                                 " " + std::to_string(e.entity_id));
    }
    e.seq = ++seq;
    e.hash = registry::ChainHash(prev_hash, e);
    prev_hash = e.hash;
    if (e.kind == EntityKind::kPerson) {
      std::optional<Person> cur;
      if (auto it = current.find(e.entity_id); it != current.end()) cur = it->second;
      WB_ASSIGN_OR_RETURN(Person p, registry::ApplyPersonEvent(cur, e));
      current[e.entity_id] = std::move(p);
    }
  }
  entities_ = std::move(entities);
  current_ = std::move(current);
  events_.insert(events_.end(), events.begin(), events.end());
  return events;
}

Result<std::vector<Person>> MemoryStore::Persons(const registry::AsOf& as_of) {
  std::vector<Person> out;
  if (!as_of) {
    for (const auto& [id, p] : current_) out.push_back(p);
    return out;
  }
  std::map<int64_t, Person> state;
  for (const Event& e : events_) {
    if (e.kind != EntityKind::kPerson || !registry::Visible(e, as_of)) continue;
    std::optional<Person> cur;
    if (auto it = state.find(e.entity_id); it != state.end()) cur = it->second;
    WB_ASSIGN_OR_RETURN(Person p, registry::ApplyPersonEvent(cur, e));
    state[e.entity_id] = std::move(p);
  }
  for (auto& [id, p] : state) out.push_back(std::move(p));
  return out;
}

Result<std::optional<Person>> MemoryStore::FindPerson(registry::PersonId id,
                                                      const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(auto all, Persons(as_of));
  for (auto& p : all) {
    if (p.id == id) return std::optional<Person>(std::move(p));
  }
  return std::optional<Person>{};
}

Result<std::vector<Event>> MemoryStore::Events(const registry::EventQuery& q) {
  std::vector<Event> out;
  for (const Event& e : events_) {
    if (!registry::Visible(e, q.as_of)) continue;
    if (q.payload_equals && e.Get(q.payload_equals->first) != q.payload_equals->second) continue;
    if (q.from_seq && q.to_seq) {
      if (e.seq < *q.from_seq || e.seq > *q.to_seq) continue;
    } else if (q.kind) {
      if (e.kind != *q.kind) continue;
      if (q.entity_id && e.entity_id != *q.entity_id) continue;
    } else if ((e.kind == EntityKind::kPerson && !q.include_persons) ||
               (e.kind == EntityKind::kRelative && !q.include_relatives)) {
      continue;
    }
    out.push_back(e);
  }
  return out;
}

Result<int64_t> MemoryStore::NextId(EntityKind kind) {
  int64_t max_id = 0;
  for (const auto& [key, unused] : entities_) {
    if (key.first == kind) max_id = std::max(max_id, key.second);
  }
  return max_id + 1;
}

Status MemoryStore::RunWrite(const std::function<Status()>& body) {
  auto events = events_;
  auto entities = entities_;
  auto current = current_;
  auto keys = keys_;
  Status s = body();
  if (!s) {
    events_ = std::move(events);
    entities_ = std::move(entities);
    current_ = std::move(current);
    keys_ = std::move(keys);
  }
  return s;
}

Result<registry::ChainHead> MemoryStore::Head(const registry::AsOf& as_of) {
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (registry::Visible(*it, as_of))
      return registry::ChainHead{it->seq, it->recorded_on, it->hash};
  }
  return registry::ChainHead{};
}

Result<int64_t> MemoryStore::EntityVersion(EntityKind kind, int64_t id) {
  int64_t v = 0;
  for (const Event& e : events_) {
    if (e.kind == kind && e.entity_id == id) v = e.seq;
  }
  return v;
}

Result<std::optional<registry::IdempotentWrite>> MemoryStore::FindIdempotencyKey(
    const std::string& key) {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::optional<registry::IdempotentWrite>{};
  return std::optional<registry::IdempotentWrite>(it->second);
}

Status MemoryStore::RememberIdempotencyKey(const std::string& key,
                                           const registry::IdempotentWrite& w) {
  if (!keys_.emplace(key, w).second) {
    return MakeError(ErrorCode::kAlreadyExists, "idempotency key " + key + " already used");
  }
  return {};
}

}  // namespace whereabouts::store
