// Use cases on missing persons and their relatives: register a person, record a change to the
// case (a correction or an event such as a capture), merge a duplicate, register a relative, and
// read one person (with its history and version), the list of persons, the relatives of a person
// and the suggested duplicates.
//
// Requests are typed; the register's rules (registry::ApplyPersonEvent and the Registry's cross
// rules) decide what is allowed, and their errors come back as they are. Every write is one
// transaction of the register. No message here names a command-line option or carries a name.
// Thread-safety: as the Registry and the store passed in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "registry/date.h"
#include "registry/duplicates.h"
#include "registry/event.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/snapshot.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// What a registration says about a missing person (the fields of person.registered). Unset
// fields are not recorded (the register's defaults apply: sex unknown, civilian).
struct PersonDetails {
  std::string family_name, given_name, father_name;
  std::vector<std::string> other_names;  // other spellings or scripts; none may contain '|'
  std::optional<registry::Sex> sex;
  std::optional<registry::Date> birth_date;
  std::optional<int> birth_year_min, birth_year_max;  // an age range when the date is unknown
  std::optional<registry::Affiliation> affiliation;
  std::string unit;  // servicemen only
  std::optional<registry::Date> disappearance_date;
  std::string disappearance_place;
  std::string circumstances;
  // The ICRC's minimum data: place of birth, identity documents (none may contain '|'), who
  // reported the disappearance, the family's contact, last seen, physical description.
  registry::IcrcData icrc;
};

// The payload of `icrc` (only the keys that are set).
[[nodiscard]] registry::Fields IcrcPayload(const registry::IcrcData& icrc);

struct RegisterPersonRequest {
  WriteMeta meta;
  PersonDetails details;
};

// What a write recorded: the entity's id and the seq of its (last) event, which is also the
// entity's new version.
struct Recorded {
  int64_t id = 0;
  int64_t seq = 0;
};

// Registers a missing person with a fresh id. Errors: kInvalidArgument (an other name with '|');
// those of Registry::Record (no family or given name, dates out of order, a unit for a civilian,
// ids used up, ...). Nothing is written on error.
[[nodiscard]] Result<Recorded> RegisterPerson(registry::Registry& registry,
                                              const RegisterPersonRequest& request);

// A change to a person's case: a correction (change "corrected", any registration field) or an
// event of its life (captured, detained, icrc_visited, reported_dead, body_returned,
// family_notified, found_alive, withdrawn, ...) with the event's payload keys
// (registry/person.h).
struct UpdatePersonRequest {
  WriteMeta meta;
  registry::PersonId person;
  std::string change = "corrected";  // the event type without "person."
  registry::Fields fields;
  // The version the change is based on (PersonView::version); nullopt: not checked.
  std::optional<int64_t> expected_version;
};

struct UpdatedPerson {
  registry::PersonId person;
  std::string type;  // "person.captured", ...
  int64_t seq = 0;   // the event, and the person's new version
};

// Records the change. Errors: kInvalidArgument for "registered" and "merged_into" (those are
// RegisterPerson and MergePersons) and for an unknown change; kConflict when the person changed
// since expected_version; kNotFound; the rule broken (kFailedPrecondition), e.g. a death before
// the birth, an identification that confirms no proposal, a family notified of an unconfirmed
// identification. Nothing is written on error.
[[nodiscard]] Result<UpdatedPerson> UpdatePerson(registry::Registry& registry,
                                                 const UpdatePersonRequest& request);

struct MergePersonsRequest {
  WriteMeta meta;                // reason "": "duplicate of person KEEP"
  registry::PersonId keep;       // keeps the case
  registry::PersonId duplicate;  // merged into it; both histories stay
};

struct MergedPersons {
  int64_t id = 0;   // the duplicate
  int64_t seq = 0;  // its person.merged_into event
  // The fields both records give differently (registry::MergePlan::conflicts): the kept record's
  // value stays; a person resolves each with a correction.
  std::vector<std::string> conflicts;
};

// Merges `duplicate` into `keep`, keeping every fact (registry::PlanMerge): in one write, the
// kept record receives the duplicate's names and other spellings, the fields and ICRC data it
// lacks, the duplicate's capture (detention, ICRC visits) and reported death when it has none,
// and the duplicate's relatives; then the duplicate is marked merged, with the conflicts in its
// event. Figures then count the person once, with all the facts. Errors: kNotFound (either
// person); kInvalidArgument (the same person twice); kFailedPrecondition when `keep` is itself
// merged or withdrawn, `duplicate` is already merged, or a carried-over fact breaks a rule of the
// kept record; kConflict when either record changed while the merge was planned. Nothing is
// written on error.
[[nodiscard]] Result<MergedPersons> MergePersons(registry::Registry& registry,
                                                 const MergePersonsRequest& request);

// Consent a relative gives for the use of the reference sample.
enum class Consent { kNone, kIdentification, kIdentificationAndCourt };
[[nodiscard]] std::string_view Name(Consent c);  // none, identification, identification_and_court
// Errors: kInvalidArgument naming the allowed values (field "consent").
[[nodiscard]] Result<Consent> ParseConsent(std::string_view s);

struct AddRelativeRequest {
  WriteMeta meta;
  registry::PersonId person;  // the missing person
  std::string name;           // REQUIRED (not empty)
  // REQUIRED: a word of app::RelationshipWords (father, mother, brother, paternal_half_sister,
  // maternal_uncle, spouse, other, ...), stored as that word.
  std::string relationship;
  std::string sample;         // reference sample id ("" none yet)
  Consent consent = Consent::kIdentification;
  // The place in the family's pedigree where the relationship does not say it (all optional):
  // sex (male, female, unknown), father and mother as "person:ID" (the missing person) or
  // "relative:ID" (another relative of the same missing person).
  std::string sex, father, mother;
  std::string holder;  // who holds the reference sample ("" not recorded)
  // > 0: the relative is itself this missing person of the register (a second missing brother),
  // placed in the family's pedigree as missing.
  int64_t missing_person = 0;
};

// Registers a relative of `person` with a fresh id. Errors: kInvalidArgument (no name, a
// relationship not in the vocabulary, a bad sex or parent); kFailedPrecondition (a parent that is
// not of this family); kNotFound (no such person); kAlreadyExists (the sample id is already
// recorded on remains or another relative). Nothing is written on error.
[[nodiscard]] Result<Recorded> AddRelative(registry::Registry& registry,
                                           const AddRelativeRequest& request);

struct RecordPedigreeRequest {
  WriteMeta meta;
  int64_t relative = 0;
  // What changes ("" keeps it): relationship (a word of app::RelationshipWords), sex, father and
  // mother ("person:ID", "relative:ID", or "-" to clear).
  std::string relationship, sex, father, mother;
};

// Records relative.pedigree_recorded: the relative's place in the family's pedigree. Errors: as
// AddRelative; kInvalidArgument when nothing changes; kNotFound (no such relative).
[[nodiscard]] Result<Recorded> RecordRelativePedigree(registry::Registry& registry,
                                                      const RecordPedigreeRequest& request);

struct ChangeConsentRequest {
  WriteMeta meta;     // reason REQUIRED: how the relative gave or withdrew consent
  int64_t relative = 0;
  Consent consent = Consent::kNone;  // kNone: consent withdrawn
};

// Records relative.consent_changed. A reference whose consent is withdrawn (none) is left out of
// later identification runs. Errors: kInvalidArgument (no reason); kNotFound (no such relative).
[[nodiscard]] Result<Recorded> ChangeConsent(registry::Registry& registry,
                                             const ChangeConsentRequest& request);

// What a relative's reference sample is used for, and the consent each use needs:
// identification needs "identification" or "identification_and_court"; court (an expert's report
// or the profile handed to a court) needs "identification_and_court". "none" (never given, or
// withdrawn) allows nothing.
enum class ReferencePurpose { kIdentification, kCourt };
[[nodiscard]] bool ConsentAllows(std::string_view consent, ReferencePurpose purpose);

// The reference samples that may not be used for `purpose` now (their relative's consent does not
// allow it): left out of identification runs, withheld from exports for court use. One read.
[[nodiscard]] Result<std::set<std::string>> SamplesWithoutConsent(registry::Registry& registry,
                                                                  ReferencePurpose purpose);

// The relatives of `person` now, in id order (none when the person has none or does not exist).
[[nodiscard]] Result<std::vector<registry::Relative>> ListRelatives(registry::Registry& registry,
                                                                    registry::PersonId person);

struct GetPersonRequest {
  registry::PersonId person;
  registry::AsOf as_of;       // nullopt: now
  bool with_history = false;  // also the person's events up to as_of
};

struct PersonView {
  registry::Person person;  // with its ICRC data (Person::icrc), read from its events
  int64_t version = 0;  // what an edit based on this view carries (UpdatePersonRequest)
  std::vector<registry::Event> history;  // with_history only; in seq order
};

// One person as the register had it as of the date. Errors: kNotFound "no person N" (with "as of
// DATE" when a date was given) when not registered by then.
[[nodiscard]] Result<PersonView> GetPerson(registry::RegistryStore& store,
                                           const GetPersonRequest& request);

struct ListPersonsRequest {
  registry::AsOf as_of;                        // nullopt: now
  std::optional<registry::CaseStatus> status;  // only this case status
  size_t limit = 0;                            // at most this many (0: all)
};

// Persons as of the date (merged and withdrawn ones included unless filtered out), in id order.
[[nodiscard]] Result<std::vector<registry::Person>> ListPersons(registry::RegistryStore& store,
                                                                const ListPersonsRequest& request);

struct SearchPersonsRequest {
  registry::AsOf as_of;                        // nullopt: now
  std::string name;                            // words in any script ("" any)
  std::optional<registry::CaseStatus> status;  // only this case status
  int64_t after = 0;                           // the cursor of the page (0: the first)
  size_t limit = 100;                          // 1..1000
};

// One page of persons matching the request (Registry::FindPersons), with the cursor of the next
// page. Errors: kInvalidArgument for a limit out of 1..1000 or a name without letters.
[[nodiscard]] Result<registry::PersonPage> SearchPersons(registry::Registry& registry,
                                                         const SearchPersonsRequest& request);

struct FindDuplicatesRequest {
  registry::AsOf as_of;
  double threshold = 0.8;  // minimum score, 0..1
};

struct DuplicatePair {
  registry::DuplicateSuggestion suggestion;
  registry::Person a, b;  // the two records (suggestion.a, suggestion.b)
};

// Likely duplicates among the counted persons as of the date, best first
// (registry::SuggestDuplicates). Errors: the store's.
[[nodiscard]] Result<std::vector<DuplicatePair>> FindDuplicates(
    registry::RegistryStore& store, const FindDuplicatesRequest& request);

}  // namespace whereabouts::app
