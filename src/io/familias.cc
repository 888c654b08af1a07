#include "io/familias.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

#include "io/atomic_file.h"
#include "io/frequency_tsv.h"

namespace whereabouts::io {
namespace {

using kinship::GenotypeCall;
using kinship::MutationKind;
using kinship::MutationSpec;
using kinship::Sex;

constexpr long kMaxCount = 10'000'000;  // any count larger than this is not a real file
constexpr long kMaxExtras = 1000;       // unnamed extra persons per declaration
constexpr const char* kSexNote = "whereabouts missing sex";  // see FamDvi::notes

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      if (i == text.size() && start == i) break;
      lines.push_back(text.substr(start, i - start));
      if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  return lines;
}

// A value without its surrounding double quotes (Familias quotes names and text).
std::string_view Unquote(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

std::optional<double> ParseDouble(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 64) return std::nullopt;
  const std::string text(s);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<long> ParseLong(std::string_view s) {
  s = Trim(s);
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Shortest decimal that reads back as the same double.
std::string Num(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : "0";
}
// The same without an exponent (pedFamilias reads theta with a plain-decimal pattern).
std::string Fixed(double v) {
  char buf[400];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, p) : "0";
}

// Reads the main section line by line; every error names source:line and what was expected.
class Cursor {
 public:
  Cursor(std::vector<std::string_view> lines, const std::string& source)
      : lines_(std::move(lines)), source_(source) {}

  size_t pos() const { return pos_; }
  size_t size() const { return lines_.size(); }
  std::string_view at(size_t i) const { return lines_[i]; }
  int line() const { return static_cast<int>(pos_) + 1; }  // 1-based number of the next line
  void Skip() { ++pos_; }
  bool AtEnd() const { return pos_ >= lines_.size(); }

  Error Fail(int line, const std::string& what, const std::string& message,
             ErrorCode code = ErrorCode::kInvalidArgument) const {
    return Error{code, message, source_ + ":" + std::to_string(line) + ": " + what};
  }
  tl::unexpected<Error> Bad(int line, const std::string& what, const std::string& message,
                            ErrorCode code = ErrorCode::kInvalidArgument) const {
    return tl::unexpected(Fail(line, what, message, code));
  }

  Result<std::string_view> Next(const std::string& what) {
    if (AtEnd()) {
      return Bad(static_cast<int>(lines_.size()), what,
                 "the file ends where " + what + " should follow");
    }
    return lines_[pos_++];
  }
  Result<std::string> Text(const std::string& what) {
    WB_ASSIGN_OR_RETURN(auto s, Next(what));
    return std::string(Unquote(s));
  }
  Result<long> Int(const std::string& what, long min, long max) {
    WB_ASSIGN_OR_RETURN(auto s, Next(what));
    auto v = ParseLong(Unquote(s));
    if (!v || *v < min || *v > max) {
      return Bad(line() - 1, what,
                 "expected a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", found '" + Shown(s) + "'");
    }
    return *v;
  }
  Result<double> Number(const std::string& what, double min, double max) {
    WB_ASSIGN_OR_RETURN(auto s, Next(what));
    auto v = ParseDouble(Unquote(s));
    if (!v || *v < min || *v > max) {
      return Bad(
          line() - 1, what,
          "expected a number from " + Num(min) + " to " + Num(max) + ", found '" + Shown(s) + "'");
    }
    return *v;
  }
  Result<bool> Flag(const std::string& what) {
    WB_ASSIGN_OR_RETURN(auto s, Next(what));
    const auto t = Trim(s);
    if (t == "#TRUE#") return true;
    if (t == "#FALSE#") return false;
    return Bad(line() - 1, what, "expected #TRUE# or #FALSE#, found '" + Shown(s) + "'");
  }
  // The literal `expected` (quotes ignored).
  Status Expect(std::string_view expected) {
    const std::string what = "\"" + std::string(expected) + "\"";
    WB_ASSIGN_OR_RETURN(auto s, Next(what));
    if (Unquote(s) != expected) {
      return Bad(line() - 1, what, "expected " + what + ", found '" + Shown(s) + "'");
    }
    return {};
  }

  static std::string Shown(std::string_view s) {
    s = Trim(s);
    std::string out(s.substr(0, 60));
    for (char& c : out) {
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return s.size() > 60 ? out + "..." : out;
  }

 private:
  std::vector<std::string_view> lines_;
  const std::string& source_;
  size_t pos_ = 0;
};

// Familias model code (0 equal, 1 proportional, 2 stepwise unstationary, 3 stepwise stationary,
// 4 extended stepwise) and parameters to our model.
Result<MutationSpec> MapModel(long code, double rate, double range, double rate2, const Cursor& c,
                              int line, const std::string& what) {
  MutationSpec spec;
  const bool still = rate == 0.0 && (code < 2 || rate2 == 0.0);
  if (still) return spec;  // no mutation (an equal model of rate 0 is the identity)
  switch (code) {
    case 0:
      spec = {MutationKind::kEqual, rate, 0.0, 0.0};
      break;
    case 1:
      spec = {MutationKind::kProportional, rate, 0.0, 0.0};
      break;
    case 2:
    case 4:
      spec = {MutationKind::kStepwise, rate, rate2, range};
      break;
    default:
      return c.Bad(line, what,
                   "the stationary stepwise model (code 3) is refused: Familias stabilises its "
                   "matrix numerically and we do not reproduce that; use extended stepwise (4) or "
                   "proportional (1)",
                   ErrorCode::kUnimplemented);
  }
  if (auto st = kinship::ValidateMutationSpec(spec); !st) {
    return c.Bad(line, what, st.error().message + " (" + spec.ToString() + ")");
  }
  return spec;
}

// "DatabaseSize = 600 , Dropout probability = 0 , Minor allele frequency = 0": the number after
// `key =`, if present.
std::optional<double> InfoValue(std::string_view info, std::string_view key) {
  const auto at = info.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = info.substr(at + key.size());
  rest = Trim(rest);
  if (rest.empty() || rest.front() != '=') return std::nullopt;
  rest = Trim(rest.substr(1));
  size_t end = 0;
  while (end < rest.size() && rest[end] != ' ' && rest[end] != ',' && rest[end] != ')') ++end;
  return ParseDouble(rest.substr(0, end));
}

Result<std::string> CanonicalFamAllele(std::string_view text) {
  if (kinship::IsRestAlleleName(text)) return std::string(kinship::kRestAllele);
  return kinship::CanonicalAllele(text);
}

// A raw genotype of the main section: allele indices (-1 unknown) and the marker index.
struct RawGenotype {
  long a1, a2, marker;
  int line;
};

// --- The DVI section ---------------------------------------------------------------------

struct DviLine {
  int line;   // 1-based
  int depth;  // number of leading '[' (0 for a key line)
  std::string title, key, value;
};

Result<FamDvi> ParseDvi(const std::vector<std::string_view>& lines, size_t start,
                        const std::string& source) {
  auto bad = [&](int line, const std::string& what, const std::string& message,
                 ErrorCode code = ErrorCode::kInvalidArgument) {
    return tl::unexpected(Error{code, message, source + ":" + std::to_string(line) + ": " + what});
  };
  FamDvi dvi;
  // Context: the current top-level section and the open subsections.
  std::string top;                 // "DVI", "Advanced", ...
  std::string level2;              // "Unidentified persons", "Notes", "Reference Families", ...
  std::string level4;              // within a family: "Persons" or "Pedigrees"
  FamDviPerson* person = nullptr;  // the person whose keys/DNA we read
  bool in_dna = false;
  FamDviPedigree* pedigree = nullptr;
  FamDviFamily* family = nullptr;
  // Declared counts, checked at the end: (line, what, declared, actual getter).
  // Owners by index (vectors grow while we read): family (-1: the unidentified persons), and the
  // person or pedigree within it.
  struct Count {
    int line;
    std::string what;
    long declared;
    long family, item;
    int kind;  // 0 unidentified, 1 families, 2 family persons, 3 pedigrees, 4 systems, 5 relations
  };
  auto family_index = [&] {
    return family == nullptr ? -1L : static_cast<long>(dvi.families.size()) - 1;
  };
  auto person_index = [&] {
    return family == nullptr ? static_cast<long>(dvi.unidentified.size()) - 1
                             : static_cast<long>(family->persons.size()) - 1;
  };
  std::vector<Count> counts;
  std::string pending_parent;
  int pending_parent_line = 0;
  std::string marker;  // SystemName being read
  int marker_line = 0;
  std::optional<std::string> allele1, allele2;
  bool have_allele1 = false, have_allele2 = false;
  auto flush_marker = [&]() -> Status {
    if (marker.empty()) return {};
    if (!have_allele1 || !have_allele2) {
      return bad(marker_line, "SystemName " + marker, "needs Allele1 and Allele2");
    }
    GenotypeCall call;
    call.first = allele1;
    call.second = allele2;
    if (!call.first && call.second) std::swap(call.first, call.second);
    const std::string canonical = kinship::CanonicalMarkerName(marker);
    if (person->genotypes.count(canonical) != 0) {
      return bad(marker_line, "SystemName " + marker, "is given twice for " + person->name);
    }
    if (!call.untyped()) person->genotypes[canonical] = call;
    marker.clear();
    have_allele1 = have_allele2 = false;
    return {};
  };
  // Pointers into vectors stay valid: each vector is only appended to before its pointers are
  // taken again (we re-take them after every push_back).
  bool notes_started = false;
  for (size_t i = start; i < lines.size(); ++i) {
    const int ln = static_cast<int>(i) + 1;
    const std::string_view raw = Trim(lines[i]);
    if (raw.empty()) {
      if (top == "DVI" && level2 == "Notes" && notes_started) dvi.notes.emplace_back();
      continue;
    }
    if (raw.front() == '[') {
      WB_RETURN_IF_ERROR(in_dna ? flush_marker() : Status{});
      size_t depth = 0;
      while (depth < raw.size() && raw[depth] == '[') ++depth;
      std::string_view title = raw.substr(depth);
      while (!title.empty() && title.back() == ']') title.remove_suffix(1);
      const std::string t(Trim(title));
      in_dna = false;
      if (depth == 1) {
        top = t;
        level2.clear();
        person = nullptr;
        family = nullptr;
        pedigree = nullptr;
        continue;
      }
      if (top != "DVI" && top != "Advanced") continue;
      if (depth == 2) {
        level2 = t;
        person = nullptr;
        family = nullptr;
        pedigree = nullptr;
        continue;
      }
      if (top != "DVI") continue;
      if (level2 == "Unidentified persons") {
        if (depth == 3) {
          dvi.unidentified.emplace_back();
          person = &dvi.unidentified.back();
        } else if (depth == 4 && t == "DNA data" && person != nullptr) {
          in_dna = true;
        } else {
          return bad(ln, "section [" + t + "]", "is not expected here (unidentified persons)");
        }
      } else if (level2 == "Reference Families") {
        if (depth == 3) {
          dvi.families.emplace_back();
          family = &dvi.families.back();
          person = nullptr;
          pedigree = nullptr;
          level4.clear();
        } else if (depth == 4 && family != nullptr) {
          level4 = t;
          person = nullptr;
          pedigree = nullptr;
          if (t != "Persons" && t != "Pedigrees") {
            return bad(ln, "section [" + t + "]", "expected [[[[Persons]]]] or [[[[Pedigrees]]]]");
          }
        } else if (depth == 5 && family != nullptr && level4 == "Persons") {
          family->persons.emplace_back();
          person = &family->persons.back();
        } else if (depth == 5 && family != nullptr && level4 == "Pedigrees") {
          family->pedigrees.emplace_back();
          pedigree = &family->pedigrees.back();
          pending_parent.clear();
        } else if (depth == 6 && person != nullptr && t == "DNA data") {
          in_dna = true;
        } else {
          return bad(ln, "section [" + t + "]", "is not expected here (reference families)");
        }
      }
      continue;
    }
    // A key line "Key= Value".
    if (top == "Advanced" && level2 == "Direct/Identity") {
      const auto eq = raw.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string key(Trim(raw.substr(0, eq)));
      const auto v = ParseDouble(raw.substr(eq + 1));
      std::optional<double>* slot = key == "Dropout"  ? &dvi.dropout
                                    : key == "Dropin" ? &dvi.dropin
                                    : key == "Error"  ? &dvi.error
                                                      : nullptr;
      if (slot == nullptr) continue;
      if (!v || *v < 0.0 || *v >= 1.0) {
        return bad(
            ln, key,
            "expected a number in [0, 1), found '" + Cursor::Shown(raw.substr(eq + 1)) + "'");
      }
      *slot = *v;
      continue;
    }
    if (top == "DVI" && level2 == "Notes") {  // free text, one line per family
      if (!notes_started && raw.rfind("nFamilies", 0) == 0) {
        notes_started = true;
      } else {
        dvi.notes.emplace_back(Trim(lines[i]));
      }
      continue;
    }
    if (top != "DVI") continue;
    const auto eq = raw.find('=');
    if (eq == std::string_view::npos) {
      return bad(ln, "line '" + Cursor::Shown(raw) + "'", "expected Key= Value");
    }
    const std::string key(Trim(raw.substr(0, eq)));
    const std::string value(Trim(raw.substr(eq + 1)));
    auto count = [&](const std::string& what, long item, int kind) -> Status {
      auto v = ParseLong(value);
      if (!v || *v < 0 || *v > kMaxCount) {
        return bad(ln, what, "expected a whole number, found '" + Cursor::Shown(value) + "'");
      }
      counts.push_back({ln, what, *v, family_index(), item, kind});
      return {};
    };
    if (in_dna) {
      if (key == "nSystems") {
        WB_RETURN_IF_ERROR(count("nSystems", person_index(), 4));
      } else if (key == "SystemName") {
        WB_RETURN_IF_ERROR(flush_marker());
        if (value.empty()) return bad(ln, "SystemName", "is empty");
        marker = value;
        marker_line = ln;
      } else if (key == "Allele1" || key == "Allele2") {
        if (marker.empty()) return bad(ln, key, "comes before its SystemName");
        std::optional<std::string> a;
        if (!value.empty() && value != "-") {
          auto c = CanonicalFamAllele(value);
          if (!c) return bad(ln, key + " of " + marker, c.error().message);
          a = *c;
        }
        if (key == "Allele1") {
          allele1 = a;
          have_allele1 = true;
        } else {
          allele2 = a;
          have_allele2 = true;
        }
      }
      continue;
    }
    if (person != nullptr) {
      if (key == "Name") person->name = value;
      if (key == "Gender") {
        person->sex = value == "Male"     ? Sex::kMale
                      : value == "Female" ? Sex::kFemale
                                          : Sex::kUnknown;
      }
      continue;
    }
    if (pedigree != nullptr) {
      if (key == "Name") {
        pedigree->name = value;
      } else if (key == "nRelations") {
        WB_RETURN_IF_ERROR(count("nRelations", static_cast<long>(family->pedigrees.size()) - 1, 5));
      } else if (key == "Parent") {
        if (!pending_parent.empty())
          return bad(pending_parent_line, "Parent", "has no Child after it");
        if (value.empty()) return bad(ln, "Parent", "is empty");
        pending_parent = value;
        pending_parent_line = ln;
      } else if (key == "Child") {
        if (pending_parent.empty()) return bad(ln, "Child", "has no Parent before it");
        if (value.empty()) return bad(ln, "Child", "is empty");
        pedigree->relations.emplace_back(pending_parent, value);
        pending_parent.clear();
      }
      continue;
    }
    if (family != nullptr) {
      if (level4.empty() && key == "Name") family->name = value;
      if (level4 == "Persons" && key == "nPersons") WB_RETURN_IF_ERROR(count("nPersons", 0, 2));
      if (level4 == "Pedigrees" && key == "nPedigrees")
        WB_RETURN_IF_ERROR(count("nPedigrees", 0, 3));
      continue;
    }
    if (level2 == "Unidentified persons" && key == "nPersons") {
      WB_RETURN_IF_ERROR(count("nPersons", 0, 0));
    } else if (level2 == "Reference Families" && key == "nFamilies") {
      WB_RETURN_IF_ERROR(count("nFamilies", 0, 1));
    }
  }
  if (in_dna) WB_RETURN_IF_ERROR(flush_marker());
  if (!pending_parent.empty()) return bad(pending_parent_line, "Parent", "has no Child after it");
  // Counts: compare each declared count with what was read.
  for (const auto& c : counts) {
    long actual = 0;
    const FamDviFamily* f = c.family >= 0 ? &dvi.families[c.family] : nullptr;
    switch (c.kind) {
      case 0:
        actual = static_cast<long>(dvi.unidentified.size());
        break;
      case 1:
        actual = static_cast<long>(dvi.families.size());
        break;
      case 2:
        actual = static_cast<long>(f->persons.size());
        break;
      case 3:
        actual = static_cast<long>(f->pedigrees.size());
        break;
      case 4: {
        // Untyped systems are not kept: a count at least the number of typed ones is consistent.
        const auto& p = f == nullptr ? dvi.unidentified[c.item] : f->persons[c.item];
        const long typed = static_cast<long>(p.genotypes.size());
        if (c.declared < typed) {
          return bad(c.line, c.what,
                     "says " + std::to_string(c.declared) + " but " + std::to_string(typed) +
                         " typed systems follow");
        }
        continue;
      }
      case 5:
        actual = static_cast<long>(f->pedigrees[c.item].relations.size());
        break;
      default:
        break;
    }
    if (actual != c.declared) {
      return bad(
          c.line, c.what,
          "says " + std::to_string(c.declared) + " but " + std::to_string(actual) + " follow");
    }
  }
  auto named = [&](const FamDviPerson& p, const std::string& where) -> Status {
    if (p.name.empty()) {
      return tl::unexpected(
          Error{ErrorCode::kInvalidArgument, "a person without Name= ", source + ": " + where});
    }
    return {};
  };
  for (const auto& p : dvi.unidentified) WB_RETURN_IF_ERROR(named(p, "unidentified persons"));
  for (const auto& f : dvi.families) {
    if (f.name.empty()) {
      return tl::unexpected(Error{ErrorCode::kInvalidArgument,
                                  "a family without Name= ", source + ": reference families"});
    }
    for (const auto& p : f.persons) WB_RETURN_IF_ERROR(named(p, "family " + f.name));
  }
  return dvi;
}

}  // namespace

Result<FamFile> ParseFam(std::string_view text, const std::string& source) {
  const auto lines = SplitLines(text);
  Cursor c(lines, source);
  FamFile fam;
  WB_RETURN_IF_ERROR(c.Next("the title line"));
  WB_RETURN_IF_ERROR(c.Next("the second line"));
  {
    WB_ASSIGN_OR_RETURN(std::string text, c.Text("the Familias version"));
    // "3.3.1 (DVI)", or " (DVI)" alone when the version is empty: the marker is not the version.
    std::string version(Trim(text));
    const std::string dvi_suffix = "(DVI)";
    while (version.size() >= dvi_suffix.size() &&
           version.compare(version.size() - dvi_suffix.size(), dvi_suffix.size(), dvi_suffix) ==
               0) {
      version.resize(version.size() - dvi_suffix.size());
      version = std::string(Trim(version));
    }
    fam.version = version;
  }
  if (!c.AtEnd() && Unquote(c.at(c.pos())).empty()) c.Skip();
  // Counts are bounded by the lines left (each item takes at least one line), extras by kMaxExtras.
  const long max_items = static_cast<long>(lines.size());
  WB_ASSIGN_OR_RETURN(const long n_persons, c.Int("the number of persons", 0, max_items));
  std::vector<std::vector<RawGenotype>> raw_genotypes;
  std::set<std::string> names;
  for (long i = 0; i < n_persons; ++i) {
    const int name_line = c.line();
    FamPerson p;
    WB_ASSIGN_OR_RETURN(p.name, c.Text("the name of person " + std::to_string(i + 1)));
    if (p.name.empty())
      return c.Bad(name_line, "person " + std::to_string(i + 1), "has an empty name");
    if (!names.insert(p.name).second) {
      return c.Bad(name_line, "person " + p.name, "is named twice");
    }
    const std::string who = "person " + p.name;
    WB_RETURN_IF_ERROR(c.Flag(who + ": second line"));
    {
      const int ln = c.line();
      WB_ASSIGN_OR_RETURN(auto s, c.Next(who + ": third line"));
      const auto t = Trim(s);
      size_t end = 0;
      while (end < t.size() && (t[end] == '-' || (t[end] >= '0' && t[end] <= '9'))) ++end;
      if (end == 0 || !ParseLong(t.substr(0, end))) {
        return c.Bad(ln, who + ": third line",
                     "expected a number such as -1, found '" + Cursor::Shown(s) + "'");
      }
      p.consider_dropout = t.find("Consider dropouts") != std::string_view::npos;
    }
    WB_RETURN_IF_ERROR(c.Flag(who + ": fourth line"));
    WB_ASSIGN_OR_RETURN(const bool male, c.Flag(who + ": sex (#TRUE# male)"));
    p.sex = male ? Sex::kMale : Sex::kFemale;
    WB_ASSIGN_OR_RETURN(const long k, c.Int(who + ": number of genotypes", 0, max_items));
    std::vector<RawGenotype> raw;
    for (long g = 0; g < k; ++g) {
      RawGenotype r{};
      r.line = c.line();
      WB_ASSIGN_OR_RETURN(r.a1, c.Int(who + ": allele index", -1, kMaxCount));
      WB_ASSIGN_OR_RETURN(r.a2, c.Int(who + ": allele index", -1, kMaxCount));
      WB_ASSIGN_OR_RETURN(r.marker, c.Int(who + ": marker index", 0, kMaxCount));
      raw.push_back(r);
    }
    raw_genotypes.push_back(std::move(raw));
    fam.persons.push_back(std::move(p));
  }
  WB_RETURN_IF_ERROR(c.Expect("Known relations"));
  WB_ASSIGN_OR_RETURN(const long n_female, c.Int("the number of extra females", 0, kMaxExtras));
  WB_ASSIGN_OR_RETURN(const long n_male, c.Int("the number of extra males", 0, kMaxExtras));
  // Relations as (parent index, child index, line); indices over persons, then extras.
  struct Relation {
    long parent, child;
    int line;
  };
  auto read_relations = [&](const std::string& what,
                            long n_indices) -> Result<std::vector<Relation>> {
    WB_ASSIGN_OR_RETURN(const long n, c.Int(what + ": number of relations", 0, max_items));
    std::vector<Relation> out;
    for (long r = 0; r < n; ++r) {
      const int ln = c.line();
      if (!c.AtEnd() && Unquote(c.at(c.pos())).find("Direct") != std::string_view::npos) {
        return c.Bad(ln, what + ": relation",
                     "a direct/identity (\"twin\") relation is refused: its layout is not "
                     "documented, and we do not guess it",
                     ErrorCode::kUnimplemented);
      }
      WB_ASSIGN_OR_RETURN(const long parent, c.Int(what + ": parent index", 0, n_indices - 1));
      WB_ASSIGN_OR_RETURN(const long child, c.Int(what + ": child index", 0, n_indices - 1));
      out.push_back({parent, child, ln});
    }
    return out;
  };
  const long n_known = n_persons + n_female + n_male;
  WB_ASSIGN_OR_RETURN(const auto known, read_relations("known relations", n_known));
  WB_ASSIGN_OR_RETURN(const long n_pedigrees, c.Int("the number of pedigrees", 0, max_items));
  std::vector<std::optional<FamPedigree>> pedigrees(static_cast<size_t>(n_pedigrees));
  for (long i = 0; i < n_pedigrees; ++i) {
    const int index_line = c.line();
    WB_ASSIGN_OR_RETURN(const long index, c.Int("pedigree index", 0, n_pedigrees - 1));
    if (pedigrees[index]) return c.Bad(index_line, "pedigree index", "is used twice");
    FamPedigree ped;
    WB_ASSIGN_OR_RETURN(ped.name, c.Text("pedigree name"));
    const std::string what = "pedigree " + ped.name;
    WB_ASSIGN_OR_RETURN(const long f, c.Int(what + ": number of extra females", 0, kMaxExtras));
    WB_ASSIGN_OR_RETURN(const long m, c.Int(what + ": number of extra males", 0, kMaxExtras));
    WB_ASSIGN_OR_RETURN(const auto own, read_relations(what, n_known + f + m));
    // Individuals: persons, extras of the known relations, extras of this pedigree.
    for (const auto& p : fam.persons) ped.individuals.push_back({p.name, p.sex, "", ""});
    auto add_extras = [&](long females, long males, const std::string& prefix) -> Status {
      for (long e = 0; e < females + males; ++e) {
        std::string id = prefix + std::to_string(e + 1);
        while (names.count(id) != 0) id += "'";
        ped.individuals.push_back({id, e < females ? Sex::kFemale : Sex::kMale, "", ""});
      }
      return {};
    };
    WB_RETURN_IF_ERROR(add_extras(n_female, n_male, "extra_"));
    WB_RETURN_IF_ERROR(add_extras(f, m, "extra_" + std::to_string(index + 1) + "_"));
    for (const auto* list : {&known, &own}) {
      for (const auto& r : *list) {
        if (r.parent == r.child)
          return c.Bad(r.line, what + ": relation", "makes a person their own parent");
        auto& child = ped.individuals[r.child];
        const auto& parent = ped.individuals[r.parent];
        std::string& slot = parent.sex == Sex::kMale ? child.father : child.mother;
        if (!slot.empty() && slot != parent.id) {
          return c.Bad(
              r.line, what + ": relation",
              child.id + " gets a second " + (parent.sex == Sex::kMale ? "father" : "mother"));
        }
        slot = parent.id;
      }
    }
    pedigrees[index] = std::move(ped);
  }
  for (auto& p : pedigrees) fam.pedigrees.push_back(std::move(*p));
  // The database.
  {
    const int ln = c.line();
    WB_ASSIGN_OR_RETURN(auto s, c.Next("the database line (#FALSE# (#Databases: ...)"));
    const auto t = Trim(s);
    if (t.rfind("#TRUE#", 0) == 0) {
      return c.Bad(ln, "database line",
                   "the file holds precomputed probabilities, which are refused: we compute the "
                   "likelihoods ourselves",
                   ErrorCode::kUnimplemented);
    }
    if (t.rfind("#FALSE#", 0) != 0) {
      return c.Bad(ln, "database line",
                   "expected #FALSE# (#Databases: ...), found '" + Cursor::Shown(s) + "'");
    }
    if (auto at = t.find("Theta/Kinship/Fst:"); at != std::string_view::npos) {
      auto rest = Trim(t.substr(at + 18));
      size_t end = 0;
      while (end < rest.size() && rest[end] != ' ' && rest[end] != ')') ++end;
      auto v = ParseDouble(rest.substr(0, end));
      if (!v || *v < 0.0 || *v >= 1.0) {
        return c.Bad(ln, "Theta/Kinship/Fst",
                     "expected a number in [0, 1), found '" + Cursor::Shown(rest) + "'");
      }
      fam.theta = *v;
    }
  }
  WB_ASSIGN_OR_RETURN(const long n_loci, c.Int("the number of loci", 0, max_items));
  WB_ASSIGN_OR_RETURN(const bool has_name, c.Flag("database name flag"));
  if (has_name) {
    WB_ASSIGN_OR_RETURN(fam.database_name, c.Text("the database name"));
  }
  std::set<std::string> marker_names;
  for (long i = 0; i < n_loci; ++i) {
    FamMarker m;
    const int name_line = c.line();
    WB_ASSIGN_OR_RETURN(const std::string name, c.Text("locus name"));
    m.name = kinship::CanonicalMarkerName(name);
    if (m.name.empty())
      return c.Bad(name_line, "locus " + std::to_string(i + 1), "has an empty name");
    if (!marker_names.insert(m.name).second)
      return c.Bad(name_line, "locus " + name, "is given twice");
    const std::string w = "marker " + m.name;
    WB_ASSIGN_OR_RETURN(const double rate_f, c.Number(w + ": female mutation rate", 0.0, 1.0));
    WB_ASSIGN_OR_RETURN(const double rate_m, c.Number(w + ": male mutation rate", 0.0, 1.0));
    const int code_line = c.line();
    WB_ASSIGN_OR_RETURN(const long code_f, c.Int(w + ": female model code", 0, 4));
    WB_ASSIGN_OR_RETURN(const long code_m, c.Int(w + ": male model code", 0, 4));
    const int n_line = c.line();
    WB_ASSIGN_OR_RETURN(const long n_with_silent, c.Int(w + ": number of alleles", 0, max_items));
    WB_ASSIGN_OR_RETURN(const double range_f, c.Number(w + ": female range", 0.0, 1e6));
    WB_ASSIGN_OR_RETURN(const double range_m, c.Number(w + ": male range", 0.0, 1e6));
    WB_ASSIGN_OR_RETURN(const double rate2_f, c.Number(w + ": female rate2", 0.0, 1.0));
    WB_ASSIGN_OR_RETURN(const double rate2_m, c.Number(w + ": male rate2", 0.0, 1.0));
    const int silent_line = c.line();
    WB_ASSIGN_OR_RETURN(const bool silent, c.Flag(w + ": silent allele flag"));
    if (silent) {
      return c.Bad(silent_line, w + ": silent allele",
                   "silent alleles are refused: our engine has no null-allele model",
                   ErrorCode::kUnimplemented);
    }
    WB_RETURN_IF_ERROR(c.Number(w + ": silent allele frequency", 0.0, 1.0));
    const int info_line = c.line();
    WB_ASSIGN_OR_RETURN(auto info, c.Next(w + ": allele count and info"));
    const auto tab = info.find('\t');
    const auto count_text = Trim(tab == std::string_view::npos ? info : info.substr(0, tab));
    const auto n_alleles = ParseLong(count_text);
    if (!n_alleles || *n_alleles < 1 || *n_alleles > kMaxCount) {
      return c.Bad(info_line, w + ": number of alleles",
                   "expected a positive whole number, found '" + Cursor::Shown(count_text) + "'");
    }
    if (*n_alleles != n_with_silent) {
      return c.Bad(n_line, w + ": number of alleles",
                   "says " + std::to_string(n_with_silent) + " but line " +
                       std::to_string(info_line) + " says " + std::to_string(*n_alleles));
    }
    if (tab != std::string_view::npos) {
      const auto rest = info.substr(tab + 1);
      if (auto n = InfoValue(rest, "DatabaseSize")) {
        if (*n < 0 || *n > 1e9 || *n != std::floor(*n)) {
          return c.Bad(info_line, w + ": DatabaseSize", "expected a whole number");
        }
        m.database_size = static_cast<int>(*n);
      }
      if (auto d = InfoValue(rest, "Dropout probability")) {
        if (*d < 0 || *d >= 1)
          return c.Bad(info_line, w + ": Dropout probability", "expected a number in [0, 1)");
        m.dropout = *d;
      }
      if (auto maf = InfoValue(rest, "Minor allele frequency")) {
        if (*maf < 0 || *maf > 1)
          return c.Bad(info_line, w + ": Minor allele frequency", "expected a number in [0, 1]");
        m.minor_allele_frequency = *maf;
      }
    }
    for (long a = 0; a < *n_alleles; ++a) {
      const int ln = c.line();
      WB_ASSIGN_OR_RETURN(const std::string allele, c.Text(w + ": allele"));
      auto canonical = CanonicalFamAllele(allele);
      if (!canonical) return c.Bad(ln, w + ": allele", canonical.error().message);
      if (std::find(m.alleles.begin(), m.alleles.end(), *canonical) != m.alleles.end()) {
        return c.Bad(ln, w + ": allele " + *canonical, "is given twice");
      }
      WB_ASSIGN_OR_RETURN(const double f,
                          c.Number(w + ": frequency of allele " + *canonical, 0.0, 1.0));
      m.alleles.push_back(*canonical);
      m.frequencies.push_back(f);
    }
    WB_ASSIGN_OR_RETURN(m.mutation.female, MapModel(code_f, rate_f, range_f, rate2_f, c, code_line,
                                                    w + ": female mutation model"));
    WB_ASSIGN_OR_RETURN(m.mutation.male, MapModel(code_m, rate_m, range_m, rate2_m, c,
                                                  code_line + 1, w + ": male mutation model"));
    fam.markers.push_back(std::move(m));
  }
  // Genotypes: indices into the database.
  for (size_t i = 0; i < fam.persons.size(); ++i) {
    auto& p = fam.persons[i];
    for (const auto& r : raw_genotypes[i]) {
      const std::string who = "person " + p.name;
      if (r.marker >= static_cast<long>(fam.markers.size())) {
        return c.Bad(r.line + 2, who + ": marker index",
                     std::to_string(r.marker) + " is beyond the " +
                         std::to_string(fam.markers.size()) + " loci of the database");
      }
      const auto& m = fam.markers[r.marker];
      GenotypeCall call;
      for (int h = 0; h < 2; ++h) {
        const long a = h == 0 ? r.a1 : r.a2;
        if (a >= static_cast<long>(m.alleles.size())) {
          return c.Bad(r.line + h, who + ": allele index at " + m.name,
                       std::to_string(a) + " is beyond the " + std::to_string(m.alleles.size()) +
                           " alleles of the marker");
        }
        if (a >= 0) (h == 0 ? call.first : call.second) = m.alleles[a];
      }
      if (!call.first && call.second) std::swap(call.first, call.second);
      if (p.genotypes.count(m.name) != 0) {
        return c.Bad(r.line + 2, who + ": marker " + m.name, "is typed twice");
      }
      if (!call.untyped()) p.genotypes[m.name] = call;
    }
  }
  // The DVI section, if any; anything else after the database is ignored.
  for (size_t i = c.pos(); i < lines.size(); ++i) {
    if (Trim(lines[i]) == "[DVI]") {
      WB_ASSIGN_OR_RETURN(auto dvi, ParseDvi(lines, i, source));
      fam.dvi = std::move(dvi);
      break;
    }
  }
  return fam;
}

namespace {

Status CheckName(const std::string& name, const std::string& what) {
  if (name.empty() || name.find_first_of("\"\r\n") != std::string::npos || name.front() == ' ' ||
      name.back() == ' ' || name.front() == '[') {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot be written to a .fam file (empty, a double quote, a line break, a "
                     "leading '[' or surrounding spaces)",
                     what + " '" + name + "'");
  }
  return {};
}

long ModelCode(const MutationSpec& s) {
  switch (s.kind) {
    case MutationKind::kNone:
    case MutationKind::kEqual:
      return 0;
    case MutationKind::kProportional:
      return 1;
    case MutationKind::kStepwise:
      return 4;
  }
  return 0;
}

std::string AlleleText(const std::string& a) {
  return a == kinship::kRestAllele ? "Rest allele" : a;
}

}  // namespace

Result<std::string> FormatFam(const FamFile& fam) {
  std::string out;
  auto line = [&](const std::string& s) {
    out += s;
    out += '\n';
  };
  auto quoted = [&](const std::string& s) { line("\"" + s + "\""); };
  std::map<std::string, size_t> marker_index;
  for (size_t i = 0; i < fam.markers.size(); ++i) {
    WB_RETURN_IF_ERROR(CheckName(fam.markers[i].name, "marker"));
    marker_index[fam.markers[i].name] = i;
  }
  quoted("Output from Familias, version " + fam.version);
  quoted("Written by whereabouts");
  line(fam.version + (fam.dvi ? " (DVI)" : ""));
  quoted("");
  line(std::to_string(fam.persons.size()));
  std::map<std::string, size_t> person_index;
  for (const auto& p : fam.persons) {
    WB_RETURN_IF_ERROR(CheckName(p.name, "person"));
    if (p.sex == Sex::kUnknown) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "has unknown sex; Familias records male or female", "person " + p.name);
    }
    if (!person_index.emplace(p.name, person_index.size()).second) {
      return MakeError(ErrorCode::kInvalidArgument, "is named twice", "person " + p.name);
    }
    quoted(p.name);
    line("#FALSE#");
    line(p.consider_dropout ? "-1 (Consider dropouts)" : "-1");
    line("#FALSE#");
    line(p.sex == Sex::kMale ? "#TRUE#" : "#FALSE#");
    std::vector<std::string> triples;
    for (const auto& [marker_name, call] : p.genotypes) {
      if (call.untyped()) continue;
      const std::string& marker = marker_name;  // a lambda below uses it (clang 14)
      auto mi = marker_index.find(marker);
      if (mi == marker_index.end()) {
        return MakeError(ErrorCode::kInvalidArgument, "is not in the file's database",
                         "person " + p.name + ", marker " + marker);
      }
      const auto& m = fam.markers[mi->second];
      auto index = [&](const std::optional<std::string>& a) -> Result<long> {
        if (!a) return -1L;  // unknown allele: as pedFamilias writes a half-typed genotype
        auto it = std::find(m.alleles.begin(), m.alleles.end(), *a);
        if (it == m.alleles.end()) {
          return MakeError(ErrorCode::kInvalidArgument, "allele " + *a + " is not in the database",
                           "person " + p.name + ", marker " + marker);
        }
        return static_cast<long>(it - m.alleles.begin());
      };
      WB_ASSIGN_OR_RETURN(const long a1, index(call.first));
      WB_ASSIGN_OR_RETURN(const long a2, index(call.second));
      triples.push_back(std::to_string(a1) + "\n" + std::to_string(a2) + "\n" +
                        std::to_string(mi->second));
    }
    line(std::to_string(triples.size()));
    for (const auto& t : triples) line(t);
  }
  quoted("Known relations");
  line("0");
  line("0");
  line("0");
  line(std::to_string(fam.pedigrees.size()));
  for (size_t i = 0; i < fam.pedigrees.size(); ++i) {
    const auto& ped = fam.pedigrees[i];
    WB_RETURN_IF_ERROR(CheckName(ped.name, "pedigree"));
    // Extras: individuals who are not persons of the file, females first (Familias' order).
    std::map<std::string, long> index;
    for (const auto& [name, k] : person_index) index[name] = static_cast<long>(k);
    long females = 0, males = 0;
    std::vector<const kinship::Individual*> extras;
    for (const auto& ind : ped.individuals) {
      if (person_index.count(ind.id) != 0) continue;
      if (ind.sex == Sex::kUnknown) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "has unknown sex; Familias records male or female",
                         "pedigree " + ped.name + ", individual " + ind.id);
      }
      extras.push_back(&ind);
      (ind.sex == Sex::kFemale ? females : males) += 1;
    }
    std::stable_sort(extras.begin(), extras.end(), [](const auto* a, const auto* b) {
      return a->sex == Sex::kFemale && b->sex != Sex::kFemale;
    });
    long next = static_cast<long>(person_index.size());
    for (const auto* e : extras) {
      if (!index.emplace(e->id, next++).second) {
        return MakeError(ErrorCode::kInvalidArgument, "is named twice",
                         "pedigree " + ped.name + ", individual " + e->id);
      }
    }
    std::vector<std::pair<long, long>> relations;
    for (const auto& ind : ped.individuals) {
      for (const std::string* parent : {&ind.father, &ind.mother}) {
        if (parent->empty()) continue;
        auto it = index.find(*parent);
        if (it == index.end()) {
          return MakeError(ErrorCode::kInvalidArgument, "has a parent who is not in the pedigree",
                           "pedigree " + ped.name + ", individual " + ind.id);
        }
        relations.emplace_back(it->second, index.at(ind.id));
      }
    }
    // In the order of the children's indices (then father before mother): one text per pedigree.
    std::stable_sort(relations.begin(), relations.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    line(std::to_string(i));
    quoted(ped.name);
    line(std::to_string(females));
    line(std::to_string(males));
    line(std::to_string(relations.size()));
    for (const auto& [p, ch] : relations) {
      line(std::to_string(p));
      line(std::to_string(ch));
    }
  }
  line("#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: " + Fixed(fam.theta) + " )");
  line(std::to_string(fam.markers.size()));
  line("#TRUE#");
  quoted(fam.database_name);
  for (const auto& m : fam.markers) {
    quoted(m.name);
    // Only the parameters the model uses (a `none` spec may carry a rate: it means nothing).
    auto used = [](MutationSpec spec) {
      if (spec.kind == MutationKind::kNone) return MutationSpec{};
      if (spec.kind != MutationKind::kStepwise) spec.rate2 = spec.range = 0.0;
      return spec;
    };
    const MutationSpec f = used(m.mutation.female);
    const MutationSpec ml = used(m.mutation.male);
    line(Num(f.rate));
    line(Num(ml.rate));
    line(std::to_string(ModelCode(f)));
    line(std::to_string(ModelCode(ml)));
    line(std::to_string(m.alleles.size()));
    line(Num(f.range));
    line(Num(ml.range));
    line(Num(f.rate2));
    line(Num(ml.rate2));
    line("#FALSE#");
    line("0");
    line(std::to_string(m.alleles.size()) + "\t(DatabaseSize = " + std::to_string(m.database_size) +
         " , Dropout probability = " + Num(m.dropout) +
         " , Minor allele frequency = " + Num(m.minor_allele_frequency) + " )");
    for (size_t a = 0; a < m.alleles.size(); ++a) {
      quoted(AlleleText(m.alleles[a]));
      line(Num(m.frequencies[a]));
    }
  }
  if (fam.dvi) {
    const auto& dvi = *fam.dvi;
    auto person = [&](const FamDviPerson& p, int depth, size_t number) -> Status {
      WB_RETURN_IF_ERROR(CheckName(p.name, "person"));
      line(std::string(depth, '[') + "Person " + std::to_string(number) + std::string(depth, ']'));
      line("Name= " + p.name);
      line(std::string("Gender= ") + (p.sex == Sex::kMale     ? "Male"
                                      : p.sex == Sex::kFemale ? "Female"
                                                              : "Unknown"));
      line(std::string(depth + 1, '[') + "DNA data" + std::string(depth + 1, ']'));
      size_t typed = 0;
      for (const auto& [m, call] : p.genotypes) typed += call.untyped() ? 0 : 1;
      line("nSystems= " + std::to_string(typed));
      for (const auto& [m, call] : p.genotypes) {
        if (call.untyped()) continue;
        WB_RETURN_IF_ERROR(CheckName(m, "marker"));
        line("SystemName= " + m);
        line("Allele1= " + (call.first ? AlleleText(*call.first) : std::string()));
        line("Allele2= " + (call.second ? AlleleText(*call.second) : std::string()));
      }
      return {};
    };
    line("");
    line("[DVI]");
    line("[[Unidentified persons]]");
    line("nPersons= " + std::to_string(dvi.unidentified.size()));
    for (size_t i = 0; i < dvi.unidentified.size(); ++i) {
      WB_RETURN_IF_ERROR(person(dvi.unidentified[i], 3, i + 1));
    }
    line("[[Notes]]");
    line("nFamilies= " + std::to_string(dvi.families.size()));
    for (const auto& note : dvi.notes) {
      if (note.find_first_of("\r\n") != std::string::npos ||
          (!note.empty() && note.front() == '[')) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "cannot be written (a line break or a leading '[')", "DVI note");
      }
      line(note);
    }
    for (size_t i = dvi.notes.size(); i < dvi.families.size(); ++i) line("");
    line("[[Reference Families]]");
    line("nFamilies= " + std::to_string(dvi.families.size()));
    for (size_t i = 0; i < dvi.families.size(); ++i) {
      const auto& f = dvi.families[i];
      WB_RETURN_IF_ERROR(CheckName(f.name, "family"));
      line("[[[Family " + std::to_string(i + 1) + "]]]");
      line("Name= " + f.name);
      line("[[[[Persons]]]]");
      line("nPersons= " + std::to_string(f.persons.size()));
      for (size_t j = 0; j < f.persons.size(); ++j)
        WB_RETURN_IF_ERROR(person(f.persons[j], 5, j + 1));
      line("[[[[Pedigrees]]]]");
      line("nPedigrees= " + std::to_string(f.pedigrees.size()));
      for (size_t j = 0; j < f.pedigrees.size(); ++j) {
        const auto& ped = f.pedigrees[j];
        WB_RETURN_IF_ERROR(CheckName(ped.name, "pedigree"));
        line("[[[[[Pedigree " + std::to_string(j + 1) + "]]]]]");
        line("Name= " + ped.name);
        line("nRelations= " + std::to_string(ped.relations.size()));
        for (const auto& [parent, child] : ped.relations) {
          WB_RETURN_IF_ERROR(CheckName(parent, "person"));
          WB_RETURN_IF_ERROR(CheckName(child, "person"));
          line("Parent= " + parent);
          line("Child= " + child);
        }
      }
    }
    if (dvi.dropout || dvi.dropin || dvi.error) {
      line("[Advanced]");
      line("[[Direct/Identity]]");
      line("Dropin= " + Num(dvi.dropin.value_or(0.0)));
      line("Dropout= " + Num(dvi.dropout.value_or(0.0)));
      line("Error= " + Num(dvi.error.value_or(0.0)));
    }
  }
  return out;
}

Result<kinship::FrequencyDatabase> FamDatabase(const FamFile& fam, const std::string& source) {
  std::vector<kinship::MarkerFrequencies> markers;
  for (const auto& m : fam.markers) {
    kinship::MarkerFrequencies mf;
    mf.name = m.name;
    mf.alleles = m.alleles;
    mf.frequencies = m.frequencies;
    mf.database_size = m.database_size;
    markers.push_back(std::move(mf));
  }
  auto db = kinship::FrequencyDatabase::Create(std::move(markers));
  if (!db) return tl::unexpected(WithContext(db.error(), source + ": database"));
  return db;
}

kinship::MutationModel FamMutation(const FamFile& fam) {
  kinship::MutationModel model;
  if (fam.markers.empty()) return model;
  // The most common model (the first of the most common, in file order) is the default.
  std::vector<std::pair<kinship::MarkerMutation, int>> tally;
  for (const auto& m : fam.markers) {
    auto it = std::find_if(tally.begin(), tally.end(),
                           [&](const auto& t) { return t.first == m.mutation; });
    if (it == tally.end()) {
      tally.emplace_back(m.mutation, 1);
    } else {
      ++it->second;
    }
  }
  const auto best = std::max_element(
      tally.begin(), tally.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  model.male = best->first.male;
  model.female = best->first.female;
  for (const auto& m : fam.markers) {
    if (!(m.mutation == best->first)) model.per_marker[m.name] = m.mutation;
  }
  return model;
}

namespace {

// Adds an untyped founder for each child with one parent (Familias allows one; our pedigrees
// need both): "<child> father" or "<child> mother".
std::vector<kinship::Individual> CompleteParents(std::vector<kinship::Individual> individuals) {
  std::set<std::string> ids;
  for (const auto& i : individuals) ids.insert(i.id);
  const size_t n = individuals.size();
  for (size_t i = 0; i < n; ++i) {
    if (individuals[i].father.empty() == individuals[i].mother.empty()) continue;
    const bool need_father = individuals[i].father.empty();
    std::string id = individuals[i].id + (need_father ? " father" : " mother");
    while (ids.count(id) != 0) id += "'";
    ids.insert(id);
    (need_father ? individuals[i].father : individuals[i].mother) = id;
    individuals.push_back({id, need_father ? Sex::kMale : Sex::kFemale, "", ""});
  }
  return individuals;
}

}  // namespace

Result<std::vector<kinship::KinshipCase>> FamToCases(const FamFile& fam,
                                                     const std::string& reference,
                                                     const std::string& source) {
  if (fam.pedigrees.size() < 2) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the file defines " + std::to_string(fam.pedigrees.size()) +
                         " pedigree(s); an LR needs two hypotheses",
                     source);
  }
  size_t ref = fam.pedigrees.size() - 1;
  if (!reference.empty()) {
    auto it = std::find_if(fam.pedigrees.begin(), fam.pedigrees.end(),
                           [&](const FamPedigree& p) { return p.name == reference; });
    if (it == fam.pedigrees.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "no pedigree of that name in the file",
                       source + ": reference pedigree '" + reference + "'");
    }
    ref = static_cast<size_t>(it - fam.pedigrees.begin());
  }
  kinship::KinshipCase base;
  for (const auto& m : fam.markers) base.markers.push_back(m.name);
  base.mutation = FamMutation(fam);
  base.theta = fam.theta;
  std::optional<double> dropout;
  for (const auto& p : fam.persons) {
    if (!p.genotypes.empty()) base.genotypes[p.name] = p.genotypes;
    if (!p.consider_dropout || p.genotypes.empty()) continue;
    for (const auto& m : fam.markers) {
      if (dropout && *dropout != m.dropout) {
        return MakeError(
            ErrorCode::kUnimplemented,
            "persons consider drop-out, and the markers' drop-out probabilities differ (" +
                Num(*dropout) + ", " + Num(m.dropout) +
                "); our model has one drop-out probability per sample",
            source + ": marker " + m.name);
      }
      dropout = m.dropout;
    }
    base.dropout[p.name] = dropout.value_or(0.0);
  }
  auto persons = [&](const FamPedigree& ped) {
    std::vector<kinship::HypothesisPerson> out;
    for (auto& ind : CompleteParents(ped.individuals)) out.push_back({std::move(ind), {}});
    return out;
  };
  std::vector<kinship::KinshipCase> cases;
  for (size_t i = 0; i < fam.pedigrees.size(); ++i) {
    if (i == ref) continue;
    kinship::KinshipCase k = base;
    k.id = fam.pedigrees[i].name + " vs " + fam.pedigrees[ref].name;
    k.description = "L(" + fam.pedigrees[i].name + ") / L(" + fam.pedigrees[ref].name + ")";
    k.h1 = persons(fam.pedigrees[i]);
    k.h2 = persons(fam.pedigrees[ref]);
    cases.push_back(std::move(k));
  }
  return cases;
}

Result<FamFile> CaseToFam(const kinship::KinshipCase& kcase, const kinship::FrequencyDatabase& db) {
  const std::string where = "case " + kcase.id;
  auto fail = [&](const std::string& message, const std::string& field = {}) {
    return MakeError(ErrorCode::kInvalidArgument, message,
                     field.empty() ? where : where + ", " + field);
  };
  if (kcase.minimum_frequency || kcase.minimum_frequency_from_size) {
    return fail(
        "a minimum frequency cannot be written to a .fam file (add the alleles to the database)");
  }
  FamFile fam;
  std::map<std::string, Sex> sex;
  std::vector<std::string> order;
  for (const auto* h : {&kcase.h1, &kcase.h2}) {
    for (const auto& p : *h) {
      const auto& ind = p.individual;
      if (!p.samples.empty() && !(p.samples.size() == 1 && p.samples[0] == ind.id)) {
        return fail(
            p.samples.size() > 1
                ? "carries two or more samples (a direct match); the .fam identity relation "
                  "is not written"
                : "carries a sample under another name; .fam genotypes belong to persons",
            "individual " + ind.id);
      }
      if (ind.sex == Sex::kUnknown)
        return fail("has unknown sex; Familias records male or female", "individual " + ind.id);
      auto [it, added] = sex.emplace(ind.id, ind.sex);
      if (added) order.push_back(ind.id);
      if (it->second != ind.sex)
        return fail("has different sexes in h1 and h2", "individual " + ind.id);
    }
  }
  std::optional<double> dropout;
  for (const auto& [sample, d] : kcase.dropout) {
    if (dropout && *dropout != d) {
      return fail("samples have different drop-out probabilities; a .fam file has one per marker",
                  "sample " + sample);
    }
    dropout = d;
  }
  std::set<std::string> seen;
  for (const auto& name : kcase.markers) {
    const auto* m = db.Find(name);
    if (m == nullptr) return fail("is not in the frequency database", "marker " + name);
    if (!seen.insert(m->name).second) return fail("is listed twice", "marker " + name);
    FamMarker fm;
    fm.name = m->name;
    fm.alleles = m->alleles;
    fm.frequencies = m->frequencies;
    fm.database_size = m->database_size;
    fm.dropout = dropout.value_or(0.0);
    const auto model = kcase.mutation.ForMarker(m->name);
    fm.mutation = {model.male, model.female};
    fam.markers.push_back(std::move(fm));
  }
  for (const auto& id : order) {
    FamPerson p;
    p.name = id;
    p.sex = sex[id];
    auto g = kcase.genotypes.find(id);
    if (g != kcase.genotypes.end()) {
      for (const auto& [marker, call] : g->second) {
        if (seen.count(marker) != 0 && !call.untyped()) p.genotypes[marker] = call;
      }
      p.consider_dropout = kcase.dropout.count(id) != 0;
    }
    fam.persons.push_back(std::move(p));
  }
  int h = 0;
  for (const auto* hyp : {&kcase.h1, &kcase.h2}) {
    FamPedigree ped;
    ped.name = ++h == 1 ? "h1" : "h2";
    std::map<std::string, const kinship::Individual*> in;
    for (const auto& p : *hyp) in[p.individual.id] = &p.individual;
    for (const auto& id : order) {
      auto it = in.find(id);
      ped.individuals.push_back(it != in.end() ? *it->second
                                               : kinship::Individual{id, sex[id], "", ""});
    }
    fam.pedigrees.push_back(std::move(ped));
  }
  fam.theta = kcase.theta;
  return fam;
}

Result<FamIdentifyInput> FamToIdentify(const FamFile& fam, const std::string& source) {
  if (!fam.dvi) return MakeError(ErrorCode::kInvalidArgument, "has no [DVI] section", source);
  const auto& dvi = *fam.dvi;
  for (const auto& [value, name] :
       {std::pair{dvi.dropin, "Dropin"}, std::pair{dvi.error, "Error"}}) {
    if (value && *value != 0.0) {
      return MakeError(ErrorCode::kUnimplemented,
                       "is " + Num(*value) + "; drop-in and typing errors are not modelled (set 0)",
                       source + ": [Advanced] Direct/Identity " + name);
    }
  }
  FamIdentifyInput in;
  WB_ASSIGN_OR_RETURN(in.database, FamDatabase(fam, source));
  in.mutation = FamMutation(fam);
  in.theta = fam.theta;
  in.dropout = dvi.dropout;
  std::set<std::string> remains_names;
  for (const auto& p : dvi.unidentified) {
    if (!remains_names.insert(p.name).second) {
      return MakeError(ErrorCode::kInvalidArgument, "is named twice",
                       source + ": unidentified person " + p.name);
    }
    in.remains.push_back({p.name, p.name, ""});
    kinship::Profile profile;
    profile.sample = p.name;
    profile.markers = p.genotypes;
    if (p.sex != Sex::kUnknown) profile.amelogenin_sex = p.sex;
    in.remains_profiles.push_back(std::move(profile));
  }
  std::map<std::string, std::string> reference_family;  // reference name -> family
  std::set<std::string> family_names;
  for (const auto& f : dvi.families) {
    const std::string where = source + ": family " + f.name;
    auto fail = [&](const std::string& message, const std::string& field = {}) {
      return MakeError(ErrorCode::kInvalidArgument, message,
                       field.empty() ? where : where + ", " + field);
    };
    if (!family_names.insert(f.name).second) return fail("is named twice");
    // One pedigree: all pedigrees of the family must have the same relations.
    // `relations` in the first pedigree's order (missing persons are met in that order).
    std::vector<std::pair<std::string, std::string>> relations, first_sorted;
    for (size_t k = 0; k < f.pedigrees.size(); ++k) {
      auto r = f.pedigrees[k].relations;
      std::sort(r.begin(), r.end());
      r.erase(std::unique(r.begin(), r.end()), r.end());
      if (k == 0) {
        first_sorted = r;
        relations = f.pedigrees[0].relations;
      } else if (r != first_sorted) {
        return fail("pedigrees '" + f.pedigrees[0].name + "' and '" + f.pedigrees[k].name +
                    "' differ; whereabouts identify takes one pedigree per family");
      }
    }
    kinship::Family family;
    family.id = f.name;
    std::map<std::string, size_t> index;
    for (const auto& p : f.persons) {
      if (!index.emplace(p.name, family.members.size()).second)
        return fail("is named twice", "person " + p.name);
      kinship::FamilyMember m;
      m.id = p.name;
      m.sex = p.sex;
      if (!p.genotypes.empty()) {
        m.role = kinship::FamilyRole::kReference;
        m.sample = p.name;
        auto [it, added] = reference_family.emplace(p.name, f.name);
        if (!added) {
          return fail("is also a reference of family " + it->second +
                          "; reference names must differ between families",
                      "person " + p.name);
        }
        kinship::Profile profile;
        profile.sample = p.name;
        profile.markers = p.genotypes;
        in.references.push_back(std::move(profile));
      } else {
        m.role = p.name.rfind("Missing", 0) == 0 ? kinship::FamilyRole::kMissing
                                                 : kinship::FamilyRole::kUntyped;
      }
      family.members.push_back(std::move(m));
    }
    // Persons named only in the relations are missing persons (Familias' "Missing person").
    for (const auto& [parent, child] : relations) {
      for (const auto* name : {&parent, &child}) {
        if (index.count(*name) != 0) continue;
        index.emplace(*name, family.members.size());
        kinship::FamilyMember m;
        m.id = *name;
        m.role = kinship::FamilyRole::kMissing;
        family.members.push_back(std::move(m));
      }
    }
    // Missing persons' sex from a note of ours ("whereabouts missing sex", see FamDvi::notes).
    for (const auto& note : dvi.notes) {
      std::vector<std::string> parts;
      for (size_t b = 0, e; b <= note.size(); b = e + 1) {
        e = note.find('\t', b);
        if (e == std::string::npos) e = note.size();
        parts.push_back(note.substr(b, e - b));
      }
      if (parts.size() < 2 || parts[0] != kSexNote || parts[1] != f.name) continue;
      for (size_t k = 2; k + 1 < parts.size(); k += 2) {
        auto it = index.find(parts[k]);
        if (it == index.end()) continue;
        auto& m = family.members[it->second];
        if (m.role != kinship::FamilyRole::kMissing || m.sex != Sex::kUnknown) continue;
        if (parts[k + 1] == "male") m.sex = Sex::kMale;
        if (parts[k + 1] == "female") m.sex = Sex::kFemale;
      }
    }
    // Parents of unknown sex: the opposite of a co-parent's, until nothing changes.
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [parent, child] : relations) {
        auto& p = family.members[index[parent]];
        if (p.sex != Sex::kUnknown) continue;
        for (const auto& [other, child2] : relations) {
          if (child2 != child || other == parent) continue;
          const Sex s = family.members[index[other]].sex;
          if (s != Sex::kUnknown) {
            p.sex = s == Sex::kMale ? Sex::kFemale : Sex::kMale;
            changed = true;
            break;
          }
        }
      }
    }
    for (const auto& [parent, child] : relations) {
      const auto& p = family.members[index[parent]];
      auto& c = family.members[index[child]];
      if (p.sex == Sex::kUnknown) {
        return fail(
            "is a parent whose sex cannot be told (no Gender and no co-parent of known sex)",
            "person " + parent);
      }
      std::string& slot = p.sex == Sex::kMale ? c.father : c.mother;
      if (!slot.empty() && slot != parent) {
        return fail(std::string("has two ") + (p.sex == Sex::kMale ? "fathers" : "mothers"),
                    "person " + child);
      }
      slot = parent;
    }
    // A child with one parent gets the other as an untyped founder.
    const size_t n = family.members.size();
    for (size_t i = 0; i < n; ++i) {
      auto& m = family.members[i];
      if (m.father.empty() == m.mother.empty()) continue;
      const bool need_father = m.father.empty();
      std::string id = m.id + (need_father ? " father" : " mother");
      while (index.count(id) != 0) id += "'";
      index.emplace(id, family.members.size());
      (need_father ? family.members[i].father : family.members[i].mother) = id;
      kinship::FamilyMember added;
      added.id = id;
      added.sex = need_father ? Sex::kMale : Sex::kFemale;
      added.role = kinship::FamilyRole::kUntyped;
      family.members.push_back(std::move(added));
    }
    in.families.push_back(std::move(family));
  }
  return in;
}

Result<FamFile> IdentifyToFam(const kinship::FrequencyDatabase& db,
                              const std::vector<kinship::Family>& families,
                              const std::vector<kinship::Profile>& references,
                              const std::vector<kinship::RemainsSample>& remains,
                              const std::vector<kinship::Profile>& remains_profiles,
                              const kinship::MutationModel& mutation, double theta,
                              double dropout) {
  FamFile fam;
  fam.theta = theta;
  for (const auto& name : db.MarkerNames()) {
    const auto* m = db.Find(name);
    FamMarker fm;
    fm.name = m->name;
    fm.alleles = m->alleles;
    fm.frequencies = m->frequencies;
    fm.database_size = m->database_size;
    const auto model = mutation.ForMarker(m->name);
    fm.mutation = {model.male, model.female};
    fam.markers.push_back(std::move(fm));
  }
  FamDvi dvi;
  dvi.dropout = dropout;
  std::map<std::string, const kinship::Profile*> remains_of, reference_of;
  for (const auto& p : remains_profiles) remains_of[p.sample] = &p;
  for (const auto& p : references) reference_of[p.sample] = &p;
  for (const auto& r : remains) {
    FamDviPerson p;
    p.name = r.sample;
    auto it = remains_of.find(r.sample);
    if (it != remains_of.end()) {
      p.genotypes = it->second->markers;
      p.sex = it->second->amelogenin_sex.value_or(Sex::kUnknown);
    }
    dvi.unidentified.push_back(std::move(p));
  }
  for (const auto& f : families) {
    FamDviFamily out;
    out.name = f.id;
    FamDviPedigree ped;
    std::set<std::string> related;
    for (const auto& m : f.members) {
      for (const std::string* parent : {&m.father, &m.mother}) {
        if (parent->empty()) continue;
        ped.relations.emplace_back(*parent, m.id);
        related.insert(*parent);
        related.insert(m.id);
      }
    }
    std::string sex_note = std::string(kSexNote) + "\t" + f.id;
    bool noted = false, notable = f.id.find('\t') == std::string::npos;
    for (const auto& m : f.members) {
      if (m.role == kinship::FamilyRole::kMissing) {
        if (m.id.rfind("Missing", 0) != 0 && m.sex != Sex::kUnknown &&
            m.id.find('\t') == std::string::npos) {
          sex_note += "\t" + m.id + "\t" + (m.sex == Sex::kMale ? "male" : "female");
          noted = true;
        }
        if (related.count(m.id) == 0) {
          return MakeError(ErrorCode::kInvalidArgument,
                           "has no parent or child in the pedigree; a .fam missing person is named "
                           "only in the relations",
                           "family " + f.id + ", missing person " + m.id);
        }
        if (m.id.rfind("Missing", 0) != 0) continue;  // named only in the relations
        // A missing person whose name begins with "Missing" is also declared (read as missing).
      }
      if (m.role == kinship::FamilyRole::kUntyped && m.id.rfind("Missing", 0) == 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "is an untyped relative whose name begins with \"Missing\"; a .fam "
                         "reader takes such a person as missing",
                         "family " + f.id + ", person " + m.id);
      }
      FamDviPerson p;
      p.name = m.id;
      p.sex = m.sex;
      if (m.role == kinship::FamilyRole::kReference) {
        auto it = reference_of.find(m.sample);
        if (it == reference_of.end()) {
          return MakeError(ErrorCode::kInvalidArgument, "has no profile in the reference table",
                           "family " + f.id + ", reference " + m.id + " (sample " + m.sample + ")");
        }
        p.genotypes = it->second->markers;
        bool typed = false;
        for (const auto& [marker, call] : p.genotypes) typed |= !call.untyped();
        if (!typed) {
          return MakeError(
              ErrorCode::kInvalidArgument,
              "has no typed marker; in a .fam file it would read as an untyped relative",
              "family " + f.id + ", reference " + m.id);
        }
      }
      out.persons.push_back(std::move(p));
    }
    dvi.notes.push_back(noted && notable ? sex_note : std::string());
    FamDviPedigree copy = ped;
    ped.name = "Reference pedigree";
    copy.name = f.id;
    out.pedigrees.push_back(std::move(ped));
    out.pedigrees.push_back(std::move(copy));
    dvi.families.push_back(std::move(out));
  }
  fam.dvi = std::move(dvi);
  return fam;
}

Result<FamFile> ReadFam(const std::string& path) {
  WB_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  return ParseFam(text, path);
}

Status WriteFam(const std::string& path, const FamFile& fam) {
  WB_ASSIGN_OR_RETURN(const std::string text, FormatFam(fam));
  return WriteFileAtomically(path, text);
}

}  // namespace whereabouts::io
