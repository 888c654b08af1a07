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
  ListCsv to_csv;  // required when sha256 is set and csv_sha256 is not
  // A CSV export: the SHA-256 of its bytes; then `sha256`, when set, is what the JSON of the same
  // version (beside it) states. nullopt for a JSON export.
  std::optional<std::string> csv_sha256;
  // The version the file states (a JSON export) or its name gives (persons-sought-vN.csv);
  // 0: not known.
  int64_t version = 0;
};

// Checks that a file is what it states: a JSON's entries match the SHA-256 it states; a CSV's
// bytes match the SHA-256 its JSON states (when there is one). Errors: kInvalidArgument "the
// entries do not match the file's sha256 (altered or damaged)", "the CSV's bytes do not match the
// sha256 its JSON states (altered or damaged)", naming the file.
[[nodiscard]] Status VerifyListFile(const ListFile& file);

// Checks a file against the register's recorded versions (list.exported: sha256 and count) and
// returns the version it is. The file's SHA-256 (a CSV's bytes; what a JSON states, its entries
// checked by VerifyListFile first) must be the one recorded for the version the file states or
// its name gives; a file of no known version must have the SHA-256 of one recorded version.
// Errors: kInvalidArgument naming the file: "content differs from the register's list version N
// (sha256 ..., M entries; the file has K)" (a changed, removed or added row), "unknown version:
// the register has no list version N", "the file is none of the register's N list versions";
// those of VerifyListFile and of the store.
[[nodiscard]] Result<int64_t> MatchRegisterVersion(registry::RegistryStore& store,
                                                   const ListFile& file);

// Entries added, removed and changed from `a` to `b`, matched by id, after checking both files
// (VerifyListFile). Errors: those of VerifyListFile.
[[nodiscard]] Result<registry::ListDiff> DiffListFiles(const ListFile& a, const ListFile& b);

}  // namespace whereabouts::app
