#include "registry/person.h"

#include <charconv>

#include "registry/payload.h"

namespace whereabouts::registry {
namespace {

template <typename E, size_t N>
Result<E> ParseEnum(std::string_view s, const E (&values)[N], std::string_view what) {
  for (E v : values) {
    if (Name(v) == s) return v;
  }
  std::string allowed;
  for (E v : values) allowed += (allowed.empty() ? "" : ", ") + std::string(Name(v));
  return MakeError(
      ErrorCode::kInvalidArgument,
      "unknown " + std::string(what) + " '" + std::string(s) + "' (one of: " + allowed + ")",
      std::string(what));
}

Result<int> ParseInt(std::string_view s, std::string_view field) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "expected a whole number", std::string(field));
  }
  return v;
}

std::vector<std::string> SplitBar(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    size_t bar = s.find('|', start);
    if (bar == std::string_view::npos) bar = s.size();
    if (bar > start) out.emplace_back(s.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

bool IsIcrcKey(std::string_view key) {
  for (std::string_view k : IcrcKeys()) {
    if (k == key) return true;
  }
  return false;
}

Error Rule(std::string message, std::string_view field = {}) {
  return Error{ErrorCode::kFailedPrecondition, std::move(message), std::string(field)};
}

// Sets the registration fields present in `f` on `p`.
Status SetRegistrationFields(Person& p, const Fields& f) {
  for (const auto& [key, value] : f) {
    if (key == "family_name")
      p.family_name = value;
    else if (key == "given_name")
      p.given_name = value;
    else if (key == "father_name")
      p.father_name = value;
    else if (key == "other_names")
      p.other_names = SplitBar(value);
    else if (key == "sex") {
      WB_ASSIGN_OR_RETURN(p.sex, ParseSex(value));
    } else if (key == "birth_date") {
      WB_ASSIGN_OR_RETURN(p.birth_date, ParseDateField(value, key));
    } else if (key == "birth_year_min" || key == "birth_year_max") {
      std::optional<int> y;
      if (!value.empty()) {
        WB_ASSIGN_OR_RETURN(y, ParseInt(value, key));
      }
      (key == "birth_year_min" ? p.birth_year_min : p.birth_year_max) = y;
    } else if (key == "affiliation") {
      WB_ASSIGN_OR_RETURN(p.affiliation, ParseAffiliation(value));
    } else if (key == "unit")
      p.unit = value;
    else if (key == "disappearance_date") {
      WB_ASSIGN_OR_RETURN(p.disappearance_date, ParseDateField(value, key));
    } else if (key == "disappearance_place")
      p.disappearance_place = value;
    else if (key == "circumstances")
      p.circumstances = value;
    // Corrections may also fix what later events recorded.
    else if (key == "capture") {
      WB_ASSIGN_OR_RETURN(p.capture, ParseCaptureKind(value));
    } else if (key == "capture_date") {
      WB_ASSIGN_OR_RETURN(p.capture_date, ParseDateField(value, key));
    } else if (key == "captured_by")
      p.captured_by = value;
    else if (key == "seen_alive_by")
      p.seen_alive_by = value;
    else if (key == "detention_place")
      p.detention_place = value;
    else if (key == "death_date") {
      WB_ASSIGN_OR_RETURN(p.death_date, ParseDateField(value, key));
    } else if (key == "death_place")
      p.death_place = value;
    else if (key == "death_territory") {
      WB_ASSIGN_OR_RETURN(p.death_territory, ParseTerritory(value));
    } else if (key == "death_locality")
      p.death_locality = value;
    else if (IsIcrcKey(key)) {
      const Fields one{{key, value}};
      WB_RETURN_IF_ERROR(ApplyIcrcFields(p.icrc, one));
    } else
      return tl::unexpected(Error{ErrorCode::kInvalidArgument, "unknown person field", key});
  }
  return {};
}

}  // namespace

bool IcrcData::Empty() const {
  return birth_place.empty() && identity_documents.empty() && informant_name.empty() &&
         informant_relation.empty() && informant_contact.empty() && family_contact.empty() &&
         !last_seen_date && last_seen_place.empty() && last_seen_by.empty() &&
         physical_description.empty();
}

const std::vector<std::string_view>& IcrcKeys() {
  static const std::vector<std::string_view> keys = {
      "birth_place",       "identity_documents",  "informant_name", "informant_relation",
      "informant_contact", "family_contact",      "last_seen_date", "last_seen_place",
      "last_seen_by",      "physical_description"};
  return keys;
}

Status ApplyIcrcFields(IcrcData& d, const Fields& f) {
  for (const auto& [key, value] : f) {
    if (key == "birth_place") {
      d.birth_place = value;
    } else if (key == "identity_documents") {
      d.identity_documents = SplitBar(value);
    } else if (key == "informant_name") {
      d.informant_name = value;
    } else if (key == "informant_relation") {
      d.informant_relation = value;
    } else if (key == "informant_contact") {
      d.informant_contact = value;
    } else if (key == "family_contact") {
      d.family_contact = value;
    } else if (key == "last_seen_date") {
      WB_ASSIGN_OR_RETURN(d.last_seen_date, ParseDateField(value, key));
    } else if (key == "last_seen_place") {
      d.last_seen_place = value;
    } else if (key == "last_seen_by") {
      d.last_seen_by = value;
    } else if (key == "physical_description") {
      d.physical_description = value;
    }
  }
  return {};
}

std::string_view Name(Sex v) {
  switch (v) {
    case Sex::kUnknown:
      return "unknown";
    case Sex::kMale:
      return "male";
    case Sex::kFemale:
      return "female";
  }
  return "unknown";
}
std::string_view Name(Affiliation v) {
  return v == Affiliation::kServiceman ? "serviceman" : "civilian";
}
std::string_view Name(CaptureKind v) {
  switch (v) {
    case CaptureKind::kNone:
      return "none";
    case CaptureKind::kPrisonerOfWar:
      return "prisoner_of_war";
    case CaptureKind::kHostage:
      return "hostage";
  }
  return "none";
}
std::string_view Name(Territory v) {
  switch (v) {
    case Territory::kUnknown:
      return "unknown";
    case Territory::kOwn:
      return "own";
    case Territory::kOtherParty:
      return "other_party";
  }
  return "unknown";
}
std::string_view Name(BodyStatus v) {
  switch (v) {
    case BodyStatus::kNotApplicable:
      return "not_applicable";
    case BodyStatus::kNotReturned:
      return "not_returned";
    case BodyStatus::kReturned:
      return "returned";
  }
  return "not_applicable";
}
std::string_view Name(CaseStatus v) {
  switch (v) {
    case CaseStatus::kOpen:
      return "open";
    case CaseStatus::kIdentified:
      return "identified";
    case CaseStatus::kFoundAlive:
      return "found_alive";
    case CaseStatus::kMerged:
      return "merged";
    case CaseStatus::kWithdrawn:
      return "withdrawn";
  }
  return "open";
}
std::string_view Name(AgeCategory c) {
  switch (c) {
    case AgeCategory::kChild:
      return "child";
    case AgeCategory::kElderly:
      return "elderly";
    case AgeCategory::kWoman:
      return "woman";
    case AgeCategory::kMan:
      return "man";
    case AgeCategory::kAgeUnknown:
      return "age_unknown";
    case AgeCategory::kSexUnknown:
      return "sex_unknown";
  }
  return "man";
}

Result<Sex> ParseSex(std::string_view s) {
  static constexpr Sex kAll[] = {Sex::kUnknown, Sex::kMale, Sex::kFemale};
  if (s.empty()) return Sex::kUnknown;
  return ParseEnum(s, kAll, "sex");
}
Result<Affiliation> ParseAffiliation(std::string_view s) {
  static constexpr Affiliation kAll[] = {Affiliation::kCivilian, Affiliation::kServiceman};
  return ParseEnum(s, kAll, "affiliation");
}
Result<CaptureKind> ParseCaptureKind(std::string_view s) {
  static constexpr CaptureKind kAll[] = {CaptureKind::kNone, CaptureKind::kPrisonerOfWar,
                                         CaptureKind::kHostage};
  return ParseEnum(s, kAll, "capture");
}
Result<Territory> ParseTerritory(std::string_view s) {
  static constexpr Territory kAll[] = {Territory::kUnknown, Territory::kOwn,
                                       Territory::kOtherParty};
  if (s.empty()) return Territory::kUnknown;
  return ParseEnum(s, kAll, "death_territory");
}
Result<BodyStatus> ParseBodyStatus(std::string_view s) {
  static constexpr BodyStatus kAll[] = {BodyStatus::kNotApplicable, BodyStatus::kNotReturned,
                                        BodyStatus::kReturned};
  return ParseEnum(s, kAll, "body");
}
Result<CaseStatus> ParseCaseStatus(std::string_view s) {
  static constexpr CaseStatus kAll[] = {CaseStatus::kOpen, CaseStatus::kIdentified,
                                        CaseStatus::kFoundAlive, CaseStatus::kMerged,
                                        CaseStatus::kWithdrawn};
  return ParseEnum(s, kAll, "status");
}

std::string Person::FullName() const {
  std::string out;
  for (const std::string* part : {&family_name, &given_name, &father_name}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ' ';
    out += *part;
  }
  return out;
}

Status CheckPerson(const Person& p) {
  if (p.family_name.empty() && p.given_name.empty()) {
    return tl::unexpected(Rule("a person needs a family or given name", "family_name"));
  }
  if (p.birth_year_min && p.birth_year_max && *p.birth_year_min > *p.birth_year_max) {
    return tl::unexpected(Rule("birth_year_min is after birth_year_max", "birth_year_min"));
  }
  auto not_before_birth = [&](const std::optional<Date>& d, std::string_view field,
                              std::string_view what) -> Status {
    if (d && p.birth_date && *d < *p.birth_date) {
      return tl::unexpected(Rule(std::string(what) + " is before the date of birth", field));
    }
    if (d && p.birth_year_min && d->Year() < *p.birth_year_min) {
      return tl::unexpected(Rule(std::string(what) + " is before the earliest birth year", field));
    }
    return {};
  };
  WB_RETURN_IF_ERROR(not_before_birth(p.disappearance_date, "disappearance_date", "disappearance"));
  WB_RETURN_IF_ERROR(not_before_birth(p.capture_date, "capture_date", "capture"));
  WB_RETURN_IF_ERROR(not_before_birth(p.death_date, "death_date", "death"));
  WB_RETURN_IF_ERROR(not_before_birth(p.icrc.last_seen_date, "last_seen_date", "last seen"));
  if (p.death_date && p.capture_date && *p.death_date < *p.capture_date &&
      p.capture != CaptureKind::kNone) {
    return tl::unexpected(
        Rule("death is before the capture at which the person was seen alive", "death_date"));
  }
  if (p.affiliation == Affiliation::kCivilian && !p.unit.empty()) {
    return tl::unexpected(Rule("a civilian has no military unit", "unit"));
  }
  if (p.icrc_visits > 0 && p.capture == CaptureKind::kNone) {
    return tl::unexpected(Rule("an ICRC visit needs a recorded capture or detention", "capture"));
  }
  if (p.body != BodyStatus::kNotApplicable && !p.reported_dead) {
    return tl::unexpected(Rule("a body can be returned only after a death was reported", "body"));
  }
  return {};
}

Result<Person> ApplyPersonEvent(const std::optional<Person>& current, const Event& e) {
  const std::string where = "person " + std::to_string(e.entity_id) + ", " + e.type;
  auto fail = [&](Error err) { return tl::unexpected(WithContext(std::move(err), where)); };
  if (e.kind != EntityKind::kPerson) return fail(Rule("not a person event"));
  if (e.type == "person.registered") {
    if (current)
      return fail(Error{ErrorCode::kAlreadyExists, "the person is already registered", ""});
    Person p;
    p.id = PersonId{e.entity_id};
    p.registered_on = e.recorded_on;
    p.last_event_on = e.recorded_on;
    p.last_seq = e.seq;
    if (auto s = SetRegistrationFields(p, e.payload); !s) return fail(s.error());
    if (auto s = CheckPerson(p); !s) return fail(s.error());
    return p;
  }
  if (!current) return fail(Error{ErrorCode::kNotFound, "no such person", ""});
  Person p = *current;
  if (e.recorded_on < p.last_event_on) {
    return fail(Rule("recorded on " + e.recorded_on.ToString() +
                     ", before the person's last event (" + p.last_event_on.ToString() +
                     "); history is only appended"));
  }
  if (p.status == CaseStatus::kMerged) {
    return fail(Rule("the record was merged into person " + std::to_string(p.merged_into) +
                     "; record events there"));
  }
  p.last_event_on = e.recorded_on;
  p.last_seq = e.seq;
  auto date_of = [&](std::string_view key) -> Result<std::optional<Date>> {
    return ParseDateField(e.Get(key), key);
  };
  auto required_date = [&](std::string_view key) -> Result<Date> {
    WB_ASSIGN_OR_RETURN(auto d, date_of(key));
    if (!d) return MakeError(ErrorCode::kInvalidArgument, "a date is required", std::string(key));
    return *d;
  };
  const std::string& t = e.type;
  if (t == "person.corrected") {
    if (auto s = SetRegistrationFields(p, e.payload); !s) return fail(s.error());
  } else if (t == "person.captured") {
    auto kind = ParseCaptureKind(e.Get("capture"));
    if (!kind) return fail(kind.error());
    if (*kind == CaptureKind::kNone)
      return fail(Rule("capture must be prisoner_of_war or hostage", "capture"));
    if (p.reported_dead) return fail(Rule("the person was already reported dead"));
    p.capture = *kind;
    auto d = date_of("capture_date");
    if (!d) return fail(d.error());
    p.capture_date = *d;
    p.captured_by = std::string(e.Get("captured_by"));
    p.seen_alive_by = std::string(e.Get("seen_alive_by"));
  } else if (t == "person.detained") {
    if (p.capture == CaptureKind::kNone)
      return fail(Rule("a detention place needs a recorded capture"));
    p.detention_place = std::string(e.Get("detention_place"));
  } else if (t == "person.icrc_visited") {
    if (p.capture == CaptureKind::kNone) {
      return fail(Rule("an ICRC visit needs a recorded capture or detention"));
    }
    auto d = required_date("date");
    if (!d) return fail(d.error());
    if (p.capture_date && *d < *p.capture_date)
      return fail(Rule("the visit is before the capture", "date"));
    ++p.icrc_visits;
    p.last_icrc_visit = *d;
  } else if (t == "person.reported_dead") {
    if (p.status == CaseStatus::kFoundAlive) return fail(Rule("the person was found alive"));
    auto d = date_of("death_date");
    if (!d) return fail(d.error());
    auto terr = ParseTerritory(e.Get("death_territory"));
    if (!terr) return fail(terr.error());
    p.reported_dead = true;
    p.death_date = *d;
    p.death_place = std::string(e.Get("death_place"));
    p.death_territory = *terr;
    p.death_locality = std::string(e.Get("death_locality"));
    if (p.body == BodyStatus::kNotApplicable) p.body = BodyStatus::kNotReturned;
    if (p.death_date && p.last_icrc_visit && *p.death_date < *p.last_icrc_visit) {
      return fail(
          Rule("death is before an ICRC visit at which the person was seen alive", "death_date"));
    }
  } else if (t == "person.body_returned") {
    if (!p.reported_dead)
      return fail(Rule("a body can be returned only after a death was reported"));
    if (p.body == BodyStatus::kReturned) return fail(Rule("the body was already returned"));
    auto d = required_date("date");
    if (!d) return fail(d.error());
    if (p.death_date && *d < *p.death_date)
      return fail(Rule("the return is before the death", "date"));
    p.body = BodyStatus::kReturned;
    p.body_returned_on = *d;
  } else if (t == "person.identified") {
    if (p.status != CaseStatus::kOpen) {
      return fail(Rule("the case is " + std::string(Name(p.status)) + ", not open"));
    }
    auto d = required_date("date");
    if (!d) return fail(d.error());
    p.status = CaseStatus::kIdentified;
    p.identified_on = *d;
    if (auto s = e.Get("site"); !s.empty()) {
      auto id = ParseId(s, "site");
      if (!id) return fail(id.error());
      p.identified_site = *id;
    }
    p.identified_remains = std::string(e.Get("remains"));
  } else if (t == "person.identification_proposed") {
    // A proposal changes no field of the case: it waits for a person to confirm it
    // (person.identified) or reject it (registry/identification.h).
    if (p.status != CaseStatus::kOpen) {
      return fail(Rule("the case is " + std::string(Name(p.status)) + ", not open"));
    }
    auto d = required_date("date");
    if (!d) return fail(d.error());
  } else if (t == "person.identification_revoked") {
    // A confirmed identification withdrawn: the case is open again (which proposal, who and why
    // are the register's rules, registry/identification.h).
    if (p.status != CaseStatus::kIdentified) {
      return fail(Rule("the case is " + std::string(Name(p.status)) +
                       "; only an identified person's identification is revoked"));
    }
    if (e.reason.empty()) return fail(Rule("a revocation needs a reason", "reason"));
    p.status = CaseStatus::kOpen;
    p.identified_on.reset();
    p.identified_site = 0;
    p.identified_remains.clear();
    p.family_notified_on.reset();
  } else if (t == "person.identification_rejected") {
    if (e.reason.empty()) return fail(Rule("a rejection needs a reason", "reason"));
  } else if (t == "person.identification_signed_off") {
    // The four-eyes sign-off of a confirmed identification changes no field of the case; its
    // rules are the register's (registry/identification.h).
    if (e.reason.empty()) return fail(Rule("a sign-off needs a reason", "reason"));
  } else if (t == "person.family_notified") {
    if (p.status != CaseStatus::kIdentified) {
      return fail(Rule("the family can be notified only of an identification"));
    }
    auto d = required_date("date");
    if (!d) return fail(d.error());
    if (*d < *p.identified_on)
      return fail(Rule("the notification is before the identification", "date"));
    p.family_notified_on = *d;
  } else if (t == "person.found_alive") {
    if (p.status != CaseStatus::kOpen) {
      return fail(Rule("the case is " + std::string(Name(p.status)) + ", not open"));
    }
    if (p.reported_dead) return fail(Rule("the person was reported dead; correct that first"));
    p.status = CaseStatus::kFoundAlive;
  } else if (t == "person.merged_into") {
    auto into = ParseId(e.Get("into"), "into");
    if (!into) return fail(into.error());
    if (*into == p.id.value || *into == 0)
      return fail(Rule("a person cannot be merged into itself", "into"));
    p.status = CaseStatus::kMerged;
    p.merged_into = *into;
  } else if (t == "person.withdrawn") {
    if (e.reason.empty()) return fail(Rule("a withdrawal needs a reason", "reason"));
    p.status = CaseStatus::kWithdrawn;
  } else {
    return fail(Error{ErrorCode::kInvalidArgument, "unknown event type", "type"});
  }
  if (auto s = CheckPerson(p); !s) return fail(s.error());
  return p;
}

std::optional<AgeRange> AgeAtDisappearance(const Person& p) {
  std::optional<Date> at = p.disappearance_date ? p.disappearance_date : p.capture_date;
  if (!at) return std::nullopt;
  if (p.birth_date) {
    int a = AgeInYears(*p.birth_date, *at);
    return AgeRange{a, a};
  }
  if (p.birth_year_min || p.birth_year_max) {
    const int ymin = p.birth_year_min.value_or(*p.birth_year_max);
    const int ymax = p.birth_year_max.value_or(*p.birth_year_min);
    return AgeRange{std::max(0, at->Year() - ymax - 1), at->Year() - ymin};
  }
  return std::nullopt;
}

AgeCategory CategoryOf(const Person& p, const AgeLimits& limits) {
  const auto age = AgeAtDisappearance(p);
  if (!age) return AgeCategory::kAgeUnknown;
  if (age->max_age < limits.child_below) return AgeCategory::kChild;
  if (age->min_age >= limits.elderly_from) return AgeCategory::kElderly;
  if (age->min_age < limits.child_below || age->max_age >= limits.elderly_from) {
    return AgeCategory::kAgeUnknown;  // the range straddles a limit: not guessed
  }
  if (p.sex == Sex::kFemale) return AgeCategory::kWoman;
  if (p.sex == Sex::kMale) return AgeCategory::kMan;
  return AgeCategory::kSexUnknown;
}

}  // namespace whereabouts::registry
