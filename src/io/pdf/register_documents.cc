#include "io/pdf/register_documents.h"

#include <fmt/format.h>

#include <cstdint>

#include "io/pdf/document_template.h"

namespace whereabouts::io::pdf {
namespace {

using registry::ChainHead;
using registry::IdentificationProposal;
using registry::Person;

// One block as an insert (built by push_back: g++ 12 warns falsely on an initializer list of
// variants).
std::vector<Block> One(Block b) {
  std::vector<Block> out;
  out.push_back(std::move(b));
  return out;
}

// The first code point of UTF-8 text that is a letter-range character (skips ASCII punctuation
// and digits); 0 when none.
char32_t FirstLetter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0;
    size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      n = 2;
    } else if ((c >> 4) == 0xE && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      n = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      n = 4;
    }
    const bool ascii_letter = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (ascii_letter || cp >= 0xC0) return cp;
    i += n;
  }
  return 0;
}

std::string Or(const std::string& s, const char* none = "not recorded") {
  return s.empty() ? std::string(none) : s;
}

std::string DateOr(const std::optional<registry::Date>& d, const char* none = "not recorded") {
  return d ? d->ToString() : std::string(none);
}

std::string Birth(const Person& p) {
  if (p.birth_date) return p.birth_date->ToString();
  if (p.birth_year_min && p.birth_year_max) {
    return *p.birth_year_min == *p.birth_year_max
               ? std::to_string(*p.birth_year_min)
               : fmt::format("between {} and {}", *p.birth_year_min, *p.birth_year_max);
  }
  if (p.birth_year_min) return fmt::format("{} or later", *p.birth_year_min);
  if (p.birth_year_max) return fmt::format("{} or earlier", *p.birth_year_max);
  return "not recorded";
}

std::string ChainSentence(const ChainHead& h) {
  return h.seq == 0 ? std::string("an empty register")
                    : fmt::format("event #{} of the register's event chain, recorded {}, hash {}",
                                  h.seq, h.recorded_on.ToString(), h.hash);
}

// The document's date: the register's, from its chain head ("" for an empty register).
std::string DocumentDate(const ChainHead& h) {
  return h.seq == 0 ? std::string() : h.recorded_on.ToString();
}

void AddChain(TemplateValues& v, const ChainHead& h) {
  v.text["chain_seq"] = std::to_string(h.seq);
  v.text["chain_date"] = h.seq == 0 ? std::string("-") : h.recorded_on.ToString();
  v.text["chain_hash"] = h.seq == 0 ? std::string("-") : h.hash;
  v.text["chain_head"] = ChainSentence(h);
  v.blocks["register"] = One(KeyValueTable{{
      {"Chain head (last event)",
       h.seq == 0 ? std::string("none (empty register)") : "#" + std::to_string(h.seq)},
      {"Recorded on", h.seq == 0 ? std::string("-") : h.recorded_on.ToString()},
      {"Chain hash (SHA-256)", h.seq == 0 ? std::string("-") : h.hash},
  }});
}

TemplateValues PersonValues(const Person& p, const ChainHead& h) {
  TemplateValues v;
  v.text["person_id"] = std::to_string(p.id.value);
  v.text["full_name"] = p.FullName();
  v.text["sex"] = std::string(registry::Name(p.sex));
  v.text["birth"] = Birth(p);
  v.text["disappearance_date"] = DateOr(p.disappearance_date);
  v.text["disappearance_place"] = Or(p.disappearance_place);
  v.text["case_status"] = std::string(registry::Name(p.status));
  AddChain(v, h);
  KeyValueTable names;
  const std::string primary = p.FullName();
  names.rows.emplace_back("Name (" + ScriptOf(primary) + ")", primary);
  for (const std::string& other : p.other_names) {
    names.rows.emplace_back("Name (" + ScriptOf(other) + ")", other);
  }
  v.blocks["names"] = One(std::move(names));
  KeyValueTable person{{
      {"Register number", std::to_string(p.id.value)},
      {"Sex", std::string(registry::Name(p.sex))},
      {"Born", Birth(p)},
      {"Missing since", DateOr(p.disappearance_date)},
      {"Place of disappearance", Or(p.disappearance_place)},
      {"Circumstances", Or(p.circumstances)},
      {"Case status", std::string(registry::Name(p.status))},
      {"Registered on", p.registered_on.ToString()},
  }};
  v.blocks["person"] = One(std::move(person));
  return v;
}

void AddIdentification(TemplateValues& v, const IdentificationProposal& id) {
  v.text["proposal"] = std::to_string(id.id);
  v.text["identified_on"] = DateOr(id.date);
  v.text["remains"] = Or(id.remains);
  v.text["site"] = id.site > 0 ? std::to_string(id.site) : Or(id.site_note, "unknown");
  v.text["signed_off_on"] = DateOr(id.signed_off_on);
  v.text["signed_off_by"] = Or(id.signed_off_by);
  v.text["confirmed_by"] = Or(id.decided_by);
  v.blocks["identification"] = One(KeyValueTable{{
      {"Identification (proposal)", std::to_string(id.id)},
      {"Date of the identification", DateOr(id.date)},
      {"Remains", Or(id.remains)},
      {"Site", id.site > 0 ? std::to_string(id.site) : Or(id.site_note, "unknown")},
      {"Likelihood ratio", Or(id.lr)},
      {"Posterior probability", Or(id.posterior)},
      {"Proposed by, on", id.proposed_by + ", " + id.proposed_on.ToString()},
      {"Confirmed by, on", Or(id.decided_by) + ", " + DateOr(id.decided_on)},
      {"Signed off by, on", Or(id.signed_off_by) + ", " + DateOr(id.signed_off_on)},
  }});
}

Result<Document> Finish(std::string_view text, const TemplateValues& v, const std::string& source,
                        const ChainHead& h) {
  WB_ASSIGN_OR_RETURN(Document doc, DocumentFromTemplate(text, v, source));
  doc.date = DocumentDate(h);
  return doc;
}

}  // namespace

std::string ScriptOf(std::string_view text) {
  const char32_t c = FirstLetter(text);
  if (c == 0) return "other script";
  if (c < 0x250) return "Latin";
  if (c >= 0x370 && c < 0x400) return "Greek";
  if (c >= 0x400 && c < 0x530) return "Cyrillic";
  if (c >= 0x530 && c < 0x590) return "Armenian";
  if (c >= 0x590 && c < 0x600) return "Hebrew";
  if ((c >= 0x600 && c < 0x700) || (c >= 0x750 && c < 0x780) || (c >= 0xFB50 && c < 0xFF00)) {
    return "Arabic";
  }
  if ((c >= 0x10A0 && c < 0x1100) || (c >= 0x1C90 && c < 0x1CC0)) return "Georgian";
  if (c >= 0x1E00 && c < 0x1F00) return "Latin";
  return "other script";
}

Result<Document> AbsenceCertificateDocument(const Person& person, const ChainHead& head,
                                            std::string_view template_text,
                                            const std::string& source) {
  return Finish(template_text, PersonValues(person, head), source, head);
}

Result<Document> DeathCertificateDocument(const Person& person,
                                          const IdentificationProposal* identification,
                                          const ChainHead& head, std::string_view template_text,
                                          const std::string& source) {
  TemplateValues v = PersonValues(person, head);
  v.text["death_date"] = DateOr(person.death_date);
  v.text["death_place"] = Or(person.death_place);
  if (identification != nullptr) {
    AddIdentification(v, *identification);
    v.text["death_basis"] = fmt::format(
        "the identification of the person's remains (proposal {}), confirmed and signed off",
        identification->id);
  } else {
    v.text["death_basis"] = "a reported death";
    v.blocks["identification"] = One(KeyValueTable{{
        {"Reported dead", "yes"},
        {"Date of death", DateOr(person.death_date)},
        {"Place of death", Or(person.death_place)},
    }});
    for (const char* key : {"proposal", "identified_on", "remains", "site", "signed_off_on",
                            "signed_off_by", "confirmed_by"}) {
      v.text[key] = "-";
    }
  }
  return Finish(template_text, v, source, head);
}

Result<Document> NotificationLetterDocument(const Person& person,
                                            const IdentificationProposal& identification,
                                            const ChainHead& head, std::string_view template_text,
                                            const std::string& source) {
  TemplateValues v = PersonValues(person, head);
  AddIdentification(v, identification);
  return Finish(template_text, v, source, head);
}

Result<Document> FiguresDocument(const registry::Figures& f, const ChainHead& head,
                                 std::string_view template_text, const std::string& source) {
  TemplateValues v;
  AddChain(v, head);
  v.text["as_of"] = f.as_of ? f.as_of->ToString() : std::string("today (every recorded event)");
  v.text["child_below"] = std::to_string(f.limits.child_below);
  v.text["elderly_from"] = std::to_string(f.limits.elderly_from);
  size_t ok = 0;
  for (const auto& c : f.checks) ok += c.Ok() ? 1 : 0;
  v.text["checks_ok"] = std::to_string(ok);
  v.text["checks"] = std::to_string(f.checks.size());

  Table table{{"Row", "Count", "Key"}, {}, {1}, {}};
  for (const auto& r : f.rows) {
    table.rows.push_back({r.label, std::to_string(r.value), r.key});
    table.indent.push_back(r.depth);
  }
  v.blocks["figures"] = One(std::move(table));

  // A chart per top-level group: the rows one level below it.
  std::vector<Block> charts;
  for (size_t i = 0; i < f.rows.size(); ++i) {
    if (f.rows[i].depth != 0) continue;
    BarChart chart{f.rows[i].label + " (" + std::to_string(f.rows[i].value) + ")", {}};
    for (size_t j = i + 1; j < f.rows.size() && f.rows[j].depth > 0; ++j) {
      if (f.rows[j].depth == 1) chart.bars.emplace_back(f.rows[j].label, f.rows[j].value);
    }
    if (!chart.bars.empty()) charts.push_back(std::move(chart));
  }
  Table definitions{{"Key", "What it counts", "Records"}, {}, {}, {}};
  for (const auto& r : f.rows) definitions.rows.push_back({r.key, r.label, r.entity});
  v.blocks["definitions"] = One(std::move(definitions));

  Table checks{{"Whole", "Parts", "Whole value", "Sum of parts"}, {}, {2, 3}, {}};
  for (const auto& c : f.checks) {
    std::string parts;
    for (const auto& p : c.parts) parts += (parts.empty() ? "" : " + ") + p;
    checks.rows.push_back({c.parent, parts, std::to_string(c.whole), std::to_string(c.sum)});
  }
  v.blocks["checks"] = One(std::move(checks));

  v.blocks["charts"] = std::move(charts);
  return Finish(template_text, v, source, head);
}

}  // namespace whereabouts::io::pdf
