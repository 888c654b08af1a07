#include "app/dna_register.h"

#include <algorithm>
#include <cstdlib>
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

Result<RegisterDna> CollectRegisterDna(registry::Registry& registry,
                                       registry::RegistryStore& store) {
  RegisterDna out;
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
  std::set<int64_t> persons;
  for (const auto& [id, r] : snap.relatives) persons.insert(r.person_id);
  std::set<std::string> reference_samples;
  for (int64_t pid : persons) {
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> p,
                        store.FindPerson(registry::PersonId{pid}, std::nullopt));
    if (!p || p->status != registry::CaseStatus::kOpen) continue;
    ++out.families_considered;
    const std::vector<PedigreeRelative> members = MembersOf(snap, pid, &out.left_out);
    auto fam = BuildFamilyPedigree(*p, members);
    if (!fam) {
      ++out.left_out["families whose relatives do not make a valid pedigree"];
      continue;
    }
    for (const auto& [rid, reason] : fam->left_out) {
      ++out.left_out["relatives not placed in a pedigree: " + reason];
    }
    std::vector<std::string> refs;
    for (const auto& m : fam->family.members) {
      if (m.role == kinship::FamilyRole::kReference) refs.push_back(m.sample);
    }
    if (refs.empty()) {
      ++out.left_out["families without a usable reference sample"];
      continue;
    }
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
  for (const auto& [id, r] : snap.remains) {
    for (const std::string& sample : r.samples) {
      auto prof = r.profiles.find(sample);
      if (prof == r.profiles.end()) {
        ++out.left_out["remains samples without a recorded profile"];
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
  WB_ASSIGN_OR_RETURN(out.run, RunIdentificationOnRegister(registry, store, run));
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
