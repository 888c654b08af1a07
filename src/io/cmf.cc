#include "io/cmf.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "io/atomic_file.h"
#include "io/delimited.h"
#include "io/frequency_tsv.h"
#include "kinship/frequencies.h"

namespace whereabouts::io {
namespace {

constexpr const char* kNamespace = "urn:CODISImportFile-schema";
constexpr size_t kMaxAlleles = 8;  // ALLELE maxOccurs

// The categories we accept: what we do with them. THE table (docs/formats.md repeats it).
const std::vector<CmfCategory> kCategories = {
    {"Unidentified Person", CmfUse::kRemains, "",
     "unidentified human remains: compared with every family"},
    {"Deceased", CmfUse::kRemains, "",
     "a deceased person's body whose identity is unknown or only presumed: compared as remains, "
     "so that a presumed identity is tested, not assumed"},
    {"Missing Person", CmfUse::kReference, "self",
     "the missing person's own profile (personal effects, a stored sample): a direct reference"},
    {"Biological Mother", CmfUse::kReference, "mother", "the missing person's mother"},
    {"Biological Father", CmfUse::kReference, "father", "the missing person's father"},
    {"Biological Child", CmfUse::kReference, "child", "a child of the missing person"},
    {"Biological Sibling", CmfUse::kReference, "sibling",
     "a full sibling of the missing person (the pedigree says if half)"},
    {"Maternal Relative", CmfUse::kReference, "maternal relative",
     "a relative on the mother's side: the pedigree must place them"},
    {"Paternal Relative", CmfUse::kReference, "paternal relative",
     "a relative on the father's side: the pedigree must place them"},
    {"Alleged Mother", CmfUse::kReference, "alleged mother",
     "stated, not established: the pedigree tests it"},
    {"Alleged Father", CmfUse::kReference, "alleged father",
     "stated, not established: the pedigree tests it"},
    {"Spouse", CmfUse::kReference, "spouse",
     "not a blood relative: useful only with the couple's children (it tells which of a child's "
     "alleles came from the missing parent)"},
};

// Categories of the schema we refuse, with the reason.
struct Refused {
  std::string_view name, reason;
};
constexpr std::string_view kCriminal =
    "a criminal-index or elimination category, not a specimen of a missing-persons identification";
constexpr std::string_view kDeduced =
    "a profile deduced from other profiles, not typed from a sample: give the relatives' own "
    "profiles instead";
const std::vector<Refused> kRefused = {
    {"Convicted Offender", kCriminal},
    {"Arrestee", kCriminal},
    {"Detainee", kCriminal},
    {"Suspect, Known", kCriminal},
    {"Forensic, Unknown", kCriminal},
    {"Forensic Mixture", kCriminal},
    {"Forensic Partial", kCriminal},
    {"Forensic Targeted", kCriminal},
    {"Victim, Known", kCriminal},
    {"Elimination, Known", kCriminal},
    {"Staff", kCriminal},
    {"Juvenile", kCriminal},
    {"Legal", kCriminal},
    {"CO Duplicate", kCriminal},
    {"Multi-allelic Offender", kCriminal},
    {"Unreviewed Offender", kCriminal},
    {"Volunteer", kCriminal},
    {"Deduced Suspect", kDeduced},
    {"Deduced Victim Known", kDeduced},
    {"Deduced Missing Person", kDeduced},
    {"Population", "population data, not a person of this identification"},
    {"Proficiency", "a proficiency test, not a person of this identification"},
    {"Other", "the category does not say whether the specimen is remains or a reference"},
};

// CODIS locus names (CMF 3.2 and the 2017 schema's autosomal loci) and ours.
struct LocusName {
  std::string_view cmf, ours;
};
const std::vector<LocusName> kLoci = {
    {"AMEL", "AMEL"},         {"Amelogenin", "AMEL"}, {"CSF1PO", "CSF1PO"},
    {"D10S1248", "D10S1248"}, {"D12S391", "D12S391"}, {"D13S317", "D13S317"},
    {"D16S539", "D16S539"},   {"D18S51", "D18S51"},   {"D19S433", "D19S433"},
    {"D1S1656", "D1S1656"},   {"D21S11", "D21S11"},   {"D22S1045", "D22S1045"},
    {"D2S1338", "D2S1338"},   {"D2S441", "D2S441"},   {"D3S1358", "D3S1358"},
    {"D5S818", "D5S818"},     {"D7S820", "D7S820"},   {"D8S1179", "D8S1179"},
    {"FGA", "FGA"},           {"Penta D", "PENTA_D"}, {"Penta E", "PENTA_E"},
    {"SE33", "SE33"},         {"TH01", "TH01"},       {"THO1", "TH01"},
    {"TPOX", "TPOX"},         {"TP0X", "TPOX"},       {"vWA", "VWA"},
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Our canonical marker name for a CMF locus name.
std::string OurLocusName(std::string_view cmf) {
  const std::string key = Upper(Trim(cmf));
  for (const auto& l : kLoci) {
    if (Upper(l.cmf) == key) return std::string(l.ours);
  }
  return kinship::CanonicalMarkerName(cmf);
}

bool IsYLocus(const std::string& ours) {
  return ours.rfind("DYS", 0) == 0 || ours.rfind("DYF", 0) == 0 || ours.rfind("YGATA", 0) == 0 ||
         ours == "YINDEL";
}

// Line numbers of offsets into the text.
class Lines {
 public:
  explicit Lines(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') newlines_.push_back(i);
    }
  }
  [[nodiscard]] int LineOf(ptrdiff_t offset) const {
    if (offset < 0) return 1;
    return 1 + static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(),
                                                 static_cast<size_t>(offset)) -
                                newlines_.begin());
  }

 private:
  std::vector<size_t> newlines_;
};

// The element's name without a namespace prefix ("r:LOCUS" -> "LOCUS").
std::string_view Local(const pugi::xml_node& n) {
  std::string_view name = n.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// A problem with a field's value: a message, or "" when it is fine. Shared by reading and writing
// so that what is written reads back the same.
std::string CheckText(const std::string& value, size_t max_length, bool required) {
  if (value.empty()) return required ? "is empty" : "";
  if (value.size() > max_length) {
    return "is " + std::to_string(value.size()) + " characters long (at most " +
           std::to_string(max_length) + ")";
  }
  if (FindInvalidUtf8(value) != std::string_view::npos) return "is not UTF-8";
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return "holds a control character";
  }
  if (Trim(value) != value) return "begins or ends with spaces";
  return "";
}

// "YYYY-MM-DDThh:mm:ss" at least (xsd:dateTime, possibly with fractions and a zone).
bool LooksLikeDateTime(const std::string& v) {
  if (v.size() < 19) return false;
  for (size_t i = 0; i < 19; ++i) {
    const char c = v[i];
    const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (i == 4 || i == 7) {
      if (c != '-') return false;
    } else if (i == 10) {
      if (c != 'T') return false;
    } else if (i == 13 || i == 16) {
      if (c != ':') return false;
    } else if (!digit) {
      return false;
    }
  }
  return true;
}

std::string CheckDateTime(const std::string& v) {
  std::string problem = CheckText(v, 40, true);
  if (problem.empty() && !LooksLikeDateTime(v))
    problem = "is not a date and time YYYY-MM-DDThh:mm:ss";
  return problem;
}

// The canonical allele of a CMF value at locus `ours`, or an error message.
Result<std::string> CanonicalCmfAllele(const std::string& ours, const std::string& value) {
  if (ours == "AMEL") {
    const std::string v = Upper(value);
    if (v != "X" && v != "Y") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "amelogenin allele '" + value + "' is not X or Y");
    }
    return v;
  }
  return kinship::CanonicalAllele(value);
}

// Checks the whole file as the schema (and our reading) wants it. `where` names a specimen's or
// locus's place: read files give their lines, built ones the specimen id. `writing`: also every
// locus needs a CODIS name (a file read may hold loci of a later schema; we write only those of
// our table).
Status Validate(const CmfFile& f, const std::string& source, bool writing) {
  auto bad = [&](const std::string& where, const std::string& message) {
    return MakeError(ErrorCode::kInvalidArgument, message, source + where);
  };
  if (f.header_version != "3.2" && f.header_version != "3.3") {
    return bad(": HEADERVERSION",
               "HEADERVERSION '" + f.header_version + "' is not 3.2 (or 3.3, the same layout)");
  }
  if (f.message_type != "Import") {
    return bad(": MESSAGETYPE", "MESSAGETYPE '" + f.message_type + "' is not Import");
  }
  const std::pair<const char*, std::pair<const std::string*, size_t>> header[] = {
      {"DESTINATIONORI", {&f.destination_ori, 10}},
      {"SOURCELAB", {&f.source_lab, 10}},
      {"SUBMITBYUSERID", {&f.submit_by_user_id, 20}},
  };
  for (const auto& [name, field] : header) {
    if (auto p = CheckText(*field.first, field.second, true); !p.empty()) {
      return bad(std::string(": ") + name, std::string(name) + " " + p);
    }
  }
  if (auto p = CheckDateTime(f.submit_datetime); !p.empty()) {
    return bad(": SUBMITDATETIME", "SUBMITDATETIME " + p);
  }
  const std::pair<const char*, const std::string*> optional_header[] = {{"BATCHID", &f.batch_id},
                                                                        {"KIT", &f.kit}};
  for (const auto& [name, value] : optional_header) {
    if (auto p = CheckText(*value, 32, false); !p.empty()) {
      return bad(std::string(": ") + name, std::string(name) + " " + p);
    }
  }
  if (f.specimens.empty()) return bad(": CODISImportFile", "no SPECIMEN (at least one)");
  std::map<std::string, int> ids;
  for (const CmfSpecimen& s : f.specimens) {
    const std::string at =
        s.line > 0 ? ":" + std::to_string(s.line) + ": SPECIMEN" : ": specimen " + s.id;
    if (auto p = CheckText(s.id, 24, true); !p.empty())
      return bad(at + "/SPECIMENID", "SPECIMENID " + p);
    if (auto [it, fresh] = ids.emplace(s.id, s.line); !fresh) {
      return bad(at + "/SPECIMENID",
                 "specimen " + s.id + " is given twice" +
                     (it->second > 0 ? " (first on line " + std::to_string(it->second) + ")" : ""));
    }
    auto category = FindCmfCategory(s.category);
    if (!category)
      return bad(at + "/SPECIMENCATEGORY", "specimen " + s.id + ": " + category.error().message);
    if ((*category)->name != s.category) {
      return bad(at + "/SPECIMENCATEGORY", "specimen " + s.id + ": category '" + s.category +
                                               "' is spelled '" + std::string((*category)->name) +
                                               "'");
    }
    if (auto p = CheckText(s.comment, 255, false); !p.empty()) {
      return bad(at + "/SPECIMENCOMMENT", "specimen " + s.id + ": SPECIMENCOMMENT " + p);
    }
    if (auto p = CheckText(s.case_id, 32, false); !p.empty()) {
      return bad(at + "/CASEID", "specimen " + s.id + ": CASEID " + p);
    }
    if (!s.source_id.empty() && s.source_id != "Yes" && s.source_id != "No" &&
        s.source_id != "N/A") {
      return bad(at + "/SOURCEID",
                 "specimen " + s.id + ": SOURCEID '" + s.source_id + "' is not Yes, No or N/A");
    }
    if (s.loci.empty()) return bad(at, "specimen " + s.id + " has no LOCUS");
    std::map<std::string, int> loci;
    for (const CmfLocus& l : s.loci) {
      const std::string lat =
          l.line > 0 ? ":" + std::to_string(l.line) + ": LOCUS" : at + ", locus " + l.name;
      const std::string who = "specimen " + s.id + ", locus " + l.name;
      if (l.name.empty())
        return bad(lat + "/LOCUSNAME", "specimen " + s.id + ": LOCUSNAME is empty");
      if (writing && CmfLocusName(l.name).empty()) {
        return bad(lat + "/LOCUSNAME", who + ": no CODIS locus name for this marker");
      }
      if (auto [it, fresh] = loci.emplace(l.name, l.line); !fresh) {
        return bad(
            lat + "/LOCUSNAME",
            who + " is given twice" +
                (it->second > 0 ? " (first on line " + std::to_string(it->second) + ")" : ""));
      }
      if (auto p = CheckText(l.reading_by, 20, true); !p.empty())
        return bad(lat + "/READINGBY", who + ": READINGBY " + p);
      if (auto p = CheckDateTime(l.reading_datetime); !p.empty()) {
        return bad(lat + "/READINGDATETIME", who + ": READINGDATETIME " + p);
      }
      if (auto p = CheckText(l.batch_id, 32, false); !p.empty())
        return bad(lat + "/BATCHID", who + ": BATCHID " + p);
      if (auto p = CheckText(l.kit, 32, false); !p.empty())
        return bad(lat + "/KIT", who + ": KIT " + p);
      if (l.alleles.empty() || l.alleles.size() > kMaxAlleles) {
        return bad(lat + "/ALLELE",
                   who + ": " + std::to_string(l.alleles.size()) + " ALLELE elements (1 to 8)");
      }
      std::set<std::string> seen;
      for (const std::string& a : l.alleles) {
        if (auto p = CheckText(a, 10, true); !p.empty())
          return bad(lat + "/ALLELEVALUE", who + ": ALLELEVALUE " + p);
        auto canonical = CanonicalCmfAllele(l.name, a);
        if (!canonical) return bad(lat + "/ALLELEVALUE", who + ": " + canonical.error().message);
        if (*canonical != a) {
          return bad(lat + "/ALLELEVALUE",
                     who + ": allele '" + a + "' is written '" + *canonical + "'");
        }
        if (!seen.insert(a).second)
          return bad(lat + "/ALLELEVALUE", who + ": allele " + a + " is given twice");
      }
    }
  }
  return {};
}

// Reads one file's elements into CmfFile.
class Reader {
 public:
  Reader(std::string_view text, std::string source) : lines_(text), source_(std::move(source)) {}

  Result<CmfFile> Read(const pugi::xml_document& doc) {
    pugi::xml_node root = doc.document_element();
    if (!root) return Bad(doc, "CODISImportFile", "no root element");
    if (Local(root) != "CODISImportFile") {
      return Bad(root, std::string(Local(root)),
                 "the root element is " + std::string(Local(root)) + ", not CODISImportFile");
    }
    CmfFile f;
    f.header_version.clear();
    f.message_type.clear();
    std::set<std::string> seen;
    for (pugi::xml_node n : root.children()) {
      if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
        if (!Trim(n.value()).empty())
          return Bad(root, "CODISImportFile", "text outside the elements");
        continue;
      }
      if (n.type() != pugi::node_element) continue;
      const std::string name(Local(n));
      if (name == "SPECIMEN") {
        WB_ASSIGN_OR_RETURN(CmfSpecimen s, Specimen(n));
        f.specimens.push_back(std::move(s));
        continue;
      }
      std::string* target = name == "HEADERVERSION"    ? &f.header_version
                            : name == "MESSAGETYPE"    ? &f.message_type
                            : name == "DESTINATIONORI" ? &f.destination_ori
                            : name == "SOURCELAB"      ? &f.source_lab
                            : name == "SUBMITBYUSERID" ? &f.submit_by_user_id
                            : name == "SUBMITDATETIME" ? &f.submit_datetime
                            : name == "BATCHID"        ? &f.batch_id
                            : name == "KIT"            ? &f.kit
                                                       : nullptr;
      if (target == nullptr) {
        return Bad(n, name, "element " + name + " is not part of CODISImportFile");
      }
      if (!seen.insert(name).second) return Bad(n, name, name + " is given twice");
      WB_ASSIGN_OR_RETURN(*target, Leaf(n, name));
    }
    for (const char* required : {"HEADERVERSION", "MESSAGETYPE", "DESTINATIONORI", "SOURCELAB",
                                 "SUBMITBYUSERID", "SUBMITDATETIME"}) {
      if (!seen.count(required)) {
        return Bad(root, required, std::string("missing ") + required + " in CODISImportFile");
      }
    }
    WB_RETURN_IF_ERROR(Validate(f, source_, false));
    return f;
  }

  // An error at the line of `n`, field "source:line: field".
  template <typename Node>
  tl::unexpected<Error> Bad(const Node& n, const std::string& field, const std::string& message) {
    return MakeError(
        ErrorCode::kInvalidArgument, message,
        source_ + ":" + std::to_string(lines_.LineOf(n.offset_debug())) + ": " + field);
  }
  const Lines& lines() const { return lines_; }

 private:
  // The trimmed text of a field without child elements.
  Result<std::string> Leaf(const pugi::xml_node& n, const std::string& field) {
    for (pugi::xml_node c : n.children()) {
      if (c.type() == pugi::node_element) {
        return Bad(c, field, field + " holds an element (" + std::string(Local(c)) + "), not text");
      }
    }
    return Trim(n.text().get());
  }

  Result<CmfSpecimen> Specimen(const pugi::xml_node& n) {
    CmfSpecimen s;
    s.line = lines_.LineOf(n.offset_debug());
    for (pugi::xml_attribute a : n.attributes()) {
      const std::string name = Upper(a.name());
      const std::string value = Trim(a.value());
      if (name == "CASEID") {
        s.case_id = value;
      } else if (name == "SOURCEID") {
        s.source_id = value;
      } else if (name == "PARTIAL") {
        if (value == "true" || value == "1") {
          s.partial = true;
        } else if (value == "false" || value == "0") {
          s.partial = false;
        } else {
          return Bad(n, "SPECIMEN/PARTIAL", "PARTIAL '" + value + "' is not true or false");
        }
      } else if (name.rfind("XMLNS", 0) != 0 && name.find(':') == std::string::npos) {
        return Bad(n, "SPECIMEN/" + std::string(a.name()),
                   "attribute " + std::string(a.name()) + " is not part of SPECIMEN");
      }
    }
    std::set<std::string> seen;
    for (pugi::xml_node c : n.children()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        if (!Trim(c.value()).empty()) return Bad(n, "SPECIMEN", "text outside the elements");
        continue;
      }
      if (c.type() != pugi::node_element) continue;
      const std::string name(Local(c));
      const std::string field = "SPECIMEN/" + name;
      if (name == "LOCUS") {
        WB_ASSIGN_OR_RETURN(CmfLocus l, Locus(c));
        s.loci.push_back(std::move(l));
        continue;
      }
      std::string* target = name == "SPECIMENID"         ? &s.id
                            : name == "SPECIMENCATEGORY" ? &s.category
                            : name == "SPECIMENCOMMENT"  ? &s.comment
                                                         : nullptr;
      if (target == nullptr) return Bad(c, field, "element " + name + " is not part of SPECIMEN");
      if (!seen.insert(name).second) return Bad(c, field, name + " is given twice");
      WB_ASSIGN_OR_RETURN(*target, Leaf(c, field));
    }
    if (!seen.count("SPECIMENID")) return Bad(n, "SPECIMEN/SPECIMENID", "missing SPECIMENID");
    if (!seen.count("SPECIMENCATEGORY")) {
      return Bad(n, "SPECIMEN/SPECIMENCATEGORY", "missing SPECIMENCATEGORY of specimen " + s.id);
    }
    // The spelling of our table ("sibling" -> "Biological Sibling"); a refused one: Validate says.
    if (auto category = FindCmfCategory(s.category)) s.category = std::string((*category)->name);
    return s;
  }

  Result<CmfLocus> Locus(const pugi::xml_node& n) {
    CmfLocus l;
    l.line = lines_.LineOf(n.offset_debug());
    for (pugi::xml_attribute a : n.attributes()) {
      const std::string name = Upper(a.name());
      if (name == "BATCHID") {
        l.batch_id = Trim(a.value());
      } else if (name == "KIT") {
        l.kit = Trim(a.value());
      } else if (name.rfind("XMLNS", 0) != 0 && name.find(':') == std::string::npos) {
        return Bad(n, "LOCUS/" + std::string(a.name()),
                   "attribute " + std::string(a.name()) + " is not part of LOCUS");
      }
    }
    std::set<std::string> seen;
    std::string raw_name;
    for (pugi::xml_node c : n.children()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        if (!Trim(c.value()).empty()) return Bad(n, "LOCUS", "text outside the elements");
        continue;
      }
      if (c.type() != pugi::node_element) continue;
      const std::string name(Local(c));
      const std::string field = "LOCUS/" + name;
      if (name == "ALLELE") {
        if (l.alleles.size() == kMaxAlleles) {
          return Bad(c, field, "more than 8 ALLELE elements in a LOCUS");
        }
        std::string value;
        bool has_value = false;
        for (pugi::xml_node v : c.children()) {
          if (v.type() == pugi::node_pcdata || v.type() == pugi::node_cdata) {
            if (!Trim(v.value()).empty()) return Bad(c, field, "text outside ALLELEVALUE");
            continue;
          }
          if (v.type() != pugi::node_element) continue;
          if (Local(v) != "ALLELEVALUE") {
            return Bad(v, field + "/" + std::string(Local(v)),
                       "element " + std::string(Local(v)) + " is not part of ALLELE");
          }
          if (has_value) return Bad(v, field + "/ALLELEVALUE", "ALLELEVALUE is given twice");
          has_value = true;
          WB_ASSIGN_OR_RETURN(value, Leaf(v, field + "/ALLELEVALUE"));
        }
        if (!has_value) return Bad(c, field + "/ALLELEVALUE", "missing ALLELEVALUE in ALLELE");
        // Canonical here, checked (with the locus name known) below.
        l.alleles.push_back(std::move(value));
        continue;
      }
      std::string* target = name == "LOCUSNAME"         ? &raw_name
                            : name == "READINGBY"       ? &l.reading_by
                            : name == "READINGDATETIME" ? &l.reading_datetime
                                                        : nullptr;
      if (target == nullptr) return Bad(c, field, "element " + name + " is not part of LOCUS");
      if (!seen.insert(name).second) return Bad(c, field, name + " is given twice");
      WB_ASSIGN_OR_RETURN(*target, Leaf(c, field));
    }
    for (const char* required : {"LOCUSNAME", "READINGBY", "READINGDATETIME"}) {
      if (!seen.count(required)) {
        return Bad(n, std::string("LOCUS/") + required, std::string("missing ") + required);
      }
    }
    l.name = OurLocusName(raw_name);
    if (raw_name.size() > 10)
      return Bad(n, "LOCUS/LOCUSNAME", "LOCUSNAME is longer than 10 characters");
    // Canonical designations, a homozygote's repeated value once.
    std::vector<std::string> alleles;
    for (const std::string& a : l.alleles) {
      if (auto p = CheckText(a, 10, true); !p.empty()) {
        return Bad(n, "LOCUS/ALLELE/ALLELEVALUE", "locus " + raw_name + ": ALLELEVALUE " + p);
      }
      auto canonical = CanonicalCmfAllele(l.name, a);
      if (!canonical) {
        return Bad(n, "LOCUS/ALLELE/ALLELEVALUE",
                   "locus " + raw_name + ": " + canonical.error().message);
      }
      if (std::find(alleles.begin(), alleles.end(), *canonical) == alleles.end()) {
        alleles.push_back(std::move(*canonical));
      }
    }
    l.alleles = std::move(alleles);
    return l;
  }

  Lines lines_;
  std::string source_;
};

}  // namespace

const std::vector<CmfCategory>& CmfCategories() { return kCategories; }

Result<const CmfCategory*> FindCmfCategory(std::string_view name) {
  std::string key = Upper(Trim(name));
  if (key == "SIBLING") key = "BIOLOGICAL SIBLING";
  for (const CmfCategory& c : kCategories) {
    if (Upper(c.name) == key) return &c;
  }
  std::string accepted;
  for (const CmfCategory& c : kCategories)
    accepted += (accepted.empty() ? "" : ", ") + std::string(c.name);
  for (const Refused& r : kRefused) {
    if (Upper(r.name) == key) {
      return MakeError(ErrorCode::kInvalidArgument, "category '" + std::string(r.name) +
                                                        "' is refused: " + std::string(r.reason) +
                                                        " (accepted: " + accepted + ")");
    }
  }
  return MakeError(ErrorCode::kInvalidArgument, "category '" + Trim(name) +
                                                    "' is not a CMF specimen category we read "
                                                    "(accepted: " +
                                                    accepted + ")");
}

std::string CmfLocusName(std::string_view canonical_marker) {
  for (const auto& l : kLoci) {
    if (l.ours == canonical_marker) return std::string(l.cmf);  // the first: the preferred name
  }
  return "";
}

Result<CmfFile> ParseCmf(std::string_view text, const std::string& source) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  Lines lines(text);
  if (!parsed) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("not well-formed XML: ") + parsed.description(),
                     source + ":" + std::to_string(lines.LineOf(parsed.offset)));
  }
  Reader reader(text, source);
  return reader.Read(doc);
}

Result<CmfFile> ReadCmf(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseCmf(text, path);
}

Result<std::string> FormatCmf(const CmfFile& file) {
  WB_RETURN_IF_ERROR(Validate(file, "CMF", true));
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("CODISImportFile");
  root.append_attribute("xmlns") = kNamespace;
  auto add = [](pugi::xml_node parent, const char* name, const std::string& value) {
    parent.append_child(name).text().set(value.c_str());
  };
  add(root, "HEADERVERSION", file.header_version);
  add(root, "MESSAGETYPE", file.message_type);
  add(root, "DESTINATIONORI", file.destination_ori);
  add(root, "SOURCELAB", file.source_lab);
  add(root, "SUBMITBYUSERID", file.submit_by_user_id);
  add(root, "SUBMITDATETIME", file.submit_datetime);
  if (!file.batch_id.empty()) add(root, "BATCHID", file.batch_id);
  if (!file.kit.empty()) add(root, "KIT", file.kit);
  for (const CmfSpecimen& s : file.specimens) {
    pugi::xml_node sn = root.append_child("SPECIMEN");
    if (!s.source_id.empty()) sn.append_attribute("SOURCEID") = s.source_id.c_str();
    if (!s.case_id.empty()) sn.append_attribute("CASEID") = s.case_id.c_str();
    if (s.partial) sn.append_attribute("PARTIAL") = *s.partial ? "true" : "false";
    add(sn, "SPECIMENID", s.id);
    add(sn, "SPECIMENCATEGORY", s.category);
    if (!s.comment.empty()) add(sn, "SPECIMENCOMMENT", s.comment);
    for (const CmfLocus& l : s.loci) {
      pugi::xml_node ln = sn.append_child("LOCUS");
      if (!l.batch_id.empty()) ln.append_attribute("BATCHID") = l.batch_id.c_str();
      if (!l.kit.empty()) ln.append_attribute("KIT") = l.kit.c_str();
      const std::string name = CmfLocusName(l.name);
      add(ln, "LOCUSNAME", name);
      add(ln, "READINGBY", l.reading_by);
      add(ln, "READINGDATETIME", l.reading_datetime);
      for (const std::string& a : l.alleles) add(ln.append_child("ALLELE"), "ALLELEVALUE", a);
    }
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

Status WriteCmf(const std::string& path, const CmfFile& file) {
  WB_ASSIGN_OR_RETURN(const std::string text, FormatCmf(file));
  WB_ASSIGN_OR_RETURN(AtomicFile out, AtomicFile::Create(path));
  WB_RETURN_IF_ERROR(out.Write(text));
  return out.Commit();
}

kinship::Profile CmfProfile(const CmfSpecimen& specimen, std::vector<std::string>* warnings) {
  kinship::Profile p{specimen.id, {}, std::nullopt};
  auto warn = [&](const CmfLocus& l, const std::string& what) {
    if (warnings != nullptr) {
      warnings->push_back("specimen " + specimen.id + ", locus " + l.name + ": " + what);
    }
  };
  for (const CmfLocus& l : specimen.loci) {
    if (l.name == "AMEL") {
      const bool y = std::find(l.alleles.begin(), l.alleles.end(), "Y") != l.alleles.end();
      p.amelogenin_sex = y ? kinship::Sex::kMale : kinship::Sex::kFemale;
      continue;
    }
    if (IsYLocus(l.name)) {
      warn(l, "a Y-chromosome locus: not used (the kinship engine reads autosomal markers)");
      continue;
    }
    if (l.alleles.size() > 2) {
      std::string list;
      for (const auto& a : l.alleles) list += (list.empty() ? "" : ", ") + a;
      warn(l, std::to_string(l.alleles.size()) + " alleles (" + list +
                  "): a possible mixture (a single-source specimen shows at most two); locus not "
                  "used");
      continue;
    }
    kinship::GenotypeCall call;
    call.first = l.alleles[0];
    call.second = l.alleles.size() > 1 ? l.alleles[1] : l.alleles[0];
    p.markers[l.name] = std::move(call);
  }
  return p;
}

std::vector<CmfLocus> CmfLociOf(const kinship::Profile& profile, const std::string& reading_by,
                                const std::string& reading_datetime,
                                std::vector<std::string>* left_out) {
  std::vector<CmfLocus> out;
  auto leave = [&](const std::string& marker, const std::string& why) {
    if (left_out != nullptr)
      left_out->push_back("sample " + profile.sample + ", marker " + marker + ": " + why);
  };
  for (const auto& [marker, call] : profile.markers) {
    if (call.untyped()) continue;
    if (CmfLocusName(marker).empty()) {
      leave(marker, "no CODIS locus name for this marker; left out");
      continue;
    }
    if (!call.first || !call.second) {
      leave(marker, "the call " + call.ToString() +
                        " has an allele not designated, which CMF cannot write (one ALLELE means "
                        "a homozygote); left out");
      continue;
    }
    CmfLocus l;
    l.name = marker;
    l.alleles.push_back(*call.first);
    if (*call.second != *call.first) l.alleles.push_back(*call.second);
    l.reading_by = reading_by;
    l.reading_datetime = reading_datetime;
    out.push_back(std::move(l));
  }
  if (profile.amelogenin_sex && *profile.amelogenin_sex != kinship::Sex::kUnknown) {
    CmfLocus l;
    l.name = "AMEL";
    l.alleles.push_back("X");
    if (*profile.amelogenin_sex == kinship::Sex::kMale) l.alleles.push_back("Y");
    l.reading_by = reading_by;
    l.reading_datetime = reading_datetime;
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace whereabouts::io
