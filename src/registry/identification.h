// Identification proposals and their human review. A machine decision (`whereabouts identify`) or
// a clerk only *proposes* an identification (person.identification_proposed); a person with the
// right to decide confirms it (person.identified naming the proposal) or rejects it
// (person.identification_rejected). Only a confirmed identification makes a person "identified",
// and only then can the family be notified. Proposals live in the person's history (they are
// person events), so they have the same who/when/why and "as of" reads as everything else.
// Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/event.h"
#include "registry/person.h"

namespace whereabouts::registry {

enum class ProposalStatus { kProposed, kConfirmed, kRejected };
[[nodiscard]] std::string_view Name(ProposalStatus s);
[[nodiscard]] Result<ProposalStatus> ParseProposalStatus(std::string_view s);

// One proposal as its events left it. Payload keys of person.identification_proposed:
//   proposal (its id, > 0, unique in the register), date (of the identification proposed),
//   remains, site (a register site id; empty when unknown), site_note (why it is empty), lr,
//   posterior, run (the identify run: SHA-256 of its summary.json), individual, family, missing,
//   ambiguous ("yes" when identify could not tell the candidates apart), candidates (text naming
//   every candidate of the individual).
struct IdentificationProposal {
  int64_t id = 0;
  PersonId person;
  Date proposed_on;  // recording date of the proposal
  std::string proposed_by;
  std::string proposal_reason;
  std::optional<Date> date;
  std::string remains;
  int64_t site = 0;
  std::string site_note;
  std::string lr, posterior, run, individual, family, missing, candidates;
  bool ambiguous = false;
  ProposalStatus status = ProposalStatus::kProposed;
  std::optional<Date> decided_on;
  std::string decided_by;
  std::string decision_reason;
};
using Proposals = std::map<int64_t, IdentificationProposal>;

// True for the event types that concern proposals: person.identification_proposed,
// person.identified, person.identification_rejected.
[[nodiscard]] bool IsIdentificationEvent(std::string_view type);

// Checks a new event of those types (or person.family_notified) against `proposals` (the register
// now). Rules: a proposal needs a fresh positive id and a date; a confirmation (person.identified)
// must name a proposal of the same person that is still proposed, an ambiguous one only with
// ambiguity_resolved=yes, and never a second person for the same individual of the same run; a
// rejection names a proposal of the same person that is still proposed, with a reason.
// Errors: kInvalidArgument (malformed id), kNotFound (no such proposal), kAlreadyExists (id
// taken), kFailedPrecondition (the rule, naming the proposal). Thread-safe (pure).
[[nodiscard]] Status CheckIdentificationEvent(const Proposals& proposals, const Event& e);

// Applies an event of those types to `proposals` (no rule checks: history is replayed as it was
// recorded; an identification recorded before proposals existed names none and is skipped).
void ApplyToProposals(Proposals& proposals, const Event& e);

// The proposals that `events` (person events, in seq order) leave, as of `as_of`.
[[nodiscard]] Proposals ReplayProposals(const std::vector<Event>& events, const AsOf& as_of);

// The person's proposals still waiting for a decision (id order).
[[nodiscard]] std::vector<int64_t> PendingProposalsOf(const Proposals& proposals, PersonId person);

}  // namespace whereabouts::registry
