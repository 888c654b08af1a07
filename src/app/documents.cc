#include "app/documents.h"

#include <string>

namespace whereabouts::app {
namespace {

using registry::CaseStatus;
using registry::IdentificationProposal;
using registry::Person;
using registry::PersonId;
using registry::ProposalStatus;

std::string Id(PersonId p) { return "person " + std::to_string(p.value); }

// The person, the chain head and the proposals, from one consistent view.
struct Read {
  Person person;
  registry::ChainHead head;
  registry::Proposals proposals;
};

Result<Read> ReadPerson(registry::Registry& registry, registry::RegistryStore& store,
                        PersonId person) {
  Read out;
  WB_RETURN_IF_ERROR(store.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(const std::optional<Person> p, store.FindPerson(person, std::nullopt));
    if (!p) return MakeError(ErrorCode::kNotFound, "no " + Id(person));
    out.person = *p;
    WB_ASSIGN_OR_RETURN(out.head, store.Head(std::nullopt));
    WB_ASSIGN_OR_RETURN(out.proposals, registry.LoadProposals(std::nullopt));
    return {};
  }));
  return out;
}

// Why a record that is no longer a case of its own supports no document ("was merged into
// person N ..."); "" when it does.
std::string NotACase(const Person& p) {
  if (p.status == CaseStatus::kMerged) {
    return "was merged into person " + std::to_string(p.merged_into) + " (use that record)";
  }
  if (p.status == CaseStatus::kWithdrawn) return "was withdrawn from the register";
  return "";
}

}  // namespace

Result<AbsenceCertificate> PrepareAbsenceCertificate(registry::Registry& registry,
                                                     registry::RegistryStore& store,
                                                     PersonId person) {
  WB_ASSIGN_OR_RETURN(Read r, ReadPerson(registry, store, person));
  const std::string refusal = "no certificate of absence: ";
  if (const std::string why = NotACase(r.person); !why.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, refusal + Id(person) + " " + why);
  }
  if (r.person.status == CaseStatus::kIdentified) {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        refusal + Id(person) + " is not missing: identified" +
            (r.person.identified_on ? " on " + r.person.identified_on->ToString() : std::string()));
  }
  if (r.person.status == CaseStatus::kFoundAlive) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + Id(person) + " is not missing: found alive");
  }
  return AbsenceCertificate{{r.head}, std::move(r.person)};
}

Result<DeathCertificate> PrepareDeathCertificate(registry::Registry& registry,
                                                 registry::RegistryStore& store, PersonId person) {
  WB_ASSIGN_OR_RETURN(Read r, ReadPerson(registry, store, person));
  const std::string refusal = "no certificate of death: ";
  if (const std::string why = NotACase(r.person); !why.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, refusal + Id(person) + " " + why);
  }
  if (r.person.status == CaseStatus::kFoundAlive) {
    return MakeError(ErrorCode::kFailedPrecondition, refusal + Id(person) + " was found alive");
  }
  const IdentificationProposal* signed_off = nullptr;
  const IdentificationProposal* unsigned_confirmed = nullptr;
  for (const auto& [id, p] : r.proposals) {
    if (p.person != person || p.status != ProposalStatus::kConfirmed) continue;
    if (p.SignedOff()) {
      signed_off = &p;
    } else {
      unsigned_confirmed = &p;
    }
  }
  DeathCertificate out{{r.head}, r.person, DeathBasis::kIdentification, std::nullopt};
  if (signed_off != nullptr) {
    out.identification = *signed_off;
    return out;
  }
  if (r.person.reported_dead) {
    out.death_basis = DeathBasis::kReportedDeath;
    return out;
  }
  if (unsigned_confirmed != nullptr) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + Id(person) + " has a confirmed identification (proposal " +
                         std::to_string(unsigned_confirmed->id) +
                         ") that is not signed off yet, and no reported death");
  }
  return MakeError(ErrorCode::kFailedPrecondition,
                   refusal + Id(person) +
                       " has neither a confirmed, signed-off identification nor a reported death");
}

Result<NotificationLetter> PrepareNotificationLetter(registry::Registry& registry,
                                                     registry::RegistryStore& store,
                                                     int64_t proposal) {
  std::optional<IdentificationProposal> found;
  Read r;
  WB_RETURN_IF_ERROR(store.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(const registry::Proposals all, registry.LoadProposals(std::nullopt));
    const auto it = all.find(proposal);
    if (it == all.end()) {
      return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(proposal));
    }
    found = it->second;
    WB_ASSIGN_OR_RETURN(r, ReadPerson(registry, store, found->person));
    return {};
  }));
  const std::string refusal = "no notification letter: proposal " + std::to_string(proposal) + " ";
  if (found->status == ProposalStatus::kProposed) {
    return MakeError(ErrorCode::kFailedPrecondition, refusal + "is not confirmed yet");
  }
  if (found->status == ProposalStatus::kRejected) {
    return MakeError(ErrorCode::kFailedPrecondition, refusal + "was rejected");
  }
  if (found->status == ProposalStatus::kRevoked) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + "was revoked on " + found->revoked_on->ToString());
  }
  if (!found->SignedOff()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + "is confirmed but not signed off yet (the four-eyes rule)");
  }
  if (const std::string why = NotACase(r.person); !why.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     refusal + "concerns " + Id(r.person.id) + ", which " + why);
  }
  return NotificationLetter{{r.head}, std::move(r.person), *found};
}

}  // namespace whereabouts::app
