// `whereabouts remains add|list|show|sample|profile import|export` and `whereabouts custody
// transfer|history`: remains (bags, bodies, body parts) and their chain of custody. A transfer from
// someone who does not hold the item is refused. Options in, the use cases of app/remains.h
// called, results printed.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "app/remains.h"
#include "cli/cmf_options.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/allele_table.h"
#include "io/cmf.h"
#include "io/delimited.h"
#include "io/frequency_tsv.h"
#include "kinship/frequencies.h"
#include "registry/payload.h"

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

struct ProfileImportOptions {
  std::string db, file, cmf, frequencies;
  EventMeta meta;
  bool references = false;  // `reference profile import`: relatives' reference samples
};

struct ProfileExportOptions {
  std::string db, cmf;
  CmfHeaderOptions header;
};

// The specimens of a CMF file that the command does not take: reference specimens for `remains
// profile import`, remains specimens for `reference profile import`. Refused as a whole (nothing is
// imported), naming the first and the command that takes them.
Status RefuseOtherCmfSpecimens(const std::vector<const io::CmfSpecimen*>& others,
                               bool importing_references, const std::string& source) {
  if (others.empty()) return {};
  const io::CmfSpecimen& first = *others.front();
  return MakeError(ErrorCode::kFailedPrecondition,
                   std::to_string(others.size()) +
                       (importing_references ? " remains" : " reference") + " specimen" +
                       (others.size() == 1 ? "" : "s") + " (the first: " + first.id + ", " +
                       first.category + "): import them with whereabouts " +
                       (importing_references ? "remains" : "reference") + " profile import --cmf " +
                       source + "; nothing was imported",
                   source + ":" + std::to_string(first.line) + ": SPECIMEN/SPECIMENCATEGORY");
}

// The profiles and rows of a CMF file's specimens of one kind (remains, or relatives' reference
// samples with `references`); their register samples are the specimen ids. A specimen of the
// other kind refuses the file (RefuseOtherCmfSpecimens).
Status CmfProfilesOf(const std::string& path, bool references, app::ImportProfilesRequest& req,
                     std::vector<std::string>& warnings) {
  WB_ASSIGN_OR_RETURN(const io::CmfFile cmf, io::ReadCmf(path));
  std::vector<const io::CmfSpecimen*> others;
  for (const io::CmfSpecimen& s : cmf.specimens) {
    WB_ASSIGN_OR_RETURN(const io::CmfCategory* category, io::FindCmfCategory(s.category));
    if ((category->use == io::CmfUse::kReference) != references) {
      others.push_back(&s);
      continue;
    }
    kinship::Profile p = io::CmfProfile(s, &warnings);
    for (const io::CmfLocus& l : s.loci) {
      // Only the loci the profile uses are checked against the frequency database.
      if (l.name != "AMEL" && !p.markers.count(l.name)) continue;
      app::ProfileRow r;
      r.sample = s.id;
      r.marker = l.name;
      r.amelogenin = l.name == "AMEL";
      r.sample_where = path + ":" + std::to_string(s.line) + ": SPECIMEN/SPECIMENID";
      r.marker_where = path + ":" + std::to_string(l.line) + ": LOCUS/LOCUSNAME";
      req.rows.push_back(std::move(r));
    }
    req.profiles.push_back(std::move(p));
  }
  return RefuseOtherCmfSpecimens(others, references, path);
}

// `remains profile import`: reads the allele table (or CMF file) and the frequency database, and
// hands their contents to app::ImportProfiles (which checks every row and records the profiles in
// one batch). A sample the register does not have is refused with how to record it first.
// Warnings of the reader (GeneMapper exports, CMF loci not used) are printed with the result.
Status RunProfileImport(const ProfileImportOptions& opt) {
  if (opt.file.empty() == opt.cmf.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "give either an allele table or --cmf FILE (one of them)", "--cmf");
  }
  const std::string source = opt.cmf.empty() ? opt.file : opt.cmf;
  WB_ASSIGN_OR_RETURN(const app::WriteMeta meta, WriteMetaOf(opt.meta));
  app::ImportProfilesRequest req;
  req.meta = meta;
  req.source = source;
  std::vector<std::string> warnings;
  if (!opt.cmf.empty()) {
    WB_RETURN_IF_ERROR(CmfProfilesOf(opt.cmf, opt.references, req, warnings));
    if (req.meta.reason.empty()) req.meta.reason = "CMF file " + opt.cmf;
  } else {
    WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.file));
    WB_ASSIGN_OR_RETURN(io::AlleleTableFile table,
                        io::ParseAlleleTableWithWarnings(text, opt.file));
    // A sample whose runs disagree: all or nothing, as every other refusal of the import.
    if (!table.skipped.empty()) {
      Error e = table.skipped.front();
      e.message += "; nothing was imported";
      return tl::unexpected(std::move(e));
    }
    req.profiles = std::move(table.profiles);
    for (const auto& w : table.warnings) warnings.push_back(w.ToString());
    // Row by row, for the line numbers of the checks.
    WB_ASSIGN_OR_RETURN(const io::DelimitedTable t, io::DelimitedTable::Parse(text, opt.file));
    WB_ASSIGN_OR_RETURN(const int c_sample, t.RequireColumn("Sample Name"));
    WB_ASSIGN_OR_RETURN(const int c_marker, t.RequireColumn("Marker"));
    for (const auto& row : t.rows()) {
      app::ProfileRow r;
      r.sample = t.Cell(row, c_sample);
      r.marker = kinship::CanonicalMarkerName(t.Cell(row, c_marker));
      r.amelogenin = io::IsAmelogenin(r.marker);
      r.sample_where = t.Where(row, c_sample);
      r.marker_where = t.Where(row, c_marker);
      req.rows.push_back(std::move(r));
    }
  }
  const std::string freq_path =
      opt.frequencies.empty()
          ? (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string()
          : opt.frequencies;
  auto db = io::ReadFrequencyFile(freq_path);
  if (!db) return tl::unexpected(WithContext(db.error(), "frequency database " + freq_path));
  req.frequencies = &*db;
  req.frequencies_name = freq_path;
  req.references = opt.references;
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  app::ProfileRowProblem problem;
  auto res = app::ImportProfiles(*reg.registry, req, &problem);
  if (!res) {
    if (problem.kind == app::ProfileRowProblem::Kind::kOtherKindOfSample) {
      return MakeError(res.error().code,
                       res.error().message.substr(0, res.error().message.rfind(';')) +
                           (opt.references ? " (import it with: whereabouts remains profile "
                                             "import FILE)"
                                           : " (import it with: whereabouts reference profile "
                                             "import FILE)") +
                           "; nothing was imported",
                       res.error().field);
    }
    if (problem.kind == app::ProfileRowProblem::Kind::kUnknownSample && !problem.sample.empty() &&
        opt.references) {
      return MakeError(res.error().code,
                       "sample " + problem.sample + ", marker " + problem.marker +
                           ": no relative of the register has given this sample (register it "
                           "first: whereabouts person relative-add PERSON ... --sample " +
                           problem.sample + "); nothing was imported",
                       res.error().field);
    }
    if (problem.kind == app::ProfileRowProblem::Kind::kUnknownSample && !problem.sample.empty()) {
      return MakeError(res.error().code,
                       "sample " + problem.sample + ", marker " + problem.marker +
                           ": no remains of the register have this sample (record it first: "
                           "whereabouts remains sample ID --sample " +
                           problem.sample + "); nothing was imported",
                       res.error().field);
    }
    return tl::unexpected(res.error());
  }
  for (const auto& w : warnings) fmt::print("warning: {}\n", w);
  fmt::print(
      "recorded {} profiles of register {}samples from {} ({} samples without a typed "
      "marker skipped, {} already recorded with the same profile; {} warnings)\n",
      res->recorded, opt.references ? "reference " : "", source, res->untyped, res->unchanged,
      warnings.size());
  return {};
}

// `remains profile export --cmf`: the latest profile of every register sample as an
// "Unidentified Person" specimen (the sample id is the specimen id), for upload to a national
// index. Markers CMF cannot carry are left out and named on stderr.
Status RunProfileExport(const ProfileExportOptions& opt) {
  WB_ASSIGN_OR_RETURN(io::CmfFile cmf, CmfHeaderOf(opt.header));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(""));
  WB_ASSIGN_OR_RETURN(const auto remains, app::ListRemains(*reg.registry, as_of));
  std::vector<std::string> left_out;
  for (const auto& [id, r] : remains) {
    for (const std::string& sample : r.samples) {
      auto stored = r.profiles.find(sample);
      if (stored == r.profiles.end()) continue;
      WB_ASSIGN_OR_RETURN(const kinship::Profile p,
                          app::ParseProfileText(sample, stored->second.profile));
      io::CmfSpecimen s;
      s.id = sample;
      s.category = "Unidentified Person";
      s.loci = io::CmfLociOf(p, cmf.submit_by_user_id, cmf.submit_datetime, &left_out);
      if (s.loci.empty()) {
        left_out.push_back("sample " + sample + ": no locus CMF can write; not exported");
        continue;
      }
      cmf.specimens.push_back(std::move(s));
    }
  }
  if (cmf.specimens.empty()) {
    return MakeError(ErrorCode::kNotFound, "no profile of a register sample to export", opt.db);
  }
  WB_RETURN_IF_ERROR(io::WriteCmf(opt.cmf, cmf));
  for (const auto& w : left_out) PrintError("warning: " + w);
  fmt::print(
      "wrote {} remains profiles to {} (CMF {}, category Unidentified Person; {} warnings)\n",
      cmf.specimens.size(), opt.cmf, cmf.header_version, left_out.size());
  return {};
}

Status RunShow(const ListOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt.as_of));
  WB_ASSIGN_OR_RETURN(const registry::Remains r, app::ShowRemains(*reg.registry, opt.id, as_of));
  fmt::print("remains {} ({}), {}{}\n", r.id, r.label, r.remains_kind,
             r.commingled ? ", commingled" : "");
  fmt::print("site: {}\n", r.site_id ? std::to_string(r.site_id) : "-");
  fmt::print("recovered: {}\n", r.recovered_on ? r.recovered_on->ToString() : "-");
  fmt::print("held by: {} ({} transfers)\n", r.holder, r.transfers);
  fmt::print("samples: {}\n", r.samples.size());
  for (const auto& sample : r.samples) {
    auto p = r.profiles.find(sample);
    if (p == r.profiles.end()) {
      fmt::print("  {}: no profile\n", sample);
    } else {
      fmt::print("  {}: profile recorded {} from {} ({} version{}): {}\n", sample,
                 p->second.recorded_on.ToString(), p->second.source, p->second.versions,
                 p->second.versions == 1 ? "" : "s", p->second.profile);
    }
  }
  return {};
}

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
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, /*create=*/true));
      app::AddRemainsRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.label = opt->label;
      req.remains_kind = opt->kind;
      req.site = opt->site;
      WB_ASSIGN_OR_RETURN(req.recovered_on,
                          registry::ParseDateField(opt->recovered, "--recovered"));
      req.holder = opt->holder;
      req.commingled = opt->commingled;
      WB_ASSIGN_OR_RETURN(const Event stored, app::AddRemains(*reg.registry, req));
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
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
      WB_ASSIGN_OR_RETURN(const auto remains, app::ListRemains(*reg.registry, as_of));
      fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", "id", "label", "kind", "site",
                 "recovered", "commingled", "holder");
      for (const auto& [id, r] : remains) {
        fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", id, r.label, r.remains_kind,
                   r.site_id ? std::to_string(r.site_id) : "-",
                   r.recovered_on ? r.recovered_on->ToString() : "", r.commingled ? "yes" : "no",
                   r.holder);
      }
      fmt::print("{} remains\n", remains.size());
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
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const app::WriteMeta meta, WriteMetaOf(opt->meta));
      WB_RETURN_IF_ERROR(app::AddSample(*reg.registry, {meta, opt->id, opt->sample}));
      std::cout << "recorded sample " << opt->sample << " of remains " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd =
        remains->add_subcommand("show", "one item: site, holder, samples and their profiles");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt] { return RunShow(*opt); });
  }
  {
    CLI::App* profile = remains->add_subcommand("profile", "DNA profiles of register samples");
    profile->require_subcommand(1);
    auto opt = std::make_shared<ProfileImportOptions>();
    CLI::App* cmd = profile->add_subcommand(
        "import",
        "record the profiles of an allele table (docs/FORMATS.md) for register samples, each as "
        "an event on its remains; all or nothing");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("file", opt->file,
                    "allele table (Sample Name, Marker, Allele 1, ...; a GeneMapper ID-X export "
                    "too)");
    cmd->add_option("--cmf", opt->cmf,
                    "a CODIS CMF 3.2 file instead: its remains specimens (Unidentified Person, "
                    "Deceased), the specimen id being the register sample; a file with reference "
                    "specimens is refused (reference profile import --cmf takes those)");
    cmd->add_option("--frequencies", opt->frequencies,
                    "frequency database whose markers are allowed (default: "
                    "NorwegianFrequencies.tsv of the data folder)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt] { return RunProfileImport(*opt); });
  }
  {
    CLI::App* profile = remains->get_subcommand("profile");
    auto opt = std::make_shared<ProfileExportOptions>();
    CLI::App* cmd = profile->add_subcommand(
        "export", "the register's remains profiles as a CODIS CMF 3.2 file (Unidentified Person)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--cmf", opt->cmf, "CMF file to write")->required();
    AddCmfHeaderOptions(cmd, &opt->header);
    SetCallback(cmd, exit_code, [opt] { return RunProfileExport(*opt); });
  }
}

void RegisterReference(CLI::App& root, int& exit_code) {
  CLI::App* reference =
      root.add_subcommand("reference", "reference samples of relatives and their DNA profiles");
  reference->require_subcommand(1);
  CLI::App* profile = reference->add_subcommand("profile", "DNA profiles of reference samples");
  profile->require_subcommand(1);
  auto opt = std::make_shared<ProfileImportOptions>();
  opt->references = true;
  CLI::App* cmd = profile->add_subcommand(
      "import",
      "record the profiles of an allele table (docs/FORMATS.md) for the reference samples "
      "relatives gave, each as an event on its relative; all or nothing");
  AddDbOption(cmd, &opt->db);
  cmd->add_option(
      "file", opt->file,
      "allele table (Sample Name, Marker, Allele 1, ...; a GeneMapper ID-X export too)");
  cmd->add_option("--cmf", opt->cmf,
                  "a CODIS CMF 3.2 file instead: its reference specimens (Biological Mother, ...), "
                  "the specimen id being the relative's sample; a file with remains specimens is "
                  "refused (remains profile import --cmf takes those)");
  cmd->add_option("--frequencies", opt->frequencies,
                  "frequency database whose markers are allowed (default: "
                  "NorwegianFrequencies.tsv of the data folder)");
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt] { return RunProfileImport(*opt); });
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
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::TransferCustodyRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.remains = opt->id;
      req.from = opt->from;
      req.to = opt->to;
      WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt->date, "--date"));
      app::NotHolder not_holder;
      auto stored = app::TransferCustody(*reg.registry, *reg.clock, req, &not_holder);
      if (!stored) {
        Error e = stored.error();
        // The register names no holder; the command, run by someone who may see them, does.
        if (!not_holder.holder.empty()) {
          e.message = "custody transfer from '" + opt->from + "', who does not hold remains " +
                      not_holder.label + " (held by '" + not_holder.holder + "')";
        }
        return tl::unexpected(std::move(e));
      }
      std::cout << "remains " << opt->id << " handed from " << opt->from << " to " << opt->to
                << "\n";
      return {};
    });
  }
  {
    struct HandOverOptions {
      std::string db, from, to, relation, date;
      int64_t id = 0, person = 0;
      EventMeta meta;
    };
    auto opt = std::make_shared<HandOverOptions>();
    CLI::App* cmd = custody->add_subcommand(
        "hand-over",
        "return identified remains to the family (the end of the chain of custody; what "
        "\"returned to families\" counts)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--from", opt->from, "who hands them over (must hold them)")->required();
    cmd->add_option("--to", opt->to, "the family member who receives them")->required();
    cmd->add_option("--relation", opt->relation, "the receiver's relation to the person");
    cmd->add_option("--person", opt->person, "the identified person they are returned as")
        ->required();
    cmd->add_option("--date", opt->date, "date of the handover (default: the recording date)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::HandOverRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.remains = opt->id;
      req.from = opt->from;
      req.to = opt->to;
      req.relation = opt->relation;
      req.person = registry::PersonId{opt->person};
      WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt->date, "--date"));
      WB_RETURN_IF_ERROR(app::HandOverRemains(*reg.registry, *reg.clock, req));
      std::cout << "remains " << opt->id << " returned to the family of person " << opt->person
                << " (received by " << opt->to << ")\n";
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
      WB_ASSIGN_OR_RETURN(const std::vector<app::CustodyStep> steps,
                          app::CustodyHistory(*reg.store, opt->id));
      for (const app::CustodyStep& s : steps) {
        switch (s.kind) {
          case app::CustodyStep::Kind::kRecovered:
            fmt::print("{}  recovered ({}), held by {}\n", s.date, s.label, s.holder);
            break;
          case app::CustodyStep::Kind::kTransferred:
            fmt::print("{}  {} -> {} (recorded by {})\n", s.date, s.from, s.to, s.recorded_by);
            break;
          case app::CustodyStep::Kind::kSampled:
            fmt::print("{}  sample {} taken\n", s.date, s.sample);
            break;
        }
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
