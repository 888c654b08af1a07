#include "registry/figures.h"

#include <cctype>
#include <functional>
#include <map>
#include <set>

namespace whereabouts::registry {
namespace {

std::string Slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

bool IsGraveKind(std::string_view kind) {
  return kind == "mass_grave" || kind == "grave" || kind == "burial" || kind == "cave" ||
         kind == "well";
}

class Builder {
 public:
  explicit Builder(Figures& f) : f_(f) {}
  FigureRow& Row(const std::string& key, std::string label, int depth, std::string entity) {
    auto it = index_.find(key);
    if (it != index_.end()) return f_.rows[it->second];
    index_[key] = f_.rows.size();
    f_.rows.push_back(FigureRow{key, std::move(label), 0, depth, std::move(entity), {}});
    return f_.rows.back();
  }
  void Add(const std::string& key, int64_t id) { Add(index_.at(key), id); }
  void Add(size_t index, int64_t id) {
    FigureRow& r = f_.rows[index];
    ++r.value;
    r.ids.push_back(id);
  }
  [[nodiscard]] size_t Index(const std::string& key) const { return index_.at(key); }
  void Check(const std::string& parent, std::vector<std::string> parts) {
    FigureCheck c;
    c.parent = parent;
    c.whole = f_.rows[index_.at(parent)].value;
    for (const auto& p : parts) c.sum += f_.rows[index_.at(p)].value;
    c.parts = std::move(parts);
    f_.checks.push_back(std::move(c));
  }
  void Reindex() {
    index_.clear();
    for (size_t i = 0; i < f_.rows.size(); ++i) index_[f_.rows[i].key] = i;
  }
  // Keys that start with `prefix` and have exactly one more segment.
  std::vector<std::string> Children(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const auto& r : f_.rows) {
      if (r.key.size() > prefix.size() + 1 && r.key.compare(0, prefix.size(), prefix) == 0 &&
          r.key[prefix.size()] == '.' && r.key.find('.', prefix.size() + 1) == std::string::npos) {
        out.push_back(r.key);
      }
    }
    return out;
  }

 private:
  Figures& f_;
  std::map<std::string, size_t> index_;
};

}  // namespace

const FigureRow* Figures::Find(std::string_view key) const {
  for (const auto& r : rows) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

int64_t Figures::Value(std::string_view key) const {
  const FigureRow* r = Find(key);
  return r ? r->value : -1;
}

bool Figures::AllAddUp() const {
  for (const auto& c : checks) {
    if (!c.Ok()) return false;
  }
  return true;
}

Figures ComputeFigures(const std::vector<Person>& persons, const Snapshot& snap,
                       const AgeLimits& limits, const AsOf& as_of) {
  auto f = ComputeFigures(
      [&](const PersonVisitor& visit) -> Status {
        for (const Person& p : persons) visit(p);
        return {};
      },
      snap, limits, as_of);
  return std::move(*f);  // the vector source cannot fail
}

Result<Figures> ComputeFigures(const PersonSource& visit_persons, const Snapshot& snap,
                               const AgeLimits& limits, const AsOf& as_of) {
  Figures f;
  f.as_of = as_of;
  f.limits = limits;
  Builder b(f);
  const std::string child = "children (under " + std::to_string(limits.child_below) + ")";
  const std::string elderly = "elderly (" + std::to_string(limits.elderly_from) + " and over)";
  const std::string women = "women (" + std::to_string(limits.child_below) + " to " +
                            std::to_string(limits.elderly_from - 1) + ")";
  const std::string men = "men (" + std::to_string(limits.child_below) + " to " +
                          std::to_string(limits.elderly_from - 1) + ")";
  auto category_rows = [&](const std::string& prefix, int depth) {
    b.Row(prefix + ".child", child, depth, "person");
    b.Row(prefix + ".woman", women, depth, "person");
    b.Row(prefix + ".elderly", elderly, depth, "person");
    b.Row(prefix + ".man", men, depth, "person");
    b.Row(prefix + ".sex_unknown",
          "sex unknown (" + std::to_string(limits.child_below) + " to " +
              std::to_string(limits.elderly_from - 1) + ")",
          depth, "person");
    b.Row(prefix + ".age_unknown", "age unknown, or a birth range across an age limit", depth,
          "person");
  };
  b.Row("missing", "registered as missing", 0, "person");
  b.Row("missing.serviceman", "servicemen", 1, "person");
  b.Row("missing.civilian", "civilians", 1, "person");
  category_rows("missing.civilian", 2);
  b.Row("missing.status", "by state of the case", 1, "person");
  b.Row("missing.status.open", "whereabouts still unknown", 2, "person");
  b.Row("missing.status.identified", "identified", 2, "person");
  b.Row("missing.status.found_alive", "found alive", 2, "person");
  b.Row("captured", "captured alive as prisoners of war or hostages", 0, "person");
  b.Row("captured.serviceman", "servicemen", 1, "person");
  b.Row("captured.civilian", "civilians", 1, "person");
  category_rows("captured.civilian", 2);
  b.Row("captured.kind", "by kind of capture", 1, "person");
  b.Row("captured.kind.prisoner_of_war", "prisoners of war", 2, "person");
  b.Row("captured.kind.hostage", "hostages", 2, "person");
  b.Row("icrc_visited", "detainees visited by the ICRC", 0, "person");
  b.Row("icrc_visited.body_returned", "reported dead, body returned", 1, "person");
  b.Row("icrc_visited.body_returned.other_party", "killed on the other party's territory", 2,
        "person");
  b.Row("icrc_visited.body_returned.elsewhere", "killed elsewhere or place unknown", 2, "person");
  b.Row("icrc_visited.dead_not_returned", "reported dead, body not returned", 1, "person");
  b.Row("icrc_visited.fate_unknown", "fate unknown", 1, "person");
  b.Row("identified", "identified", 0, "person");
  b.Row("identified.returned", "remains returned to families (handed over)", 1, "person");
  b.Row("identified.not_returned", "remains not yet returned", 1, "person");
  b.Row("identified.notified", "families notified of the identification", 1, "person");
  b.Row("identified.notified.period", "by year the family was notified", 2, "person");
  b.Row("identified.not_notified", "family not yet notified", 1, "person");
  b.Row("identified.by_source", "by where the remains came from", 1, "person");
  b.Row("identified.by_source.graves", "from graves", 2, "person");
  b.Row("identified.by_source.commingled", "from bags of commingled remains", 2, "person");
  b.Row("identified.by_source.other", "from other remains", 2, "person");
  b.Row("identified.period", "by year of identification", 1, "person");
  b.Row("remains", "remains recovered (bags, bodies, body parts)", 0, "remains");
  b.Row("remains.commingled", "bags of commingled remains", 1, "remains");
  b.Row("remains.handed_over", "handed over to families", 1, "remains");
  b.Row("remains.site", "by site", 1, "remains");
  b.Row("remains.period", "by year of recovery", 1, "remains");

  std::map<std::string, const Remains*> remains_by_label;
  std::set<int64_t> returned;  // persons whose remains were handed over to their family
  for (const auto& [id, r] : snap.remains) {
    remains_by_label[r.label] = &r;
    if (r.handed_over_on && r.handed_over_person > 0) returned.insert(r.handed_over_person);
  }
  std::map<int64_t, std::string> site_labels;
  for (const auto& [id, s] : snap.sites) {
    site_labels[id] = s.name + (s.village.empty() ? "" : " (" + s.village + ")");
  }

  std::map<std::string, std::string> localities;  // slug -> name
  std::set<int64_t> grave_sites;
  // Row indices of the fixed cells, so that the loop over persons builds no strings.
  const size_t k_captured = b.Index("captured");
  const size_t k_captured_civilian = b.Index("captured.civilian");
  const size_t k_captured_kind_hostage = b.Index("captured.kind.hostage");
  const size_t k_captured_kind_prisoner_of_war = b.Index("captured.kind.prisoner_of_war");
  const size_t k_captured_serviceman = b.Index("captured.serviceman");
  const size_t k_icrc_visited = b.Index("icrc_visited");
  const size_t k_icrc_visited_body_returned = b.Index("icrc_visited.body_returned");
  const size_t k_icrc_visited_body_returned_elsewhere =
      b.Index("icrc_visited.body_returned.elsewhere");
  const size_t k_icrc_visited_body_returned_other_party =
      b.Index("icrc_visited.body_returned.other_party");
  const size_t k_icrc_visited_dead_not_returned = b.Index("icrc_visited.dead_not_returned");
  const size_t k_icrc_visited_fate_unknown = b.Index("icrc_visited.fate_unknown");
  const size_t k_identified = b.Index("identified");
  const size_t k_identified_by_source_commingled = b.Index("identified.by_source.commingled");
  const size_t k_identified_by_source_graves = b.Index("identified.by_source.graves");
  const size_t k_identified_by_source_other = b.Index("identified.by_source.other");
  const size_t k_identified_not_notified = b.Index("identified.not_notified");
  const size_t k_identified_notified = b.Index("identified.notified");
  const size_t k_identified_returned = b.Index("identified.returned");
  const size_t k_identified_not_returned = b.Index("identified.not_returned");
  const size_t k_missing = b.Index("missing");
  const size_t k_missing_civilian = b.Index("missing.civilian");
  const size_t k_missing_serviceman = b.Index("missing.serviceman");
  const size_t k_missing_status_found_alive = b.Index("missing.status.found_alive");
  const size_t k_missing_status_identified = b.Index("missing.status.identified");
  const size_t k_missing_status_open = b.Index("missing.status.open");
  size_t missing_cat[6], captured_cat[6];
  for (AgeCategory c : {AgeCategory::kChild, AgeCategory::kElderly, AgeCategory::kWoman,
                        AgeCategory::kMan, AgeCategory::kAgeUnknown, AgeCategory::kSexUnknown}) {
    missing_cat[static_cast<int>(c)] = b.Index("missing.civilian." + std::string(Name(c)));
    captured_cat[static_cast<int>(c)] = b.Index("captured.civilian." + std::string(Name(c)));
  }
  WB_RETURN_IF_ERROR(visit_persons([&](const Person& p) {
    if (!p.Counted()) return;
    const int64_t id = p.id.value;
    const AgeCategory cat = CategoryOf(p, limits);
    b.Add(k_missing, id);
    if (p.affiliation == Affiliation::kServiceman) {
      b.Add(k_missing_serviceman, id);
    } else {
      b.Add(k_missing_civilian, id);
      b.Add(missing_cat[static_cast<int>(cat)], id);
    }
    if (p.status == CaseStatus::kOpen)
      b.Add(k_missing_status_open, id);
    else if (p.status == CaseStatus::kIdentified)
      b.Add(k_missing_status_identified, id);
    else
      b.Add(k_missing_status_found_alive, id);
    if (p.capture != CaptureKind::kNone) {
      b.Add(k_captured, id);
      b.Add(p.capture == CaptureKind::kHostage ? k_captured_kind_hostage
                                               : k_captured_kind_prisoner_of_war,
            id);
      if (p.affiliation == Affiliation::kServiceman) {
        b.Add(k_captured_serviceman, id);
      } else {
        b.Add(k_captured_civilian, id);
        b.Add(captured_cat[static_cast<int>(cat)], id);
      }
      if (p.icrc_visits > 0) {
        b.Add(k_icrc_visited, id);
        if (p.reported_dead && p.body == BodyStatus::kReturned) {
          b.Add(k_icrc_visited_body_returned, id);
          if (p.death_territory == Territory::kOtherParty) {
            b.Add(k_icrc_visited_body_returned_other_party, id);
            const std::string slug = Slug(p.death_locality.empty() ? "unknown" : p.death_locality);
            const std::string key = "icrc_visited.body_returned.other_party." + slug;
            b.Row(key, "in " + (p.death_locality.empty() ? "an unknown place" : p.death_locality),
                  3, "person");
            b.Add(key, id);
          } else {
            b.Add(k_icrc_visited_body_returned_elsewhere, id);
          }
        } else if (p.reported_dead) {
          b.Add(k_icrc_visited_dead_not_returned, id);
        } else {
          b.Add(k_icrc_visited_fate_unknown, id);
        }
      }
    }
    if (p.status == CaseStatus::kIdentified) {
      b.Add(k_identified, id);
      b.Add(p.family_notified_on ? k_identified_notified : k_identified_not_notified, id);
      b.Add(returned.count(id) ? k_identified_returned : k_identified_not_returned, id);
      // Periods are years of the event's date (the date of the identification, of the
      // notification); which events count is still decided by the recording date (as of).
      const std::string year =
          p.identified_on ? std::to_string(p.identified_on->Year()) : "unknown";
      b.Row("identified.period." + year, year, 2, "person");
      b.Add("identified.period." + year, id);
      if (p.family_notified_on) {
        const std::string nyear = std::to_string(p.family_notified_on->Year());
        b.Row("identified.notified.period." + nyear, nyear, 3, "person");
        b.Add("identified.notified.period." + nyear, id);
      }
      bool commingled = false;
      size_t start = 0;
      const std::string& labels = p.identified_remains;
      while (start < labels.size()) {
        size_t bar = labels.find('|', start);
        if (bar == std::string::npos) bar = labels.size();
        auto it = remains_by_label.find(labels.substr(start, bar - start));
        if (it != remains_by_label.end() && it->second->commingled) commingled = true;
        start = bar + 1;
      }
      auto site = snap.sites.find(p.identified_site);
      if (commingled) {
        b.Add(k_identified_by_source_commingled, id);
      } else if (site != snap.sites.end() && IsGraveKind(site->second.site_kind)) {
        b.Add(k_identified_by_source_graves, id);
        const std::string key = "identified.by_source.graves." + std::to_string(site->first);
        b.Row(key, site_labels[site->first], 3, "person");
        b.Add(key, id);
        grave_sites.insert(site->first);
      } else {
        b.Add(k_identified_by_source_other, id);
      }
    }
  }));
  for (const auto& [id, r] : snap.remains) {
    b.Add("remains", id);
    if (r.commingled) b.Add("remains.commingled", id);
    if (r.handed_over_on) b.Add("remains.handed_over", id);
    const std::string site_key = "remains.site." + (r.site_id ? std::to_string(r.site_id) : "none");
    b.Row(site_key, r.site_id ? site_labels[r.site_id] : "no site (handed over)", 2, "remains");
    b.Add(site_key, id);
    const std::string year = r.recovered_on ? std::to_string(r.recovered_on->Year()) : "unknown";
    b.Row("remains.period." + year, year, 2, "remains");
    b.Add("remains.period." + year, id);
  }
  f.rows[0].label = "registered as missing";
  if (auto* g = const_cast<FigureRow*>(f.Find("identified.by_source.graves"))) {
    g->label = "from " + std::to_string(grave_sites.size()) + " graves";
  }
  // Give the container rows their totals (they are the sum of their parts by construction) and
  // check every partition.
  for (auto& r : f.rows) {
    if (r.key == "missing.status" || r.key == "captured.kind" || r.key == "identified.by_source") {
      r.value = f.Value(r.key.substr(0, r.key.find('.')));
    }
    if (r.key == "remains.site" || r.key == "remains.period") r.value = f.Value("remains");
    if (r.key == "identified.period") r.value = f.Value("identified");
    if (r.key == "identified.notified.period") r.value = f.Value("identified.notified");
  }
  // Order rows as a tree: every row under its parent; rows added while counting (localities,
  // sites, years) sorted by key, numerically where the last segment is a number.
  {
    std::vector<FigureRow> ordered;
    std::vector<bool> used(f.rows.size(), false);
    auto parent_of = [](const std::string& key) {
      const size_t dot = key.rfind('.');
      return dot == std::string::npos ? std::string() : key.substr(0, dot);
    };
    std::function<void(const std::string&)> emit = [&](const std::string& parent) {
      std::vector<size_t> kids;
      for (size_t i = 0; i < f.rows.size(); ++i) {
        if (!used[i] && parent_of(f.rows[i].key) == parent) kids.push_back(i);
      }
      const bool sort_kids =
          parent == "remains.site" || parent == "remains.period" || parent == "identified.period" ||
          parent == "identified.notified.period" || parent == "identified.by_source.graves" ||
          parent == "icrc_visited.body_returned.other_party";
      if (sort_kids) {
        auto last = [&](size_t i) { return f.rows[i].key.substr(parent.size() + 1); };
        std::stable_sort(kids.begin(), kids.end(), [&](size_t x, size_t y) {
          const std::string a = last(x), b2 = last(y);
          const bool na = !a.empty() && std::isdigit(static_cast<unsigned char>(a[0]));
          const bool nb = !b2.empty() && std::isdigit(static_cast<unsigned char>(b2[0]));
          // Both numbers (years, ids): numeric order, by length then digits (never throws).
          if (na && nb) return a.size() != b2.size() ? a.size() < b2.size() : a < b2;
          if (na != nb) return na;
          return a < b2;
        });
      }
      for (size_t i : kids) {
        used[i] = true;
        ordered.push_back(f.rows[i]);
        emit(f.rows[i].key);
      }
    };
    emit("");
    f.rows = std::move(ordered);
    b.Reindex();
  }
  b.Check("missing", {"missing.serviceman", "missing.civilian"});
  b.Check("missing.civilian", b.Children("missing.civilian"));
  b.Check("missing", b.Children("missing.status"));
  b.Check("captured", {"captured.serviceman", "captured.civilian"});
  b.Check("captured.civilian", b.Children("captured.civilian"));
  b.Check("captured", b.Children("captured.kind"));
  b.Check("icrc_visited", {"icrc_visited.body_returned", "icrc_visited.dead_not_returned",
                           "icrc_visited.fate_unknown"});
  b.Check("icrc_visited.body_returned",
          {"icrc_visited.body_returned.other_party", "icrc_visited.body_returned.elsewhere"});
  b.Check("icrc_visited.body_returned.other_party",
          b.Children("icrc_visited.body_returned.other_party"));
  b.Check("identified", {"identified.notified", "identified.not_notified"});
  b.Check("identified", {"identified.returned", "identified.not_returned"});
  b.Check("identified", b.Children("identified.by_source"));
  b.Check("identified.by_source.graves", b.Children("identified.by_source.graves"));
  b.Check("identified", b.Children("identified.period"));
  b.Check("identified.notified", b.Children("identified.notified.period"));
  b.Check("remains", b.Children("remains.site"));
  b.Check("remains", b.Children("remains.period"));
  return f;
}

}  // namespace whereabouts::registry
