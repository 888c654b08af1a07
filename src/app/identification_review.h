// Use cases of the human review of identifications: propose one by hand, confirm or reject a
// proposal, sign off a confirmed one (the four-eyes rule), list proposals and their decisions. A
// proposal changes nothing a family is told; only a confirmation by a named person makes the
// person identified, and only its sign-off by a second person lets the family be notified. The
// rules (a decision names a proposal still waiting, with who and why; an ambiguous one only with
// the ambiguity resolved; one individual of a run is never two persons; no one signs off their
// own proposal or confirmation) are the register's
// (registry/identification.h); this layer builds the events and returns typed results.
// Proposals from an identification run: app/identifications.h.
// Thread-safety: as the Registry passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "registry/date.h"
#include "registry/identification.h"
#include "registry/person.h"
#include "registry/registry.h"

namespace whereabouts::app {

struct ProposeIdentificationRequest {
  WriteMeta meta;
  registry::PersonId person;
  std::optional<registry::Date> date;  // of the identification; nullopt: the recording date
  int64_t site = 0;                    // register site the remains came from (0: unknown)
  std::string remains;                 // remains labels, '|'-separated ("" none)
};

struct ProposedIdentification {
  int64_t proposal = 0;  // the id the register gave it
  registry::PersonId person;
  int64_t seq = 0;
};

// Records a proposal (person.identification_proposed) with a fresh proposal id, given by the
// register inside the write. Errors: kNotFound (no such person); kFailedPrecondition when the
// person's case is not open; kInvalidArgument when no date is given and the register has no
// clock (a legacy history); those of Registry::Record. Nothing is written on error.
[[nodiscard]] Result<ProposedIdentification> ProposeIdentification(
    registry::Registry& registry, const ProposeIdentificationRequest& request);

struct DecideIdentificationRequest {
  WriteMeta meta;  // actor and reason are REQUIRED by the register's rules
  int64_t proposal = 0;
  // Confirm only: the proposal is ambiguous and the reason names the evidence that resolves it.
  bool ambiguity_resolved = false;
  // Confirm only: the individual's DNA shows Y while the person is registered female, and the
  // reason says why the identification holds all the same (recorded as sex_check_overridden=yes).
  bool override_sex_check = false;
};

struct IdentificationDecision {
  int64_t proposal = 0;
  registry::PersonId person;
  registry::ProposalStatus status = registry::ProposalStatus::kConfirmed;  // or kRejected
  std::string decided_by;
  int64_t seq = 0;
};

// Confirms a proposal: person.identified with the proposal's date, site and remains; the person
// becomes identified. Errors: kNotFound "no proposal N"; kFailedPrecondition naming the rule
// broken (already decided, no reason or decider, ambiguous without ambiguity_resolved, the
// individual already identified as another person, the DNA checks of
// registry::CheckDnaConfirmation: the family's consent, the individual's DNA sex); nothing is
// written on error.
[[nodiscard]] Result<IdentificationDecision> ConfirmIdentification(
    registry::Registry& registry, const DecideIdentificationRequest& request);

// Rejects a proposal: person.identification_rejected; the person's case stays as it was.
// Errors: as ConfirmIdentification (ambiguity_resolved is ignored).
[[nodiscard]] Result<IdentificationDecision> RejectIdentification(
    registry::Registry& registry, const DecideIdentificationRequest& request);

struct IdentificationSignOff {
  int64_t proposal = 0;
  registry::PersonId person;
  std::string signed_off_by;
  int64_t seq = 0;
};

// Signs off a confirmed proposal: person.identification_signed_off naming it; from then on the
// family may be notified (person.family_notified). The request's actor signs off; the reason is
// required; ambiguity_resolved is ignored. Errors: kNotFound "no proposal N";
// kFailedPrecondition naming the rule and the proposal (not confirmed, already signed off, no
// reason or signer, the signer proposed or confirmed it); nothing is written on error.
[[nodiscard]] Result<IdentificationSignOff> SignOffIdentification(
    registry::Registry& registry, const DecideIdentificationRequest& request);

struct RevokeIdentificationRequest {
  WriteMeta meta;  // actor and reason are REQUIRED by the register's rules
  int64_t proposal = 0;
  std::optional<registry::Date> date;  // of the revocation; nullopt: the recording date
};

struct IdentificationRevocation {
  int64_t proposal = 0;
  registry::PersonId person;
  std::string revoked_by;
  int64_t seq = 0;
};

// Revokes a confirmed identification (signed off or not, the family notified or not):
// person.identification_revoked naming the proposal. The person's case is open again from the
// recording date on (figures as of later dates count it open; as of earlier dates nothing
// changes); the proposal's status becomes revoked. Errors: kNotFound "no proposal N";
// kFailedPrecondition when the proposal is not confirmed (proposed, rejected, already revoked) or
// the reason or actor is missing; nothing is written on error.
[[nodiscard]] Result<IdentificationRevocation> RevokeIdentification(
    registry::Registry& registry, const RevokeIdentificationRequest& request);

struct ListProposalsRequest {
  registry::AsOf as_of;                            // nullopt: now
  std::optional<registry::ProposalStatus> status;  // only these
  std::optional<registry::PersonId> person;        // only this person's
  bool awaiting_sign_off = false;                  // only confirmed ones not yet signed off
};

// Proposals with their decisions and sign-offs as of the date (a sign-off shows from its
// recording date on), in proposal id order.
[[nodiscard]] Result<std::vector<registry::IdentificationProposal>> ListProposals(
    registry::Registry& registry, const ListProposalsRequest& request);

// One proposal as it stands now; nullopt when there is none with that id.
[[nodiscard]] Result<std::optional<registry::IdentificationProposal>> FindProposal(
    registry::Registry& registry, int64_t proposal);

}  // namespace whereabouts::app
