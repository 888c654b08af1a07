// The register's use cases: record an event after checking the rules that span several records
// (merge target exists, excavation outside uncleared hazard areas, a relative's person exists),
// and read the register as of any date (persons, snapshot, figures, hazard flags).
// The store (RegistryStore) and the geometry engine (Geometry) are ports passed in.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "registry/clock.h"
#include "registry/figures.h"
#include "registry/geometry.h"
#include "registry/identification.h"
#include "registry/person.h"
#include "registry/record_rules.h"
#include "registry/snapshot.h"
#include "registry/store_port.h"

namespace whereabouts::registry {

// How a site relates to one hazard area that is not cleared.
struct SiteHazardFlag {
  int64_t site_id = 0;
  int64_t hazard_id = 0;
  HazardStatus status = HazardStatus::kSuspected;
  bool inside = false;
  double distance_m = 0;
};

// The version an edit was based on (RegistryStore::EntityVersion): the edit is refused as a
// conflict when the entity has changed since.
struct ExpectedVersion {
  EntityKind kind = EntityKind::kPerson;
  int64_t id = 0;
  int64_t version = 0;
};

struct WriteOptions {
  std::vector<ExpectedVersion> expected;
  // A retried write with the same key records nothing and returns what the first one recorded.
  std::string idempotency_key;
};

// Tag: the events carry their own recorded dates (a legacy register's history, or the synthetic
// demo). They are only appended after everything already recorded, in date order.
struct LegacyHistory {};

// A page of persons: those matching, in id order, after a cursor.
struct PersonQuery {
  AsOf as_of;
  // "" any; else persons each of whose words begins a word of their names (family, given,
  // father's or other names), in any script: words are folded as duplicate detection folds names
  // (FoldName: romanised, lower case, letters only, variant spellings merged), so "Kharatyan"
  // finds "Харатян" and "khar ann" finds "Харатян Анна".
  std::string name;
  std::optional<CaseStatus> status;
  int64_t after = 0;   // the cursor: only persons with a larger id (0: from the first)
  size_t limit = 100;  // 1..1000
};

struct PersonPage {
  std::vector<Person> persons;
  int64_t next_after = 0;  // the cursor of the next page; 0 when this page is the last
};

class Registry {
 public:
  // The recorded date of every event is the clock's today, or the last recorded date if that is
  // later (recorded dates never go backwards in the order of events); a date set on the event is
  // overwritten. REQUIRES: `store`, `geometry` and `clock` outlive the Registry.
  Registry(RegistryStore& store, Geometry& geometry, Clock& clock)
      : store_(store), geometry_(geometry), clock_(&clock) {}
  // Events keep their recorded_on; one dated before the last recorded event is refused
  // (kFailedPrecondition). The explicit path for importing a dated history.
  Registry(RegistryStore& store, Geometry& geometry, LegacyHistory)
      : store_(store), geometry_(geometry), clock_(nullptr) {}

  // The closed vocabularies (relationships, site kinds, incident categories) new events are
  // checked against (record_rules.h); Vocabularies::Defaults() unless set.
  void SetVocabularies(Vocabularies v) { vocabularies_ = std::move(v); }
  [[nodiscard]] const Vocabularies& vocabularies() const { return vocabularies_; }

  // True when events keep their own recorded dates (LegacyHistory).
  [[nodiscard]] bool legacy_history() const { return clock_ == nullptr; }

  // The date an event recorded now would be recorded on: the clock's today, or the last recorded
  // date when that is later (read outside any write, so a default for a date the user may give,
  // not a promise). nullopt for a LegacyHistory, whose events carry their own dates.
  [[nodiscard]] Result<std::optional<Date>> RecordingDate();

  // A person.identification_proposed event without a proposal id gets the next free one here.
  // Checks `e` against the current register and appends it, in one write transaction of the store
  // (RegistryStore::RunWrite): the rules, the id and the append are atomic with respect to other
  // writers. Returns the stored event (with its
  // seq and id). Errors: the rule broken (kFailedPrecondition with the reason, e.g. "site 3 lies
  // inside hazard area 2 ..."), kNotFound, kInvalidArgument, kIo. Nothing is written on error.
  // With `opts`: a stale expected version fails with kConflict; a known idempotency key returns
  // the events it recorded and records nothing.
  [[nodiscard]] Result<Event> Record(Event e, const WriteOptions& opts = {});

  // Appends a batch in one transaction, all or nothing, with the same rules as Record (the
  // snapshot grows with the batch, so an event may refer to one registered earlier in it).
  [[nodiscard]] Result<std::vector<Event>> RecordBatch(std::vector<Event> events,
                                                       const WriteOptions& opts = {});

  // Creates an entity of `kind` and records the events `build` makes for its id (the creation event
  // first, then e.g. links to it), all in one write: the id is taken under the writer lock, so two
  // writers never get the same one. Errors: those of `build` and RecordBatch; nothing is written.
  [[nodiscard]] Result<std::vector<Event>> RecordWithNewId(
      EntityKind kind, const std::function<Result<std::vector<Event>>(int64_t id)>& build,
      const WriteOptions& opts = {});

  // The last event as of `as_of` (nullopt: now): what a report computed as of that date is
  // computed from.
  [[nodiscard]] Result<ChainHead> Head(const AsOf& as_of) { return store_.Head(as_of); }

  // Recomputes the event chain from the first event. Returns the head when every stored hash
  // matches; kFailedPrecondition naming the first event whose hash does not (the history was
  // changed outside the register) otherwise.
  [[nodiscard]] Result<ChainHead> VerifyChain();

  // Sites, hazards, remains and lists as of `as_of` (relatives only when `with_relatives`: they
  // are many and no figure needs them).
  [[nodiscard]] Result<Snapshot> LoadSnapshot(const AsOf& as_of, bool with_relatives = false);
  [[nodiscard]] Result<Figures> ComputeFigures(const AsOf& as_of, const AgeLimits& limits);

  // The figures as of `as_of` with the last event they were computed from, read in one
  // consistent view: anyone can recompute them from the events up to head.seq.
  struct FiguresAt {
    Figures figures;
    ChainHead head;
  };
  [[nodiscard]] Result<FiguresAt> ComputeFiguresAt(const AsOf& as_of, const AgeLimits& limits);

  // Persons matching `q`, one page (reads persons in id order from the cursor and stops when the
  // page is full). Errors: kInvalidArgument for a limit out of 1..1000.
  [[nodiscard]] Result<PersonPage> FindPersons(const PersonQuery& q);

  // The events of one record, in seq order (none when there is no such record).
  [[nodiscard]] Result<std::vector<Event>> EntityEvents(EntityKind kind, int64_t id,
                                                        const AsOf& as_of = std::nullopt);

  // The relatives of `person` as of `as_of`, in id order (a targeted read: only their events).
  [[nodiscard]] Result<std::vector<Relative>> RelativesOf(PersonId person, const AsOf& as_of);

  // The proposals made for `individual` (of any run) and their decisions, as of `as_of` (a
  // targeted read: only the events naming these proposals).
  [[nodiscard]] Result<Proposals> ProposalsOfIndividual(const std::string& individual,
                                                        const AsOf& as_of);

  // Identification proposals and their decisions as of `as_of` (replayed from person events).
  [[nodiscard]] Result<Proposals> LoadProposals(const AsOf& as_of);

  // Sites lying inside, or within `near_m` metres of, a hazard area that is not cleared, as of
  // `as_of`, in (site, hazard) order.
  [[nodiscard]] Result<std::vector<SiteHazardFlag>> SiteHazards(const AsOf& as_of, double near_m);

 private:
  // Record and RecordBatch, inside the store's write transaction.
  [[nodiscard]] Result<Event> RecordLocked(Event e);
  [[nodiscard]] Result<std::vector<Event>> RecordBatchLocked(std::vector<Event> events);
  // RelativesOf and ProposalsOfIndividual inside their read transaction.
  [[nodiscard]] Result<std::vector<Relative>> RelativesOfLocked(PersonId person, const AsOf& as_of);
  [[nodiscard]] Result<Proposals> ProposalsOfIndividualLocked(const std::string& individual,
                                                              const AsOf& as_of);
  // The checks every write makes first: known event types, versions, recorded dates.
  [[nodiscard]] Status Prepare(std::vector<Event>& events, const WriteOptions& opts);
  // The events an earlier write with idempotency key `key` recorded; nullopt when the key is
  // unused (or empty). Under the writer lock.
  [[nodiscard]] Result<std::optional<std::vector<Event>>> EventsOfKey(const std::string& key);
  // Gives each proposal without a proposal id (payload "proposal" empty or "0") the next free one,
  // under the writer lock, so that two writers never give the same id.
  [[nodiscard]] Status AssignProposalIds(std::vector<Event>& events);
  // `body` under the store's writer lock, honouring opts.idempotency_key.
  [[nodiscard]] Result<std::vector<Event>> Write(
      std::vector<Event> events, const WriteOptions& opts,
      const std::function<Result<std::vector<Event>>(std::vector<Event>)>& body);
  // With `in_place` (a batch, which is all or nothing), a non-person event is applied to `snap`
  // itself instead of to a copy (a copy per event made large batches quadratic).
  [[nodiscard]] Status CheckCrossRules(const Event& e, Snapshot& snap, bool in_place = false);
  // Dates in their natural order: an excavation after the site's discovery and not before the
  // clearance of a hazard area the site lies in; recovery from a site in a hazard area only after
  // an excavation there; custody steps in time order.
  [[nodiscard]] Status CheckExcavationDate(const Event& e, const Site& site, const Snapshot& snap);
  [[nodiscard]] Status CheckRecoverySite(const Event& e, const Snapshot& snap);
  [[nodiscard]] Status CheckCustodyDate(const Event& e, const Snapshot& snap);
  // A handover to a family names an identified person whose remains these are.
  [[nodiscard]] Status CheckHandover(const Event& e, const Snapshot& snap);
  // The part of the register the rules of non-person event `e` read: its record's events and
  // those of the records it refers to (the hazard areas for an excavation, the site of recovered
  // remains, the sources for a citation), replayed.
  [[nodiscard]] Result<Snapshot> SnapshotFor(const Event& e);
  // Proposals, confirmations, rejections and family notifications (registry/identification.h).
  [[nodiscard]] Status CheckIdentificationRules(const Event& e);
  // A sample id names one item (remains or a relative's reference sample) and a label one remains
  // item: `events` (ids assigned) may not give either a second owner, against the register and
  // earlier events of the batch. Errors: kAlreadyExists naming the sample or label and its owner.
  [[nodiscard]] Status CheckUniqueIds(const std::vector<Event>& events);
  // CheckDnaConfirmation (registry/identification.h) of a person.identified event `e` whose
  // proposal is in `proposals`, reading the person, relatives and remains it needs.
  [[nodiscard]] Status CheckDnaRules(const Event& e, const Proposals& proposals);

  RegistryStore& store_;
  Geometry& geometry_;
  Clock* clock_;  // nullptr: LegacyHistory
  Vocabularies vocabularies_ = Vocabularies::Defaults();
};

// Flags of one site against every hazard area in `snap` that is not cleared.
[[nodiscard]] Result<std::vector<SiteHazardFlag>> FlagSite(const Site& site, const Snapshot& snap,
                                                           Geometry& geometry, double near_m);

}  // namespace whereabouts::registry
