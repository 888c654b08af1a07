#include "registry/record_rules.h"

#include <cctype>
#include <map>
#include <vector>

#include "registry/payload.h"
#include "registry/snapshot.h"

namespace whereabouts::registry {
namespace {

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

bool IsDateKey(std::string_view key) {
  return key == "date" || EndsWith(key, "_date") || EndsWith(key, "_on");
}

// The payload keys of each event type whose keys are checked here. A type that is not listed is
// checked where it is applied (registrations and corrections of persons and sites refuse an
// unknown field) or takes no user input.
const std::map<std::string_view, std::vector<std::string_view>>& KeysOfTypes() {
  static const std::map<std::string_view, std::vector<std::string_view>> table = {
      {"person.captured", {"capture", "capture_date", "captured_by", "seen_alive_by"}},
      {"person.detained", {"detention_place"}},
      {"person.icrc_visited", {"date"}},
      {"person.reported_dead", {"death_date", "death_place", "death_territory", "death_locality"}},
      {"person.body_returned", {"date"}},
      {"person.found_alive", {"date"}},
      {"person.identification_proposed",
       {"proposal", "date", "remains", "site", "site_note", "lr", "posterior", "run", "individual",
        "family", "missing", "ambiguous", "candidates", "samples", "references", "evidence"}},
      {"person.identification_rejected", {"proposal"}},
      {"person.identified",
       {"proposal", "date", "site", "remains", "ambiguity_resolved", "sex_check_overridden"}},
      {"person.identification_signed_off", {"proposal"}},
      {"person.identification_revoked", {"proposal", "date"}},
      {"person.family_notified", {"date"}},
      {"person.merged_into", {"into", "conflicts"}},
      {"person.withdrawn", {}},
      {"relative.registered",
       {"person", "name", "relationship", "sample", "consent", "sex", "father", "mother", "holder",
        "missing_person"}},
      {"relative.sample_given", {"sample", "consent", "holder"}},
      {"relative.consent_changed", {"consent"}},
      {"relative.person_changed", {"person"}},
      {"site.excavated", {"date", "team", "findings"}},
      {"hazard.registered", {"name", "hazard_status", "polygons"}},
      {"hazard.status_changed", {"hazard_status", "date"}},
      {"remains.recovered",
       {"label", "remains_kind", "site", "recovered_on", "holder", "commingled"}},
      {"remains.sampled", {"sample"}},
      {"remains.transferred", {"from", "to", "date"}},
      {"remains.handed_over", {"date", "from", "to", "relation", "person"}},
      {"remains.profile_recorded", {"sample", "profile", "source", "markers"}},
      {"incident.registered", {"date", "place", "description", "counts"}},
      {"incident.person_linked", {"person"}},
      {"incident.source_cited", {"source"}},
      {"incident.counts_corrected", {"counts"}},
      {"source.registered", {"symbol", "title", "date", "url", "sha256"}},
  };
  return table;
}

std::string Joined(const std::vector<std::string_view>& keys) {
  std::string out;
  for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out.empty() ? "none" : out;
}

Status InVocabulary(std::string_view value, const std::set<std::string, std::less<>>& allowed,
                    std::string_view what, std::string_view field) {
  if (value.empty() || allowed.count(value) > 0) return {};  // "": not stated
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown " + std::string(what) + " '" + std::string(value) +
                       "' (one of: " + AllowedValues(allowed) +
                       "; a commission adds values in data/vocabularies.json)",
                   std::string(field));
}

}  // namespace

const std::vector<std::string_view>& PedigreeRelationshipWords() {
  static const std::vector<std::string_view> words = {
      "father",
      "mother",
      "son",
      "daughter",
      "brother",
      "sister",
      "paternal_half_brother",
      "paternal_half_sister",
      "maternal_half_brother",
      "maternal_half_sister",
      "paternal_grandfather",
      "paternal_grandmother",
      "maternal_grandfather",
      "maternal_grandmother",
      "paternal_uncle",
      "paternal_aunt",
      "maternal_uncle",
      "maternal_aunt",
      "spouse",
      "other",
  };
  return words;
}

const Vocabularies& Vocabularies::Defaults() {
  static const Vocabularies v = [] {
    Vocabularies d;
    // The words app/families.h places in a pedigree (RelationshipWords), and words of older
    // records that name a relation without placing it (the family's pedigree leaves those out,
    // saying why).
    for (std::string_view w : PedigreeRelationshipWords()) d.relationships.emplace(w);
    for (const char* w :
         {"child", "sibling", "parent", "half-sibling", "grandmother", "grandfather", "grandchild",
          "aunt", "uncle", "niece", "nephew", "cousin", "relative"}) {
      d.relationships.emplace(w);
    }
    d.site_kinds = {"mass_grave", "grave", "burial", "cave", "well", "other"};
    d.incident_categories = {"killed",   "wounded",     "missing",   "captured",
                             "detained", "disappeared", "civilians", "servicemen",
                             "children", "women",       "elderly"};
    return d;
  }();
  return v;
}

std::string AllowedValues(const std::set<std::string, std::less<>>& set) {
  std::string out;
  for (const std::string& s : set) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string NormaliseRelationship(std::string_view text) {
  std::string w;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t' || c == '_') {
      if (!w.empty() && w.back() != '_') w += '_';
    } else {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!w.empty() && w.back() == '_') w.pop_back();
  if (w.rfind("full_", 0) == 0) w = w.substr(5);
  return w;
}

Result<std::string> RelationshipInVocabulary(std::string_view text, const Vocabularies& v) {
  const std::string word = NormaliseRelationship(text);
  if (word.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a relative needs a relationship",
                     "relationship");
  }
  if (v.relationships.count(word) > 0) return word;
  for (const std::string& known : v.relationships) {
    if (NormaliseRelationship(known) == word) return word;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown relationship '" + std::string(text) +
                       "' (one of: " + AllowedValues(v.relationships) +
                       "; a commission adds values in data/vocabularies.json)",
                   "relationship");
}

Status CheckNotAfterRecording(const Event& e) {
  for (const auto& [key, value] : e.payload) {
    if (value.empty()) continue;
    if (IsDateKey(key)) {
      auto d = ParseOptionalDate(value);
      if (!d || !*d) continue;  // a malformed date is refused by the event's own rules
      if (**d > e.recorded_on) {
        return MakeError(ErrorCode::kInvalidArgument,
                         key + " " + value + " is after the day it is recorded (" +
                             e.recorded_on.ToString() + "): no date may lie in the future",
                         key);
      }
    } else if (key == "birth_year_min" || key == "birth_year_max") {
      if (value.size() <= 6 && value.find_first_not_of("0123456789") == std::string::npos &&
          std::stoi(value) > e.recorded_on.Year()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         key + " " + value + " is after the year it is recorded (" +
                             std::to_string(e.recorded_on.Year()) +
                             "): no date may lie in the future",
                         key);
      }
    }
  }
  return {};
}

Status CheckEventKeys(const Event& e) {
  const auto& table = KeysOfTypes();
  auto it = table.find(e.type);
  if (it == table.end()) return {};
  for (const auto& [key, value] : e.payload) {
    bool known = false;
    for (std::string_view k : it->second) known = known || k == key;
    if (!known) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "unknown key '" + key + "' for " + e.type + " (known keys: " + Joined(it->second) + ")",
          key);
    }
  }
  return {};
}

Status CheckVocabulary(const Event& e, const Vocabularies& v) {
  if (e.type == "relative.registered") {
    const std::string_view rel = e.Get("relationship");
    if (rel.empty()) return {};  // not stated
    WB_ASSIGN_OR_RETURN(const std::string word, RelationshipInVocabulary(rel, v));
    if (word != rel) {
      // Every way in normalises first (NormaliseRelationship): the register keeps one spelling.
      return MakeError(ErrorCode::kInvalidArgument,
                       "relationship '" + std::string(rel) + "' is recorded as '" + word + "'",
                       "relationship");
    }
    return {};
  }
  if ((e.type == "site.registered" || e.type == "site.corrected") &&
      (e.type == "site.registered" || e.payload.count("site_kind") > 0)) {
    return InVocabulary(e.Get("site_kind"), v.site_kinds, "site kind", "site_kind");
  }
  if (e.type == "incident.registered" || e.type == "incident.counts_corrected") {
    auto counts = ParseCounts(e.Get("counts"));
    if (!counts) return {};  // refused with its own reason when applied
    for (const auto& [category, n] : *counts) {
      WB_RETURN_IF_ERROR(
          InVocabulary(category, v.incident_categories, "incident category", "counts"));
    }
  }
  return {};
}

Status CheckRecordRules(const Event& e, const Vocabularies& v) {
  Status s = CheckEventKeys(e);
  if (s) s = CheckNotAfterRecording(e);
  if (s) s = CheckVocabulary(e, v);
  if (!s) {
    std::string where(EntityKindName(e.kind));
    if (e.entity_id != 0) where += " " + std::to_string(e.entity_id);
    return tl::unexpected(WithContext(s.error(), where + ", " + e.type));
  }
  return {};
}

}  // namespace whereabouts::registry
