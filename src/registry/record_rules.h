// Rules checked when an event is recorded (Registry::Record, RecordBatch), not when the history
// is replayed: a register recorded before a rule existed still replays as it was. Pure.
//   - no date of the payload after the day of recording (a birth in 2090 recorded in 2026);
//   - only the payload keys the event type knows (`--set witness=abc` is refused);
//   - closed vocabularies: a relative's relationship, a site's kind, an incident's categories.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/event.h"

namespace whereabouts::registry {

// The closed vocabularies of the register. Defaults() is what the register knows without
// configuration; a commission extends it (data/vocabularies.json, read by the CLI and the
// server: io/vocabularies.h). Values are compared exactly.
// The relationships to a missing person that place a relative in the family's pedigree (father,
// mother, ..., paternal_uncle, spouse, other): app/families.h turns them into a pedigree.
[[nodiscard]] const std::vector<std::string_view>& PedigreeRelationshipWords();

struct Vocabularies {
  std::set<std::string, std::less<>> relationships;
  std::set<std::string, std::less<>> site_kinds;
  std::set<std::string, std::less<>> incident_categories;

  [[nodiscard]] static const Vocabularies& Defaults();
};

// A relationship word as the register keeps it: lower case; blanks, tabs and hyphens as one '_';
// none at either end; a leading "full_" dropped ("Full Sister" -> "sister", "Paternal-Uncle" ->
// "paternal_uncle"). Pure.
[[nodiscard]] std::string NormaliseRelationship(std::string_view text);

// The relationship `text` normalised, when it is in v.relationships (each compared normalised, so
// that a configured "step-mother" is "step_mother"). Errors: kInvalidArgument "unknown
// relationship 'TEXT' (one of: ...)" (field "relationship"); an empty text is refused as "a
// relative needs a relationship".
[[nodiscard]] Result<std::string> RelationshipInVocabulary(std::string_view text,
                                                           const Vocabularies& v);

// The allowed values of `set`, comma-separated, in order ("a, b, c").
[[nodiscard]] std::string AllowedValues(const std::set<std::string, std::less<>>& set);

// Refuses (kInvalidArgument, field = the key) a payload date (`date`, `*_date`, `*_on`) after the
// event's recorded_on, and a birth year (birth_year_min/max) after its year.
[[nodiscard]] Status CheckNotAfterRecording(const Event& e);

// Refuses (kInvalidArgument, field = the key) a payload key that the event's type does not take.
// Types whose keys are checked where they are applied (person.registered/corrected,
// site.registered/corrected) and types this table does not list are let through.
[[nodiscard]] Status CheckEventKeys(const Event& e);

// Refuses (kInvalidArgument naming the allowed values) a relationship, site kind or incident
// category outside `v` (an empty value is not stated, and passes).
[[nodiscard]] Status CheckVocabulary(const Event& e, const Vocabularies& v);

// All three, with the error prefixed by the event ("person 3, person.captured: ...").
[[nodiscard]] Status CheckRecordRules(const Event& e, const Vocabularies& v);

}  // namespace whereabouts::registry
