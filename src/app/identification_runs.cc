#include "app/identification_runs.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "app/identification_evidence.h"
#include "app/request.h"
#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

// A number as the proposals record it: 10 significant digits.
std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

Result<RegisterRunResult> RunIdentificationOnRegister(registry::Registry& registry,
                                                      registry::RegistryStore& store,
                                                      const RegisterRunRequest& request) {
  kinship::IdentifyOptions options = request.options;
  options.candidate_evidence = true;
  // Refused before any work (kinship/mutation.h): theta with a stepwise model.
  WB_RETURN_IF_ERROR(kinship::CheckThetaWithMutation(options.mutation, options.theta));
  WB_ASSIGN_OR_RETURN(kinship::IdentifyReport rep, kinship::Identify(request.input, options));
  RegisterRunResult out;
  out.samples = rep.samples;
  out.individuals = rep.individual_count;
  out.families = rep.families;
  out.missing_persons = rep.missing_persons;
  out.identified = rep.identified;
  out.ambiguous = rep.ambiguous;
  out.not_identified = rep.not_identified;
  out.skipped = rep.skipped.size();
  out.warnings = rep.warnings.size();

  // The run id: the inputs, the options and the decisions with all their candidates.
  std::string decisions_text;
  for (const auto& r : rep.identifications) {
    decisions_text += r.individual + "," + std::string(kinship::DecisionName(r.decision));
    for (const auto& c : r.candidates) {
      decisions_text += "," + c.family + "/" + c.missing + "=" + Num(c.lr) + ":" + Num(c.posterior);
    }
    decisions_text += "\n";
  }
  out.run = IdentifyRunId(request.input_parts, request.options, {{"decisions", decisions_text}},
                          request.input.identified);

  ProposeFromRunRequest req;
  req.actor = request.meta.actor;
  req.reason = request.meta.reason.empty() ? "DNA identification run " + out.run.substr(0, 12)
                                           : request.meta.reason;
  WB_ASSIGN_OR_RETURN(const std::optional<registry::Date> today, registry.RecordingDate());
  if (!today) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an identification run needs the register's clock (not a legacy history)");
  }
  req.recorded_on = *today;
  req.run = out.run;
  req.person_of = request.person_of;
  // The evidence of each candidate, by (individual, family, missing).
  EvidenceContext context;
  context.software = SoftwareName();
  for (const RunPart& p : request.input_parts) {
    if (p.name == "frequencies") {
      context.frequencies =
          (request.frequencies_name.empty() ? std::string("unnamed") : request.frequencies_name) +
          ", SHA-256 " + registry::Sha256Hex(p.bytes);
    }
  }
  std::map<std::tuple<std::string, std::string, std::string>, std::string> evidence_of;
  for (const registry::ProposalEvidence& ev : EvidenceOfRun(rep, options, context)) {
    evidence_of[{ev.individual, ev.family, ev.missing}] = registry::EncodeEvidence(ev);
  }
  for (const auto& r : rep.identifications) {
    if (r.given) continue;  // confirmed before this run: conditioned on, not proposed again
    RunDecision d{r.individual, r.decision, {}};
    for (const auto& c : r.candidates) {
      auto ev = evidence_of.find({r.individual, c.family, c.missing});
      d.candidates.push_back({c.family, c.missing, Num(c.lr), Num(c.posterior),
                              ev == evidence_of.end() ? std::string() : ev->second});
    }
    req.decisions.push_back(std::move(d));
  }
  for (const auto& row : rep.individuals) {
    req.samples_of[row.individual].push_back(row.sample);
    auto& bags = req.bags_of[row.individual];
    if (std::find(bags.begin(), bags.end(), row.bag) == bags.end()) bags.push_back(row.bag);
  }
  req.site_of_sample.emplace();
  for (const auto& s : request.input.remains) (*req.site_of_sample)[s.sample] = s.site;
  req.references_of = request.references_of;
  if (request.record_run) {
    registry::Event run =
        NewEvent(request.meta, registry::EntityKind::kSource, "source.identify_run", 0);
    run.reason = req.reason;
    run.payload["run"] = out.run;
    run.payload["options"] = CanonicalOptions(request.options, request.input.identified);
    if (!request.conditioning.empty()) run.payload["conditioned_on"] = request.conditioning;
    run.payload["counts"] = "samples=" + std::to_string(out.samples) +
                            ";individuals=" + std::to_string(out.individuals) +
                            ";families=" + std::to_string(out.families) +
                            ";missing_persons=" + std::to_string(out.missing_persons) +
                            ";identified=" + std::to_string(out.identified) +
                            ";ambiguous=" + std::to_string(out.ambiguous) +
                            ";not_identified=" + std::to_string(out.not_identified) +
                            ";skipped=" + std::to_string(out.skipped);
    std::string left_out;
    for (const auto& [reason, n] : request.left_out) {
      left_out += std::to_string(n) + " " + reason + "\n";
    }
    run.payload["left_out"] = left_out;
    req.record_first.push_back(std::move(run));
  }
  WB_ASSIGN_OR_RETURN(out.proposals, ProposeFromRun(registry, store, req));
  out.run_source = out.proposals.first_recorded_id;
  out.report = std::move(rep);
  return out;
}

}  // namespace whereabouts::app
