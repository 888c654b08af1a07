// `whereabouts user add|disable|password|list|restrict` and `user token add|revoke|list`: the
// accounts of the server's users, their API tokens and the cases restricted to named staff. Every
// change is audited (address "cli", actor --by or cli:$USER). Passwords come from standard input,
// never from an option (options show in `ps` and shell histories).
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>

#include "app/accounts.h"
#include "cli/access_common.h"
#include "cli/commands.h"

namespace whereabouts::cli {
namespace {

struct UserOptions {
  std::string db, name, role, by, token_name, staff;
  std::vector<std::string> scopes;
  int64_t id = 0;
};

std::vector<std::string> SplitStaff(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

void RegisterUser(CLI::App& root, int& exit_code) {
  CLI::App* user = root.add_subcommand("user",
                                       "accounts of the server, API tokens, restricted "
                                       "cases");
  user->require_subcommand(1);
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = user->add_subcommand(
        "add", "add an account (its password: one line on standard input, or asked twice)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("name", opt->name, "account name (a-z 0-9 . _ -)")->required();
    cmd->add_option("--role", opt->role,
                    "administrator, case_officer, dna_analyst, field_team, family_liaison, "
                    "statistics or auditor")
        ->required();
    AddByOption(cmd, &opt->by);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      app::AddAccountRequest req;
      req.origin = CliOrigin(opt->by);
      req.name = opt->name;
      WB_ASSIGN_OR_RETURN(req.role, app::ParseRole(opt->role));
      WB_RETURN_IF_ERROR(app::CheckAccountName(req.name));
      WB_ASSIGN_OR_RETURN(req.password, ReadPassword());
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, true));
      WB_ASSIGN_OR_RETURN(const app::Account added, app::AddAccount(a.ctx(), req));
      std::cout << "added account " << added.name << " (" << app::Name(added.role) << ")\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = user->add_subcommand("disable", "disable an account and end its sessions");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("name", opt->name, "account name")->required();
    AddByOption(cmd, &opt->by);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_RETURN_IF_ERROR(app::DisableAccount(a.ctx(), CliOrigin(opt->by), opt->name));
      std::cout << "disabled account " << opt->name << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = user->add_subcommand(
        "password", "set an account's password (standard input), clear a lockout, end sessions");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("name", opt->name, "account name")->required();
    AddByOption(cmd, &opt->by);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_ASSIGN_OR_RETURN(const std::string password, ReadPassword());
      WB_RETURN_IF_ERROR(app::SetPassword(a.ctx(), CliOrigin(opt->by), opt->name, password));
      std::cout << "set the password of account " << opt->name << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = user->add_subcommand("list", "accounts: name, role, disabled, locked, created");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_ASSIGN_OR_RETURN(const std::vector<app::Account> accounts, app::ListAccounts(*a.access));
      const int64_t now = a.clock->NowSeconds();
      std::cout << "name\trole\tdisabled\tlocked\tcreated\n";
      for (const app::Account& x : accounts) {
        std::cout << x.name << "\t" << app::Name(x.role) << "\t" << (x.disabled ? "yes" : "no")
                  << "\t" << (x.locked_until > now ? "until " + UtcTime(x.locked_until) : "no")
                  << "\t" << UtcTime(x.created_at) << "\n";
      }
      return {};
    });
  }
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = user->add_subcommand(
        "restrict", "restrict a person's case to named staff (and administrators)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("person", opt->id, "person id")->required();
    cmd->add_option("--staff", opt->staff,
                    "comma-separated account names; \"\" lifts the restriction")
        ->required();
    AddByOption(cmd, &opt->by);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      const std::vector<std::string> staff = SplitStaff(opt->staff);
      WB_RETURN_IF_ERROR(app::RestrictCase(a.ctx(), CliOrigin(opt->by), opt->id, staff));
      if (staff.empty()) {
        std::cout << "lifted the restriction of person " << opt->id << "\n";
      } else {
        std::string names;
        for (const std::string& s : staff) names += (names.empty() ? "" : ", ") + s;
        std::cout << "restricted person " << opt->id << " to " << names << "\n";
      }
      return {};
    });
  }
  CLI::App* token = user->add_subcommand("token", "API tokens of accounts");
  token->require_subcommand(1);
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = token->add_subcommand("add", "create an API token (its secret is shown once)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("account", opt->name, "the account it acts as")->required();
    cmd->add_option("--name", opt->token_name, "what it is for (e.g. lab-upload)")->required();
    cmd->add_option("--scope", opt->scopes, "a permission it is given (repeatable)")->required();
    AddByOption(cmd, &opt->by);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      std::vector<app::Permission> scopes;
      for (const std::string& s : opt->scopes) {
        WB_ASSIGN_OR_RETURN(const app::Permission p, app::ParsePermission(s));
        scopes.push_back(p);
      }
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_ASSIGN_OR_RETURN(
          const app::NewApiToken t,
          app::CreateApiToken(a.ctx(), CliOrigin(opt->by), opt->name, opt->token_name, scopes));
      std::cerr << "API token " << t.id << " for " << opt->name
                << ": the secret below is shown only now; keep it safe\n";
      std::cout << t.secret << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = token->add_subcommand("revoke", "revoke an API token");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "token id")->required();
    AddByOption(cmd, &opt->by);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_RETURN_IF_ERROR(app::RevokeApiToken(a.ctx(), CliOrigin(opt->by), opt->id));
      std::cout << "revoked API token " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<UserOptions>();
    CLI::App* cmd = token->add_subcommand("list", "API tokens (never their secrets)");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_ASSIGN_OR_RETURN(const std::vector<app::Account> accounts, a.access->Accounts());
      std::map<int64_t, std::string> names;
      for (const app::Account& x : accounts) names[x.id] = x.name;
      WB_ASSIGN_OR_RETURN(const std::vector<app::ApiTokenRecord> tokens, a.access->Tokens());
      std::cout << "id\taccount\tname\tscopes\tcreated\trevoked\n";
      for (const app::ApiTokenRecord& t : tokens) {
        std::string scopes;
        for (app::Permission p : t.scopes)
          scopes += (scopes.empty() ? "" : ",") + std::string(app::Name(p));
        std::cout << t.id << "\t" << names[t.account] << "\t" << t.name << "\t" << scopes << "\t"
                  << UtcTime(t.created_at) << "\t" << (t.revoked ? "yes" : "no") << "\n";
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
