// What the SQLite and PostgreSQL stores share: how a person's state is laid out in the columns of
// person_versions and person_facts, and how an event's payload is stored (a JSON object). Each
// store supplies the database side: a parameter sink with Add(value) taking the values in column
// order, and a row reader with Int(c), Text(c), OptDate(c) and OptInt(c) by column index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "registry/event.h"
#include "registry/person.h"

namespace whereabouts::store {

// Other names are stored as one text, separated by '|'.
[[nodiscard]] std::string JoinNames(const std::vector<std::string>& parts);
[[nodiscard]] std::vector<std::string> SplitNames(const std::string& text);

// An event payload as a JSON object of strings, and back (a non-string value is kept as its JSON
// text). Errors: kIo for text that is not a JSON object (a damaged database).
[[nodiscard]] std::string PayloadToJson(const registry::Fields& fields);
[[nodiscard]] Result<registry::Fields> PayloadFromJson(const std::string& text);

// An enum stored as its code in person_facts; a code out of range means a damaged database.
template <typename E>
[[nodiscard]] Result<E> EnumFromCode(int64_t v, E last) {
  if (v < 0 || v > static_cast<int64_t>(last)) {
    return MakeError(ErrorCode::kIo, "corrupt person_facts row: enum code " + std::to_string(v));
  }
  return static_cast<E>(v);
}

// The names of the columns AddPersonColumns and AddFactColumns fill, in order.
inline constexpr const char* kPersonColumnNames[] = {"family_name",
                                                     "given_name",
                                                     "father_name",
                                                     "other_names",
                                                     "sex",
                                                     "birth_date",
                                                     "birth_year_min",
                                                     "birth_year_max",
                                                     "affiliation",
                                                     "unit",
                                                     "disappearance_date",
                                                     "disappearance_place",
                                                     "circumstances",
                                                     "capture",
                                                     "capture_date",
                                                     "captured_by",
                                                     "seen_alive_by",
                                                     "detention_place",
                                                     "icrc_visits",
                                                     "last_icrc_visit",
                                                     "reported_dead",
                                                     "death_date",
                                                     "death_place",
                                                     "death_territory",
                                                     "death_locality",
                                                     "body",
                                                     "body_returned_on",
                                                     "status",
                                                     "identified_on",
                                                     "identified_site",
                                                     "identified_remains",
                                                     "family_notified_on",
                                                     "merged_into",
                                                     "registered_on",
                                                     "last_event_on"};
inline constexpr const char* kFactColumnNames[] = {"sex",
                                                   "birth_date",
                                                   "birth_year_min",
                                                   "birth_year_max",
                                                   "affiliation",
                                                   "disappearance_date",
                                                   "capture",
                                                   "capture_date",
                                                   "icrc_visits",
                                                   "reported_dead",
                                                   "death_territory",
                                                   "death_locality",
                                                   "body",
                                                   "status",
                                                   "identified_site",
                                                   "identified_remains",
                                                   "family_notified_on",
                                                   "merged_into",
                                                   "identified_on"};

// The person_versions columns after (person_id, seq, valid_from), in order.
template <typename Sink>
void AddPersonColumns(Sink& out, const registry::Person& p) {
  using registry::Name;
  out.Add(p.family_name);
  out.Add(p.given_name);
  out.Add(p.father_name);
  out.Add(JoinNames(p.other_names));
  out.Add(Name(p.sex));
  out.Add(p.birth_date);
  out.Add(p.birth_year_min);
  out.Add(p.birth_year_max);
  out.Add(Name(p.affiliation));
  out.Add(p.unit);
  out.Add(p.disappearance_date);
  out.Add(p.disappearance_place);
  out.Add(p.circumstances);
  out.Add(Name(p.capture));
  out.Add(p.capture_date);
  out.Add(p.captured_by);
  out.Add(p.seen_alive_by);
  out.Add(p.detention_place);
  out.Add(static_cast<int64_t>(p.icrc_visits));
  out.Add(p.last_icrc_visit);
  out.Add(static_cast<int64_t>(p.reported_dead ? 1 : 0));
  out.Add(p.death_date);
  out.Add(p.death_place);
  out.Add(Name(p.death_territory));
  out.Add(p.death_locality);
  out.Add(Name(p.body));
  out.Add(p.body_returned_on);
  out.Add(Name(p.status));
  out.Add(p.identified_on);
  out.Add(p.identified_site);
  out.Add(p.identified_remains);
  out.Add(p.family_notified_on);
  out.Add(p.merged_into);
  out.Add(static_cast<int64_t>(p.registered_on.days));
  out.Add(static_cast<int64_t>(p.last_event_on.days));
}

// A person from a row holding person_id, seq, then the person_versions columns.
// Errors: kInvalidArgument for a stored name of an enum that is not known (a damaged database).
template <typename Row>
[[nodiscard]] Result<registry::Person> ReadPersonColumns(const Row& row) {
  using registry::Date;
  registry::Person p;
  int c = 0;
  p.id = registry::PersonId{row.Int(c++)};
  p.last_seq = row.Int(c++);
  p.family_name = row.Text(c++);
  p.given_name = row.Text(c++);
  p.father_name = row.Text(c++);
  p.other_names = SplitNames(row.Text(c++));
  WB_ASSIGN_OR_RETURN(p.sex, registry::ParseSex(row.Text(c++)));
  p.birth_date = row.OptDate(c++);
  p.birth_year_min = row.OptInt(c++);
  p.birth_year_max = row.OptInt(c++);
  WB_ASSIGN_OR_RETURN(p.affiliation, registry::ParseAffiliation(row.Text(c++)));
  p.unit = row.Text(c++);
  p.disappearance_date = row.OptDate(c++);
  p.disappearance_place = row.Text(c++);
  p.circumstances = row.Text(c++);
  WB_ASSIGN_OR_RETURN(p.capture, registry::ParseCaptureKind(row.Text(c++)));
  p.capture_date = row.OptDate(c++);
  p.captured_by = row.Text(c++);
  p.seen_alive_by = row.Text(c++);
  p.detention_place = row.Text(c++);
  p.icrc_visits = static_cast<int>(row.Int(c++));
  p.last_icrc_visit = row.OptDate(c++);
  p.reported_dead = row.Int(c++) != 0;
  p.death_date = row.OptDate(c++);
  p.death_place = row.Text(c++);
  WB_ASSIGN_OR_RETURN(p.death_territory, registry::ParseTerritory(row.Text(c++)));
  p.death_locality = row.Text(c++);
  WB_ASSIGN_OR_RETURN(p.body, registry::ParseBodyStatus(row.Text(c++)));
  p.body_returned_on = row.OptDate(c++);
  WB_ASSIGN_OR_RETURN(p.status, registry::ParseCaseStatus(row.Text(c++)));
  p.identified_on = row.OptDate(c++);
  p.identified_site = row.Int(c++);
  p.identified_remains = row.Text(c++);
  p.family_notified_on = row.OptDate(c++);
  p.merged_into = row.Int(c++);
  p.registered_on = Date{static_cast<int32_t>(row.Int(c++))};
  p.last_event_on = Date{static_cast<int32_t>(row.Int(c++))};
  return p;
}

// The person_facts columns after (person_id, seq, valid_from), in order (enums as codes).
template <typename Sink>
void AddFactColumns(Sink& out, const registry::Person& p) {
  out.Add(static_cast<int64_t>(p.sex));
  out.Add(p.birth_date);
  out.Add(p.birth_year_min);
  out.Add(p.birth_year_max);
  out.Add(static_cast<int64_t>(p.affiliation));
  out.Add(p.disappearance_date);
  out.Add(static_cast<int64_t>(p.capture));
  out.Add(p.capture_date);
  out.Add(static_cast<int64_t>(p.icrc_visits));
  out.Add(static_cast<int64_t>(p.reported_dead ? 1 : 0));
  out.Add(static_cast<int64_t>(p.death_territory));
  out.Add(p.death_locality);
  out.Add(static_cast<int64_t>(p.body));
  out.Add(static_cast<int64_t>(p.status));
  out.Add(p.identified_site);
  out.Add(p.identified_remains);
  out.Add(p.family_notified_on);
  out.Add(p.merged_into);
  out.Add(p.identified_on);
}

// Fills the fields figures read into `p` from a row holding person_id, then the person_facts
// columns. Errors: kIo for an enum code out of range.
template <typename Row>
[[nodiscard]] Status ReadFactColumns(const Row& row, registry::Person& p) {
  using registry::CaseStatus;
  int c = 0;
  p.id = registry::PersonId{row.Int(c++)};
  WB_ASSIGN_OR_RETURN(p.sex, EnumFromCode(row.Int(c++), registry::Sex::kFemale));
  p.birth_date = row.OptDate(c++);
  p.birth_year_min = row.OptInt(c++);
  p.birth_year_max = row.OptInt(c++);
  WB_ASSIGN_OR_RETURN(p.affiliation, EnumFromCode(row.Int(c++), registry::Affiliation::kServiceman));
  p.disappearance_date = row.OptDate(c++);
  WB_ASSIGN_OR_RETURN(p.capture, EnumFromCode(row.Int(c++), registry::CaptureKind::kHostage));
  p.capture_date = row.OptDate(c++);
  p.icrc_visits = static_cast<int>(row.Int(c++));
  p.reported_dead = row.Int(c++) != 0;
  WB_ASSIGN_OR_RETURN(p.death_territory, EnumFromCode(row.Int(c++), registry::Territory::kOtherParty));
  p.death_locality = row.Text(c++);
  WB_ASSIGN_OR_RETURN(p.body, EnumFromCode(row.Int(c++), registry::BodyStatus::kReturned));
  WB_ASSIGN_OR_RETURN(p.status, EnumFromCode(row.Int(c++), CaseStatus::kWithdrawn));
  p.identified_site = row.Int(c++);
  p.identified_remains = row.Text(c++);
  p.family_notified_on = row.OptDate(c++);
  p.merged_into = row.Int(c++);
  p.identified_on = row.OptDate(c++);
  return {};
}

}  // namespace whereabouts::store
