// The port through which the register reaches its database. Implemented by SqliteStore (the
// embedded default), MemoryStore (a fake for tests) and, later, a PostgreSQL store; one contract
// test suite (tests/store/store_contract_test.cc) runs against every implementation.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "registry/event.h"
#include "registry/person.h"

namespace whereabouts::registry {

struct EventQuery {
  std::optional<EntityKind> kind;    // nullopt: every kind except persons unless entity set
  std::optional<int64_t> entity_id;  // requires kind
  AsOf as_of;
  bool include_persons = false;    // with no kind: also return person events
  bool include_relatives = false;  // with no kind: also return relative events
  // With both set: the events with from_seq <= seq <= to_seq, of every kind (the other filters
  // but as_of are ignored).
  std::optional<int64_t> from_seq, to_seq;
  // Only events whose payload has this key with exactly this value (e.g. {"person", "7"} for the
  // relatives of person 7, {"individual", "I-3"} for the proposals of an individual). Combines
  // with kind and as_of.
  std::optional<std::pair<std::string, std::string>> payload_equals;
};

// The events a write with an idempotency key recorded: seqs first..last.
struct IdempotentWrite {
  int64_t first_seq = 0;
  int64_t last_seq = 0;
};

// One stored row of a person projection (person_versions or person_facts), as text: what
// `verify` compares with the row the events give. Column values in the order of
// store/person_columns.h (AddPersonColumns, AddFactColumns); nullopt for SQL NULL; numbers and
// day numbers as decimal text.
struct ProjectionRow {
  std::string table;  // "person_versions" or "person_facts"
  int64_t person_id = 0;
  int64_t seq = 0;
  int64_t valid_from = 0;
  std::optional<int64_t> valid_to;
  std::vector<std::optional<std::string>> columns;
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;

  // Appends `events` in one transaction: all are written or none. Assigns each its seq and, for a
  // creation event with entity_id 0, a fresh id of its kind. Person events are applied with
  // ApplyPersonEvent to the person projection, so a person event that breaks a rule fails the
  // whole batch. Returns the events as stored.
  // Errors: the rule's error (kFailedPrecondition, kInvalidArgument, kAlreadyExists, kNotFound);
  // kIo when the database fails. Thread-safety: one writer at a time per store object.
  [[nodiscard]] virtual Result<std::vector<Event>> Append(std::vector<Event> events) = 0;

  // Runs `body` as one write transaction under the store's writer lock: the reads `body` makes see
  // the committed register and nothing can be appended by another writer until it returns, so that
  // rule checks, id assignment and the append are atomic. Appends inside `body` join the
  // transaction; it commits when `body` succeeds and rolls back (nothing written) when it fails.
  // Concurrent writers wait for each other (SQLite: BEGIN IMMEDIATE with a busy timeout).
  // The default runs `body` as it is (stores whose Append alone is the unit of atomicity).
  [[nodiscard]] virtual Status RunWrite(const std::function<Status()>& body) { return body(); }

  // Runs `body` on one consistent view of the register (a read transaction): every read it makes
  // sees the same committed state, whatever other writers commit meanwhile. Nests in RunWrite.
  [[nodiscard]] virtual Status RunRead(const std::function<Status()>& body) { return body(); }

  // Every person as of `as_of` (nullopt: now), in id order, including merged and withdrawn ones.
  // Complexity: O(persons) reads of the projection, no replay.
  [[nodiscard]] virtual Result<std::vector<Person>> Persons(const AsOf& as_of) = 0;

  // As Persons, but only the fields figures use are filled (names, places, circumstances and
  // other free text may be empty): a narrow read for ComputeFigures on large registers.
  [[nodiscard]] virtual Result<std::vector<Person>> PersonsForFigures(const AsOf& as_of) {
    return Persons(as_of);
  }

  // Calls `visit` for each person as PersonsForFigures would return them, without holding them
  // all (the Person passed is valid during the call only).
  [[nodiscard]] virtual Status VisitPersonsForFigures(
      const AsOf& as_of, const std::function<void(const Person&)>& visit) {
    WB_ASSIGN_OR_RETURN(auto persons, PersonsForFigures(as_of));
    for (const Person& p : persons) visit(p);
    return {};
  }

  // Calls `visit` for each person as of `as_of` with an id above `after_id`, in id order, until it
  // returns false: a page of persons without reading the rest. The Person is valid during the
  // call only.
  [[nodiscard]] virtual Status VisitPersons(const AsOf& as_of, int64_t after_id,
                                            const std::function<bool(const Person&)>& visit) {
    WB_ASSIGN_OR_RETURN(auto persons, Persons(as_of));
    for (const Person& p : persons) {
      if (p.id.value > after_id && !visit(p)) break;
    }
    return {};
  }

  // One person as of `as_of`; nullopt when not (yet) registered.
  [[nodiscard]] virtual Result<std::optional<Person>> FindPerson(PersonId id,
                                                                 const AsOf& as_of) = 0;

  // Events matching `query`, in seq order.
  [[nodiscard]] virtual Result<std::vector<Event>> Events(const EventQuery& query) = 0;

  // The last event recorded on or before `as_of` (nullopt: the last event), with its chain hash.
  [[nodiscard]] virtual Result<ChainHead> Head(const AsOf& as_of) = 0;

  // The seq of the last event of entity (kind, id): its version, which an edit based on it
  // carries; 0 when there is no such entity.
  [[nodiscard]] virtual Result<int64_t> EntityVersion(EntityKind kind, int64_t id) = 0;

  // The write that recorded idempotency key `key`, if any (inside RunWrite: under the lock).
  [[nodiscard]] virtual Result<std::optional<IdempotentWrite>> FindIdempotencyKey(
      const std::string& key) = 0;
  // Remembers that `key` recorded seqs w.first_seq..w.last_seq; joins the write transaction.
  // Errors: kAlreadyExists when the key is taken.
  [[nodiscard]] virtual Status RememberIdempotencyKey(const std::string& key,
                                                      const IdempotentWrite& w) = 0;

  // Calls `visit` for every stored row of the person projections (person_versions, then
  // person_facts, each by person and seq) until it returns false. The default: kUnimplemented (a
  // store that keeps no projection tables).
  [[nodiscard]] virtual Status VisitProjectionRows(
      const std::function<bool(const ProjectionRow&)>& visit) {
    (void)visit;
    return MakeError(ErrorCode::kUnimplemented, "this store keeps no projection tables");
  }

  // The next unused id of `kind` (max + 1). Ids assigned by a caller must be unique: Append fails
  // with kAlreadyExists otherwise.
  [[nodiscard]] virtual Result<int64_t> NextId(EntityKind kind) = 0;
};

}  // namespace whereabouts::registry
