#include "app/identification_review.h"

#include <utility>

#include "registry/payload.h"

namespace whereabouts::app {
namespace {

using registry::EntityKind;
using registry::Event;
using registry::IdentificationProposal;
using registry::ProposalStatus;

Event PersonEvent(const WriteMeta& meta, std::string type, registry::PersonId person) {
  Event e;
  e.kind = EntityKind::kPerson;
  e.type = std::move(type);
  e.entity_id = person.value;
  e.actor = meta.actor;
  e.reason = meta.reason;
  return e;  // recorded_on: the register's clock (Registry::Record)
}

// The date of the identification when the request gives none: the date it is recorded on.
Result<registry::Date> DefaultDate(registry::Registry& registry) {
  WB_ASSIGN_OR_RETURN(const std::optional<registry::Date> today, registry.RecordingDate());
  if (!today) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a date is required (the register keeps the events' own dates)", "date");
  }
  return *today;
}

Result<IdentificationDecision> Decide(registry::Registry& registry,
                                      const DecideIdentificationRequest& req, bool confirm) {
  WB_ASSIGN_OR_RETURN(const std::optional<IdentificationProposal> found,
                      FindProposal(registry, req.proposal));
  if (!found) {
    return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(req.proposal));
  }
  const IdentificationProposal& p = *found;
  Event e = PersonEvent(req.meta, confirm ? "person.identified" : "person.identification_rejected",
                        p.person);
  e.payload["proposal"] = std::to_string(p.id);
  if (confirm) {
    // The identification is what was proposed: its date, site and remains.
    if (p.date) {
      e.payload["date"] = p.date->ToString();
    } else {
      WB_ASSIGN_OR_RETURN(const registry::Date d, DefaultDate(registry));
      e.payload["date"] = d.ToString();
    }
    if (p.site > 0) e.payload["site"] = std::to_string(p.site);
    e.payload["remains"] = p.remains;
    if (req.ambiguity_resolved) e.payload["ambiguity_resolved"] = "yes";
    if (req.override_sex_check) e.payload["sex_check_overridden"] = "yes";
  }
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return IdentificationDecision{p.id, p.person,
                                confirm ? ProposalStatus::kConfirmed : ProposalStatus::kRejected,
                                stored.actor, stored.seq};
}

}  // namespace

Result<ProposedIdentification> ProposeIdentification(registry::Registry& registry,
                                                     const ProposeIdentificationRequest& req) {
  Event e = PersonEvent(req.meta, "person.identification_proposed", req.person);
  if (req.date) {
    e.payload["date"] = req.date->ToString();
  } else {
    WB_ASSIGN_OR_RETURN(const registry::Date d, DefaultDate(registry));
    e.payload["date"] = d.ToString();
  }
  if (req.site > 0) e.payload["site"] = std::to_string(req.site);
  if (!req.remains.empty()) e.payload["remains"] = req.remains;
  // No "proposal" key: the register gives the next free id inside the write.
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  ProposedIdentification out;
  out.person = registry::PersonId{stored.entity_id};
  out.seq = stored.seq;
  WB_ASSIGN_OR_RETURN(out.proposal, registry::ParseId(stored.Get("proposal"), "proposal"));
  return out;
}

Result<IdentificationDecision> ConfirmIdentification(registry::Registry& registry,
                                                     const DecideIdentificationRequest& req) {
  return Decide(registry, req, /*confirm=*/true);
}

Result<IdentificationDecision> RejectIdentification(registry::Registry& registry,
                                                    const DecideIdentificationRequest& req) {
  return Decide(registry, req, /*confirm=*/false);
}

Result<IdentificationSignOff> SignOffIdentification(registry::Registry& registry,
                                                    const DecideIdentificationRequest& req) {
  WB_ASSIGN_OR_RETURN(const std::optional<IdentificationProposal> found,
                      FindProposal(registry, req.proposal));
  if (!found) {
    return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(req.proposal));
  }
  Event e = PersonEvent(req.meta, "person.identification_signed_off", found->person);
  e.payload["proposal"] = std::to_string(found->id);
  // The rules (four-eyes, confirmed, not yet signed off) are checked by the register inside the
  // write, against the proposals as they stand then.
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return IdentificationSignOff{found->id, found->person, stored.actor, stored.seq};
}

Result<IdentificationRevocation> RevokeIdentification(registry::Registry& registry,
                                                      const RevokeIdentificationRequest& req) {
  WB_ASSIGN_OR_RETURN(const std::optional<IdentificationProposal> found,
                      FindProposal(registry, req.proposal));
  if (!found) {
    return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(req.proposal));
  }
  Event e = PersonEvent(req.meta, "person.identification_revoked", found->person);
  e.payload["proposal"] = std::to_string(found->id);
  if (req.date) e.payload["date"] = req.date->ToString();
  // Confirmed, with a reason and who revokes: checked by the register inside the write.
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return IdentificationRevocation{found->id, found->person, stored.actor, stored.seq};
}

Result<std::vector<IdentificationProposal>> ListProposals(registry::Registry& registry,
                                                          const ListProposalsRequest& req) {
  WB_ASSIGN_OR_RETURN(const registry::Proposals all, registry.LoadProposals(req.as_of));
  std::vector<IdentificationProposal> out;
  for (const auto& [id, p] : all) {
    if (req.status && p.status != *req.status) continue;
    if (req.person && p.person != *req.person) continue;
    if (req.awaiting_sign_off && !p.AwaitingSignOff()) continue;
    out.push_back(p);
  }
  return out;
}

Result<std::optional<IdentificationProposal>> FindProposal(registry::Registry& registry,
                                                           int64_t proposal) {
  WB_ASSIGN_OR_RETURN(const registry::Proposals all, registry.LoadProposals(std::nullopt));
  auto it = all.find(proposal);
  if (it == all.end()) return std::optional<IdentificationProposal>();
  return std::optional<IdentificationProposal>(it->second);
}

}  // namespace whereabouts::app
