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
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, true);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Event e;
      e.kind = registry::EntityKind::kRemains;
      e.type = "remains.recovered";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      e.payload["label"] = opt->label;
      e.payload["remains_kind"] = opt->kind;
      if (opt->site) e.payload["site"] = std::to_string(opt->site);
      if (!opt->recovered.empty()) e.payload["recovered_on"] = opt->recovered;
      e.payload["holder"] = opt->holder;
      e.payload["commingled"] = opt->commingled ? "1" : "0";
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "recorded remains " << stored->entity_id << " (" << opt->label << "), held by "
                << opt->holder << "\n";
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = remains->add_subcommand("list", "remains and who holds them");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      auto as_of = ParseAsOf(opt->as_of);
      if (!as_of) {
        exit_code = Fail(as_of.error());
        return;
      }
      auto snap = reg->registry->LoadSnapshot(*as_of);
      if (!snap) {
        exit_code = Fail(snap.error());
        return;
      }
      fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", "id", "label", "kind", "site",
                 "recovered", "commingled", "holder");
      for (const auto& [id, r] : snap->remains) {
        fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", id, r.label, r.remains_kind,
                   r.site_id ? std::to_string(r.site_id) : "-",
                   r.recovered_on ? r.recovered_on->ToString() : "", r.commingled ? "yes" : "no",
                   r.holder);
      }
      fmt::print("{} remains\n", snap->remains.size());
    });
  }
  {
    auto opt = std::make_shared<TransferOptions>();
    CLI::App* cmd = remains->add_subcommand("sample", "record a sample taken from remains");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--sample", opt->sample, "sample id")->required();
    AddEventMetaOptions(cmd, &opt->meta);
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Event e;
      e.kind = registry::EntityKind::kRemains;
      e.entity_id = opt->id;
      e.type = "remains.sampled";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      e.payload["sample"] = opt->sample;
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "recorded sample " << opt->sample << " of remains " << opt->id << "\n";
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
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Event e;
      e.kind = registry::EntityKind::kRemains;
      e.entity_id = opt->id;
      e.type = "remains.transferred";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      e.payload["from"] = opt->from;
      e.payload["to"] = opt->to;
      e.payload["date"] = opt->date.empty() ? e.recorded_on.ToString() : opt->date;
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "remains " << opt->id << " handed from " << opt->from << " to " << opt->to
                << "\n";
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = custody->add_subcommand("history", "the chain of custody of one item");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      registry::EventQuery q;
      q.kind = registry::EntityKind::kRemains;
      q.entity_id = opt->id;
      auto events = reg->store->Events(q);
      if (!events) {
        exit_code = Fail(events.error());
        return;
      }
      if (events->empty()) {
        exit_code = Fail(Error{ErrorCode::kNotFound, "no remains " + std::to_string(opt->id), ""});
        return;
      }
      for (const auto& e : *events) {
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
    });
  }
}

}  // namespace whereabouts::cli
