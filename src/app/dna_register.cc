#include "app/dna_register.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

#include "app/persons.h"
#include "app/remains.h"

namespace whereabouts::app {
namespace {

// The relatives of `person` in `snap` (id order) as pedigree members, each with the sample a run
// may use: its latest sample when that has a profile and the consent allows identification.
// Counts what is not used in `left_out` (when given).
std::vector<PedigreeRelative> MembersOf(const registry::Snapshot& snap, int64_t person,
                                        std::map<std::string, int>* left_out) {
  std::vector<PedigreeRelative> out;
  for (const auto& [id, r] : snap.relatives) {
    if (r.person_id != person) continue;
    PedigreeRelative pr{r, ""};
    if (!r.sample.empty()) {
      const bool profiled = r.profiles.count(r.sample) > 0;
      const bool consent = ConsentAllows(r.consent, ReferencePurpose::kIdentification);
      if (profiled && consent) {
        pr.sample = r.sample;
      } else if (left_out != nullptr) {
        if (!consent) {
          ++(*left_out)
              ["reference samples whose relative's consent does not allow "
               "identification (consent " +
               r.consent + ")"];
        } else {
          ++(*left_out)["reference samples without a recorded profile"];
        }
      }
    }
    out.push_back(std::move(pr));
  }
  return out;
}

}  // namespace

std::string ConditioningText(const std::vector<RegisterConditioning>& conditioning) {
  std::string out;
  for (const RegisterConditioning& c : conditioning) {
    out += "proposal " + std::to_string(c.proposal) + ": person " + std::to_string(c.person.value);
    if (c.note.empty()) {
      out += " as " + c.family + "/" + c.member + ", sample " + c.sample;
    } else {
      out += " not used: " + c.note;
    }
    out += "\n";
  }
  return out;
}

Result<RegisterDna> CollectRegisterDna(registry::Registry& registry,
                                       registry::RegistryStore& store) {
  RegisterDna out;
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
  WB_ASSIGN_OR_RETURN(const registry::Proposals proposals, registry.LoadProposals(std::nullopt));
  // Persons by id, read once (nullopt: no such person).
  std::map<int64_t, std::optional<registry::Person>> person_cache;
  auto person = [&](int64_t pid) -> Result<const std::optional<registry::Person>*> {
    auto it = person_cache.find(pid);
    if (it == person_cache.end()) {
      WB_ASSIGN_OR_RETURN(std::optional<registry::Person> p,
                          store.FindPerson(registry::PersonId{pid}, std::nullopt));
      it = person_cache.emplace(pid, std::move(p)).first;
    }
    return &it->second;
  };
  auto open = [&](int64_t pid) -> Result<bool> {
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person>* p, person(pid));
    return p->has_value() && (*p)->status == registry::CaseStatus::kOpen;
  };
  // Profiled remains samples, and remains by label.
  std::map<std::string, const registry::Remains*> remains_of_sample;
  std::map<std::string, std::vector<const registry::Remains*>> remains_of_label;
  for (const auto& [id, r] : snap.remains) {
    remains_of_label[r.label].push_back(&r);
    for (const std::string& sample : r.samples) {
      if (r.profiles.count(sample) > 0) remains_of_sample.emplace(sample, &r);
    }
  }
  auto split = [](const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= text.size()) {
      const size_t bar = std::min(text.find('|', start), text.size());
      if (bar > start) parts.push_back(text.substr(start, bar - start));
      start = bar + 1;
    }
    return parts;
  };
  // The confirmed identifications (not revoked) of identified persons, by person: the sample that
  // names the individual and the samples that are its remains (the proposal's samples, else the
  // samples of its remains labels unless a label is commingled).
  struct Confirmed {
    const registry::IdentificationProposal* proposal = nullptr;
    std::string sample, note;
    std::vector<std::string> samples;
    bool used = false;
  };
  std::map<int64_t, Confirmed> confirmed;
  for (const auto& [id, p] : proposals) {
    if (p.status != registry::ProposalStatus::kConfirmed) continue;
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person>* who, person(p.person.value));
    if (!who->has_value() || (*who)->status != registry::CaseStatus::kIdentified) continue;
    Confirmed c;
    c.proposal = &p;
    for (const std::string& sample : split(p.samples)) {
      if (remains_of_sample.count(sample) > 0) c.samples.push_back(sample);
    }
    if (c.samples.empty()) {
      for (const std::string& label : split(p.remains)) {
        for (const registry::Remains* r : remains_of_label[label]) {
          if (r->commingled) {
            c.note = "remains " + label +
                     " are commingled and the confirmation names none of their samples";
            continue;
          }
          for (const std::string& sample : r->samples) {
            if (remains_of_sample.count(sample) > 0) c.samples.push_back(sample);
          }
        }
      }
    }
    if (!c.samples.empty()) {
      c.sample = c.samples.front();
      c.note.clear();
    } else if (c.note.empty()) {
      c.note = "no remains sample of the confirmation has a recorded profile";
    }
    confirmed[p.person.value] = std::move(c);  // the latest confirmation of the person
  }

  std::set<int64_t> persons;
  for (const auto& [id, r] : snap.relatives) persons.insert(r.person_id);
  std::set<std::string> reference_samples;
  for (int64_t pid : persons) {
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person>* pp, person(pid));
    if (!pp->has_value()) continue;
    const registry::Person& p = **pp;
    if (p.status != registry::CaseStatus::kOpen && confirmed.count(pid) == 0) continue;
    std::map<std::string, int> left_out;
    const std::vector<PedigreeRelative> members = MembersOf(snap, pid, &left_out);
    auto fam = BuildFamilyPedigree(p, members);
    // A family is used while one of its missing members is sought (its case open).
    bool sought = false;
    if (fam) {
      for (const auto& m : fam->family.members) {
        if (m.role != kinship::FamilyRole::kMissing) continue;
        WB_ASSIGN_OR_RETURN(const bool is_open, open(std::atoll(m.person.c_str())));
        sought = sought || is_open;
      }
    } else {
      sought = p.status == registry::CaseStatus::kOpen;
    }
    if (!sought) continue;
    ++out.families_considered;
    for (const auto& [reason, n] : left_out) out.left_out[reason] += n;
    if (!fam) {
      ++out.left_out["families whose relatives do not make a valid pedigree"];
      continue;
    }
    for (const auto& [rid, reason] : fam->left_out) {
      ++out.left_out["relatives not placed in a pedigree: " + reason];
    }
    // Missing members identified by a confirmed identification: typed by their remains (given),
    // or, without a usable sample, untyped; neither is sought.
    std::vector<kinship::GivenIdentification> given;
    for (auto& m : fam->family.members) {
      if (m.role != kinship::FamilyRole::kMissing) continue;
      auto c = confirmed.find(std::atoll(m.person.c_str()));
      if (c == confirmed.end()) continue;
      RegisterConditioning entry{c->second.proposal->id,
                                 c->second.proposal->person,
                                 c->second.proposal->remains,
                                 c->second.sample,
                                 "",
                                 "",
                                 ""};
      if (c->second.sample.empty()) {
        m.role = kinship::FamilyRole::kUntyped;
        entry.note = c->second.note + "; placed untyped in family " + fam->family.id;
      } else if (c->second.used) {
        m.role = kinship::FamilyRole::kUntyped;
        entry.note =
            "already conditioned on in another family (an individual is placed in one "
            "family); placed untyped in family " +
            fam->family.id;
      } else {
        c->second.used = true;
        entry.family = fam->family.id;
        entry.member = m.id;
        given.push_back({c->second.sample, fam->family.id, m.id});
      }
      out.conditioning.push_back(std::move(entry));
    }
    std::vector<std::string> refs;
    for (const auto& m : fam->family.members) {
      if (m.role == kinship::FamilyRole::kReference) refs.push_back(m.sample);
    }
    if (refs.empty() && given.empty()) {
      ++out.left_out["families without a usable reference sample"];
      continue;
    }
    for (auto& g : given) out.input.identified.push_back(std::move(g));
    for (const PedigreeRelative& pr : members) {
      if (pr.sample.empty() || std::find(refs.begin(), refs.end(), pr.sample) == refs.end() ||
          !reference_samples.insert(pr.sample).second) {
        continue;
      }
      WB_ASSIGN_OR_RETURN(kinship::Profile profile,
                          ParseProfileText(pr.sample, pr.relative.profiles.at(pr.sample).profile));
      out.input.references.push_back(std::move(profile));
    }
    for (const auto& m : fam->family.members) {
      if (m.role == kinship::FamilyRole::kMissing) {
        out.person_of[{fam->family.id, m.id}] = registry::PersonId{std::atoll(m.person.c_str())};
      }
    }
    out.references_of[fam->family.id] = refs;
    out.input.families.push_back(std::move(fam->family));
  }
  // Remains samples of confirmations not conditioned on stay out: they are that person's.
  std::set<std::string> withheld;
  for (const auto& [pid, c] : confirmed) {
    if (c.used) continue;
    withheld.insert(c.samples.begin(), c.samples.end());
  }
  for (const auto& [id, r] : snap.remains) {
    for (const std::string& sample : r.samples) {
      auto prof = r.profiles.find(sample);
      if (prof == r.profiles.end()) {
        ++out.left_out["remains samples without a recorded profile"];
        continue;
      }
      if (withheld.count(sample) > 0) {
        ++out.left_out
              ["remains samples of confirmed identifications not conditioned on (their person is "
               "in no family of the run)"];
        continue;
      }
      out.input.remains.push_back(
          kinship::RemainsSample{sample, r.label, r.site_id ? std::to_string(r.site_id) : ""});
      WB_ASSIGN_OR_RETURN(kinship::Profile profile, ParseProfileText(sample, prof->second.profile));
      out.input.remains_profiles.push_back(std::move(profile));
    }
  }
  return out;
}

Result<FamilyPedigree> FamilyPedigreeOf(registry::Registry& registry,
                                        registry::RegistryStore& store, registry::PersonId person,
                                        const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> p, store.FindPerson(person, as_of));
  if (!p) return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(person.value));
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(as_of, /*with_relatives=*/true));
  return BuildFamilyPedigree(*p, MembersOf(snap, person.value, nullptr));
}

Result<RegisterIdentifyResult> IdentifyOnRegister(registry::Registry& registry,
                                                  registry::RegistryStore& store,
                                                  const RegisterIdentifyRequest& request,
                                                  RegisterDna dna) {
  if (request.frequencies == nullptr) {
    return MakeError(ErrorCode::kInternal, "no frequency database given");
  }
  RegisterIdentifyResult out;
  RegisterRunRequest run;
  run.meta = request.meta;
  run.input = dna.input;
  run.input.database = request.frequencies;
  run.options = request.options;
  run.person_of = dna.person_of;
  for (const auto& [name, bytes] : request.input_files) run.input_parts.push_back({name, bytes});
  run.references_of = dna.references_of;
  run.record_run = true;
  run.left_out = dna.left_out;
  run.conditioning = ConditioningText(dna.conditioning);
  WB_ASSIGN_OR_RETURN(out.run, RunIdentificationOnRegister(registry, store, run));
  // The reason of every decision in a family conditioned on says on which confirmed
  // identifications of the register (the engine's conditioned_on names them by individual).
  // family -> "person 2 (proposal 1, sample RS-1) as R3", one per identification used
  std::map<std::string, std::vector<std::string>> conditioned_in;
  for (const RegisterConditioning& c : dna.conditioning) {
    if (!c.note.empty()) continue;
    conditioned_in[c.family].push_back("person " + std::to_string(c.person.value) + " (proposal " +
                                       std::to_string(c.proposal) + ", sample " + c.sample +
                                       ") as " + c.member);
  }
  for (kinship::IdentificationRow& row : out.run.report.identifications) {
    if (row.given || row.missing.empty()) continue;
    auto it = conditioned_in.find(row.family);
    if (it == conditioned_in.end()) continue;
    std::string text;
    for (const std::string& t : it->second) text += (text.empty() ? "" : "; ") + t;
    row.reason += "; conditioned on the register's confirmed identification" +
                  std::string(it->second.size() > 1 ? "s" : "") + " of " + text + " in family " +
                  row.family;
  }
  out.dna = std::move(dna);
  return out;
}

Result<std::optional<registry::Event>> FindRegisterRun(registry::RegistryStore& store,
                                                       const std::string& run) {
  registry::EventQuery q;
  q.kind = registry::EntityKind::kSource;
  q.payload_equals = std::make_pair(std::string("run"), run);
  WB_ASSIGN_OR_RETURN(const auto events, store.Events(q));
  for (const registry::Event& e : events) {
    if (e.type == "source.identify_run") return std::optional<registry::Event>(e);
  }
  return std::optional<registry::Event>();
}

}  // namespace whereabouts::app
