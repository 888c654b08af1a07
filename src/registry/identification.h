// Identification proposals and their human review. A machine decision (`whereabouts identify`) or
// a clerk only *proposes* an identification (person.identification_proposed); a person with the
// right to decide confirms it (person.identified naming the proposal) or rejects it
// (person.identification_rejected). Only a confirmed identification makes a person "identified".
// The four-eyes rule: before the family is notified, a confirmed identification is signed off
// (person.identification_signed_off naming the proposal) by a second person, who neither proposed
// nor confirmed it. Proposals live in the person's history (they are person events), so they have
// the same who/when/why and "as of" reads as everything else. Pure.
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
#include "registry/snapshot.h"

namespace whereabouts::registry {

// kRevoked: a confirmed identification withdrawn later (person.identification_revoked, with a
// reason); the person's case is open again.
enum class ProposalStatus { kProposed, kConfirmed, kRejected, kRevoked };
[[nodiscard]] std::string_view Name(ProposalStatus s);
[[nodiscard]] Result<ProposalStatus> ParseProposalStatus(std::string_view s);

// One proposal as its events left it. Payload keys of person.identification_proposed:
//   proposal (its id, > 0, unique in the register), date (of the identification proposed),
//   remains, site (a register site id; empty when unknown), site_note (why it is empty), lr,
//   posterior, run (the identify run: SHA-256 of its summary.json), individual, family, missing,
//   ambiguous ("yes" when identify could not tell the candidates apart), candidates (text naming
//   every candidate of the individual), evidence (the DNA evidence the run computed, as
//   registry/identification_evidence.h encodes it; absent for proposals recorded without it).
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
  // From a run on the register (app/dna_register.h): the individual's remains samples and the
  // reference samples of the family's pedigree that the run used, '|'-separated ("" unknown).
  std::string samples, references;
  std::string evidence;  // EncodeEvidence's text; "" none recorded
  bool ambiguous = false;
  ProposalStatus status = ProposalStatus::kProposed;
  std::optional<Date> decided_on;
  std::string decided_by;
  std::string decision_reason;
  // The sign-off of a confirmed proposal (the four-eyes rule); nullopt: not signed off. The
  // status stays kConfirmed: a signed-off identification is a confirmed one that a family may be
  // told of.
  std::optional<Date> signed_off_on;  // recording date of the sign-off
  std::string signed_off_by;
  std::string sign_off_reason;
  // The revocation of a confirmed identification (status kRevoked); nullopt: not revoked.
  std::optional<Date> revoked_on;  // recording date of the revocation
  std::string revoked_by;
  std::string revocation_reason;

  [[nodiscard]] bool SignedOff() const { return signed_off_on.has_value(); }
  // Confirmed and still waiting for its sign-off.
  [[nodiscard]] bool AwaitingSignOff() const {
    return status == ProposalStatus::kConfirmed && !SignedOff();
  }
};
using Proposals = std::map<int64_t, IdentificationProposal>;

// True for the event types that concern proposals: person.identification_proposed,
// person.identified, person.identification_rejected, person.identification_signed_off,
// person.identification_revoked.
[[nodiscard]] bool IsIdentificationEvent(std::string_view type);

// Checks a new event of those types (or person.family_notified) against `proposals` (the register
// now). Rules: a proposal needs a fresh positive id and a date; a confirmation (person.identified)
// must name a proposal of the same person that is still proposed, an ambiguous one only with
// ambiguity_resolved=yes, and never a second person for the same individual of the same run; a
// rejection names a proposal of the same person that is still proposed, with a reason; a sign-off
// (person.identification_signed_off, payload `proposal`) names a confirmed proposal of the same
// person not yet signed off, with a reason, by someone who is neither its proposer (proposed_by)
// nor its confirmer (decided_by): no one signs off their own proposal or confirmation (names are
// compared ignoring case and surrounding blanks); a revocation (person.identification_revoked,
// payload `proposal`) names a confirmed proposal of the same person, with a reason and who
// revokes it.
// Errors: kInvalidArgument (malformed id), kNotFound (no such proposal), kAlreadyExists (id
// taken), kFailedPrecondition (the rule, naming the proposal). Thread-safe (pure).
[[nodiscard]] Status CheckIdentificationEvent(const Proposals& proposals, const Event& e);

// Checks a person.family_notified event against `proposals`: the person's confirmed
// identification must be signed off. A person with no confirmed proposal passes here (an
// identification recorded before proposals existed; whether the person is identified at all is
// the person rules' concern, registry/person.h). Errors: kFailedPrecondition naming the proposal
// awaiting sign-off. Thread-safe (pure).
[[nodiscard]] Status CheckNotification(const Proposals& proposals, const Event& e);

// The DNA safety checks of a confirmation (person.identified) of proposal `p` of person
// `person`, given what the register holds now:
//  - consent: a proposal from a DNA run (run not empty) is confirmed only while the family's
//    consent allows identification: every reference sample the proposal names (`references`)
//    must belong to a relative whose consent is identification or identification_and_court; a
//    proposal that names none needs, when the person's relatives gave samples, at least one of
//    them with such consent;
//  - sex: when the person is registered female, no sample of the individual (`samples`, else every
//    sample of the proposal's remains that are not commingled) may show Y (amelogenin X,Y),
//    unless the confirmation carries sex_check_overridden=yes (its reason is the event's). X only
//    for a registered man is not a contradiction (the Y allele can drop out).
// `remains` are the register's remains (with their samples' profiles). Errors:
// kFailedPrecondition naming the proposal, the sample and the rule. Thread-safe (pure).
[[nodiscard]] Status CheckDnaConfirmation(const IdentificationProposal& p, const Person& person,
                                          const std::vector<Relative>& relatives,
                                          const std::map<int64_t, Remains>& remains,
                                          const Event& confirmation);

// Applies an event of those types to `proposals` (no rule checks: history is replayed as it was
// recorded; an identification recorded before proposals existed names none and is skipped).
void ApplyToProposals(Proposals& proposals, const Event& e);

// The proposals that `events` (person events, in seq order) leave, as of `as_of`.
[[nodiscard]] Proposals ReplayProposals(const std::vector<Event>& events, const AsOf& as_of);

// The person's proposals still waiting for a decision (id order).
[[nodiscard]] std::vector<int64_t> PendingProposalsOf(const Proposals& proposals, PersonId person);

// The person's confirmed proposals still waiting for their sign-off (id order).
[[nodiscard]] std::vector<int64_t> AwaitingSignOffOf(const Proposals& proposals, PersonId person);

}  // namespace whereabouts::registry
