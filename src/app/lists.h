// Use cases of the versioned list of persons sought (exchanged with the other party through the
// ICRC): export the next version (the persons sought as of a date, the CSV bytes and their
// SHA-256, recorded as list.exported), the versions exported so far, and the difference between
// two exported versions.
//
// The caller writes and reads the files (CSV, JSON); this layer reads no file and names no command
// or option. Thread-safety: as the Registry and the store passed in.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "registry/date.h"
#include "registry/list.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// The canonical CSV of a list (a format: the adapter passes io::ListToCsv). A version is the
// SHA-256 of these bytes.
using ListCsv = std::function<std::string(const std::vector<registry::ListEntry>&)>;

// The content of one version of the list.
struct ListContent {
  std::vector<registry::ListEntry> entries;  // persons sought, in id order
  std::string csv;                           // to_csv(entries)
  std::string sha256;                        // of csv's bytes, lower-case hex
};

struct ExportListRequest {
  WriteMeta meta;  // an empty reason becomes "list of persons sought exported"
  registry::AsOf as_of;  // the persons sought as the register had them then (nullopt: now)
  ListCsv to_csv;        // required
};

struct ExportListResult {
  int64_t version = 0;  // the list version, given by the register inside the write
  int64_t seq = 0;      // the list.exported event's seq
  registry::Date recorded_on;
  ListContent content;
};

// Called with the list before its version is recorded: an error stops the export with nothing
// recorded (an adapter stages its files here, so that a list it cannot write is not a version).
using StageList = std::function<Status(const ListContent&)>;

// Computes the persons sought as of request.as_of, calls `stage` (when given), and records
// list.exported (sha256, count, as_of) with the version id taken inside the write.
// Errors: those of the store, of `stage` and of Registry::Record; nothing is recorded on error.
[[nodiscard]] Result<ExportListResult> ExportList(registry::Registry& registry,
                                                  registry::RegistryStore& store,
                                                  const ExportListRequest& request,
                                                  const StageList& stage = {});

// One exported version, as recorded.
struct ListVersionInfo {
  int64_t version = 0;
  registry::Date recorded_on;
  std::string exported_by;
  int64_t count = 0;
  std::string sha256;
  std::string as_of;  // as recorded: "" when the list was of the register as it then stood
};

// Every version exported so far, in version order. Errors: those of the store.
[[nodiscard]] Result<std::vector<ListVersionInfo>> ListVersions(registry::RegistryStore& store);

// An exported list as its file gave it.
struct ListFile {
  std::string name;  // how to name the file in messages
  std::vector<registry::ListEntry> entries;
  // The SHA-256 the file states for its entries (a JSON export); nullopt: the file states none
  // (a CSV export, whose bytes are the entries).
  std::optional<std::string> sha256;
  ListCsv to_csv;  // required when sha256 is set
};

// Checks that a file's entries match the SHA-256 it states. Errors: kInvalidArgument "the entries
// do not match the file's sha256 (altered or damaged)" naming the file.
[[nodiscard]] Status VerifyListFile(const ListFile& file);

// Entries added, removed and changed from `a` to `b`, matched by id, after checking both files
// (VerifyListFile). Errors: those of VerifyListFile.
[[nodiscard]] Result<registry::ListDiff> DiffListFiles(const ListFile& a, const ListFile& b);

}  // namespace whereabouts::app
