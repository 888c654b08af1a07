// `whereabouts remains add|list|show|sample` and `whereabouts custody transfer|history`: remains
// (bags, bodies, body parts) and their chain of custody. A transfer from someone who does not
// hold the item is refused.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/registry_common.h"

namespace whereabouts::cli {
namespace {

using registry::Event;

struct AddOptions {
  std::string db, label, kind = "bag", recovered, holder;
  int64_t site = 0;
  bool commingled = false;
  EventMeta meta;
};

struct ListOptions {
  std::string db, as_of;
  int64_t id = 0;
};

struct TransferOptions {
  std::string db, from, to, date, sample;
  int64_t id = 0;
  EventMeta meta;
};

}  // namespace

void RegisterRemains(CLI::App& root, int& exit_code) {
  CLI::App* remains = root.add_subcommand("remains", "remains: bags, bodies, body parts");
  remains->require_subcommand(1);
  {
    auto opt = std::make_shared<AddOptions>();
    CLI::App* cmd = remains->add_subcommand("add", "record recovered remains");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--label", opt->label, "the label on the bag or body")->required();
    cmd->add_option("--kind", opt->kind, "bag, body or body_part")->capture_default_str();
    cmd->add_option("--site", opt->site, "site id where they were recovered");
    cmd->add_option("--recovered", opt->recovered, "recovery date YYYY-MM-DD");
    cmd->add_option("--holder", opt->holder, "who holds them now")->required();
    cmd->add_flag("--commingled", opt->commingled, "the bag holds remains of several persons");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      auto fill = [&](Event& e) -> Status {
        e.payload["label"] = opt->label;
        e.payload["remains_kind"] = opt->kind;
        if (opt->site) e.payload["site"] = std::to_string(opt->site);
        if (!opt->recovered.empty()) e.payload["recovered_on"] = opt->recovered;
        e.payload["holder"] = opt->holder;
        e.payload["commingled"] = opt->commingled ? "1" : "0";
        return {};
      };
      WB_ASSIGN_OR_RETURN(const Event stored,
                          RecordEvent(opt->db, /*create=*/true, opt->meta,
                                      {registry::EntityKind::kRemains, "remains.recovered"}, fill));
      std::cout << "recorded remains " << stored.entity_id << " (" << opt->label << "), held by "
                << opt->holder << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = remains->add_subcommand("list", "remains and who holds them");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, LoadSnapshot(opt->db, opt->as_of));
      fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", "id", "label", "kind", "site",
                 "recovered", "commingled", "holder");
      for (const auto& [id, r] : snap.remains) {
        fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", id, r.label, r.remains_kind,
                   r.site_id ? std::to_string(r.site_id) : "-",
                   r.recovered_on ? r.recovered_on->ToString() : "", r.commingled ? "yes" : "no",
                   r.holder);
      }
      fmt::print("{} remains\n", snap.remains.size());
      return {};
    });
  }
  {
    auto opt = std::make_shared<TransferOptions>();
    CLI::App* cmd = remains->add_subcommand("sample", "record a sample taken from remains");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--sample", opt->sample, "sample id")->required();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_RETURN_IF_ERROR(RecordEvent(opt->db, /*create=*/false, opt->meta,
                                     {registry::EntityKind::kRemains, "remains.sampled", opt->id},
                                     [&](Event& e) -> Status {
                                       e.payload["sample"] = opt->sample;
                                       return {};
                                     }));
      std::cout << "recorded sample " << opt->sample << " of remains " << opt->id << "\n";
      return {};
    });
  }
}

void RegisterCustody(CLI::App& root, int& exit_code) {
  CLI::App* custody = root.add_subcommand("custody", "chain of custody of remains");
  custody->require_subcommand(1);
  {
    auto opt = std::make_shared<TransferOptions>();
    CLI::App* cmd =
        custody->add_subcommand("transfer", "hand remains over (refused unless --from holds them)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--from", opt->from, "who hands them over (must hold them)")->required();
    cmd->add_option("--to", opt->to, "who receives them")->required();
    cmd->add_option("--date", opt->date, "date of the handover (default: the recording date)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_RETURN_IF_ERROR(RecordEvent(
          opt->db, /*create=*/false, opt->meta,
          {registry::EntityKind::kRemains, "remains.transferred", opt->id},
          [&](Event& e) -> Status {
            e.payload["from"] = opt->from;
            e.payload["to"] = opt->to;
            e.payload["date"] = opt->date.empty() ? e.recorded_on.ToString() : opt->date;
            return {};
          }));
      std::cout << "remains " << opt->id << " handed from " << opt->from << " to " << opt->to
                << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = custody->add_subcommand("history", "the chain of custody of one item");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      registry::EventQuery q;
      q.kind = registry::EntityKind::kRemains;
      q.entity_id = opt->id;
      WB_ASSIGN_OR_RETURN(const std::vector<Event> events, reg.store->Events(q));
      if (events.empty()) {
        return MakeError(ErrorCode::kNotFound, "no remains " + std::to_string(opt->id));
      }
      for (const auto& e : events) {
        if (e.type == "remains.recovered") {
          fmt::print("{}  recovered ({}), held by {}\n", e.recorded_on.ToString(), e.Get("label"),
                     e.Get("holder"));
        } else if (e.type == "remains.transferred") {
          fmt::print("{}  {} -> {} (recorded by {})\n", e.Get("date"), e.Get("from"), e.Get("to"),
                     e.actor);
        } else if (e.type == "remains.sampled") {
          fmt::print("{}  sample {} taken\n", e.recorded_on.ToString(), e.Get("sample"));
        }
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
