#include "app/identification_report.h"

#include <cmath>

#include "common/numbers.h"

namespace whereabouts::app {
namespace {

using registry::IdentificationProposal;

std::vector<std::string> Labels(const std::string& remains) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= remains.size()) {
    size_t bar = remains.find('|', start);
    if (bar == std::string::npos) bar = remains.size();
    if (bar > start) out.push_back(remains.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

// True when a and b agree to the precision the proposal records (10 significant digits).
bool Agrees(double a, double b) {
  if (a == b) return true;
  if (std::isinf(a) || std::isinf(b)) return false;
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace

Result<IdentificationReport> PrepareIdentificationReport(registry::Registry& registry,
                                                         registry::RegistryStore& store,
                                                         int64_t proposal) {
  IdentificationReport out;
  registry::Snapshot snap;
  WB_RETURN_IF_ERROR(store.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(const registry::Proposals all, registry.LoadProposals(std::nullopt));
    const auto it = all.find(proposal);
    if (it == all.end()) {
      return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(proposal));
    }
    out.proposal = it->second;
    for (const auto& [id, p] : all) {
      if (id != proposal && !p.run.empty() && p.run == out.proposal.run &&
          p.individual == out.proposal.individual) {
        out.same_individual.push_back(p);
      }
    }
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> person,
                        store.FindPerson(out.proposal.person, std::nullopt));
    if (!person) {
      return MakeError(ErrorCode::kNotFound,
                       "no person " + std::to_string(out.proposal.person.value));
    }
    out.person = *person;
    WB_ASSIGN_OR_RETURN(out.basis.head, store.Head(std::nullopt));
    WB_ASSIGN_OR_RETURN(snap, registry.LoadSnapshot(std::nullopt));
    for (const std::string& label : Labels(out.proposal.remains)) {
      const registry::Remains* found = nullptr;
      for (const auto& [rid, r] : snap.remains) {
        if (r.label == label) {
          found = &r;
          break;
        }
      }
      if (found == nullptr) {
        out.remains_not_in_register.push_back(label);
        continue;
      }
      out.remains.push_back(*found);
      if (auto s = snap.sites.find(found->site_id); s != snap.sites.end()) {
        out.remains_sites[s->first] = s->second;
      }
      registry::EventQuery q;
      q.kind = registry::EntityKind::kRemains;
      q.entity_id = found->id;
      WB_ASSIGN_OR_RETURN(out.custody[found->id], store.Events(q));
    }
    return {};
  }));
  const std::string refusal =
      "no identification report for proposal " + std::to_string(proposal) + ": ";
  const IdentificationProposal& p = out.proposal;
  if (p.evidence.empty()) {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        refusal +
            "it records no DNA evidence (the pedigree, the genotypes and LR of each "
            "marker, the assumptions of the run); it was proposed by " +
            p.proposed_by + " on " + p.proposed_on.ToString() +
            (p.run.empty() ? std::string(" without a run") : " from run " + p.run.substr(0, 12)) +
            ". Proposals keep their evidence when an identification run on the "
            "register records them, or when `import identifications` finds the "
            "run's evidence.txt");
  }
  auto decoded = registry::DecodeEvidence(p.evidence);
  if (!decoded) {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        refusal + "its recorded evidence cannot be read (" + decoded.error().ToString() + ")");
  }
  out.evidence = std::move(*decoded);
  const registry::ProposalEvidence& ev = out.evidence;
  if (ev.individual != p.individual || ev.family != p.family || ev.missing != p.missing) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + "its evidence is about individual " + ev.individual + ", family " +
                         ev.family + ", missing " + ev.missing + ", not the proposal's");
  }
  auto lr = ParseDecimal(p.lr, "lr");
  auto posterior = ParseDecimal(p.posterior, "posterior");
  if (!lr || !Agrees(*lr, ev.lr) || !posterior || !Agrees(*posterior, ev.posterior)) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal +
                         "the LR and posterior of its evidence differ from those recorded "
                         "with the proposal (" +
                         p.lr + ", " + p.posterior + ")");
  }
  double log10_product = 0;
  bool zero = false;
  for (const registry::EvidenceMarker& m : ev.markers) {
    if (m.lr <= 0) {
      zero = true;
    } else {
      log10_product += std::log10(m.lr);
    }
  }
  if (ev.markers.empty() || zero ||
      std::fabs(log10_product - std::log10(ev.lr)) >
          1e-9 * std::max(1.0, std::fabs(log10_product))) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + "the markers' LRs of its evidence do not multiply to its LR");
  }
  if (p.site > 0) {
    if (auto s = snap.sites.find(p.site); s != snap.sites.end()) out.site = s->second;
  }
  return out;
}

}  // namespace whereabouts::app
