// `whereabouts site add|list|show|excavate|hazards|hazard-status|export`: sites where remains are
// or may be, and mine-hazard areas; a site inside an uncleared hazard area is flagged and its
// excavation refused with the reason. Options in, the use cases of app/sites.h called, results
// printed.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "app/sites.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/atomic_file.h"
#include "io/registry_json.h"
#include "registry/payload.h"
#include "store/geos_geometry.h"

namespace whereabouts::cli {
namespace {

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

struct ExportOptions {
  std::string db, as_of, geojson;
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
    cmd->add_option("--lon", opt->lon, "longitude (WGS84)")
        ->required()
        ->check(CLI::Range(-180.0, 180.0));
    cmd->add_option("--lat", opt->lat, "latitude (WGS84)")
        ->required()
        ->check(CLI::Range(-90.0, 90.0));
    cmd->add_option("--village", opt->village, "nearest village");
    cmd->add_option("--district", opt->district, "district");
    cmd->add_option("--discovered", opt->discovered, "discovery date YYYY-MM-DD");
    cmd->add_option("--findings", opt->findings, "what was found");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, true));
      app::AddSiteRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.name = opt->name;
      req.site_kind = opt->kind;
      req.location = {opt->lon, opt->lat};
      req.village = opt->village;
      req.district = opt->district;
      WB_ASSIGN_OR_RETURN(req.discovered_on,
                          registry::ParseDateField(opt->discovered, "--discovered"));
      req.findings = opt->findings;
      WB_ASSIGN_OR_RETURN(const app::AddSiteResult added, app::AddSite(*reg.registry, req));
      std::cout << "registered site " << added.id << "\n";
      // A warning only: the site is recorded whether or not it is flagged.
      const std::string text = FlagText(added.flags, added.id);
      if (!text.empty()) std::cout << "warning: " << text << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd =
        site->add_subcommand("list", "sites, flagged when in or near an uncleared hazard");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    cmd->add_option("--near", opt->near_m, "flag sites within this many metres of a hazard area")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
      WB_ASSIGN_OR_RETURN(const app::SiteList list, app::ListSites(*reg.registry, as_of, opt->near_m));
      fmt::print("{:>4}  {:<30} {:<10} {:<11} {:<11} {:<10} {:>4}  {}\n", "id", "name", "kind",
                 "lon", "lat", "found", "exc.", "hazard");
      for (const auto& [id, s] : list.sites) {
        fmt::print("{:>4}  {:<30} {:<10} {:<11.6f} {:<11.6f} {:<10} {:>4}  {}\n", id, s.name,
                   s.site_kind, s.location.lon, s.location.lat,
                   s.discovered_on ? s.discovered_on->ToString() : "", s.excavations,
                   FlagText(list.flags, id));
      }
      fmt::print("{} sites; geometry by {}\n", list.sites.size(),
                 store::HaveGeos() ? "GEOS" : "the planar fallback");
      return {};
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
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::ExcavateSiteRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.site = opt->id;
      WB_ASSIGN_OR_RETURN(const std::optional<registry::Date> date,
                          registry::ParseDateField(opt->date, "--date"));
      if (!date) return MakeError(ErrorCode::kInvalidArgument, "a date is required", "--date");
      req.date = *date;
      req.team = opt->team;
      req.findings = opt->findings;
      WB_RETURN_IF_ERROR(app::ExcavateSite(*reg.registry, req));
      std::cout << "recorded the excavation of site " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = site->add_subcommand("hazards", "mine-hazard areas and their status");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
      WB_ASSIGN_OR_RETURN(const auto hazards, app::ListHazards(*reg.registry, as_of));
      for (const auto& [id, h] : hazards) {
        size_t points = 0;
        for (const auto& p : h.polygons) points += p.outer.size();
        fmt::print("{:>4}  {:<30} {:<10} {} polygon(s), {} points, since {}\n", id, h.name,
                   Name(h.status), h.polygons.size(), points, h.last_event_on.ToString());
      }
      return {};
    });
  }
  {
    auto opt = std::make_shared<ExportOptions>();
    CLI::App* cmd = site->add_subcommand(
        "export",
        "write the sites (with their hazard flags and persons identified) and the hazard areas "
        "as GeoJSON, for QGIS or a GPS");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--geojson", opt->geojson, "GeoJSON file to write (a FeatureCollection)")
        ->required();
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    cmd->add_option("--near", opt->near_m, "flag sites within this many metres of a hazard area")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
      WB_ASSIGN_OR_RETURN(const app::SiteMap map,
                          app::LoadSiteMap(*reg.registry, as_of, opt->near_m));
      const std::string text =
          io::SitesGeoJson(map.sites, map.flags, map.identified, map.hazards).dump(1) + "\n";
      WB_ASSIGN_OR_RETURN(io::AtomicFile file, io::AtomicFile::Create(opt->geojson));
      WB_RETURN_IF_ERROR(file.Write(text));
      WB_RETURN_IF_ERROR(file.Commit());
      int identified = 0;
      for (const auto& [site, n] : map.identified) identified += n;
      fmt::print("wrote {}: {} sites ({} persons identified from them), {} hazard areas\n",
                 opt->geojson, map.sites.size(), identified, map.hazards.size());
      return {};
    });
  }
  {
    auto opt = std::make_shared<HazardStatusOptions>();
    CLI::App* cmd = site->add_subcommand("hazard-status", "record a hazard area's new status");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "hazard area id")->required();
    cmd->add_option("status", opt->status, "suspected, confirmed or cleared")->required();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::ChangeHazardStatusRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.hazard = opt->id;
      WB_ASSIGN_OR_RETURN(req.status, registry::ParseHazardStatus(opt->status));
      WB_RETURN_IF_ERROR(app::ChangeHazardStatus(*reg.registry, req));
      std::cout << "hazard area " << opt->id << " is now " << opt->status << "\n";
      return {};
    });
  }
}

}  // namespace whereabouts::cli
