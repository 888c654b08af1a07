#include "app/lists.h"

#include <charconv>

#include "registry/sha256.h"

namespace whereabouts::app {

Result<ExportListResult> ExportList(registry::Registry& registry, registry::RegistryStore& store,
                                    const ExportListRequest& req, const StageList& stage) {
  ExportListResult res;
  if (!req.to_csv) return MakeError(ErrorCode::kInternal, "no list format given", "to_csv");
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Person> persons, store.Persons(req.as_of));
  res.content.entries = registry::PersonsSought(persons);
  res.content.csv = req.to_csv(res.content.entries);
  res.content.sha256 = registry::Sha256Hex(res.content.csv);
  if (stage) WB_RETURN_IF_ERROR(stage(res.content));
  registry::Event e;
  e.kind = registry::EntityKind::kList;
  e.type = "list.exported";
  e.entity_id = 0;  // the version: given by the register inside the write
  e.actor = req.meta.actor;
  e.reason = req.meta.reason.empty() ? "list of persons sought exported" : req.meta.reason;
  e.payload["sha256"] = res.content.sha256;
  e.payload["count"] = std::to_string(res.content.entries.size());
  e.payload["as_of"] = req.as_of ? req.as_of->ToString() : "";
  WB_ASSIGN_OR_RETURN(const registry::Event stored,
                      registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  res.version = stored.entity_id;
  res.seq = stored.seq;
  res.recorded_on = stored.recorded_on;
  return res;
}

Result<std::vector<ListVersionInfo>> ListVersions(registry::RegistryStore& store) {
  registry::EventQuery q;
  q.kind = registry::EntityKind::kList;
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Event> events, store.Events(q));
  std::vector<ListVersionInfo> out;
  for (const registry::Event& e : events) {
    if (e.type != "list.exported") continue;
    ListVersionInfo v;
    v.version = e.entity_id;
    v.recorded_on = e.recorded_on;
    v.exported_by = e.actor;
    const std::string_view count = e.Get("count");
    std::from_chars(count.data(), count.data() + count.size(), v.count);
    v.sha256 = e.Get("sha256");
    v.as_of = e.Get("as_of");
    out.push_back(std::move(v));
  }
  return out;
}

Status VerifyListFile(const ListFile& file) {
  if (file.csv_sha256) {
    if (file.sha256 && *file.sha256 != *file.csv_sha256) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the CSV's bytes do not match the sha256 its JSON states (altered or "
                       "damaged)",
                       file.name);
    }
    return {};
  }
  if (file.sha256 && !file.to_csv) {
    return MakeError(ErrorCode::kInternal, "no list format given", "to_csv");
  }
  if (file.sha256 && registry::Sha256Hex(file.to_csv(file.entries)) != *file.sha256) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the entries do not match the file's sha256 (altered or damaged)", file.name);
  }
  return {};
}

Result<int64_t> MatchRegisterVersion(registry::RegistryStore& store, const ListFile& file) {
  WB_RETURN_IF_ERROR(VerifyListFile(file));
  const std::optional<std::string>& sha = file.csv_sha256 ? file.csv_sha256 : file.sha256;
  if (!sha) {
    return MakeError(ErrorCode::kInternal, "a list file needs its sha256 or its bytes' sha256",
                     file.name);
  }
  WB_ASSIGN_OR_RETURN(const std::vector<ListVersionInfo> versions, ListVersions(store));
  if (file.version > 0) {
    const std::string v = std::to_string(file.version);
    for (const ListVersionInfo& info : versions) {
      if (info.version != file.version) continue;
      if (info.sha256 == *sha) return info.version;
      return MakeError(ErrorCode::kInvalidArgument,
                       "content differs from the register's list version " + v + " (sha256 " +
                           info.sha256 + ", " + std::to_string(info.count) +
                           " entries; the file has " + std::to_string(file.entries.size()) +
                           "): a row was changed, removed or added",
                       file.name);
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown version: the register has no list version " + v, file.name);
  }
  for (const ListVersionInfo& info : versions) {
    if (info.sha256 == *sha) return info.version;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "the file is none of the register's " + std::to_string(versions.size()) +
                       " list versions (its sha256 " + *sha +
                       " is not recorded): altered, or of another register",
                   file.name);
}

Result<registry::ListDiff> DiffListFiles(const ListFile& a, const ListFile& b) {
  WB_RETURN_IF_ERROR(VerifyListFile(a));
  WB_RETURN_IF_ERROR(VerifyListFile(b));
  return registry::DiffLists(a.entries, b.entries);
}

}  // namespace whereabouts::app
