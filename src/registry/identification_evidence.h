// The DNA evidence an identification proposal rests on, as the run that proposed it computed it:
// the family's pedigree (who is the missing person, who was typed), the samples compared, per
// marker the calls of every sample and the marker's LR, and every assumption of the computation
// (mutation models and rates, theta, drop-out, minimum frequency, the frequency database, the
// priors, the software). A run that records proposals (app/identification_runs.h, `import
// identifications` with the run's evidence.txt) keeps it in the proposal's payload key
// "evidence" as the text EncodeEvidence writes; proposals recorded without it have none, and the
// identification report is refused for them (app/identification_report.h). Pure.
//
// The text ("whereabouts-evidence/1"): one record a line, fields separated by tabs; a field's
// tab, line break and backslash are written \t, \n and \\:
//   whereabouts-evidence/1
//   individual I / family F / missing M / lr L / posterior P / software S   (one line each)
//   assumption NAME VALUE           in the order given
//   member ID SEX FATHER MOTHER ROLE SAMPLE PERSON   (ROLE missing|reference|untyped; SAMPLE
//                                                    empty when the member was not typed)
//   sample KEY KIND NAME MEMBER BAG (KIND remains|reference; MEMBER the family member, empty for
//                                    remains; BAG the remains' bag as the run read it, empty for
//                                    references)
//   marker NAME LR N ALLELES CALL... (one CALL per sample line, in their order; "" untyped;
//                                     N the database size, 0 unknown; ALLELES in the database)
//   end
// Numbers are written with 17 significant digits (they read back as the same double).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace whereabouts::registry {

struct EvidenceMember {
  std::string id;
  std::string sex;  // male, female, unknown
  std::string father, mother;
  std::string role;    // missing, reference, untyped
  std::string sample;  // the reference sample typed for this member ("" not typed)
  std::string person;  // the register's person id, when the families file gave one
};

struct EvidenceSample {
  std::string key;   // as the marker lines' calls refer to it (position)
  std::string kind;  // remains, reference
  std::string name;  // the sample's name (Sample Name of the allele table)
  std::string member;
  std::string bag;  // remains: the bag (container, body part) the run read it from
};

struct EvidenceMarker {
  std::string marker;
  double lr = 0;
  int database_size = 0;
  int alleles = 0;
  std::vector<std::string> calls;  // per sample of ProposalEvidence::samples; "" untyped
};

struct ProposalEvidence {
  std::string individual, family, missing;
  double lr = 0;         // the candidate's LR (the product of the markers')
  double posterior = 0;  // the candidate's posterior
  std::string software;  // "whereabouts 0.1.0"
  std::vector<std::pair<std::string, std::string>> assumptions;
  std::vector<EvidenceMember> pedigree;
  std::vector<EvidenceSample> samples;
  std::vector<EvidenceMarker> markers;

  // The value of assumption `name`, "" when absent.
  [[nodiscard]] std::string Assumption(std::string_view name) const;
};

[[nodiscard]] std::string EncodeEvidence(const ProposalEvidence& evidence);

// Reads EncodeEvidence's text. Errors: kInvalidArgument naming the line and what is wrong (an
// unknown format or record, a wrong number of fields, a number that is not one, a marker line
// whose calls do not match the samples, no "end").
[[nodiscard]] Result<ProposalEvidence> DecodeEvidence(std::string_view text);

// Several evidences in one text (the evidence.txt of `whereabouts identify`): EncodeEvidence's
// blocks one after the other. Errors: DecodeEvidence's, naming the line in the whole text.
[[nodiscard]] std::string EncodeEvidenceList(const std::vector<ProposalEvidence>& list);
[[nodiscard]] Result<std::vector<ProposalEvidence>> DecodeEvidenceList(std::string_view text);

}  // namespace whereabouts::registry
