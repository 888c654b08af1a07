// Merging a duplicate record into the record that keeps the case, keeping every fact: what only
// the duplicate knows is carried over to the kept record by events (its names and other
// spellings, registration fields the kept record lacks, the ICRC data, a capture with its
// detention and ICRC visits, a reported death and the return of the body, its relatives), and
// what both know differently is listed as a conflict for a person to resolve (nothing is
// guessed). Pure: the use case (app::MergePersons) reads the two histories and records the plan
// in one write.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "registry/event.h"
#include "registry/person.h"
#include "registry/snapshot.h"

namespace whereabouts::registry {

// The state a person's events leave (ApplyPersonEvent in order), ICRC data included. Errors:
// those of ApplyPersonEvent (a history that breaks its rules); kNotFound for no events.
[[nodiscard]] Result<Person> PersonFromEvents(const std::vector<Event>& events);

struct MergePlan {
  // Events to record, in order: on the kept record (a person.corrected with the names and fields
  // it lacks; copies of the duplicate's capture, detention, ICRC visits, death and body return
  // when the kept record has none), relative.person_changed for each of the duplicate's
  // relatives, and last the duplicate's person.merged_into (with the conflicts in its payload).
  // Actor, reason and recorded dates are left to the caller.
  std::vector<Event> events;
  // "birth_date: 1970-02-02 here, 1971-02-02 in person 500", one per field both records give
  // differently; the kept record's value stays.
  std::vector<std::string> conflicts;
};

// The plan to merge `duplicate` (with its events, in seq order, and its relatives) into `keep`
// (with its events). REQUIRES: both histories non-empty and of two different persons.
[[nodiscard]] Result<MergePlan> PlanMerge(const std::vector<Event>& keep_events,
                                          const std::vector<Event>& duplicate_events,
                                          const std::vector<Relative>& duplicate_relatives);

}  // namespace whereabouts::registry
