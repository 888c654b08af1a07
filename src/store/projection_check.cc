#include "store/projection_check.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "store/person_columns.h"

namespace whereabouts::store {
namespace {

using registry::Event;
using registry::Person;

// The column values of person_columns.h as the stores' text reads give them.
struct TextSink {
  std::vector<std::optional<std::string>> values;
  void Add(std::string_view v) { values.emplace_back(std::string(v)); }
  void Add(const std::string& v) { values.emplace_back(v); }
  void Add(int64_t v) { values.emplace_back(std::to_string(v)); }
  void Add(const std::optional<registry::Date>& d) {
    values.push_back(d ? std::optional<std::string>(std::to_string(d->days)) : std::nullopt);
  }
  void Add(const std::optional<int>& v) {
    values.push_back(v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt);
  }
};

struct ExpectedRow {
  int64_t valid_from = 0;
  std::optional<int64_t> valid_to;
  std::vector<std::optional<std::string>> columns;
};

std::string Show(const std::optional<std::string>& v) { return v ? "'" + *v + "'" : "NULL"; }

std::string RowName(const registry::ProjectionRow& r) {
  return r.table + " row of person " + std::to_string(r.person_id) + " at event #" +
         std::to_string(r.seq);
}

}  // namespace

Result<ProjectionCheck> CheckProjections(registry::RegistryStore& store) {
  ProjectionCheck out;
  registry::EventQuery q;
  q.kind = registry::EntityKind::kPerson;
  WB_ASSIGN_OR_RETURN(const std::vector<Event> events, store.Events(q));
  // Each person's events in seq order, replayed as the stores do.
  std::map<int64_t, std::vector<const Event*>> by_person;
  for (const Event& e : events) by_person[e.entity_id].push_back(&e);
  // (table, person, seq) -> the row the events give.
  std::map<std::tuple<std::string, int64_t, int64_t>, ExpectedRow> expected;
  for (const auto& [pid, mine] : by_person) {
    std::optional<Person> state;
    for (size_t i = 0; i < mine.size(); ++i) {
      const Event& e = *mine[i];
      auto next = registry::ApplyPersonEvent(state, e);
      if (!next) {
        out.checked = true;
        out.intact = false;
        out.problem = "event #" + std::to_string(e.seq) + " (" + e.type + " of person " +
                      std::to_string(pid) +
                      ") breaks the register's rules when replayed: " + next.error().ToString();
        return out;
      }
      state = std::move(*next);
      ExpectedRow row;
      row.valid_from = e.recorded_on.days;
      if (i + 1 < mine.size()) row.valid_to = mine[i + 1]->recorded_on.days;
      TextSink versions;
      AddPersonColumns(versions, *state);
      TextSink facts;
      AddFactColumns(facts, *state);
      ExpectedRow v = row;
      v.columns = std::move(versions.values);
      row.columns = std::move(facts.values);
      expected[{"person_versions", pid, e.seq}] = std::move(v);
      expected[{"person_facts", pid, e.seq}] = std::move(row);
    }
  }
  size_t matched = 0;
  auto visited = store.VisitProjectionRows([&](const registry::ProjectionRow& r) {
    ++out.rows;
    auto it = expected.find({r.table, r.person_id, r.seq});
    if (it == expected.end()) {
      out.intact = false;
      out.problem = RowName(r) + " comes from no event of the person";
      return false;
    }
    const ExpectedRow& x = it->second;
    if (r.valid_from != x.valid_from || r.valid_to != x.valid_to) {
      out.intact = false;
      out.problem = RowName(r) + " does not match the events: its validity is [" +
                    std::to_string(r.valid_from) + ", " +
                    (r.valid_to ? std::to_string(*r.valid_to) : "open") + "), the events give [" +
                    std::to_string(x.valid_from) + ", " +
                    (x.valid_to ? std::to_string(*x.valid_to) : "open") + ")";
      return false;
    }
    const bool facts = r.table == "person_facts";
    const char* const* names = facts ? &kFactColumnNames[0] : &kPersonColumnNames[0];
    const size_t count = facts ? std::size(kFactColumnNames) : std::size(kPersonColumnNames);
    for (size_t c = 0; c < std::max(r.columns.size(), x.columns.size()); ++c) {
      const auto stored = c < r.columns.size() ? r.columns[c] : std::nullopt;
      const auto given = c < x.columns.size() ? x.columns[c] : std::nullopt;
      if (stored != given) {
        out.intact = false;
        out.problem = RowName(r) + " does not match the events: " +
                      (c < count ? std::string(names[c]) : "column " + std::to_string(c)) + " is " +
                      Show(stored) + ", the events give " + Show(given);
        return false;
      }
    }
    ++matched;
    return true;
  });
  if (!visited) {
    if (visited.error().code == ErrorCode::kUnimplemented) return out;  // not checked
    return tl::unexpected(visited.error());
  }
  out.checked = true;
  if (out.intact && matched != expected.size()) {
    // A row the events give is missing: name the first one.
    std::map<std::tuple<std::string, int64_t, int64_t>, bool> seen;
    auto again = store.VisitProjectionRows([&](const registry::ProjectionRow& r) {
      seen[{r.table, r.person_id, r.seq}] = true;
      return true;
    });
    if (!again) return tl::unexpected(again.error());
    for (const auto& [key, row] : expected) {
      if (seen.count(key)) continue;
      out.intact = false;
      out.problem = std::get<0>(key) + " has no row of person " + std::to_string(std::get<1>(key)) +
                    " at event #" + std::to_string(std::get<2>(key)) + " (the events give one)";
      break;
    }
  }
  return out;
}

}  // namespace whereabouts::store
