// Figures of the register as of a date: registered missing by civilian/serviceman and
// child/woman/elderly, captured alive, detention outcomes, remains recovered per site and period,
// identified, returned to families. Every breakdown is checked to add up, and every cell keeps the
// ids of the records behind it. Pure.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "registry/event.h"
#include "registry/person.h"
#include "registry/snapshot.h"

namespace whereabouts::registry {

struct FigureRow {
  std::string key;    // stable cell name: "missing.civilian.child"
  std::string label;  // for people: "children (under 18)"
  int64_t value = 0;
  int depth = 0;       // indentation in the table
  std::string entity;  // "person" or "remains": what the ids are
  std::vector<int64_t> ids;
};

struct FigureCheck {
  std::string parent;              // key of the whole
  std::vector<std::string> parts;  // keys of the parts that must add up to it
  int64_t whole = 0;
  int64_t sum = 0;
  [[nodiscard]] bool Ok() const { return whole == sum; }
};

struct Figures {
  AsOf as_of;
  AgeLimits limits;
  std::vector<FigureRow> rows;
  std::vector<FigureCheck> checks;

  [[nodiscard]] const FigureRow* Find(std::string_view key) const;
  // The value of `key`, or -1 when there is no such row.
  [[nodiscard]] int64_t Value(std::string_view key) const;
  [[nodiscard]] bool AllAddUp() const;
};

// Persons one at a time: a source calls the visitor for each person (as of the date) and
// returns its own error, if any. Lets a store stream persons without holding them all.
using PersonVisitor = std::function<void(const Person&)>;
using PersonSource = std::function<Status(const PersonVisitor&)>;

// As below, reading the persons from `source`. Errors: the source's.
[[nodiscard]] Result<Figures> ComputeFigures(const PersonSource& source, const Snapshot& snap,
                                             const AgeLimits& limits, const AsOf& as_of);

// Computes the figures from persons (as of the date) and the snapshot (as of the same date).
// Complexity: O(persons + remains). Thread-safe (pure).
[[nodiscard]] Figures ComputeFigures(const std::vector<Person>& persons, const Snapshot& snap,
                                     const AgeLimits& limits, const AsOf& as_of);

}  // namespace whereabouts::registry
