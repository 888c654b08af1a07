// `whereabouts audit list|verify`: the audit trail (who did what, when, to which records, from
// where, with what outcome) and the check of its hash chain against the register's event chain.
#include <iostream>
#include <memory>

#include "app/audit.h"
#include "cli/access_common.h"
#include "cli/commands.h"

namespace whereabouts::cli {
namespace {

struct AuditOptions {
  std::string db;
  int64_t from = 1;
  size_t limit = 100;
};

}  // namespace

void RegisterAudit(CLI::App& root, int& exit_code) {
  CLI::App* audit = root.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  {
    auto opt = std::make_shared<AuditOptions>();
    CLI::App* cmd = audit->add_subcommand("list", "records of the audit trail, oldest first");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--from", opt->from, "the first record's seq")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--limit", opt->limit, "at most this many records (1..1000)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_ASSIGN_OR_RETURN(const std::vector<app::AuditRecord> records,
                          app::ListAudit(*a.access, opt->from, opt->limit));
      std::cout << "seq\tat\tactor\taction\trecords\taddress\toutcome\n";
      for (const app::AuditRecord& r : records) {
        std::cout << r.seq << "\t" << UtcTime(r.at) << "\t" << r.actor << "\t" << r.action << "\t"
                  << r.records << "\t" << r.address << "\t" << r.outcome << "\n";
      }
      return {};
    });
  }
  {
    auto opt = std::make_shared<AuditOptions>();
    CLI::App* cmd = audit->add_subcommand(
        "verify", "check the audit trail's chain and its links to the register's events");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt, &exit_code]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(opt->db, false));
      WB_ASSIGN_OR_RETURN(const app::AuditCheck check, app::VerifyAudit(a.ctx()));
      if (check.ok) {
        std::cout << "audit trail: " << check.records << " records, intact\n";
      } else {
        std::cout << "audit trail: " << check.records << " records; " << check.problem << "\n";
        exit_code = kExitFailure;
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
