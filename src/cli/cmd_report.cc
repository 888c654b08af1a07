// `whereabouts report figures [--as-of DATE]`: the register's figures as a table, CSV or JSON,
// with every breakdown checked to add up; `--show CELL` lists the records behind a cell; `--pdf
// FILE` writes the figures report as PDF. The documents (certificates, letters):
// report_documents.cc.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/reports.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "cli/report_documents.h"
#include "io/delimited.h"
#include "io/registry_json.h"

namespace whereabouts::cli {
namespace {

std::string Thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

struct FiguresOptions {
  std::string db;
  std::string as_of;
  std::string format = "table";
  std::string show;
  std::string pdf;
  std::string lang = "en";
  int child_below = 18;
  int elderly_from = 60;
};

std::string When(const FiguresOptions& opt) {
  return opt.as_of.empty() ? "now" : "as of " + opt.as_of;
}

// The last event the figures were computed from: anyone can recompute them from the events up
// to it, and `report chain` shows that the history up to it is unchanged.
std::string ComputedFrom(const registry::ChainHead& head) {
  return head.seq == 0 ? std::string("an empty register")
                       : fmt::format("event #{} (recorded {}, chain hash {})", head.seq,
                                     head.recorded_on.ToString(), head.hash);
}

// The use case's errors in the words of this command's options.
Error InOptionTerms(Error e) {
  if (e.field == "age_limits") {
    return Error{e.code, "age limits must satisfy 0 < --child-below < --elderly-from", ""};
  }
  if (e.field == "cell" && e.code == ErrorCode::kNotFound) {
    return Error{e.code, e.message + " (see the keys in --format csv)", "--show"};
  }
  return e;
}

// The records behind one cell, as a table, CSV or JSON.
void PrintCell(const FiguresOptions& opt, const app::CellRecords& cell) {
  const registry::FigureRow* row = &cell.row;
  if (opt.format == "json") {
    nlohmann::json j = {{"cell", row->key},
                        {"label", row->label},
                        {"value", row->value},
                        {"entity", row->entity},
                        {"ids", row->ids}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (opt.format == "csv") {
    std::cout << (row->entity == "person" ? "id,name,affiliation,sex,status\n"
                                          : "id,label,kind,site,recovered_on,holder\n");
  } else {
    fmt::print("{} ({}), {}: {} records (computed from {})\n", row->label, row->key, When(opt),
               Thousands(row->value), ComputedFrom(cell.head));
  }
  for (const registry::Person& p : cell.persons) {
    const int64_t id = p.id.value;
    if (opt.format == "csv") {
      std::cout << id << ',' << io::SafeCsvCell(p.FullName()) << ',' << Name(p.affiliation) << ','
                << Name(p.sex) << ',' << Name(p.status) << "\n";
    } else {
      fmt::print("{:>7}  {:<36} {:<10} {:<7} {}\n", id, p.FullName(), Name(p.affiliation),
                 Name(p.sex), Name(p.status));
    }
  }
  for (const registry::Remains& r : cell.remains) {
    const int64_t id = r.id;
    const std::string rec = r.recovered_on ? r.recovered_on->ToString() : "";
    if (opt.format == "csv") {
      std::cout << id << ',' << io::SafeCsvCell(r.label) << ',' << io::SafeCsvCell(r.remains_kind)
                << ',' << r.site_id << ',' << rec << ',' << io::SafeCsvCell(r.holder) << "\n";
    } else {
      fmt::print("{:>7}  {:<12} {:<9} site {:<3} {} held by {}\n", id, r.label, r.remains_kind,
                 r.site_id, rec, r.holder);
    }
  }
}

// Prints the figures, or the records behind one cell. Returns the exit code of the completed run:
// kExitFailure when a breakdown does not add up, else kExitOk.
Result<int> RunFigures(const FiguresOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt.as_of));
  const registry::AgeLimits limits{opt.child_below, opt.elderly_from};
  if (!opt.show.empty()) {
    auto cell = app::RecordsBehindCell(*reg.registry, *reg.store, {as_of, limits, opt.show});
    if (!cell) return tl::unexpected(InOptionTerms(cell.error()));
    PrintCell(opt, *cell);
    return kExitOk;
  }
  auto report = app::ComputeFigures(*reg.registry, {as_of, limits});
  if (!report) return tl::unexpected(InOptionTerms(report.error()));
  const registry::Figures& f = report->figures;
  if (!opt.pdf.empty()) {
    WB_RETURN_IF_ERROR(WriteFiguresPdf(*report, opt.lang, opt.pdf));
    fmt::print("wrote the figures report {} to {} (computed from {})\n", When(opt), opt.pdf,
               ComputedFrom(report->head));
    return f.AllAddUp() ? kExitOk : kExitFailure;
  }
  const std::string when = When(opt);
  const std::string computed_from = ComputedFrom(report->head);

  if (opt.format == "json") {
    const nlohmann::json j = io::FiguresJson(f, report->head);
    std::cout << j.dump(2) << "\n";
  } else if (opt.format == "csv") {
    std::cout << "key,label,value\n";
    for (const auto& r : f.rows) {
      std::cout << r.key << ',' << io::SafeCsvCell(r.label) << ',' << r.value << "\n";
    }
  } else {
    fmt::print("Figures of the register {} (child: under {}, elderly: {} and over)\n\n", when,
               limits.child_below, limits.elderly_from);
    for (const auto& r : f.rows) {
      const std::string label = std::string(static_cast<size_t>(r.depth) * 2, ' ') + r.label;
      fmt::print("{:<58} {:>8}   {}\n", label, Thousands(r.value), r.key);
    }
    int bad = 0;
    for (const auto& c : f.checks) {
      if (!c.Ok()) {
        ++bad;
        fmt::print("CHECK FAILED: {} = {} but its parts add up to {}\n", c.parent,
                   Thousands(c.whole), Thousands(c.sum));
      }
    }
    fmt::print("\n{} of {} breakdowns add up. Records behind a cell: --show KEY\n",
               f.checks.size() - static_cast<size_t>(bad), f.checks.size());
    fmt::print("Computed from {}.\n", computed_from);
  }
  return f.AllAddUp() ? kExitOk : kExitFailure;
}

}  // namespace

void RegisterReport(CLI::App& root, int& exit_code) {
  CLI::App* report = root.add_subcommand("report", "reports of the register");
  report->require_subcommand(1);
  auto opt = std::make_shared<FiguresOptions>();
  CLI::App* cmd = report->add_subcommand(
      "figures", "figures as of a date, with every breakdown checked to add up");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--as-of", opt->as_of, "as the register had it on this date (YYYY-MM-DD)");
  cmd->add_option("--format", opt->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("--show", opt->show,
                  "list the records behind this cell (a key, e.g. captured.serviceman)");
  cmd->add_option("--pdf", opt->pdf,
                  "write the figures report (every breakdown, charts, definitions) as PDF to "
                  "this file")
      ->excludes("--show");
  cmd->add_option("--lang", opt->lang, "the PDF template's language (data/templates)")
      ->capture_default_str();
  cmd->add_option("--child-below", opt->child_below, "age limit of children")
      ->capture_default_str()
      ->check(CLI::Range(1, 150));
  cmd->add_option("--elderly-from", opt->elderly_from, "age limit of the elderly")
      ->capture_default_str()
      ->check(CLI::Range(1, 150));
  SetCallback(cmd, exit_code, [opt, &exit_code]() -> Status {
    WB_ASSIGN_OR_RETURN(exit_code, RunFigures(*opt));
    return {};
  });

  AddDocumentCommands(report, exit_code);

  auto chain_db = std::make_shared<std::string>();
  CLI::App* chain = report->add_subcommand(
      "chain",
      "recompute the event chain from the first event: shows that no recorded event was changed, "
      "removed or inserted, and prints the head to quote with a report");
  AddDbOption(chain, chain_db.get());
  SetCallback(chain, exit_code, [chain_db, &exit_code]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(*chain_db, false));
    auto check = app::VerifyChain(*reg.registry);
    if (!check || !check->intact) {
      PrintError(check ? check->problem : check.error().ToString());
      exit_code = kExitFailure;  // the check ran and found the history changed, or failed
      return {};
    }
    const registry::ChainHead& head = check->head;
    if (head.seq == 0) {
      fmt::print("the register is empty\n");
    } else {
      fmt::print("the event chain is intact: {} events, head event #{} recorded {}, hash {}\n",
                 head.seq, head.seq, head.recorded_on.ToString(), head.hash);
    }
    return {};
  });
}

}  // namespace whereabouts::cli
