#include "app/identify_run.h"

#include <cstdio>

#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

std::string Exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

const char* KindName(kinship::MutationKind k) {
  switch (k) {
    case kinship::MutationKind::kNone:
      return "none";
    case kinship::MutationKind::kEqual:
      return "equal";
    case kinship::MutationKind::kProportional:
      return "proportional";
    case kinship::MutationKind::kStepwise:
      return "stepwise";
  }
  return "?";
}

std::string Spec(const kinship::MutationSpec& m) {
  return std::string(KindName(m.kind)) + " " + Exact(m.rate) + " " + Exact(m.rate2) + " " +
         Exact(m.range);
}

}  // namespace

std::string CanonicalOptions(const kinship::IdentifyOptions& o,
                             const std::vector<kinship::GivenIdentification>& identified) {
  std::string s;
  auto line = [&](const char* name, const std::string& value) {
    s += name;
    s += ' ';
    s += value;
    s += '\n';
  };
  line("remains_dropout", Exact(o.remains_dropout));
  line("mutation_male", Spec(o.mutation.male));
  line("mutation_female", Spec(o.mutation.female));
  // Per-marker models only when given, so that the ids of runs made before they existed stay.
  for (const auto& [marker, m] : o.mutation.per_marker) {
    line("mutation_marker", marker + " male " + Spec(m.male) + " female " + Spec(m.female));
  }
  line("screen_mutation", o.screen_mutation ? Spec(*o.screen_mutation) : "auto");
  line("theta", Exact(o.theta));
  line("top_k", std::to_string(o.top_k));
  line("screen_lr_threshold", Exact(o.screen_lr_threshold));
  line("reassociation_lr", Exact(o.reassociation_lr));
  line("posterior_threshold", Exact(o.posterior_threshold));
  line("lr_threshold", Exact(o.lr_threshold));
  line("prior_none", o.prior_none ? Exact(*o.prior_none) : "default");
  // "5/2N" only when asked for, so that the ids of runs made before it existed do not change.
  line("minimum_frequency", o.minimum_frequency_from_size ? "5/2N" : Exact(o.minimum_frequency));
  // The joint model (issue 9): every option that changes its results.
  line("amelogenin_y_loss", o.amelogenin_y_loss ? Exact(*o.amelogenin_y_loss) : "off");
  line("max_inconsistent_markers", o.max_inconsistent_markers < 0
                                       ? std::string("off")
                                       : std::to_string(o.max_inconsistent_markers));
  line("max_family_assignments", std::to_string(o.max_family_assignments));
  line("joint_min_posterior", Exact(o.joint_min_posterior));
  // Only when not the default, so that the ids of runs made before it existed do not change.
  if (o.family_budget != kinship::IdentifyOptions{}.family_budget) {
    line("family_budget", std::to_string(o.family_budget));
  }
  // The conditioning: the identifications given, in the order given.
  for (const kinship::GivenIdentification& g : identified) {
    line("identified", g.individual + " " + g.family + " " + g.missing);
  }
  return s;
}

std::string IdentifyRunId(const std::vector<RunPart>& inputs,
                          const kinship::IdentifyOptions& options,
                          const std::vector<RunPart>& results,
                          const std::vector<kinship::GivenIdentification>& identified) {
  std::string text = "whereabouts-identify-run/1\n";
  for (const RunPart& p : inputs) {
    text += "input " + p.name + " " + registry::Sha256Hex(p.bytes) + "\n";
  }
  text += "options " + registry::Sha256Hex(CanonicalOptions(options, identified)) + "\n";
  for (const RunPart& p : results) {
    text += "result " + p.name + " " + registry::Sha256Hex(p.bytes) + "\n";
  }
  return registry::Sha256Hex(text);
}

}  // namespace whereabouts::app
