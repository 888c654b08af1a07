// Missing persons: the state of one person's case and the rules for how events change it.
// Pure: ApplyPersonEvent is the single place where person rules are enforced, used by every store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/date.h"
#include "registry/event.h"

namespace whereabouts::registry {

struct PersonId {
  int64_t value = 0;
  friend bool operator==(PersonId a, PersonId b) { return a.value == b.value; }
  friend bool operator!=(PersonId a, PersonId b) { return a.value != b.value; }
  friend bool operator<(PersonId a, PersonId b) { return a.value < b.value; }
};

enum class Sex { kUnknown, kMale, kFemale };
enum class Affiliation { kCivilian, kServiceman };
enum class CaptureKind { kNone, kPrisonerOfWar, kHostage };
// Where a reported death happened, relative to the party keeping the register.
enum class Territory { kUnknown, kOwn, kOtherParty };
enum class BodyStatus { kNotApplicable, kNotReturned, kReturned };
enum class CaseStatus { kOpen, kIdentified, kFoundAlive, kMerged, kWithdrawn };

[[nodiscard]] std::string_view Name(Sex v);
[[nodiscard]] std::string_view Name(Affiliation v);
[[nodiscard]] std::string_view Name(CaptureKind v);
[[nodiscard]] std::string_view Name(Territory v);
[[nodiscard]] std::string_view Name(BodyStatus v);
[[nodiscard]] std::string_view Name(CaseStatus v);
[[nodiscard]] Result<Sex> ParseSex(std::string_view s);
[[nodiscard]] Result<Affiliation> ParseAffiliation(std::string_view s);
[[nodiscard]] Result<CaptureKind> ParseCaptureKind(std::string_view s);
[[nodiscard]] Result<Territory> ParseTerritory(std::string_view s);
[[nodiscard]] Result<BodyStatus> ParseBodyStatus(std::string_view s);
[[nodiscard]] Result<CaseStatus> ParseCaseStatus(std::string_view s);

// The data the ICRC's guidance on the missing asks for beyond the case itself (payload keys of
// person.registered / person.corrected, like the other registration fields). Not kept in the
// store's projections: the store's reads leave it empty, and app::GetPerson fills it from the
// person's own events (registry::ApplyIcrcFields).
struct IcrcData {
  std::string birth_place;
  std::vector<std::string> identity_documents;  // "passport AB123", ...; '|'-separated in payload
  std::string informant_name;                   // who reported the disappearance
  std::string informant_relation;               // the informant's relation to the person
  std::string informant_contact;                // how to reach the informant
  std::string family_contact;                   // how to reach the family
  std::optional<Date> last_seen_date;
  std::string last_seen_place;  // separately from the place of disappearance
  std::string last_seen_by;
  std::string physical_description;

  [[nodiscard]] bool Empty() const;
};

// The payload keys of IcrcData, in the order they are shown.
[[nodiscard]] const std::vector<std::string_view>& IcrcKeys();

// Sets the IcrcData keys present in `f` on `d` (other keys are ignored). Errors: kInvalidArgument
// for a malformed last_seen_date, naming it.
[[nodiscard]] Status ApplyIcrcFields(IcrcData& d, const Fields& f);

// The state of one person's case, derived from its events. Field names are the payload keys of
// person.registered / person.corrected events and the columns of the store's projection.
struct Person {
  PersonId id;
  // Names: the primary spelling, and other spellings (other scripts, transliterations) joined by
  // '|' in the payload key "other_names".
  std::string family_name;
  std::string given_name;
  std::string father_name;
  std::vector<std::string> other_names;
  Sex sex = Sex::kUnknown;
  std::optional<Date> birth_date;
  std::optional<int> birth_year_min;  // an age range when the birth date is unknown
  std::optional<int> birth_year_max;
  Affiliation affiliation = Affiliation::kCivilian;
  std::string unit;  // servicemen only
  std::optional<Date> disappearance_date;
  std::string disappearance_place;
  std::string circumstances;
  // Captured alive (prisoner of war or hostage), by whom, and who saw the person alive.
  CaptureKind capture = CaptureKind::kNone;
  std::optional<Date> capture_date;
  std::string captured_by;
  std::string seen_alive_by;
  std::string detention_place;
  int icrc_visits = 0;
  std::optional<Date> last_icrc_visit;
  // Reported dead.
  bool reported_dead = false;
  std::optional<Date> death_date;
  std::string death_place;
  Territory death_territory = Territory::kUnknown;
  std::string death_locality;  // the city or district of death, for breakdowns
  BodyStatus body = BodyStatus::kNotApplicable;
  std::optional<Date> body_returned_on;
  // Outcome of the case.
  CaseStatus status = CaseStatus::kOpen;
  std::optional<Date> identified_on;
  int64_t identified_site = 0;     // site id the identified remains came from (0: none/unknown)
  std::string identified_remains;  // remains labels, '|'-separated
  std::optional<Date> family_notified_on;
  int64_t merged_into = 0;
  // The ICRC's minimum data (see IcrcData: empty in what the store reads).
  IcrcData icrc;
  // Bookkeeping.
  Date registered_on;
  Date last_event_on;
  int64_t last_seq = 0;

  // "Family Given Father" (names that are empty are skipped).
  [[nodiscard]] std::string FullName() const;
  // False for merged and withdrawn records: they are not counted as registered missing.
  [[nodiscard]] bool Counted() const {
    return status != CaseStatus::kMerged && status != CaseStatus::kWithdrawn;
  }
};

// The event types that change a person, with the payload keys each takes.
//   person.registered   any field of Person (names, sex, birth_date, ...); family_name or
//                       given_name required
//   person.corrected    any field of the registration (a correction; the old value stays in the
//                       history)
//   person.captured     capture (prisoner_of_war|hostage), capture_date, captured_by,
//                       seen_alive_by
//   person.detained     detention_place
//   person.icrc_visited date
//   person.reported_dead death_date, death_place, death_territory, death_locality
//   person.body_returned date
//   person.identification_proposed proposal, date, remains, site, lr, posterior, run, ...
//                       (changes no field; see registry/identification.h)
//   person.identification_rejected proposal (changes no field)
//   person.identified   date, site, remains, proposal (the confirmation of a proposal; the
//                       Registry requires the proposal, see registry/identification.h)
//   person.identification_signed_off proposal (the four-eyes sign-off of a confirmed proposal by
//                       a second person; changes no field; see registry/identification.h)
//   person.identification_revoked proposal, date (a confirmed identification withdrawn, with a
//                       reason: the case is open again, without identification or notification)
//   person.family_notified date (the Registry requires a signed-off identification)
//   person.found_alive  date
//   person.merged_into  into (the person id that keeps the case)
//   person.withdrawn    (registered in error; the reason says why)
//
// Applies `event` to `current` (nullopt before registration) and returns the new state.
// Errors: kFailedPrecondition naming the rule broken (death before birth, an ICRC visit to someone
// not captured, a body returned before a death was reported, an event on a merged record, an event
// recorded before the person's last one); kInvalidArgument for a malformed value (field named).
// Thread-safe (pure).
[[nodiscard]] Result<Person> ApplyPersonEvent(const std::optional<Person>& current,
                                              const Event& event);

// Checks the invariants that hold for every state (dates in order, ranges sane).
[[nodiscard]] Status CheckPerson(const Person& p);

// Age limits for the derived categories "child" and "elderly" (never stored by hand).
struct AgeLimits {
  int child_below = 18;
  int elderly_from = 60;
};

// The categories of a civilian used in figures; a partition (every person has exactly one).
// kAgeUnknown: no age at disappearance, or a birth range whose ages straddle a limit (not
// guessed); kSexUnknown: an adult (certainly between the limits) of unknown sex.
enum class AgeCategory { kChild, kElderly, kWoman, kMan, kAgeUnknown, kSexUnknown };
[[nodiscard]] std::string_view Name(AgeCategory c);

// Age at disappearance (else at capture), exact from the birth date or bounded by the birth-year
// range: [min_age, max_age]. nullopt when unknown.
struct AgeRange {
  int min_age = 0;
  int max_age = 0;
};
[[nodiscard]] std::optional<AgeRange> AgeAtDisappearance(const Person& p);

// child: certainly under child_below; elderly: certainly at least elderly_from; woman (female)
// or man (male) when certainly between the limits; otherwise age_unknown (no age, or a range
// across a limit: a girl born 1976-1978 who disappeared in 1994 may have been 15 to 18) or, for
// an adult of unknown sex, sex_unknown.
[[nodiscard]] AgeCategory CategoryOf(const Person& p, const AgeLimits& limits);

}  // namespace whereabouts::registry
