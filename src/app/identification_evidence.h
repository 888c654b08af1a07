// The DNA evidence of an identification run's candidates as the register records it with their
// proposals (registry/identification_evidence.h): built from the exact engine's evidence
// (kinship::CandidateEvidence, IdentifyOptions::candidate_evidence) and the run's options, so
// that the identification report states every number and assumption the run used. Pure.
#pragma once

#include <string>
#include <vector>

#include "kinship/identify.h"
#include "registry/identification_evidence.h"

namespace whereabouts::app {

// What the engine does not know about its own run.
struct EvidenceContext {
  std::string software;     // e.g. "whereabouts 0.1.0"
  std::string frequencies;  // the frequency database: its name and the SHA-256 of its bytes
};

// The evidence of one candidate. REQUIRES: `ev` comes from a run with `options` whose report is
// `report` (for the priors).
[[nodiscard]] registry::ProposalEvidence EvidenceOf(const kinship::CandidateEvidence& ev,
                                                    const kinship::IdentifyReport& report,
                                                    const kinship::IdentifyOptions& options,
                                                    const EvidenceContext& context);

// EvidenceOf for every candidate of `report.evidence`, in its order.
[[nodiscard]] std::vector<registry::ProposalEvidence> EvidenceOfRun(
    const kinship::IdentifyReport& report, const kinship::IdentifyOptions& options,
    const EvidenceContext& context);

// The software that computes evidence, "whereabouts VERSION".
[[nodiscard]] std::string SoftwareName();

}  // namespace whereabouts::app
