#include "io/registry_csv.h"

#include "common/numbers.h"
#include "registry/person.h"
#include "registry/record_rules.h"

namespace whereabouts::io {
namespace {

const char* const kPersonColumns[] = {
    "family_name", "given_name", "father_name", "other_names", "sex", "birth_date",
    "birth_year_min", "birth_year_max", "affiliation", "unit", "disappearance_date",
    "disappearance_place", "circumstances",
    // the ICRC's minimum data (identity_documents '|'-separated)
    "birth_place", "identity_documents", "informant_name", "informant_relation",
    "informant_contact", "family_contact", "last_seen_date", "last_seen_place", "last_seen_by",
    "physical_description"};
const char* const kRelativeColumns[] = {"person", "name", "relationship", "sample", "consent"};
// Columns every import file may have besides its own.
const char* const kEventColumns[] = {"id", "recorded_on"};

// The columns a file of `own` columns may have: a misspelled one ("birthdate") would otherwise
// be dropped without a word.
template <size_t N>
std::vector<std::string> KnownColumns(const char* const (&own)[N]) {
  std::vector<std::string> out(std::begin(own), std::end(own));
  out.insert(out.end(), std::begin(kEventColumns), std::end(kEventColumns));
  return out;
}

// The events of an import, one per row: the same kind, type, actor and reason; the date and the
// entity id from the row's recorded_on and id columns when it fills them.
class RowEvents {
 public:
  RowEvents(const DelimitedTable& t, registry::EntityKind kind, std::string type,
            registry::Date recorded_on, const std::string& actor, const std::string& reason)
      : t_(t), id_col_(t.Column("id")), rec_col_(t.Column("recorded_on")) {
    base_.kind = kind;
    base_.type = std::move(type);
    base_.recorded_on = recorded_on;
    base_.actor = actor;
    base_.reason = reason;
  }

  // The event of `row`, with an empty payload. Errors: a malformed recorded_on or id, naming the
  // cell.
  [[nodiscard]] Result<registry::Event> For(const DelimitedRow& row) const {
    registry::Event e = base_;
    if (const std::string& cell = t_.Cell(row, rec_col_); !cell.empty()) {
      auto d = registry::Date::Parse(cell);
      if (!d) return tl::unexpected(WithContext(d.error(), t_.Where(row, rec_col_)));
      e.recorded_on = *d;
    }
    if (id_col_ >= 0 && !t_.Cell(row, id_col_).empty()) {
      WB_ASSIGN_OR_RETURN(e.entity_id,
                          ParseEntityId(t_.Cell(row, id_col_), t_.Where(row, id_col_)));
    }
    return e;
  }

 private:
  const DelimitedTable& t_;
  int id_col_;
  int rec_col_;
  registry::Event base_;
};

}  // namespace

Result<std::vector<registry::Event>> PersonsFromCsv(const DelimitedTable& t,
                                                    registry::Date recorded_on,
                                                    const std::string& actor,
                                                    const std::string& reason) {
  WB_RETURN_IF_ERROR(t.RequireKnownColumns(KnownColumns(kPersonColumns)));
  if (t.Column("family_name") < 0 && t.Column("given_name") < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "missing column 'family_name' or 'given_name'",
                     t.source() + ":1");
  }
  std::vector<std::pair<std::string, int>> cols;
  for (const char* c : kPersonColumns) {
    if (int i = t.Column(c); i >= 0) cols.emplace_back(c, i);
  }
  const RowEvents row_events(t, registry::EntityKind::kPerson, "person.registered", recorded_on,
                             actor, reason);
  std::vector<registry::Event> out;
  out.reserve(t.rows().size());
  for (const DelimitedRow& row : t.rows()) {
    WB_ASSIGN_OR_RETURN(registry::Event e, row_events.For(row));
    for (const auto& [name, i] : cols) {
      const std::string& v = t.Cell(row, i);
      if (!v.empty()) e.payload[name] = v;
    }
    // The registry's rules, checked here so that the error names the line.
    auto p = registry::ApplyPersonEvent(std::nullopt, e);
    if (p) {
      auto s = registry::CheckNotAfterRecording(e);
      if (!s) p = tl::unexpected(s.error());
    }
    if (!p) {
      Error err = p.error();
      std::string field = err.field;
      const size_t comma = field.rfind(", ");
      if (comma != std::string::npos) field = field.substr(comma + 2);
      err.field = t.Where(row, t.Column(field));
      return tl::unexpected(err);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<registry::Event>> RelativesFromCsv(const DelimitedTable& t,
                                                      registry::Date recorded_on,
                                                      const std::string& actor,
                                                      const std::string& reason,
                                                      const registry::Vocabularies& vocabularies) {
  WB_RETURN_IF_ERROR(t.RequireKnownColumns(KnownColumns(kRelativeColumns)));
  WB_ASSIGN_OR_RETURN(const int person_col, t.RequireColumn("person"));
  const RowEvents row_events(t, registry::EntityKind::kRelative, "relative.registered", recorded_on,
                             actor, reason);
  const int name_col = t.Column("name");
  const int rel_col = t.Column("relationship");
  const int sample_col = t.Column("sample");
  const int consent_col = t.Column("consent");
  std::vector<registry::Event> out;
  out.reserve(t.rows().size());
  for (const DelimitedRow& row : t.rows()) {
    WB_ASSIGN_OR_RETURN(registry::Event e, row_events.For(row));
    WB_ASSIGN_OR_RETURN(int64_t person,
                        ParseEntityId(t.Cell(row, person_col), t.Where(row, person_col)));
    e.payload["person"] = std::to_string(person);
    e.payload["name"] = t.Cell(row, name_col);
    auto relationship = registry::RelationshipInVocabulary(t.Cell(row, rel_col), vocabularies);
    if (!relationship) {
      Error err = std::move(relationship).error();
      err.field = t.Where(row, rel_col);
      return tl::unexpected(std::move(err));
    }
    e.payload["relationship"] = *relationship;
    e.payload["sample"] = t.Cell(row, sample_col);
    const std::string consent =
        t.Cell(row, consent_col).empty() ? "none" : t.Cell(row, consent_col);
    if (consent != "none" && consent != "identification" && consent != "identification_and_court") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "consent must be none, identification or identification_and_court",
                       t.Where(row, consent_col));
    }
    e.payload["consent"] = consent;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace whereabouts::io
