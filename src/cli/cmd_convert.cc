// `whereabouts convert cmf|to-cmf`: CODIS CMF 3.2 files to and from the files of
// docs/FORMATS.md (docs/formats.md). `convert cmf` writes references.tsv, remains-alleles.tsv,
// remains.csv and specimens.csv (every specimen with its category, what we do with it and the
// relationship of the category table, io::CmfCategories); `convert to-cmf` writes a CMF file from
// allele tables, the category given per file (--references-category, --remains-category) or per
// sample (--specimens, such as the specimens.csv `convert cmf` wrote).
#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <memory>

#include "cli/cmf_options.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/allele_table.h"
#include "io/cmf.h"
#include "io/delimited.h"
#include "io/remains_csv.h"

namespace whereabouts::cli {

void AddCmfHeaderOptions(CLI::App* cmd, CmfHeaderOptions* opt) {
  cmd->add_option("--destination-ori", opt->destination_ori,
                  "DESTINATIONORI: the receiving laboratory's ORI (1 to 10 characters)")
      ->required();
  cmd->add_option("--source-lab", opt->source_lab,
                  "SOURCELAB: the sending laboratory's ORI (1 to 10 characters)")
      ->required();
  cmd->add_option("--submitted-by", opt->submitted_by,
                  "SUBMITBYUSERID, and READINGBY of every locus (1 to 20 characters)")
      ->required();
  cmd->add_option("--submitted-at", opt->submitted_at,
                  "SUBMITDATETIME and READINGDATETIME, YYYY-MM-DDThh:mm:ss (default: now, UTC)");
  cmd->add_option("--batch-id", opt->batch_id, "BATCHID (optional)");
  cmd->add_option("--kit", opt->kit, "KIT (optional; a kit name of the CMF schema)");
}

Result<io::CmfFile> CmfHeaderOf(const CmfHeaderOptions& opt) {
  io::CmfFile f;
  f.destination_ori = opt.destination_ori;
  f.source_lab = opt.source_lab;
  f.submit_by_user_id = opt.submitted_by;
  f.submit_datetime = opt.submitted_at;
  if (f.submit_datetime.empty()) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    f.submit_datetime = buf;
  }
  f.batch_id = opt.batch_id;
  f.kit = opt.kit;
  // The header alone, checked as the writer checks it (with a placeholder specimen).
  io::CmfFile probe = f;
  probe.specimens.push_back({"probe",
                             "Unidentified Person",
                             "",
                             "",
                             "",
                             std::nullopt,
                             {{"TH01", {"6"}, f.submit_by_user_id, f.submit_datetime, "", "", 0}},
                             0});
  if (auto text = io::FormatCmf(probe); !text) {
    static const std::pair<const char*, const char*> kOptionOf[] = {
        {"DESTINATIONORI", "--destination-ori"},
        {"SOURCELAB", "--source-lab"},
        {"SUBMITBYUSERID", "--submitted-by"},
        {"READINGBY", "--submitted-by"},
        {"SUBMITDATETIME", "--submitted-at"},
        {"READINGDATETIME", "--submitted-at"},
        {"BATCHID", "--batch-id"},
        {"KIT", "--kit"}};
    Error e = text.error();
    for (const auto& [field, option] : kOptionOf) {
      if (e.field.find(field) != std::string::npos) {
        e.field = option;
        break;
      }
    }
    return tl::unexpected(std::move(e));
  }
  return f;
}

namespace {

struct FromCmfOptions {
  std::string file, out;
};

struct ToCmfOptions {
  std::string out, references, references_category, remains,
      remains_category = "Unidentified Person", specimens;
  CmfHeaderOptions header;
};

const char* UseName(io::CmfUse use) {
  return use == io::CmfUse::kRemains ? "remains" : "reference";
}

// `convert cmf`: the specimens of a CMF file as the files of docs/FORMATS.md.
Status RunFromCmf(const FromCmfOptions& opt) {
  WB_ASSIGN_OR_RETURN(const io::CmfFile cmf, io::ReadCmf(opt.file));
  std::vector<kinship::Profile> references, remains_profiles;
  std::vector<kinship::RemainsSample> remains;
  std::vector<std::string> warnings;
  io::DelimitedWriter specimens(',');
  specimens.Row({"specimen", "category", "use", "relationship", "case", "partial", "source_id",
                 "loci", "comment"});
  for (const io::CmfSpecimen& s : cmf.specimens) {
    WB_ASSIGN_OR_RETURN(const io::CmfCategory* category, io::FindCmfCategory(s.category));
    kinship::Profile p = io::CmfProfile(s, &warnings);
    specimens.Row({s.id, s.category, UseName(category->use), std::string(category->relationship),
                   s.case_id, s.partial ? (*s.partial ? "true" : "false") : "", s.source_id,
                   std::to_string(s.loci.size()), s.comment});
    if (category->use == io::CmfUse::kRemains) {
      // Each specimen its own unit: CMF does not say which bag a sample came from.
      remains.push_back({s.id, s.id, ""});
      remains_profiles.push_back(std::move(p));
    } else {
      references.push_back(std::move(p));
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(opt.out, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot create the output folder: " + ec.message(), opt.out);
  }
  const std::filesystem::path dir(opt.out);
  WB_RETURN_IF_ERROR(io::WriteAlleleTable((dir / "references.tsv").string(), references));
  WB_RETURN_IF_ERROR(
      io::WriteAlleleTable((dir / "remains-alleles.tsv").string(), remains_profiles));
  WB_RETURN_IF_ERROR(io::WriteRemains((dir / "remains.csv").string(), remains));
  WB_RETURN_IF_ERROR(io::WriteTextFile((dir / "specimens.csv").string(), specimens.text()));
  for (const auto& w : warnings) PrintError("warning: " + opt.file + ": " + w);
  fmt::print(
      "converted {} specimens of {}: {} references, {} remains samples ({} warnings); files in "
      "{}: references.tsv remains-alleles.tsv remains.csv specimens.csv\n",
      cmf.specimens.size(), opt.file, references.size(), remains_profiles.size(), warnings.size(),
      opt.out);
  return {};
}

// A row of --specimens: the category (and CMF fields) of one sample.
struct SpecimenRow {
  std::string category, case_id, source_id, comment;
  std::optional<bool> partial;
  std::string where;
};

Result<std::map<std::string, SpecimenRow>> ReadSpecimens(const std::string& path) {
  std::map<std::string, SpecimenRow> out;
  if (path.empty()) return out;
  WB_ASSIGN_OR_RETURN(const io::DelimitedTable t, io::DelimitedTable::Read(path));
  WB_ASSIGN_OR_RETURN(const int c_specimen, t.RequireColumn("specimen"));
  WB_ASSIGN_OR_RETURN(const int c_category, t.RequireColumn("category"));
  const int c_case = t.Column("case"), c_partial = t.Column("partial"),
            c_source = t.Column("source_id"), c_comment = t.Column("comment");
  for (const auto& row : t.rows()) {
    SpecimenRow r;
    r.category = t.Cell(row, c_category);
    r.case_id = t.Cell(row, c_case);
    r.source_id = t.Cell(row, c_source);
    r.comment = t.Cell(row, c_comment);
    r.where = t.Where(row, c_category);
    const std::string partial = t.Cell(row, c_partial);
    if (partial == "true") {
      r.partial = true;
    } else if (partial == "false") {
      r.partial = false;
    } else if (!partial.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "partial must be true, false or empty",
                       t.Where(row, c_partial));
    }
    const std::string& id = t.Cell(row, c_specimen);
    if (id.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "empty specimen", t.Where(row, c_specimen));
    }
    if (!out.emplace(id, std::move(r)).second) {
      return MakeError(ErrorCode::kInvalidArgument, "specimen " + id + " is listed twice",
                       t.Where(row, c_specimen));
    }
  }
  return out;
}

// `convert to-cmf`: allele tables as one CMF file.
Status RunToCmf(const ToCmfOptions& opt) {
  if (opt.references.empty() && opt.remains.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "give --references, --remains or both",
                     "--references");
  }
  WB_ASSIGN_OR_RETURN(io::CmfFile cmf, CmfHeaderOf(opt.header));
  WB_ASSIGN_OR_RETURN(const auto per_sample, ReadSpecimens(opt.specimens));
  std::vector<std::string> notes;
  struct Input {
    const std::string& path;
    const std::string& category;
    io::CmfUse use;
    const char* option;
  };
  for (const Input& in :
       {Input{opt.references, opt.references_category, io::CmfUse::kReference,
              "--references-category"},
        Input{opt.remains, opt.remains_category, io::CmfUse::kRemains, "--remains-category"}}) {
    if (in.path.empty()) continue;
    WB_ASSIGN_OR_RETURN(const io::AlleleTableFile table, io::ReadAlleleTableWithWarnings(in.path));
    if (!table.skipped.empty()) return tl::unexpected(table.skipped.front());
    for (const auto& w : table.warnings) notes.push_back(w.ToString());
    for (const kinship::Profile& p : table.profiles) {
      io::CmfSpecimen s;
      s.id = p.sample;
      auto row = per_sample.find(p.sample);
      std::string where = in.option;
      if (row != per_sample.end()) {
        s.category = row->second.category;
        s.case_id = row->second.case_id;
        s.source_id = row->second.source_id;
        s.comment = row->second.comment;
        s.partial = row->second.partial;
        where = row->second.where;
      } else {
        s.category = in.category;
      }
      if (s.category.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "sample " + p.sample + " of " + in.path + " has no category: give " +
                             in.option + " or a row in --specimens",
                         in.option);
      }
      auto category = io::FindCmfCategory(s.category);
      if (!category) return tl::unexpected(WithContext(category.error(), where));
      if ((*category)->use != in.use) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "sample " + p.sample + " of " + in.path + ": category '" +
                             std::string((*category)->name) + "' is " + UseName((*category)->use) +
                             ", not " + UseName(in.use),
                         where);
      }
      s.category = std::string((*category)->name);
      s.loci = io::CmfLociOf(p, cmf.submit_by_user_id, cmf.submit_datetime, &notes);
      if (s.loci.empty()) {
        notes.push_back(in.path + ": sample " + p.sample +
                        " has no locus CMF can write; left out of the file");
        continue;
      }
      cmf.specimens.push_back(std::move(s));
    }
  }
  if (cmf.specimens.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no specimen to write", opt.out);
  }
  WB_RETURN_IF_ERROR(io::WriteCmf(opt.out, cmf));
  for (const auto& n : notes) PrintError("warning: " + n);
  fmt::print("wrote {} specimens to {} (CMF {}; {} warnings)\n", cmf.specimens.size(), opt.out,
             cmf.header_version, notes.size());
  return {};
}

}  // namespace

void RegisterConvert(CLI::App& root, int& exit_code) {
  CLI::App* convert =
      root.add_subcommand("convert", "convert laboratory files (CODIS CMF 3.2) to and from ours");
  convert->require_subcommand(1);
  {
    auto opt = std::make_shared<FromCmfOptions>();
    CLI::App* cmd = convert->add_subcommand(
        "cmf",
        "a CODIS CMF 3.2 file as our files: references.tsv and remains-alleles.tsv (allele "
        "tables), remains.csv, specimens.csv (category, use, relationship of each specimen)");
    cmd->add_option("file", opt->file, "CMF file (XML)")->required();
    cmd->add_option("--out", opt->out, "output folder (created if absent)")->required();
    SetCallback(cmd, exit_code, [opt] { return RunFromCmf(*opt); });
  }
  {
    auto opt = std::make_shared<ToCmfOptions>();
    CLI::App* cmd = convert->add_subcommand(
        "to-cmf", "allele tables as one CODIS CMF 3.2 file, with a category per file or sample");
    cmd->add_option("--out", opt->out, "CMF file to write")->required();
    cmd->add_option("--references", opt->references, "allele table of reference samples");
    cmd->add_option("--references-category", opt->references_category,
                    "category of every reference sample without a --specimens row (e.g. "
                    "\"Biological Mother\")");
    cmd->add_option("--remains", opt->remains, "allele table of remains samples");
    cmd->add_option("--remains-category", opt->remains_category,
                    "category of every remains sample without a --specimens row")
        ->capture_default_str();
    cmd->add_option("--specimens", opt->specimens,
                    "CSV with columns specimen, category (and optional case, partial, source_id, "
                    "comment): each sample's category, as `convert cmf` writes it");
    AddCmfHeaderOptions(cmd, &opt->header);
    SetCallback(cmd, exit_code, [opt] { return RunToCmf(*opt); });
  }
}

}  // namespace whereabouts::cli
