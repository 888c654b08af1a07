// Use cases of the documents that leave a commission (issue 12): the certificate of absence, the
// certificate of death and the family's notification letter. Each gathers, from one consistent
// view of the register, what the document states (the person, the identification, the chain
// head it was read at) and decides whether the register supports the document at all: a refusal
// is an Error naming the reason, and no document is produced. Laying the document out is the
// adapter's (src/io/pdf/). Thread-safety: as the Registry and the store passed in.
#pragma once

#include <cstdint>
#include <optional>

#include "common/result.h"
#include "registry/event.h"
#include "registry/identification.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// What every document carries: the register's state it was read from. Its date (the head's
// recorded date) is the document's date, so the same register state gives the same document.
struct DocumentBasis {
  registry::ChainHead head;
};

struct AbsenceCertificate {
  DocumentBasis basis;
  registry::Person person;
};

// The certificate of absence (ICRC Model Law on the Missing) of `person`: only for a person whose
// case is open (still missing). Errors: kNotFound "no person N"; kFailedPrecondition naming the
// reason when the case is identified, found alive, withdrawn or merged (and into whom); the
// store's.
[[nodiscard]] Result<AbsenceCertificate> PrepareAbsenceCertificate(registry::Registry& registry,
                                                                   registry::RegistryStore& store,
                                                                   registry::PersonId person);

// What a death certificate rests on.
enum class DeathBasis {
  kIdentification,  // a confirmed and signed-off identification of the person's remains
  kReportedDeath,   // a reported death (Person::reported_dead)
};

struct DeathCertificate {
  DocumentBasis basis;
  registry::Person person;
  DeathBasis death_basis = DeathBasis::kIdentification;
  // kIdentification: the signed-off proposal (the latest by id, when there are several).
  std::optional<registry::IdentificationProposal> identification;
};

// The certificate of death of `person`: only with a confirmed and signed-off identification, or
// a reported death (the identification first when both exist); never for a merged or withdrawn
// record. Errors: kNotFound "no person N"; kFailedPrecondition stating which is missing (e.g.
// "person 3 has a confirmed identification (proposal 2) that is not signed off, and no reported
// death"); the store's.
[[nodiscard]] Result<DeathCertificate> PrepareDeathCertificate(registry::Registry& registry,
                                                               registry::RegistryStore& store,
                                                               registry::PersonId person);

struct NotificationLetter {
  DocumentBasis basis;
  registry::Person person;
  registry::IdentificationProposal identification;
};

// The letter telling the family of the identification of proposal `proposal`: only once it is
// confirmed and signed off (the four-eyes rule). Errors: kNotFound "no proposal N";
// kFailedPrecondition naming the reason (still proposed, rejected, awaiting sign-off, or the
// person's record merged or withdrawn); the store's.
[[nodiscard]] Result<NotificationLetter> PrepareNotificationLetter(registry::Registry& registry,
                                                                   registry::RegistryStore& store,
                                                                   int64_t proposal);

}  // namespace whereabouts::app
