// `whereabouts site add|list|show|excavate|hazards|hazard-status`: sites where remains are or may
// be, and mine-hazard areas; a site inside an uncleared hazard area is flagged and its excavation
// refused with the reason.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "store/geos_geometry.h"

namespace whereabouts::cli {
namespace {

using registry::Event;

std::string FlagText(const std::vector<registry::SiteHazardFlag>& flags, int64_t site) {
  std::string out;
  for (const auto& f : flags) {
    if (f.site_id != site) continue;
    if (!out.empty()) out += "; ";
    out += f.inside ? fmt::format("INSIDE hazard {} ({})", f.hazard_id, Name(f.status))
                    : fmt::format("{:.0f} m from hazard {} ({})", f.distance_m, f.hazard_id,
                                  Name(f.status));
  }
  return out;
}

struct AddOptions {
  std::string db, name, kind = "mass_grave", village, district, discovered, findings;
  double lon = 0, lat = 0;
  EventMeta meta;
};

struct ListOptions {
  std::string db, as_of;
  double near_m = 500;
};

struct ExcavateOptions {
  std::string db, date, team, findings;
  int64_t id = 0;
  EventMeta meta;
};

struct HazardStatusOptions {
  std::string db, status;
  int64_t id = 0;
  EventMeta meta;
};

}  // namespace

void RegisterSite(CLI::App& root, int& exit_code) {
  CLI::App* site = root.add_subcommand("site", "sites (graves, caves, ...) and mine-hazard areas");
  site->require_subcommand(1);
  {
    auto opt = std::make_shared<AddOptions>();
    CLI::App* cmd = site->add_subcommand("add", "register a site");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--name", opt->name, "name of the site")->required();
    cmd->add_option("--kind", opt->kind, "mass_grave, grave, burial, cave, well, other")
        ->capture_default_str();
    cmd->add_option("--lon", opt->lon, "longitude (WGS84)")->required();
    cmd->add_option("--lat", opt->lat, "latitude (WGS84)")->required();
    cmd->add_option("--village", opt->village, "nearest village");
    cmd->add_option("--district", opt->district, "district");
    cmd->add_option("--discovered", opt->discovered, "discovery date YYYY-MM-DD");
    cmd->add_option("--findings", opt->findings, "what was found");
    AddEventMetaOptions(cmd, &opt->meta);
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, true);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Event e;
      e.kind = registry::EntityKind::kSite;
      e.type = "site.registered";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      e.payload["name"] = opt->name;
      e.payload["site_kind"] = opt->kind;
      e.payload["lon"] = fmt::format("{:.7f}", opt->lon);
      e.payload["lat"] = fmt::format("{:.7f}", opt->lat);
      if (!opt->village.empty()) e.payload["village"] = opt->village;
      if (!opt->district.empty()) e.payload["district"] = opt->district;
      if (!opt->discovered.empty()) e.payload["discovered_on"] = opt->discovered;
      if (!opt->findings.empty()) e.payload["findings"] = opt->findings;
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "registered site " << stored->entity_id << "\n";
      auto flags = reg->registry->SiteHazards(std::nullopt, 500);
      if (flags) {
        const std::string text = FlagText(*flags, stored->entity_id);
        if (!text.empty()) std::cout << "warning: " << text << "\n";
      }
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd =
        site->add_subcommand("list", "sites, flagged when in or near an uncleared hazard");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    cmd->add_option("--near", opt->near_m, "flag sites within this many metres of a hazard area")
        ->capture_default_str();
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
      auto flags = reg->registry->SiteHazards(*as_of, opt->near_m);
      if (!flags) {
        exit_code = Fail(flags.error());
        return;
      }
      fmt::print("{:>4}  {:<30} {:<10} {:<11} {:<11} {:<10} {:>4}  {}\n", "id", "name", "kind",
                 "lon", "lat", "found", "exc.", "hazard");
      for (const auto& [id, s] : snap->sites) {
        fmt::print("{:>4}  {:<30} {:<10} {:<11.6f} {:<11.6f} {:<10} {:>4}  {}\n", id, s.name,
                   s.site_kind, s.location.lon, s.location.lat,
                   s.discovered_on ? s.discovered_on->ToString() : "", s.excavations,
                   FlagText(*flags, id));
      }
      fmt::print("{} sites; geometry by {}\n", snap->sites.size(),
                 store::HaveGeos() ? "GEOS" : "the planar fallback");
    });
  }
  {
    auto opt = std::make_shared<ExcavateOptions>();
    CLI::App* cmd = site->add_subcommand(
        "excavate", "record an excavation (refused inside a hazard area that is not cleared)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "site id")->required();
    cmd->add_option("--date", opt->date, "excavation date YYYY-MM-DD")->required();
    cmd->add_option("--team", opt->team, "who excavates");
    cmd->add_option("--findings", opt->findings, "what was found");
    AddEventMetaOptions(cmd, &opt->meta);
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Event e;
      e.kind = registry::EntityKind::kSite;
      e.entity_id = opt->id;
      e.type = "site.excavated";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      e.payload["date"] = opt->date;
      if (!opt->team.empty()) e.payload["team"] = opt->team;
      if (!opt->findings.empty()) e.payload["findings"] = opt->findings;
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "recorded the excavation of site " << opt->id << "\n";
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = site->add_subcommand("hazards", "mine-hazard areas and their status");
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
      for (const auto& [id, h] : snap->hazards) {
        size_t points = 0;
        for (const auto& p : h.polygons) points += p.outer.size();
        fmt::print("{:>4}  {:<30} {:<10} {} polygon(s), {} points, since {}\n", id, h.name,
                   Name(h.status), h.polygons.size(), points, h.last_event_on.ToString());
      }
    });
  }
  {
    auto opt = std::make_shared<HazardStatusOptions>();
    CLI::App* cmd = site->add_subcommand("hazard-status", "record a hazard area's new status");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "hazard area id")->required();
    cmd->add_option("status", opt->status, "suspected, confirmed or cleared")->required();
    AddEventMetaOptions(cmd, &opt->meta);
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Event e;
      e.kind = registry::EntityKind::kHazard;
      e.entity_id = opt->id;
      e.type = "hazard.status_changed";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      e.payload["hazard_status"] = opt->status;
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "hazard area " << opt->id << " is now " << opt->status << "\n";
    });
  }
}

}  // namespace whereabouts::cli
