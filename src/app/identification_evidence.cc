#include "app/identification_evidence.h"

#include <cstdio>
#include <map>

#ifndef WHEREABOUTS_VERSION
#error "WHEREABOUTS_VERSION must be defined by the build"
#endif

namespace whereabouts::app {
namespace {

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

const char* RoleName(kinship::FamilyRole r) {
  switch (r) {
    case kinship::FamilyRole::kMissing:
      return "missing";
    case kinship::FamilyRole::kReference:
      return "reference";
    case kinship::FamilyRole::kUntyped:
      return "untyped";
  }
  return "untyped";
}

}  // namespace

std::string SoftwareName() { return std::string("whereabouts ") + WHEREABOUTS_VERSION; }

registry::ProposalEvidence EvidenceOf(const kinship::CandidateEvidence& ev,
                                      const kinship::IdentifyReport& report,
                                      const kinship::IdentifyOptions& opt,
                                      const EvidenceContext& context) {
  registry::ProposalEvidence out;
  out.individual = ev.individual;
  out.family = ev.family;
  out.missing = ev.missing;
  out.lr = ev.lr.lr;
  out.posterior = ev.posterior;
  out.software = context.software;
  auto add = [&](const char* name, std::string value) {
    out.assumptions.emplace_back(name, std::move(value));
  };
  add("hypotheses", "H1: the remains are of missing person " + ev.missing + " of family " +
                        ev.family + "; H2: they are of someone unrelated to the family");
  add("mutation (transmissions from fathers)", ev.kcase.mutation.male.ToString());
  add("mutation (transmissions from mothers)", ev.kcase.mutation.female.ToString());
  add("theta (co-ancestry)", Num(ev.kcase.theta));
  add("drop-out of remains samples", Num(opt.remains_dropout));
  add("drop-out of reference samples", "0 (a single allele shown is a homozygote)");
  add("alleles absent from the database",
      opt.minimum_frequency_from_size ? std::string("added at 5/2N of the marker's database size N")
      : opt.minimum_frequency > 0     ? "added at frequency " + Num(opt.minimum_frequency)
                                      : std::string("refused"));
  add("frequency database", context.frequencies.empty() ? "not named" : context.frequencies);
  add("prior: none of the listed missing persons", Num(report.prior_none));
  add("prior: each listed missing person", Num(report.prior_each));
  add("decision thresholds",
      "posterior >= " + Num(opt.posterior_threshold) + " and LR >= " + Num(opt.lr_threshold));
  add("re-association of samples", "same-person LR >= " + Num(opt.reassociation_lr));
  add("markers compared", std::to_string(ev.kcase.markers.size()));

  // Samples: the remains' (in the case's order), then the references of typed members.
  std::map<std::string, std::string> bag_of;
  for (const kinship::IndividualRow& row : report.individuals) {
    if (row.individual == ev.individual) bag_of[row.sample] = row.bag;
  }
  std::vector<std::string> keys;
  for (size_t i = 0; i < ev.samples.size(); ++i) {
    const std::string key = "s:remains:" + std::to_string(i) + ":" + ev.samples[i];
    keys.push_back(key);
    out.samples.push_back({key, "remains", ev.samples[i], "", bag_of[ev.samples[i]]});
  }
  for (const kinship::FamilyMember& m : ev.pedigree.members) {
    registry::EvidenceMember em{
        m.id, kinship::SexName(m.sex), m.father, m.mother, RoleName(m.role), "", m.person};
    if (m.role == kinship::FamilyRole::kReference) {
      const std::string key = "s:ref:" + m.sample;
      if (ev.kcase.genotypes.count(key) != 0) {
        em.sample = m.sample;
        keys.push_back(key);
        out.samples.push_back({key, "reference", m.sample, m.id, ""});
      }
    }
    out.pedigree.push_back(std::move(em));
  }
  for (const kinship::MarkerLr& ml : ev.lr.per_marker) {
    registry::EvidenceMarker em;
    em.marker = ml.marker;
    em.lr = ml.lr;
    if (auto it = ev.database_size.find(ml.marker); it != ev.database_size.end()) {
      em.database_size = it->second;
    }
    if (auto it = ev.allele_count.find(ml.marker); it != ev.allele_count.end()) {
      em.alleles = it->second;
    }
    for (const std::string& key : keys) {
      std::string call;
      if (auto g = ev.kcase.genotypes.find(key); g != ev.kcase.genotypes.end()) {
        if (auto c = g->second.find(ml.marker); c != g->second.end()) call = c->second.ToString();
      }
      em.calls.push_back(std::move(call));
    }
    out.markers.push_back(std::move(em));
  }
  return out;
}

std::vector<registry::ProposalEvidence> EvidenceOfRun(const kinship::IdentifyReport& report,
                                                      const kinship::IdentifyOptions& options,
                                                      const EvidenceContext& context) {
  std::vector<registry::ProposalEvidence> out;
  for (const kinship::CandidateEvidence& ev : report.evidence) {
    out.push_back(EvidenceOf(ev, report, options, context));
  }
  return out;
}

}  // namespace whereabouts::app
