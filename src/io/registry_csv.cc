#include "io/registry_csv.h"

#include <charconv>

#include "registry/person.h"

namespace whereabouts::io {
namespace {

const char* const kPersonColumns[] = {
    "family_name",        "given_name",          "father_name",    "other_names", "sex",
    "birth_date",         "birth_year_min",      "birth_year_max", "affiliation", "unit",
    "disappearance_date", "disappearance_place", "circumstances"};

Result<int64_t> ParseId(const std::string& s, const std::string& where) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "expected a positive id, got '" + s + "'", where);
  }
  return v;
}

Result<registry::Date> RowDate(const DelimitedTable& t, const DelimitedRow& row, int col,
                               registry::Date fallback) {
  const std::string& cell = t.Cell(row, col);
  if (cell.empty()) return fallback;
  auto d = registry::Date::Parse(cell);
  if (!d) return tl::unexpected(WithContext(d.error(), t.Where(row, col)));
  return *d;
}

}  // namespace

Result<std::vector<registry::Event>> PersonsFromCsv(const DelimitedTable& t,
                                                    registry::Date recorded_on,
                                                    const std::string& actor,
                                                    const std::string& reason) {
  if (t.Column("family_name") < 0 && t.Column("given_name") < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "missing column 'family_name' or 'given_name'",
                     t.source() + ":1");
  }
  std::vector<std::pair<std::string, int>> cols;
  for (const char* c : kPersonColumns) {
    if (int i = t.Column(c); i >= 0) cols.emplace_back(c, i);
  }
  const int id_col = t.Column("id");
  const int rec_col = t.Column("recorded_on");
  std::vector<registry::Event> out;
  out.reserve(t.rows().size());
  for (const DelimitedRow& row : t.rows()) {
    registry::Event e;
    e.kind = registry::EntityKind::kPerson;
    e.type = "person.registered";
    e.actor = actor;
    e.reason = reason;
    WB_ASSIGN_OR_RETURN(e.recorded_on, RowDate(t, row, rec_col, recorded_on));
    if (id_col >= 0 && !t.Cell(row, id_col).empty()) {
      WB_ASSIGN_OR_RETURN(e.entity_id, ParseId(t.Cell(row, id_col), t.Where(row, id_col)));
    }
    for (const auto& [name, i] : cols) {
      const std::string& v = t.Cell(row, i);
      if (!v.empty()) e.payload[name] = v;
    }
    // The registry's rules, checked here so that the error names the line.
    auto p = registry::ApplyPersonEvent(std::nullopt, e);
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
                                                      const std::string& reason) {
  WB_ASSIGN_OR_RETURN(const int person_col, t.RequireColumn("person"));
  const int id_col = t.Column("id");
  const int rec_col = t.Column("recorded_on");
  const int name_col = t.Column("name");
  const int rel_col = t.Column("relationship");
  const int sample_col = t.Column("sample");
  const int consent_col = t.Column("consent");
  std::vector<registry::Event> out;
  out.reserve(t.rows().size());
  for (const DelimitedRow& row : t.rows()) {
    registry::Event e;
    e.kind = registry::EntityKind::kRelative;
    e.type = "relative.registered";
    e.actor = actor;
    e.reason = reason;
    WB_ASSIGN_OR_RETURN(e.recorded_on, RowDate(t, row, rec_col, recorded_on));
    if (id_col >= 0 && !t.Cell(row, id_col).empty()) {
      WB_ASSIGN_OR_RETURN(e.entity_id, ParseId(t.Cell(row, id_col), t.Where(row, id_col)));
    }
    WB_ASSIGN_OR_RETURN(int64_t person, ParseId(t.Cell(row, person_col), t.Where(row, person_col)));
    e.payload["person"] = std::to_string(person);
    e.payload["name"] = t.Cell(row, name_col);
    e.payload["relationship"] = t.Cell(row, rel_col);
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
