// `whereabouts list export|diff|versions|verify`: the versioned list of persons sought, exchanged
// with the other party through the ICRC. Options in, the use cases of app/lists.h and
// app/list_signing.h called, files written and results printed.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/list_signing.h"
#include "app/lists.h"
#include "app/sodium_signatures.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/atomic_file.h"
#include "io/key_files.h"
#include "io/list_csv.h"
#include "registry/list.h"
#include "registry/sha256.h"

namespace whereabouts::cli {
namespace {

using registry::ListEntry;

nlohmann::json EntryJson(const ListEntry& e) {
  nlohmann::json j;
  j["id"] = e.id;
  const auto fields = registry::ListEntryFields(e);
  for (size_t k = 0; k < fields.size(); ++k) j[registry::ListColumns()[k + 1]] = *fields[k];
  return j;
}

bool EndsWith(const std::string& s, const std::string& end) {
  return s.size() > end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// The version a file's name gives: N of persons-sought-vN.csv (or .json); 0 for any other name.
int64_t VersionOfName(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  const std::string prefix = "persons-sought-v";
  if (name.rfind(prefix, 0) != 0) return 0;
  name = name.substr(prefix.size());
  const size_t dot = name.find('.');
  if (dot == 0 || dot == std::string::npos || dot > 15) return 0;
  const std::string digits = name.substr(0, dot);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(digits);
}

// The sha256 and version the JSON of a version states, when `json_path` is one (else nullopt).
std::optional<std::pair<std::string, int64_t>> StatedByJson(const std::string& json_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(json_path, ec)) return std::nullopt;
  auto text = ReadFile(json_path);
  if (!text) return std::nullopt;
  try {
    const auto j = nlohmann::json::parse(*text);
    return std::make_pair(j.at("sha256").get<std::string>(), j.at("version").get<int64_t>());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Reads an exported list (.json or .csv) with the sha256 a JSON file states (checked by the use
// case, app::DiffListFiles). A CSV carries the SHA-256 of its bytes and, when the JSON of its
// version lies beside it, the sha256 and version that JSON states.
Result<app::ListFile> LoadList(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  app::ListFile file;
  file.name = path;
  file.to_csv = io::ListToCsv;
  if (path.size() >= 5 && path.substr(path.size() - 5) == ".json") {
    std::vector<ListEntry>& out = file.entries;
    std::string sha;
    try {
      auto j = nlohmann::json::parse(text);
      sha = j.at("sha256").get<std::string>();
      // Exports made before format 2 state no format: their CSV did not neutralise formulas.
      if (!j.contains("format")) file.to_csv = io::ListToCsvV1;
      if (j.contains("version")) file.version = j.at("version").get<int64_t>();
      for (const auto& e : j.at("entries")) {
        ListEntry le;
        le.id = e.at("id").get<int64_t>();
        const auto fields = registry::ListEntryFields(le);
        for (size_t k = 0; k < fields.size(); ++k) {
          *fields[k] = e.at(registry::ListColumns()[k + 1]).get<std::string>();
        }
        out.push_back(std::move(le));
      }
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("not an exported list: ") + e.what(), path);
    }
    file.sha256 = std::move(sha);
    return file;
  }
  auto list = io::ListFromCsv(text);
  if (!list) return tl::unexpected(WithContext(list.error(), path));
  file.entries = std::move(*list);
  file.csv_sha256 = registry::Sha256Hex(text);
  file.version = VersionOfName(path);
  if (EndsWith(path, ".csv")) {
    if (auto stated = StatedByJson(path.substr(0, path.size() - 4) + ".json")) {
      file.sha256 = stated->first;
      file.version = stated->second;
    }
  }
  return file;
}

struct ExportOptions {
  std::string db;
  std::string as_of;
  std::string out = ".";
  std::string key;  // the secret key file that signs the version ("": unsigned)
  EventMeta meta;
};

nlohmann::json SignatureJson(const app::ListSignature& sig) {
  return {{"algorithm", sig.algorithm},
          {"public_key_fingerprint", sig.public_key_fingerprint},
          {"value", io::HexEncode(sig.value)},
          {"signed", "ListStatementText: format, version, sha256 and chain_head, one per line"}};
}

// Computes and records the next version (app::ExportList) and writes its files. The CSV is
// staged under a temporary name before the version is recorded, so that a list that cannot be
// written is not a version; once recorded, the JSON is written whole (io::WriteFileAtomically)
// and the CSV renamed into place: a failed or killed export leaves no part of a file under a
// version's name, and two exports at once get two versions.
Status RunExport(const ExportOptions& opt) {
  // The key is read and checked before anything is recorded: a version is never left unsigned
  // for a bad key.
  const auto scheme = app::MakeEd25519Scheme();
  std::string secret_key;
  if (!opt.key.empty()) {
    WB_ASSIGN_OR_RETURN(const std::string key_text, ReadFile(opt.key));
    WB_ASSIGN_OR_RETURN(secret_key, io::ParseSecretKeyFile(key_text, opt.key));
    if (auto pk = scheme->PublicKeyOf(secret_key); !pk) {
      return tl::unexpected(WithContext(pk.error(), opt.key));
    }
  }
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  app::ExportListRequest req;
  req.to_csv = io::ListToCsv;
  WB_ASSIGN_OR_RETURN(req.as_of, ParseAsOf(opt.as_of));
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  std::error_code ec;
  std::filesystem::create_directories(opt.out, ec);
  const auto dir = std::filesystem::path(opt.out);
  const std::string tmp_csv =
      (dir / (".persons-sought-tmp-" + std::to_string(::getpid()) + ".csv")).string();
  const auto stage = [&](const app::ListContent& content) -> Status {
    if (!io::WriteFileAtomically(tmp_csv, content.csv)) {
      std::filesystem::remove(tmp_csv, ec);
      return MakeError(ErrorCode::kIo, "cannot write the export", tmp_csv);
    }
    return {};
  };
  auto exported = app::ExportList(*reg.registry, *reg.store, req, stage);
  if (!exported) {
    std::filesystem::remove(tmp_csv, ec);
    return tl::unexpected(exported.error());
  }
  const app::ExportListResult& res = *exported;
  const std::string recorded_on = res.recorded_on.ToString();
  nlohmann::json j;
  j["list"] = "persons sought";
  j["as_of"] = opt.as_of.empty() ? recorded_on : opt.as_of;
  j["exported_on"] = recorded_on;
  j["count"] = res.content.entries.size();
  j["sha256"] = res.content.sha256;
  j["sha256_of"] = "the CSV export's bytes (header and entries)";
  j["format"] = io::kListCsvFormat;
  j["entries"] = nlohmann::json::array();
  for (const auto& le : res.content.entries) j["entries"].push_back(EntryJson(le));
  j["version"] = res.version;
  app::ListStatement statement{io::kListCsvFormat, res.version, res.content.sha256, std::nullopt};
  if (auto head = app::ListVersionHead(*reg.store, res.version); head) {
    statement.chain_head = *head;
    j["chain_head"] = {{"seq", head->seq}, {"hash", head->hash}};
  }
  if (!secret_key.empty()) {
    auto sig = app::SignListStatement(*scheme, secret_key, statement);
    if (!sig) {
      std::filesystem::remove(tmp_csv, ec);
      return tl::unexpected(WithContext(sig.error(), opt.key));
    }
    j["signature"] = SignatureJson(*sig);
  }
  const std::string version = std::to_string(res.version);
  const std::string base = (dir / ("persons-sought-v" + version)).string();
  if (!io::WriteFileAtomically(base + ".json", j.dump(2) + "\n")) {
    std::filesystem::remove(tmp_csv, ec);
    return MakeError(ErrorCode::kIo,
                     "list version " + version + " is recorded, but its JSON file cannot be written",
                     base + ".json");
  }
  std::filesystem::rename(tmp_csv, base + ".csv", ec);
  if (ec) {
    std::filesystem::remove(tmp_csv, ec);
    return MakeError(ErrorCode::kIo,
                     "list version " + version +
                         " is recorded, but its files cannot be put in place: " + ec.message(),
                     base + ".csv");
  }
  fmt::print("list version {}: {} persons sought, sha256 {}\nwrote {}.csv and {}.json\n",
             res.version, res.content.entries.size(), res.content.sha256, base, base);
  if (j.contains("signature")) {
    fmt::print("signed with the key {}\n",
               j["signature"]["public_key_fingerprint"].get<std::string>());
  }
  return {};
}

struct DiffOptions {
  std::string a, b;
  std::string format = "table";
  std::string db;  // "": the register's versions are not consulted
};

Status RunDiff(const DiffOptions& opt) {
  WB_ASSIGN_OR_RETURN(const app::ListFile a, LoadList(opt.a));
  WB_ASSIGN_OR_RETURN(const app::ListFile b, LoadList(opt.b));
  WB_ASSIGN_OR_RETURN(const registry::ListDiff d, app::DiffListFiles(a, b));
  // Each file against the versions the register recorded: a changed, removed or added row of
  // either file (CSV or JSON) is refused before anything is compared.
  std::string checked;
  if (!opt.db.empty()) {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
    for (const app::ListFile* f : {&a, &b}) {
      WB_ASSIGN_OR_RETURN(const int64_t v, app::MatchRegisterVersion(*reg.store, *f));
      checked += fmt::format("{} is the register's list version {}\n", f->name, v);
    }
  }
  if (opt.format == "json") {
    nlohmann::json j;
    j["added"] = nlohmann::json::array();
    j["removed"] = nlohmann::json::array();
    j["changed"] = nlohmann::json::array();
    for (const auto& e : d.added) j["added"].push_back(EntryJson(e));
    for (const auto& e : d.removed) j["removed"].push_back(EntryJson(e));
    for (const auto& c : d.changed) {
      j["changed"].push_back({{"id", c.id},
                              {"fields", c.fields},
                              {"before", EntryJson(c.before)},
                              {"after", EntryJson(c.after)}});
    }
    std::cout << j.dump(2) << "\n";
    return {};
  }
  for (const auto& e : d.added) fmt::print("+ {:>7}  {} {}\n", e.id, e.family_name, e.given_name);
  for (const auto& e : d.removed) fmt::print("- {:>7}  {} {}\n", e.id, e.family_name, e.given_name);
  for (const auto& c : d.changed) {
    std::string what;
    const auto before = EntryJson(c.before);
    const auto after = EntryJson(c.after);
    for (const auto& f : c.fields) {
      what += (what.empty() ? "" : "; ") + f + ": '" + before[f].get<std::string>() + "' -> '" +
              after[f].get<std::string>() + "'";
    }
    fmt::print("~ {:>7}  {} {}: {}\n", c.id, c.after.family_name, c.after.given_name, what);
  }
  fmt::print("{} added, {} removed, {} changed ({} -> {} entries)\n", d.added.size(),
             d.removed.size(), d.changed.size(), a.entries.size(), b.entries.size());
  if (!opt.db.empty()) {
    fmt::print("{}", checked);
  } else {
    for (const app::ListFile* f : {&a, &b}) {
      if (f->csv_sha256 && !f->sha256) {
        fmt::print(
            "{}: not checked (no JSON of its version beside it; --db checks it against "
            "the register's versions)\n",
            f->name);
      }
    }
  }
  return {};
}

struct VersionsOptions {
  std::string db;
};

Status RunVersions(const VersionsOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const std::vector<app::ListVersionInfo> versions,
                      app::ListVersions(*reg.store));
  for (const auto& v : versions) {
    fmt::print("v{:<4} {} by {}: {} persons, sha256 {}{}\n", v.version, v.recorded_on.ToString(),
               v.exported_by, v.count, v.sha256, v.as_of.empty() ? "" : " (as of " + v.as_of + ")");
  }
  return {};
}

struct VerifyOptions {
  std::string file;
  std::string public_key;
  std::string db;
};

// FILE as .json or .csv: the pair of files of one exported version.
Result<app::SignedListFile> LoadSignedList(const std::string& file) {
  std::string stem = file;
  for (const char* ext : {".json", ".csv"}) {
    const std::string e = ext;
    if (stem.size() > e.size() && stem.compare(stem.size() - e.size(), e.size(), e) == 0) {
      stem.resize(stem.size() - e.size());
      break;
    }
  }
  const std::string json_path = stem + ".json";
  const std::string csv_path = stem + ".csv";
  std::error_code ec;
  if (EndsWith(file, ".csv") && !std::filesystem::exists(json_path, ec)) {
    // The CSV alone: checked against the register's versions only.
    WB_ASSIGN_OR_RETURN(std::string csv, ReadFile(csv_path));
    auto entries = io::ListFromCsv(csv);
    if (!entries) return tl::unexpected(WithContext(entries.error(), csv_path));
    app::SignedListFile f;
    f.name = csv_path;
    f.csv = std::move(csv);
    f.csv_only = true;
    f.csv_entries = entries->size();
    f.statement.version = VersionOfName(csv_path);
    return f;
  }
  WB_ASSIGN_OR_RETURN(const std::string json_text, ReadFile(json_path));
  WB_ASSIGN_OR_RETURN(std::string csv, ReadFile(csv_path));
  app::SignedListFile f;
  f.name = json_path;
  f.csv = std::move(csv);
  try {
    const auto j = nlohmann::json::parse(json_text);
    f.to_csv = j.contains("format") ? io::ListToCsv : io::ListToCsvV1;
    f.statement.format = j.value("format", "");
    if (!f.statement.format.empty() && f.statement.format != io::kListCsvFormat) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown list format '" + f.statement.format + "'", json_path);
    }
    f.statement.version = j.at("version").get<int64_t>();
    f.statement.sha256 = j.at("sha256").get<std::string>();
    if (j.contains("chain_head")) {
      f.statement.chain_head = app::ListChainHead{j["chain_head"].at("seq").get<int64_t>(),
                                                  j["chain_head"].at("hash").get<std::string>()};
    }
    std::vector<ListEntry> entries;
    for (const auto& e : j.at("entries")) {
      ListEntry le;
      le.id = e.at("id").get<int64_t>();
      const auto fields = registry::ListEntryFields(le);
      for (size_t k = 0; k < fields.size(); ++k) {
        *fields[k] = e.at(registry::ListColumns()[k + 1]).get<std::string>();
      }
      entries.push_back(std::move(le));
    }
    f.json_entries = std::move(entries);
    if (j.contains("signature")) {
      const auto& s = j["signature"];
      app::ListSignature sig;
      sig.algorithm = s.at("algorithm").get<std::string>();
      sig.public_key_fingerprint = s.at("public_key_fingerprint").get<std::string>();
      WB_ASSIGN_OR_RETURN(sig.value,
                          io::HexDecode(s.at("value").get<std::string>(), json_path + ": signature"));
      f.signature = std::move(sig);
    }
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("not an exported list: ") + e.what(),
                     json_path);
  }
  return f;
}

// Exit 0 when every check passed, 1 when one failed (each named on stderr), 2 for bad input.
Result<int> RunVerify(const VerifyOptions& opt) {
  WB_ASSIGN_OR_RETURN(const app::SignedListFile file, LoadSignedList(opt.file));
  if (file.csv_only && opt.db.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no JSON of its version beside it, so nothing states its sha256: give --db "
                     "REGISTER to check the CSV against the register's versions",
                     file.name);
  }
  const auto scheme = app::MakeEd25519Scheme();
  app::VerifyListRequest req;
  req.file = &file;
  req.scheme = scheme.get();
  if (!opt.public_key.empty()) {
    WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.public_key));
    WB_ASSIGN_OR_RETURN(req.public_key, io::ParsePublicKeyFile(text, opt.public_key));
  }
  std::optional<OpenedRegistry> reg;
  if (!opt.db.empty()) {
    WB_ASSIGN_OR_RETURN(OpenedRegistry r, OpenRegistry(opt.db, false));
    reg.emplace(std::move(r));
    req.store = reg->store.get();
  }
  WB_ASSIGN_OR_RETURN(const app::VerifyListResult res, app::VerifySignedList(req));
  for (const auto& c : res.checks) {
    if (c.ok) {
      fmt::print("ok     {}: {}\n", c.what, c.detail);
    } else {
      fmt::print("FAILED {}: {}\n", c.what, c.detail);
      PrintError(file.name + ": " + c.detail);
    }
  }
  if (!req.public_key) fmt::print("the signature was not checked (give --public-key)\n");
  if (!req.store) fmt::print("the register was not consulted (give --db)\n");
  if (file.csv_only && file.statement.version == 0) {
    fmt::print("{}: {}\n", file.name, res.Valid() ? "valid" : "INVALID");
  } else {
    fmt::print("list version {}: {}\n", file.statement.version, res.Valid() ? "valid" : "INVALID");
  }
  return res.Valid() ? kExitOk : kExitFailure;
}

}  // namespace

void RegisterList(CLI::App& root, int& exit_code) {
  CLI::App* list = root.add_subcommand("list", "the versioned list of persons sought");
  list->require_subcommand(1);
  {
    auto opt = std::make_shared<ExportOptions>();
    CLI::App* cmd = list->add_subcommand(
        "export", "write the next version of the list (CSV and JSON, with its SHA-256)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "the list as the register had it on this date");
    cmd->add_option("--out", opt->out, "folder for persons-sought-vN.csv/.json")
        ->capture_default_str();
    cmd->add_option("--key", opt->key,
                    "sign the version with this secret key file (`whereabouts key generate`)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt] { return RunExport(*opt); });
  }
  {
    auto opt = std::make_shared<DiffOptions>();
    CLI::App* cmd = list->add_subcommand("diff", "added, removed and changed entries from A to B");
    cmd->add_option("a", opt->a, "older export (.json or .csv)")->required();
    cmd->add_option("b", opt->b, "newer export (.json or .csv)")->required();
    cmd->add_option("--format", opt->format, "table or json")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    cmd->add_option("--db", opt->db,
                    "also check each file (CSV or JSON) against the versions the register "
                    "recorded; a file that is none of them is refused");
    SetCallback(cmd, exit_code, [opt] { return RunDiff(*opt); });
  }
  {
    auto opt = std::make_shared<VersionsOptions>();
    CLI::App* cmd = list->add_subcommand("versions", "the versions exported so far");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt] { return RunVersions(*opt); });
  }
  {
    auto opt = std::make_shared<VerifyOptions>();
    CLI::App* cmd = list->add_subcommand(
        "verify",
        "check an exported version: its content, its signature (--public-key) and the register's "
        "version (--db); exit 0 valid, 1 invalid, 2 bad input");
    cmd->add_option("file", opt->file, "persons-sought-vN.json (or .csv; the pair is read)")
        ->required();
    cmd->add_option("--public-key", opt->public_key,
                    "the commission's public key file (`whereabouts key generate`)");
    cmd->add_option("--db", opt->db, "the register to check the version against");
    SetCallback(cmd, exit_code, [opt, &exit_code]() -> Status {
      WB_ASSIGN_OR_RETURN(exit_code, RunVerify(*opt));
      return {};
    });
  }
}

}  // namespace whereabouts::cli
