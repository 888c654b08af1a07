#include "registry/identification.h"

#include <algorithm>

#include "registry/payload.h"

namespace whereabouts::registry {
namespace {

constexpr std::string_view kProposed = "person.identification_proposed";
constexpr std::string_view kConfirmed = "person.identified";
constexpr std::string_view kRejected = "person.identification_rejected";
constexpr std::string_view kSignedOff = "person.identification_signed_off";
constexpr std::string_view kRevoked = "person.identification_revoked";

Error Rule(std::string message, std::string field = {}) {
  return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(field)};
}

std::string Pid(int64_t id) { return "proposal " + std::to_string(id); }

// A name as the four-eyes rule compares it: surrounding blanks dropped, ASCII letters folded.
std::string Who(std::string_view name) {
  const auto first = name.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = name.find_last_not_of(" \t");
  std::string out(name.substr(first, last - first + 1));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The rules of a sign-off (person.identification_signed_off) of proposal `p`.
Status CheckSignOff(const IdentificationProposal& p, const Event& e) {
  const std::string pid = Pid(p.id);
  if (p.status != ProposalStatus::kConfirmed) {
    return tl::unexpected(Rule(pid + " is " + std::string(Name(p.status)) +
                                   "; only a confirmed identification is signed off",
                               "proposal"));
  }
  if (p.signed_off_on) {
    return tl::unexpected(
        Rule(pid + " was already signed off on " + p.signed_off_on->ToString(), "proposal"));
  }
  if (e.reason.empty()) {
    return tl::unexpected(Rule("a sign-off of a proposal needs a reason", "reason"));
  }
  const std::string signer = Who(e.actor);
  if (signer.empty()) {
    return tl::unexpected(Rule("a sign-off of a proposal needs the name of who signs off", "by"));
  }
  // Who proposed or confirmed is not named (no personal data in messages).
  if (signer == Who(p.proposed_by)) {
    return tl::unexpected(Rule("four-eyes rule: " + pid +
                                   " was proposed by the one who signs off; no one signs off "
                                   "their own proposal or confirmation",
                               "by"));
  }
  if (signer == Who(p.decided_by)) {
    return tl::unexpected(Rule("four-eyes rule: " + pid +
                                   " was confirmed by the one who signs off; no one signs off "
                                   "their own proposal or confirmation",
                               "by"));
  }
  return {};
}

}  // namespace

std::string_view Name(ProposalStatus s) {
  switch (s) {
    case ProposalStatus::kProposed:
      return "proposed";
    case ProposalStatus::kConfirmed:
      return "confirmed";
    case ProposalStatus::kRejected:
      return "rejected";
    case ProposalStatus::kRevoked:
      return "revoked";
  }
  return "proposed";
}

Result<ProposalStatus> ParseProposalStatus(std::string_view s) {
  for (ProposalStatus v : {ProposalStatus::kProposed, ProposalStatus::kConfirmed,
                           ProposalStatus::kRejected, ProposalStatus::kRevoked}) {
    if (Name(v) == s) return v;
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      "unknown status '" + std::string(s) + "' (one of: proposed, confirmed, rejected, revoked)",
      "status");
}

bool IsIdentificationEvent(std::string_view type) {
  return type == kProposed || type == kConfirmed || type == kRejected || type == kSignedOff ||
         type == kRevoked;
}

Status CheckIdentificationEvent(const Proposals& proposals, const Event& e) {
  const std::string where = "person " + std::to_string(e.entity_id) + ", " + e.type;
  auto fail = [&](Error err) -> Status {
    return tl::unexpected(WithContext(std::move(err), where));
  };
  if (e.type == kProposed) {
    auto id = ParseId(e.Get("proposal"), "proposal");
    if (!id) return fail(id.error());
    if (*id <= 0) return fail(Error{ErrorCode::kInvalidArgument, "expected an id > 0", "proposal"});
    if (proposals.count(*id)) {
      return fail(Error{ErrorCode::kAlreadyExists, Pid(*id) + " already exists", "proposal"});
    }
    auto d = ParseDateField(e.Get("date"), "date");
    if (!d) return fail(d.error());
    if (!*d) return fail(Error{ErrorCode::kInvalidArgument, "a date is required", "date"});
    if (!e.Get("site").empty()) {
      auto site = ParseId(e.Get("site"), "site");
      if (!site) return fail(site.error());
    }
    return {};
  }
  if (e.type == kConfirmed || e.type == kRejected || e.type == kSignedOff || e.type == kRevoked) {
    const bool confirm = e.type == kConfirmed;
    if (e.Get("proposal").empty()) {
      if (confirm) {
        return fail(
            Rule("an identification is recorded only by confirming a proposal", "proposal"));
      }
      return fail(Error{ErrorCode::kInvalidArgument, "a proposal id is required", "proposal"});
    }
    auto id = ParseId(e.Get("proposal"), "proposal");
    if (!id) return fail(id.error());
    auto it = proposals.find(*id);
    if (it == proposals.end()) {
      return fail(Error{ErrorCode::kNotFound, "no " + Pid(*id), "proposal"});
    }
    const IdentificationProposal& p = it->second;
    if (p.person.value != e.entity_id) {
      return fail(Rule(Pid(*id) + " is for person " + std::to_string(p.person.value), "proposal"));
    }
    if (e.type == kSignedOff) {
      if (auto s = CheckSignOff(p, e); !s) return fail(s.error());
      return {};
    }
    if (e.type == kRevoked) {
      if (p.status != ProposalStatus::kConfirmed) {
        return fail(Rule(Pid(*id) + " is " + std::string(Name(p.status)) +
                             "; only a confirmed identification is revoked",
                         "proposal"));
      }
      if (e.reason.empty()) return fail(Rule("a revocation needs a reason", "reason"));
      if (e.actor.empty()) {
        return fail(Rule("a revocation needs the name of who revokes it", "by"));
      }
      return {};
    }
    if (p.status != ProposalStatus::kProposed) {
      // Who decided is not named here (no personal data in messages); an adapter may add it from
      // the proposal (IdentificationProposal::decided_by).
      return fail(Rule(Pid(*id) + " was already " + std::string(Name(p.status)) + " on " +
                           (p.decided_on ? p.decided_on->ToString() : ""),
                       "proposal"));
    }
    if (e.reason.empty()) {
      return fail(Rule("a decision on a proposal needs a reason", "reason"));
    }
    if (e.actor.empty()) {
      return fail(Rule("a decision on a proposal needs the name of who decides", "by"));
    }
    if (!confirm) return {};
    if (p.ambiguous && e.Get("ambiguity_resolved") != "yes") {
      return fail(Rule(Pid(*id) + " is ambiguous (" + p.candidates +
                           "); confirm it only with the evidence that resolves the ambiguity in "
                           "the reason and ambiguity_resolved=yes",
                       "proposal"));
    }
    if (!p.run.empty() && !p.individual.empty()) {
      for (const auto& [other_id, other] : proposals) {
        if (other_id == *id || other.status != ProposalStatus::kConfirmed) continue;
        if (other.run == p.run && other.individual == p.individual) {
          return fail(Rule("individual " + p.individual +
                               " of this run was already identified as "
                               "person " +
                               std::to_string(other.person.value) + " (" + Pid(other_id) +
                               "); one individual is never two persons",
                           "proposal"));
        }
      }
    }
    return {};
  }
  return {};
}

Status CheckNotification(const Proposals& proposals, const Event& e) {
  const auto waiting = AwaitingSignOffOf(proposals, PersonId{e.entity_id});
  if (waiting.empty()) return {};
  return tl::unexpected(Rule(
      "the family can be notified only of a signed-off identification; " + Pid(waiting.front()) +
          " is confirmed and awaits its sign-off by a second person (four-eyes rule)",
      "person " + std::to_string(e.entity_id) + ", " + e.type));
}

namespace {

std::vector<std::string> SplitBars(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('|', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool ConsentAllowsIdentification(const std::string& consent) {
  return consent == "identification" || consent == "identification_and_court";
}

}  // namespace

Status CheckDnaConfirmation(const IdentificationProposal& p, const Person& person,
                            const std::vector<Relative>& relatives,
                            const std::map<int64_t, Remains>& remains, const Event& confirmation) {
  const std::string where = "person " + std::to_string(person.id.value) + ", " + confirmation.type;
  if (!p.run.empty()) {
    const std::vector<std::string> refs = SplitBars(p.references);
    if (!refs.empty()) {
      for (const std::string& sample : refs) {
        const Relative* owner = nullptr;
        for (const Relative& r : relatives) {
          if (r.samples.count(sample) || r.sample == sample) owner = &r;
        }
        if (owner == nullptr || !ConsentAllowsIdentification(owner->consent)) {
          return tl::unexpected(Rule(
              Pid(p.id) + " rests on reference sample " + sample + ", whose relative's consent (" +
                  (owner ? owner->consent : std::string("no relative of the person")) +
                  ") does not allow identification; it cannot be confirmed unless that consent "
                  "is given",
              where));
        }
      }
    } else {
      bool any_sample = false, allowed = false;
      for (const Relative& r : relatives) {
        if (r.sample.empty() && r.samples.empty()) continue;
        any_sample = true;
        if (ConsentAllowsIdentification(r.consent)) allowed = true;
      }
      if (any_sample && !allowed) {
        return tl::unexpected(
            Rule(Pid(p.id) + " is a DNA identification, and no relative of person " +
                     std::to_string(person.id.value) +
                     " who gave a reference sample consents to identification (consent none or "
                     "withdrawn); it cannot be confirmed unless that consent is given",
                 where));
      }
    }
  }
  if (person.sex == Sex::kFemale && confirmation.Get("sex_check_overridden") != "yes") {
    // The individual's samples: named by the run, else those of uncommingled remains named.
    std::vector<std::string> samples = SplitBars(p.samples);
    const std::vector<std::string> labels = SplitBars(p.remains);
    for (const auto& [id, r] : remains) {
      const bool named = std::find(labels.begin(), labels.end(), r.label) != labels.end();
      for (const auto& [sample, profile] : r.profiles) {
        const bool of_individual =
            p.samples.empty() ? named && !r.commingled
                              : std::find(samples.begin(), samples.end(), sample) != samples.end();
        if (!of_individual) continue;
        const std::string& text = profile.profile;
        if (text.find("AMEL=X,Y") != std::string::npos) {
          return tl::unexpected(Rule(
              Pid(p.id) + ": person " + std::to_string(person.id.value) +
                  " is registered female, but sample " + sample + " of remains " + r.label +
                  " shows Y (amelogenin X,Y); confirm it only with an explicit override of the "
                  "sex check and the reason for it",
              where));
        }
      }
    }
  }
  return {};
}

void ApplyToProposals(Proposals& proposals, const Event& e) {
  if (e.type == kProposed) {
    auto id = ParseId(e.Get("proposal"), "proposal");
    if (!id) return;
    IdentificationProposal p;
    p.id = *id;
    p.person = PersonId{e.entity_id};
    p.proposed_on = e.recorded_on;
    p.proposed_by = e.actor;
    p.proposal_reason = e.reason;
    if (auto d = ParseDateField(e.Get("date"), "date"); d) p.date = *d;
    p.remains = std::string(e.Get("remains"));
    if (auto s = ParseId(e.Get("site"), "site"); s && !e.Get("site").empty()) p.site = *s;
    p.site_note = std::string(e.Get("site_note"));
    p.lr = std::string(e.Get("lr"));
    p.posterior = std::string(e.Get("posterior"));
    p.run = std::string(e.Get("run"));
    p.individual = std::string(e.Get("individual"));
    p.family = std::string(e.Get("family"));
    p.missing = std::string(e.Get("missing"));
    p.candidates = std::string(e.Get("candidates"));
    p.samples = std::string(e.Get("samples"));
    p.references = std::string(e.Get("references"));
    p.evidence = std::string(e.Get("evidence"));
    p.ambiguous = e.Get("ambiguous") == "yes";
    proposals[p.id] = std::move(p);
    return;
  }
  if (e.type == kConfirmed || e.type == kRejected || e.type == kSignedOff || e.type == kRevoked) {
    if (e.Get("proposal").empty()) return;
    auto id = ParseId(e.Get("proposal"), "proposal");
    if (!id) return;
    auto it = proposals.find(*id);
    if (it == proposals.end()) return;
    if (e.type == kRevoked) {
      it->second.status = ProposalStatus::kRevoked;
      it->second.revoked_on = e.recorded_on;
      it->second.revoked_by = e.actor;
      it->second.revocation_reason = e.reason;
      return;
    }
    if (e.type == kSignedOff) {
      it->second.signed_off_on = e.recorded_on;
      it->second.signed_off_by = e.actor;
      it->second.sign_off_reason = e.reason;
      return;
    }
    it->second.status =
        e.type == kConfirmed ? ProposalStatus::kConfirmed : ProposalStatus::kRejected;
    it->second.decided_on = e.recorded_on;
    it->second.decided_by = e.actor;
    it->second.decision_reason = e.reason;
  }
}

Proposals ReplayProposals(const std::vector<Event>& events, const AsOf& as_of) {
  Proposals out;
  for (const Event& e : events) {
    if (e.kind != EntityKind::kPerson || !Visible(e, as_of) || !IsIdentificationEvent(e.type)) {
      continue;
    }
    ApplyToProposals(out, e);
  }
  return out;
}

std::vector<int64_t> PendingProposalsOf(const Proposals& proposals, PersonId person) {
  std::vector<int64_t> out;
  for (const auto& [id, p] : proposals) {
    if (p.person == person && p.status == ProposalStatus::kProposed) out.push_back(id);
  }
  return out;
}

std::vector<int64_t> AwaitingSignOffOf(const Proposals& proposals, PersonId person) {
  std::vector<int64_t> out;
  for (const auto& [id, p] : proposals) {
    if (p.person == person && p.AwaitingSignOff()) out.push_back(id);
  }
  return out;
}

}  // namespace whereabouts::registry
