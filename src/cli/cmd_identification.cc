// `whereabouts identification propose|confirm|reject|sign-off|revoke|list`: the human decision on
// identifications. A proposal (from `import identifications` or `propose`) changes nothing a family
// is told; only a confirmation by a named person makes the person "identified", and only its
// sign-off by a second person (neither proposer nor confirmer: the four-eyes rule) lets the family
// be notified (registry/identification.h).
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/identification_review.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/registry_json.h"
#include "registry/identification.h"
#include "registry/payload.h"

namespace whereabouts::cli {
namespace {

using registry::IdentificationProposal;
using registry::ProposalStatus;

struct ProposeOptions {
  std::string db, date, remains;
  int64_t person = 0, site = 0;
  EventMeta meta;
};

struct DecideOptions {
  std::string db;
  int64_t proposal = 0;
  bool ambiguity_resolved = false;
  bool override_sex_check = false;
  EventMeta meta;
};

struct ListOptions {
  std::string db, as_of, status;
  int64_t person = 0;
  bool awaiting_sign_off = false;
  bool json = false;
};

Status RunPropose(const ProposeOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  app::ProposeIdentificationRequest req;
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  req.person = registry::PersonId{opt.person};
  WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt.date, "date"));
  req.site = opt.site;
  req.remains = opt.remains;
  WB_ASSIGN_OR_RETURN(const app::ProposedIdentification p,
                      app::ProposeIdentification(*reg.registry, req));
  fmt::print(
      "proposal {} for person {} recorded; it waits for a decision "
      "(whereabouts identification confirm|reject {} --by WHO --reason WHY)\n",
      p.proposal, p.person.value, p.proposal);
  return {};
}

// The register's refusal of a decision, with what only this adapter adds: who took the earlier
// decision (the register's messages name no one) and the option that resolves an ambiguity.
Error WithDecisionContext(registry::Registry& registry, const app::DecideIdentificationRequest& req,
                          bool confirm, Error e) {
  if (e.code != ErrorCode::kFailedPrecondition) return e;
  auto found = app::FindProposal(registry, req.proposal);
  if (!found || !*found) return e;
  const IdentificationProposal& p = **found;
  const std::string pid = "proposal " + std::to_string(p.id);
  const std::string on = p.decided_on ? p.decided_on->ToString() : "";
  const std::string status(registry::Name(p.status));
  if (p.status != ProposalStatus::kProposed &&
      e.message == pid + " was already " + status + " on " + on) {
    e.message = pid + " was already " + status + " by " + p.decided_by + " on " + on;
  } else if (confirm && p.ambiguous && !req.ambiguity_resolved &&
             e.message.ends_with("ambiguity_resolved=yes")) {
    e.message += " (--ambiguity-resolved)";
  } else if (confirm && e.message.find("explicit override of the sex check") != std::string::npos) {
    e.message += " (--override-sex-check --reason WHY)";
  }
  return e;
}

Status RunDecide(const DecideOptions& opt, bool confirm) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  app::DecideIdentificationRequest req;
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  req.proposal = opt.proposal;
  req.ambiguity_resolved = opt.ambiguity_resolved;
  req.override_sex_check = opt.override_sex_check;
  auto d = confirm ? app::ConfirmIdentification(*reg.registry, req)
                   : app::RejectIdentification(*reg.registry, req);
  if (!d) return tl::unexpected(WithDecisionContext(*reg.registry, req, confirm, d.error()));
  if (confirm) {
    fmt::print(
        "proposal {} confirmed by {}: person {} is identified; the family is notified after a "
        "second person signs it off (whereabouts identification sign-off {} --by WHO --reason "
        "WHY)\n",
        d->proposal, d->decided_by, d->person.value, d->proposal);
  } else {
    fmt::print("proposal {} rejected by {}: person {} stays as before\n", d->proposal,
               d->decided_by, d->person.value);
  }
  return {};
}

// The register's refusal of a sign-off, with who signed off earlier (the register names no one).
Error WithSignOffContext(registry::Registry& registry, const app::DecideIdentificationRequest& req,
                         Error e) {
  if (e.code != ErrorCode::kFailedPrecondition) return e;
  auto found = app::FindProposal(registry, req.proposal);
  if (!found || !*found || !(*found)->signed_off_on) return e;
  const IdentificationProposal& p = **found;
  const std::string pid = "proposal " + std::to_string(p.id);
  const std::string on = p.signed_off_on->ToString();
  if (e.message == pid + " was already signed off on " + on) {
    e.message = pid + " was already signed off by " + p.signed_off_by + " on " + on;
  }
  return e;
}

Status RunSignOff(const DecideOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  app::DecideIdentificationRequest req;
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  req.proposal = opt.proposal;
  auto s = app::SignOffIdentification(*reg.registry, req);
  if (!s) return tl::unexpected(WithSignOffContext(*reg.registry, req, s.error()));
  fmt::print("proposal {} signed off by {}: the family of person {} may be notified\n", s->proposal,
             s->signed_off_by, s->person.value);
  return {};
}

struct RevokeOptions {
  std::string db, date;
  int64_t proposal = 0;
  EventMeta meta;
};

Status RunRevoke(const RevokeOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  app::RevokeIdentificationRequest req;
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  req.proposal = opt.proposal;
  WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt.date, "--date"));
  WB_ASSIGN_OR_RETURN(const app::IdentificationRevocation r,
                      app::RevokeIdentification(*reg.registry, req));
  fmt::print("identification of proposal {} revoked by {}: the case of person {} is open again\n",
             r.proposal, r.revoked_by, r.person.value);
  return {};
}

// The API's shape (io::ProposalJson, with the genetic evidence), the id under "proposal" as this
// command has always written it.
nlohmann::json ProposalJson(const IdentificationProposal& p) {
  nlohmann::json j = io::ProposalJson(p, /*genetic=*/true);
  j["proposal"] = j["id"];
  j.erase("id");
  return j;
}

Status RunList(const ListOptions& opt) {
  app::ListProposalsRequest req;
  WB_ASSIGN_OR_RETURN(req.as_of, ParseAsOf(opt.as_of));
  if (!opt.status.empty()) {
    WB_ASSIGN_OR_RETURN(req.status, registry::ParseProposalStatus(opt.status));
  }
  if (opt.person > 0) req.person = registry::PersonId{opt.person};
  req.awaiting_sign_off = opt.awaiting_sign_off;
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const std::vector<IdentificationProposal> proposals,
                      app::ListProposals(*reg.registry, req));
  nlohmann::json all = nlohmann::json::array();
  for (const IdentificationProposal& p : proposals) {
    const int64_t id = p.id;
    if (opt.json) {
      all.push_back(ProposalJson(p));
      continue;
    }
    fmt::print("proposal {}: person {}, {}{}, date {}, site {}, remains {}", id, p.person.value,
               registry::Name(p.status), p.ambiguous ? " (ambiguous)" : "",
               p.date ? p.date->ToString() : "-", p.site > 0 ? std::to_string(p.site) : "-",
               p.remains.empty() ? "-" : p.remains);
    if (!p.lr.empty()) fmt::print(", LR {}, posterior {}", p.lr, p.posterior);
    if (!p.individual.empty()) fmt::print(", individual {}", p.individual);
    if (!p.run.empty()) fmt::print(", run {}", p.run.substr(0, 12));
    fmt::print("; proposed {} by {}", p.proposed_on.ToString(), p.proposed_by);
    if (p.decided_on) {
      const ProposalStatus decided =
          p.status == ProposalStatus::kRevoked ? ProposalStatus::kConfirmed : p.status;
      fmt::print("; {} {} by {}", registry::Name(decided), p.decided_on->ToString(), p.decided_by);
    }
    if (p.revoked_on) {
      fmt::print("; revoked {} by {} ({})", p.revoked_on->ToString(), p.revoked_by,
                 p.revocation_reason);
    }
    if (p.signed_off_on) {
      fmt::print("; signed off {} by {}", p.signed_off_on->ToString(), p.signed_off_by);
    } else if (p.AwaitingSignOff()) {
      fmt::print("; awaiting sign-off");
    }
    fmt::print("\n");
    if (p.ambiguous) fmt::print("  candidates: {}\n", p.candidates);
    if (!p.site_note.empty()) fmt::print("  site: {}\n", p.site_note);
  }
  if (opt.json) std::cout << all.dump(2) << "\n";
  return {};
}

// --by and --reason are required: a decision names who took it and why.
void RequireWhoAndWhy(CLI::App* cmd) {
  cmd->get_option("--by")->required();
  cmd->get_option("--reason")->required();
}

}  // namespace

void RegisterIdentification(CLI::App& root, int& exit_code) {
  CLI::App* ident = root.add_subcommand(
      "identification",
      "the human decision on identifications: propose, confirm, reject, sign off, list proposals");
  ident->require_subcommand(1);
  {
    auto opt = std::make_shared<ProposeOptions>();
    CLI::App* cmd = ident->add_subcommand(
        "propose", "propose an identification by hand (it waits for a confirmation)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("person", opt->person, "register id of the person")->required();
    cmd->add_option("--date", opt->date, "date of the identification (default: recording date)");
    cmd->add_option("--site", opt->site, "register site id the remains came from");
    cmd->add_option("--remains", opt->remains, "remains labels, '|'-separated");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt] { return RunPropose(*opt); });
  }
  for (const bool confirm : {true, false}) {
    auto opt = std::make_shared<DecideOptions>();
    CLI::App* cmd = ident->add_subcommand(
        confirm ? "confirm" : "reject",
        confirm ? "confirm a proposal: the person becomes identified (--by and --reason required)"
                : "reject a proposal: the person's case stays as it is (--by and --reason "
                  "required)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("proposal", opt->proposal, "proposal id (identification list)")->required();
    if (confirm) {
      cmd->add_flag("--ambiguity-resolved", opt->ambiguity_resolved,
                    "confirm an ambiguous proposal: the reason names the evidence that resolves "
                    "it");
      cmd->add_flag("--override-sex-check", opt->override_sex_check,
                    "confirm although the individual's DNA shows Y and the person is registered "
                    "female: the reason says why (recorded with the confirmation)");
    }
    AddEventMetaOptions(cmd, &opt->meta);
    RequireWhoAndWhy(cmd);
    SetCallback(cmd, exit_code, [opt, confirm] { return RunDecide(*opt, confirm); });
  }
  {
    auto opt = std::make_shared<DecideOptions>();
    CLI::App* cmd = ident->add_subcommand(
        "sign-off",
        "sign off a confirmed proposal (four-eyes rule: not by who proposed or confirmed it); "
        "then the family may be notified (--by and --reason required)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("proposal", opt->proposal, "proposal id (identification list)")->required();
    AddEventMetaOptions(cmd, &opt->meta);
    RequireWhoAndWhy(cmd);
    SetCallback(cmd, exit_code, [opt] { return RunSignOff(*opt); });
  }
  {
    auto opt = std::make_shared<RevokeOptions>();
    CLI::App* cmd = ident->add_subcommand(
        "revoke",
        "revoke a confirmed identification that proved wrong: the person's case is open again "
        "(--by and --reason required)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("proposal", opt->proposal, "proposal id of the confirmed identification")
        ->required();
    cmd->add_option("--date", opt->date, "date of the revocation (default: the recording date)");
    AddEventMetaOptions(cmd, &opt->meta);
    RequireWhoAndWhy(cmd);
    SetCallback(cmd, exit_code, [opt] { return RunRevoke(*opt); });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = ident->add_subcommand("list", "identification proposals and their decisions");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--status", opt->status, "only proposed, confirmed, rejected or revoked ones");
    cmd->add_option("--person", opt->person, "only this person's");
    cmd->add_flag("--awaiting-sign-off", opt->awaiting_sign_off,
                  "only confirmed ones not yet signed off");
    cmd->add_option("--as-of", opt->as_of, "as the register stood on this date (YYYY-MM-DD)");
    cmd->add_flag("--json", opt->json, "print JSON");
    SetCallback(cmd, exit_code, [opt] { return RunList(*opt); });
  }
}

}  // namespace whereabouts::cli
