#include "io/families_csv.h"

#include <map>
#include <set>

#include "common/numbers.h"
#include "io/delimited.h"
#include "io/frequency_tsv.h"
#include "kinship/pedigree.h"

namespace whereabouts::io {

const char* FamilyRoleName(kinship::FamilyRole role) {
  switch (role) {
    case kinship::FamilyRole::kMissing:
      return "missing";
    case kinship::FamilyRole::kReference:
      return "reference";
    case kinship::FamilyRole::kUntyped:
      return "untyped";
  }
  return "untyped";
}

Result<kinship::FamilyRole> ParseFamilyRole(std::string_view text) {
  const std::string key = ColumnKey(text);
  if (key == "missing") return kinship::FamilyRole::kMissing;
  if (key == "reference") return kinship::FamilyRole::kReference;
  if (key == "untyped") return kinship::FamilyRole::kUntyped;
  return MakeError(ErrorCode::kInvalidArgument,
                   "role '" + std::string(text) + "' is not missing, reference or untyped");
}

namespace {

struct Columns {
  int family, id, father, mother, sex, role, sample, person;
};

// Builds and checks one family from its rows. Errors name source:line: column and the family.
Result<kinship::Family> BuildFamily(const DelimitedTable& t, const Columns& c,
                                    const std::string& family_id,
                                    const std::vector<const DelimitedRow*>& rows,
                                    std::vector<Error>& warnings) {
  auto fail = [&](const DelimitedRow& row, int column, const std::string& what) {
    return MakeError(ErrorCode::kInvalidArgument, "family " + family_id + ": " + what,
                     t.Where(row, column));
  };
  kinship::Family family;
  family.id = family_id;
  std::map<std::string, const DelimitedRow*> line_of;
  std::map<std::string, std::string> sample_of;
  for (const DelimitedRow* row : rows) {
    kinship::FamilyMember m;
    m.id = t.Cell(*row, c.id);
    if (m.id.empty()) return fail(*row, c.id, "empty person id");
    if (auto it = line_of.find(m.id); it != line_of.end()) {
      return fail(
          *row, c.id,
          "id " + m.id + " is used twice (first on line " + std::to_string(it->second->line) + ")");
    }
    line_of.emplace(m.id, row);
    m.father = t.Cell(*row, c.father);
    m.mother = t.Cell(*row, c.mother);
    auto sex = kinship::ParseSex(ColumnKey(t.Cell(*row, c.sex)));
    if (!sex) return fail(*row, c.sex, sex.error().message);
    m.sex = *sex;
    auto role = ParseFamilyRole(t.Cell(*row, c.role));
    if (!role) return fail(*row, c.role, role.error().message);
    m.role = *role;
    m.sample = t.Cell(*row, c.sample);
    m.person = t.Cell(*row, c.person);
    if (!m.person.empty()) {
      // The register's id: checked here so that no later step reads garbage as an id. Anything
      // else (dvir's exports put the missing person's name, M1, there) is dropped, with a warning.
      if (auto id = ParseEntityId(m.person, "person"); !id) {
        warnings.push_back(Error{ErrorCode::kInvalidArgument,
                                 "family " + family_id + ": " + m.id + ": person " +
                                     id.error().message + "; read without a link to the register",
                                 t.Where(*row, c.person)});
        m.person.clear();
      }
    }
    if (m.role == kinship::FamilyRole::kReference) {
      if (m.sample.empty()) {
        return fail(*row, c.sample >= 0 ? c.sample : c.role,
                    "reference " + m.id + " has no sample (column 'sample')");
      }
      auto [it, inserted] = sample_of.emplace(m.sample, m.id);
      if (!inserted) {
        return fail(*row, c.sample,
                    "sample " + m.sample + " is given to both " + it->second + " and " + m.id);
      }
    }
    family.members.push_back(std::move(m));
  }
  std::map<std::string, kinship::Sex> sex_of;
  for (const auto& m : family.members) sex_of[m.id] = m.sex;
  for (size_t i = 0; i < family.members.size(); ++i) {
    const auto& m = family.members[i];
    const DelimitedRow& row = *rows[i];
    if (m.father == m.id) return fail(row, c.father, m.id + " is given as their own father");
    if (m.mother == m.id) return fail(row, c.mother, m.id + " is given as their own mother");
    if (m.father.empty() != m.mother.empty()) {
      return fail(
          row, m.father.empty() ? c.father : c.mother,
          m.id + " has only one parent; give both (an untyped parent where unknown) or neither");
    }
    if (m.father.empty()) continue;
    auto f = sex_of.find(m.father);
    if (f == sex_of.end())
      return fail(row, c.father, "father " + m.father + " of " + m.id + " is not in the family");
    if (f->second != kinship::Sex::kMale) {
      return fail(row, c.father, "father " + m.father + " of " + m.id + " is not male");
    }
    auto mo = sex_of.find(m.mother);
    if (mo == sex_of.end())
      return fail(row, c.mother, "mother " + m.mother + " of " + m.id + " is not in the family");
    if (mo->second != kinship::Sex::kFemale) {
      return fail(row, c.mother, "mother " + m.mother + " of " + m.id + " is not female");
    }
  }
  // What remains to check is the pedigree's shape (cycles): the engine's own validation.
  std::vector<kinship::Individual> individuals;
  individuals.reserve(family.members.size());
  for (const auto& m : family.members) individuals.push_back({m.id, m.sex, m.father, m.mother});
  auto pedigree = kinship::Pedigree::Create(std::move(individuals));
  if (!pedigree) {
    const DelimitedRow* row = rows.front();
    const std::string prefix = "individual ";
    if (pedigree.error().field.rfind(prefix, 0) == 0) {
      if (auto it = line_of.find(pedigree.error().field.substr(prefix.size())); it != line_of.end())
        row = it->second;
    }
    return fail(*row, c.id, pedigree.error().ToString());
  }
  return family;
}

}  // namespace

Result<FamiliesFile> ParseFamilies(std::string_view text, const std::string& source) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  Columns c{};
  WB_ASSIGN_OR_RETURN(c.family, t.RequireColumn("family"));
  WB_ASSIGN_OR_RETURN(c.id, t.RequireColumn("id"));
  WB_ASSIGN_OR_RETURN(c.father, t.RequireColumn("father"));
  WB_ASSIGN_OR_RETURN(c.mother, t.RequireColumn("mother"));
  WB_ASSIGN_OR_RETURN(c.sex, t.RequireColumn("sex"));
  WB_ASSIGN_OR_RETURN(c.role, t.RequireColumn("role"));
  c.sample = t.Column("sample");
  c.person = t.Column("person");

  FamiliesFile out;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const DelimitedRow*>> rows_of;
  for (const auto& row : t.rows()) {
    const std::string& id = t.Cell(row, c.family);
    if (id.empty()) {
      out.skipped.push_back(
          Error{ErrorCode::kInvalidArgument, "row without a family id", t.Where(row, c.family)});
      continue;
    }
    auto [it, inserted] = rows_of.try_emplace(id);
    if (inserted) order.push_back(id);
    it->second.push_back(&row);
  }
  for (const auto& id : order) {
    std::vector<Error> warnings;
    auto family = BuildFamily(t, c, id, rows_of[id], warnings);
    if (family) {
      out.families.push_back(std::move(*family));
      for (auto& w : warnings) out.warnings.push_back(std::move(w));
    } else {
      out.skipped.push_back(std::move(family).error());
    }
  }
  return out;
}

Result<FamiliesFile> ReadFamilies(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseFamilies(text, path);
}

std::string FormatFamilies(const std::vector<kinship::Family>& families, char delimiter) {
  DelimitedWriter w(delimiter);
  w.Row({"family", "id", "father", "mother", "sex", "role", "sample", "person"});
  for (const auto& f : families) {
    for (const auto& m : f.members) {
      w.Row({f.id, m.id, m.father, m.mother, kinship::SexName(m.sex), FamilyRoleName(m.role),
             m.sample, m.person});
    }
  }
  return w.text();
}

Status WriteFamilies(const std::string& path, const std::vector<kinship::Family>& families) {
  return WriteTextFile(path, FormatFamilies(families, DelimiterForPath(path)));
}

}  // namespace whereabouts::io
