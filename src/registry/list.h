// The list of persons sought, as exchanged with the other party through the ICRC: versioned
// exports (canonical CSV and JSON with the SHA-256 of the CSV content) and the difference between
// two versions (added, removed, changed entries). Pure.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "registry/person.h"

namespace whereabouts::registry {

// One entry: the columns of the exported CSV, in order.
struct ListEntry {
  int64_t id = 0;
  std::string family_name, given_name, father_name, other_names, sex, birth, affiliation, unit,
      disappearance_date, disappearance_place, capture;
  bool operator==(const ListEntry&) const = default;
};

// The column names of the CSV header (and JSON keys), in order.
[[nodiscard]] const std::vector<std::string>& ListColumns();
// The text fields of an entry, in the order of ListColumns() after "id".
[[nodiscard]] std::vector<std::string*> ListEntryFields(ListEntry& e);
[[nodiscard]] std::vector<const std::string*> ListEntryFields(const ListEntry& e);

// Persons sought: counted persons whose case is open, in id order.
[[nodiscard]] std::vector<ListEntry> PersonsSought(const std::vector<Person>& persons);

// The canonical CSV of a list (ListToCsv, ListFromCsv) is a format: src/io/list_csv.h.

struct ListChange {
  int64_t id = 0;
  std::vector<std::string> fields;  // columns that differ
  ListEntry before, after;
};

struct ListDiff {
  std::vector<ListEntry> added;
  std::vector<ListEntry> removed;
  std::vector<ListChange> changed;
};

// Entries are matched by id. Complexity O(n log n).
[[nodiscard]] ListDiff DiffLists(const std::vector<ListEntry>& a, const std::vector<ListEntry>& b);

}  // namespace whereabouts::registry
