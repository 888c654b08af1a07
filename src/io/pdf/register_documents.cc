#include "io/pdf/register_documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
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
  if (Birth(p) == "not recorded") v.unknown.insert("birth");
  if (!p.disappearance_date) v.unknown.insert("disappearance_date");
  if (p.disappearance_place.empty()) v.unknown.insert("disappearance_place");
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
  if (!id.date) v.unknown.insert("identified_on");
  if (id.remains.empty()) v.unknown.insert("remains");
  if (id.site <= 0) v.unknown.insert("site");
  if (!id.signed_off_on) v.unknown.insert("signed_off_on");
  if (id.signed_off_by.empty()) v.unknown.insert("signed_off_by");
  if (id.decided_by.empty()) v.unknown.insert("confirmed_by");
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
  if (!person.death_date) v.unknown.insert("death_date");
  if (person.death_place.empty()) v.unknown.insert("death_place");
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
      v.unknown.insert(key);
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

namespace {

// An LR as the report prints it: 4 significant digits (the register's own text is printed for
// the combined LR and the posterior).
std::string Short(double v) {
  if (std::isinf(v)) return v > 0 ? "infinite" : "-infinite";
  return fmt::format("{:.4g}", v);
}

std::string WhenBy(const std::string& who, const std::optional<registry::Date>& when,
                   const std::string& why) {
  if (!when) return "-";
  return who + ", " + when->ToString() +
         (why.empty() ? std::string() : " (\u201c" + why + "\u201d)");
}

// One custody event of remains as a line of the custody table.
std::vector<std::string> CustodyRow(const registry::Remains& r, const registry::Event& e) {
  std::string what;
  const std::string t = e.type;
  if (t == "remains.recovered") {
    what = "recovered (" + Or(std::string(e.Get("remains_kind")), "remains") + ") at site " +
           Or(std::string(e.Get("site")), "?") + " on " + Or(std::string(e.Get("recovered_on"))) +
           "; in the custody of " + Or(std::string(e.Get("holder")));
  } else if (t == "remains.transferred") {
    what = "custody passed from " + Or(std::string(e.Get("from"))) + " to " +
           Or(std::string(e.Get("to"))) +
           (e.Get("date").empty() ? std::string() : " on " + std::string(e.Get("date")));
  } else if (t == "remains.sampled") {
    what = "sample " + Or(std::string(e.Get("sample"))) + " taken";
  } else if (t == "remains.profile_recorded") {
    what = "DNA profile of sample " + Or(std::string(e.Get("sample"))) + " recorded (" +
           Or(std::string(e.Get("source")), "no source named") + ")";
  } else {
    what = t;
  }
  return {e.recorded_on.ToString(), r.label, what, e.actor};
}

}  // namespace

Result<Document> IdentificationReportDocument(const IdentificationReportFacts& f,
                                              const ChainHead& head, std::string_view template_text,
                                              const std::string& source) {
  const Person& person = *f.person;
  const IdentificationProposal& p = *f.proposal;
  const registry::ProposalEvidence& ev = *f.evidence;
  TemplateValues v = PersonValues(person, head);
  v.text["proposal"] = std::to_string(p.id);
  v.text["proposal_status"] = p.SignedOff() ? std::string("confirmed and signed off")
                                            : std::string(registry::Name(p.status));
  v.text["remains"] = Or(p.remains);
  if (p.remains.empty()) v.unknown.insert("remains");
  v.text["individual"] = ev.individual;
  v.text["family"] = ev.family;
  v.text["missing"] = ev.missing;
  v.text["run"] = Or(p.run);
  v.text["lr"] = p.lr;
  v.text["posterior"] = p.posterior;
  v.text["software"] = Or(ev.software);

  // The remains: what the register holds of each label the proposal names.
  KeyValueTable remains;
  remains.rows.emplace_back("Remains named by the proposal", Or(p.remains));
  remains.rows.emplace_back(
      "Site of the identification",
      f.site != nullptr
          ? fmt::format("{} (site {})", f.site->name, f.site->id)
          : (p.site > 0 ? "site " + std::to_string(p.site)
                        : "not recorded (" + Or(p.site_note, "no reason given") + ")"));
  for (const registry::Remains& r : *f.remains) {
    std::string site = "site " + std::to_string(r.site_id);
    if (auto it = f.remains_sites->find(r.site_id); it != f.remains_sites->end()) {
      site = it->second.name + " (" + site + ")";
    }
    std::string samples;
    for (const std::string& s : r.samples) samples += (samples.empty() ? "" : ", ") + s;
    remains.rows.emplace_back(
        "Remains " + r.label,
        fmt::format("{}, recovered at {} on {}; {}; samples: {}; now held by {}",
                    Or(r.remains_kind, "remains"), site, DateOr(r.recovered_on),
                    r.commingled ? "commingled" : "not commingled", Or(samples, "none recorded"),
                    Or(r.holder)));
  }
  for (const std::string& label : *f.remains_not_in_register) {
    remains.rows.emplace_back("Remains " + label,
                              "not held in the register (no record, no "
                              "custody chain)");
  }
  v.blocks["remains"] = One(std::move(remains));
  Table custody{{"Recorded", "Remains", "Event", "By"}, {}, {}, {}};
  for (const registry::Remains& r : *f.remains) {
    if (auto it = f.custody->find(r.id); it != f.custody->end()) {
      for (const registry::Event& e : it->second) custody.rows.push_back(CustodyRow(r, e));
    }
  }
  if (custody.rows.empty()) {
    v.blocks["custody"] = One(Paragraph{"The register holds no custody events of these remains."});
  } else {
    v.blocks["custody"] = One(std::move(custody));
  }

  // The pedigree, drawn, and who was typed.
  PedigreeDrawing drawing;
  Table typed{
      {"Member", "Sex", "Father", "Mother", "Role", "Typed (reference sample)"}, {}, {}, {}};
  for (const registry::EvidenceMember& m : ev.pedigree) {
    PedigreeMember pm;
    pm.id = m.id;
    pm.sex = m.sex;
    pm.father = m.father;
    pm.mother = m.mother;
    pm.marked = m.id == ev.missing;
    pm.shaded = !m.sample.empty();
    std::string label = m.id;
    if (!m.person.empty()) label += " (person " + m.person + ")";
    if (pm.marked) {
      label += "\nmissing person";
    } else if (m.role == "missing") {
      label += "\nalso missing";
    }
    if (pm.shaded) label += "\ntyped: " + m.sample;
    pm.label = label;
    drawing.members.push_back(std::move(pm));
    std::string role = m.role;
    if (m.id == ev.missing) role = "missing person of this proposal";
    typed.rows.push_back({m.id + (m.person.empty() ? "" : " (person " + m.person + ")"), m.sex,
                          Or(m.father, "-"), Or(m.mother, "-"), role,
                          m.sample.empty() ? std::string("no") : "yes: " + m.sample});
  }
  v.blocks["pedigree"] = One(std::move(drawing));
  v.blocks["pedigree_key"] = One(Paragraph{
      "Squares are men, circles women, diamonds persons of unknown sex. The missing person of "
      "this proposal has a thick outline and an arrow; members whose reference profile was "
      "compared are shaded grey."});
  v.blocks["typed"] = One(std::move(typed));

  // Per marker: every sample's call and the marker's LR.
  Table markers;
  markers.header.push_back("Marker");
  for (const registry::EvidenceSample& s : ev.samples) {
    markers.header.push_back(s.kind == "remains" ? "Remains " + s.name
                                                 : s.name + " (" + s.member + ")");
  }
  markers.header.push_back("N");
  markers.header.push_back("LR");
  markers.numeric = {markers.header.size() - 2, markers.header.size() - 1};
  markers.first_column_weight = 1.35;  // marker names (D10S1248, PENTA_E) on one line
  for (const registry::EvidenceMarker& m : ev.markers) {
    std::vector<std::string> row{m.marker};
    for (const std::string& c : m.calls) row.push_back(c.empty() ? "-" : c);
    row.push_back(m.database_size > 0 ? std::to_string(m.database_size) : "-");
    row.push_back(Short(m.lr));
    markers.rows.push_back(std::move(row));
  }
  std::vector<Block> marker_blocks;
  marker_blocks.push_back(Paragraph{fmt::format(
      "{} markers compared. Calls as the engine read them (a/b; with drop-out, one allele "
      "shown is a/a); \"-\" not typed. N: the number of persons the marker's frequencies were "
      "estimated from (\"-\": not given by the database).",
      ev.markers.size())});
  marker_blocks.push_back(std::move(markers));
  v.blocks["markers"] = std::move(marker_blocks);

  double log10_lr = 0;
  for (const registry::EvidenceMarker& m : ev.markers) log10_lr += std::log10(m.lr);
  v.blocks["result"] = One(KeyValueTable{{
      {"Hypotheses", ev.Assumption("hypotheses")},
      {"Combined likelihood ratio", p.lr + fmt::format(" (log10 {:.3f})", log10_lr)},
      {"Prior: each listed missing person", Or(ev.Assumption("prior: each listed missing person"))},
      {"Prior: none of them", Or(ev.Assumption("prior: none of the listed missing persons"))},
      {"Posterior probability", p.posterior},
      {"Decision thresholds", Or(ev.Assumption("decision thresholds"))},
      {"Candidate of an ambiguous decision", p.ambiguous ? "yes: " + p.candidates : "no"},
  }});

  KeyValueTable assumptions;
  for (const auto& [k, val] : ev.assumptions) {
    // Stated with the result above.
    if (k == "hypotheses" || k.rfind("prior:", 0) == 0 || k == "decision thresholds") continue;
    std::string key = k;
    if (!key.empty()) key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
    assumptions.rows.emplace_back(key, val);
  }
  int min_n = 0, max_n = 0;
  for (const registry::EvidenceMarker& m : ev.markers) {
    if (m.database_size <= 0) continue;
    min_n = min_n == 0 ? m.database_size : std::min(min_n, m.database_size);
    max_n = std::max(max_n, m.database_size);
  }
  assumptions.rows.emplace_back(
      "Frequency database size",
      max_n == 0       ? std::string("not given by the database")
      : min_n == max_n ? fmt::format("N = {} persons", min_n)
                       : fmt::format("N = {} to {} persons (per marker above)", min_n, max_n));
  assumptions.rows.emplace_back("Software", Or(ev.software));
  assumptions.rows.emplace_back("Run", Or(p.run));
  v.blocks["assumptions"] = One(std::move(assumptions));

  // Re-association: the samples the run grouped into the individual, and where they lie.
  Table reassoc{
      {"Sample", "Bag (as the run read it)", "Remains holding it in the register"}, {}, {}, {}};
  for (const registry::EvidenceSample& s : ev.samples) {
    if (s.kind != "remains") continue;
    std::string where = "none (not a sample of the register's remains)";
    for (const registry::Remains& r : *f.remains) {
      if (std::find(r.samples.begin(), r.samples.end(), s.name) != r.samples.end()) {
        where = r.label;
      }
    }
    reassoc.rows.push_back({s.name, Or(s.bag, "-"), where});
  }
  std::vector<Block> reassoc_blocks;
  reassoc_blocks.push_back(Paragraph{fmt::format(
      "The run grouped {} remains sample(s) into individual {} (same-person likelihood ratio "
      "with drop-out; {}); its profile compared above combines them.",
      reassoc.rows.size(), ev.individual, Or(ev.Assumption("re-association of samples"), "-"))});
  reassoc_blocks.push_back(std::move(reassoc));
  if (f.same_individual->empty()) {
    reassoc_blocks.push_back(
        Paragraph{"No other proposal of the same run concerns this individual."});
  } else {
    Table others{
        {"Proposal", "Person", "Family, missing", "LR", "Posterior", "Status"}, {}, {}, {}};
    for (const IdentificationProposal& o : *f.same_individual) {
      others.rows.push_back({std::to_string(o.id), std::to_string(o.person.value),
                             o.family + ", " + o.missing, o.lr, o.posterior,
                             std::string(registry::Name(o.status))});
    }
    reassoc_blocks.push_back(Paragraph{"Other proposals of the same run for this individual:"});
    reassoc_blocks.push_back(std::move(others));
  }
  v.blocks["reassociation"] = std::move(reassoc_blocks);

  const bool rejected = p.status == registry::ProposalStatus::kRejected;
  v.blocks["decisions"] = One(KeyValueTable{{
      {"Status", v.text["proposal_status"]},
      {"Proposed by, on", WhenBy(p.proposed_by, p.proposed_on, p.proposal_reason)},
      {rejected ? "Rejected by, on" : "Confirmed by, on",
       WhenBy(p.decided_by, p.decided_on, p.decision_reason)},
      {"Signed off by, on", WhenBy(p.signed_off_by, p.signed_off_on, p.sign_off_reason)},
      {"Date of the identification", DateOr(p.date)},
  }});
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
