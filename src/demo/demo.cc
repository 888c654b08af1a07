#include "demo/demo.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "registry/geometry.h"
#include "registry/snapshot.h"

namespace whereabouts::demo {

// The demo builds the register's own events: its vocabulary is used throughout this file.
using namespace whereabouts::registry;  // NOLINT(google-build-using-namespace)

namespace {

// splitmix64: a fixed, portable sequence (std distributions differ between libraries).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }

 private:
  uint64_t state_;
};

const char* const kSyllables[] = {"ar", "ben", "ka",  "lo",  "mi",  "ra",  "sev", "tan", "vel",
                                  "zo", "dor", "gal", "har", "ner", "ol",  "pa",  "ri",  "sa",
                                  "tu", "va",  "ken", "lis", "mor", "nav", "rus", "de",  "gor"};
const char* const kFamilySuffix[] = {"yan", "ov", "li", "ski", "ets", "ar", "ents"};
const char* const kMaleSuffix[] = {"an", "ek", "or", "im", "et"};
const char* const kFemaleSuffix[] = {"a", "ina", "el", "ia"};
const char* const kVillages[] = {"Tarsenik", "Olvazi",  "Dervanli", "Kosmara", "Lerin",
                                 "Sabrun",   "Gorvan",  "Mavrun",   "Pelisto", "Urdavan",
                                 "Velikor",  "Zanoti",  "Brastel",  "Harmuni", "Kelvado",
                                 "Lomirat",  "Nesvari", "Ostrin",   "Rudavi",  "Tolmek"};
const char* const kDistricts[] = {"Kernavik district", "Ardelan district", "Solvin district",
                                  "Marutan district"};
constexpr const char* kDeathCity = "Ostravel";
constexpr const char* kDeathDistrict = "Kernavik district";

std::string Cap(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string Syllables(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += kSyllables[rng.Below(static_cast<int>(std::size(kSyllables)))];
  return s;
}

std::string FamilyName(Rng& rng) {
  return Cap(Syllables(rng, rng.Between(1, 2)) +
             kFamilySuffix[rng.Below(static_cast<int>(std::size(kFamilySuffix)))]);
}
std::string MaleName(Rng& rng) {
  return Cap(Syllables(rng, rng.Between(1, 2)) +
             kMaleSuffix[rng.Below(static_cast<int>(std::size(kMaleSuffix)))]);
}
std::string FemaleName(Rng& rng) {
  return Cap(Syllables(rng, rng.Between(1, 2)) +
             kFemaleSuffix[rng.Below(static_cast<int>(std::size(kFemaleSuffix)))]);
}

// A Cyrillic spelling of a generated Latin name (for names in another script).
std::string ToCyrillic(const std::string& latin) {
  std::string out;
  for (size_t i = 0; i < latin.size(); ++i) {
    char c = latin[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool upper = i == 0;
    const char* lower_map = nullptr;
    const char* upper_map = nullptr;
    if (c == 'y' && i + 1 < latin.size() && latin[i + 1] == 'a') {
      out += upper ? "Я" : "я";
      ++i;
      continue;
    }
    switch (c) {
      case 'a':
        lower_map = "а";
        upper_map = "А";
        break;
      case 'b':
        lower_map = "б";
        upper_map = "Б";
        break;
      case 'd':
        lower_map = "д";
        upper_map = "Д";
        break;
      case 'e':
        lower_map = "е";
        upper_map = "Е";
        break;
      case 'g':
        lower_map = "г";
        upper_map = "Г";
        break;
      case 'h':
        lower_map = "х";
        upper_map = "Х";
        break;
      case 'i':
        lower_map = "и";
        upper_map = "И";
        break;
      case 'k':
        lower_map = "к";
        upper_map = "К";
        break;
      case 'l':
        lower_map = "л";
        upper_map = "Л";
        break;
      case 'm':
        lower_map = "м";
        upper_map = "М";
        break;
      case 'n':
        lower_map = "н";
        upper_map = "Н";
        break;
      case 'o':
        lower_map = "о";
        upper_map = "О";
        break;
      case 'p':
        lower_map = "п";
        upper_map = "П";
        break;
      case 'r':
        lower_map = "р";
        upper_map = "Р";
        break;
      case 's':
        lower_map = "с";
        upper_map = "С";
        break;
      case 't':
        lower_map = "т";
        upper_map = "Т";
        break;
      case 'u':
        lower_map = "у";
        upper_map = "У";
        break;
      case 'v':
        lower_map = "в";
        upper_map = "В";
        break;
      case 'y':
        lower_map = "й";
        upper_map = "Й";
        break;
      case 'z':
        lower_map = "з";
        upper_map = "З";
        break;
      default:
        lower_map = "";
        upper_map = "";
        break;
    }
    out += upper ? upper_map : lower_map;
  }
  return out;
}

// A transliteration variant of a Latin name, as another clerk might have written it.
std::string Variant(std::string s) {
  auto rep = [&](const std::string& from, const std::string& to) {
    const size_t pos = s.find(from);
    if (pos == std::string::npos) return false;
    s.replace(pos, from.size(), to);
    return true;
  };
  if (!rep("yan", "ian") && !rep("ov", "off") && !rep("v", "w") && !rep("k", "q")) s += "h";
  return s;
}

Date D(const char* text) { return *Date::Parse(text); }
Date Plus(Date d, int days) { return Date{d.days + days}; }
Date Min(Date a, Date b) { return a < b ? a : b; }
Date Max(Date a, Date b) { return a < b ? b : a; }

enum class Cat { kServiceman, kChild, kWoman, kElderly, kMan };
enum class Fate {
  kNone,
  kReturnedCity,
  kReturnedDistrict,
  kReturnedElsewhere,
  kDeadNotReturned,
  kUnknown
};

struct Spec {
  Cat cat = Cat::kServiceman;
  bool captured = false;
  Fate fate = Fate::kNone;
  bool late = false;                // registered after the earlier date
  bool corrected_category = false;  // registered with a wrong birth date, corrected later
  int grave_site = 0;               // identified from this site (index into the sites list)
  int commingled = -1;              // index among the persons identified from commingled bags
};

class Builder {
 public:
  void Add(Event e) { events_.push_back(std::move(e)); }
  Event Make(EntityKind kind, int64_t id, const char* type, Date on, const char* reason) {
    Event e;
    e.kind = kind;
    e.entity_id = id;
    e.type = type;
    e.recorded_on = on;
    e.actor = "demo";
    e.reason = reason;
    return e;
  }
  std::vector<Event> Take() {
    std::stable_sort(events_.begin(), events_.end(),
                     [](const Event& a, const Event& b) { return a.recorded_on < b.recorded_on; });
    return std::move(events_);
  }

 private:
  std::vector<Event> events_;
};

struct SiteSpec {
  const char* name;
  const char* kind;
  int village;
  int district;
  double lon, lat;
  const char* discovered;
  const char* excavated;  // "" when not excavated
  int identified;         // persons identified from it
  int unidentified;       // further bodies not (yet) identified
  const char* findings;
};

const SiteSpec kSites[] = {
    {"Cave near Tarsenik", "cave", 0, 0, 21.112, 44.204, "2021-04-03", "2021-05-10", 20, 2,
     "human remains in a side chamber of a cave near the village"},
    {"Grave of twelve near Olvazi", "mass_grave", 1, 1, 21.245, 44.318, "2021-09-14", "2021-10-02",
     12, 0, "a grave of twelve people with bound hands"},
    {"Dervanli field grave", "mass_grave", 2, 1, 21.301, 44.251, "2022-03-02", "2022-04-11", 30, 3,
     "a mass grave at the edge of a field"},
    {"Kosmara orchard grave", "mass_grave", 3, 2, 21.402, 44.112, "2022-04-20", "2022-07-05", 25, 0,
     "a mass grave in an orchard inside a cleared minefield"},
    {"Lerin cemetery burials", "burial", 4, 2, 21.455, 44.402, "2018-05-11", "2018-06-20", 16, 0,
     "unmarked burials at the edge of the village cemetery"},
    {"Sabrun ravine grave", "grave", 5, 3, 21.512, 44.288, "2023-04-18", "2023-05-22", 15, 0,
     "a grave in a ravine"},
    {"Well near Gorvan", "well", 6, 3, 21.602, 44.155, "2024-08-01", "", 0, 0,
     "witnesses report bodies thrown into a disused well"},
    {"Trench near Mavrun", "other", 7, 0, 21.655, 44.361, "2024-09-12", "", 0, 0,
     "a filled trench reported by a shepherd"},
};

// Square-ish polygons around a centre, sized in degrees.
Polygon Box(double lon, double lat, double half_lon, double half_lat) {
  Polygon p;
  p.outer = {{lon - half_lon, lat - half_lat},
             {lon + half_lon, lat - half_lat},
             {lon + half_lon, lat + half_lat},
             {lon - half_lon, lat + half_lat}};
  return p;
}

}  // namespace

std::vector<Event> DemoEvents(bool with_relatives) {
  Rng rng(20200115);
  Builder b;
  const Date before_earlier = D("2019-12-31");

  // 1. Who is who: the exact breakdowns.
  std::vector<Spec> specs;
  auto add_group = [&](Cat cat, int total, int captured) {
    for (int i = 0; i < total; ++i) {
      Spec s;
      s.cat = cat;
      s.captured = i < captured;
      specs.push_back(s);
    }
  };
  add_group(Cat::kServiceman, 3171, 605);
  add_group(Cat::kChild, 71, 29);
  add_group(Cat::kWoman, 267, 98);
  add_group(Cat::kElderly, 326, 112);
  add_group(Cat::kMan, 55, 28);
  // The 54 detainees visited by the ICRC: 44 captured servicemen, 6 captured civilian men,
  // 4 captured women; outcomes in order.
  std::vector<size_t> visited;
  for (size_t i = 0; i < specs.size() && visited.size() < 44; ++i) {
    if (specs[i].cat == Cat::kServiceman && specs[i].captured) visited.push_back(i);
  }
  for (Cat c : {Cat::kMan, Cat::kWoman}) {
    size_t want = c == Cat::kMan ? 6 : 4;
    for (size_t i = 0; i < specs.size() && want > 0; ++i) {
      if (specs[i].cat == c && specs[i].captured) {
        visited.push_back(i);
        --want;
      }
    }
  }
  for (size_t k = 0; k < visited.size(); ++k) {
    Fate f = k < 10   ? Fate::kReturnedCity
             : k < 12 ? Fate::kReturnedDistrict
             : k < 17 ? Fate::kReturnedElsewhere
             : k < 50 ? Fate::kDeadNotReturned
                      : Fate::kUnknown;
    specs[visited[k]].fate = f;
  }
  // One captured serviceman (not visited) was registered only after the earlier date.
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].cat == Cat::kServiceman && specs[i].captured && specs[i].fate == Fate::kNone) {
      specs[i].late = true;
      break;
    }
  }
  // One elderly civilian (not captured) was first registered with a wrong birth date.
  for (auto& s : specs) {
    if (s.cat == Cat::kElderly && !s.captured) {
      s.corrected_category = true;
      break;
    }
  }
  // Identified: 118 from six graves (the grave of twelve: civilians not captured; the others
  // servicemen not captured), 106 from commingled bags (servicemen not captured).
  {
    int civilians_left = kSites[1].identified;
    for (auto& s : specs) {
      if (civilians_left == 0) break;
      if ((s.cat == Cat::kMan || s.cat == Cat::kElderly) && !s.captured && !s.corrected_category) {
        s.grave_site = 2;  // 1-based site id
        --civilians_left;
      }
    }
    std::vector<int> quota;
    for (size_t i = 0; i < std::size(kSites); ++i) {
      if (i == 1) continue;
      for (int k = 0; k < kSites[i].identified; ++k) quota.push_back(static_cast<int>(i) + 1);
    }
    size_t q = 0;
    int commingled = 0;
    for (auto& s : specs) {
      if (s.cat != Cat::kServiceman || s.captured || s.grave_site) continue;
      if (q < quota.size()) {
        s.grave_site = quota[q++];
      } else if (commingled < 106) {
        s.commingled = commingled++;
      } else {
        break;
      }
    }
  }

  // 2. Sites and hazard areas.
  int64_t hazard_id = 0;
  auto add_hazard = [&](const char* name, const char* status, const std::vector<Polygon>& polys,
                        const char* on) {
    Event e = b.Make(EntityKind::kHazard, ++hazard_id, "hazard.registered", D(on),
                     "survey of the mine action centre");
    e.payload["name"] = name;
    e.payload["hazard_status"] = status;
    e.payload["polygons"] = EncodePolygons(polys);
    b.Add(std::move(e));
  };
  add_hazard("Gorvan north minefield", "suspected",
             {Box(kSites[6].lon, kSites[6].lat, 0.01, 0.008)}, "2019-03-01");
  // Mavrun ridge: about 300 m east of the trench.
  add_hazard("Mavrun ridge minefield", "confirmed",
             {Box(kSites[7].lon + 0.0038 + 0.006, kSites[7].lat, 0.006, 0.004)}, "2019-03-01");
  add_hazard("Kosmara orchard", "confirmed", {Box(kSites[3].lon, kSites[3].lat, 0.004, 0.003)},
             "2017-10-10");
  {
    Event e = b.Make(EntityKind::kHazard, 3, "hazard.status_changed", D("2022-05-30"),
                     "clearance completed and certified");
    e.payload["hazard_status"] = "cleared";
    b.Add(std::move(e));
  }
  for (size_t i = 0; i < std::size(kSites); ++i) {
    const SiteSpec& s = kSites[i];
    const Date found = D(s.discovered);
    Event e = b.Make(EntityKind::kSite, static_cast<int64_t>(i) + 1, "site.registered",
                     Plus(found, 2), "report of the search team");
    e.payload["name"] = s.name;
    e.payload["site_kind"] = s.kind;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", s.lon);
    e.payload["lon"] = buf;
    std::snprintf(buf, sizeof buf, "%.6f", s.lat);
    e.payload["lat"] = buf;
    e.payload["village"] = kVillages[s.village];
    e.payload["district"] = kDistricts[s.district];
    e.payload["discovered_on"] = s.discovered;
    e.payload["findings"] = s.findings;
    b.Add(std::move(e));
    if (*s.excavated != '\0') {
      Event x = b.Make(EntityKind::kSite, static_cast<int64_t>(i) + 1, "site.excavated",
                       D(s.excavated), "excavation report");
      x.payload["date"] = s.excavated;
      x.payload["team"] = "Field team " + std::to_string(i + 1);
      b.Add(std::move(x));
    }
  }

  // 3. Remains: one body per person identified from a grave plus unidentified ones; 67 bags of
  // commingled remains handed over in two batches.
  int64_t remains_id = 0;
  std::vector<std::vector<std::string>> site_labels(std::size(kSites));
  auto add_remains = [&](const std::string& label, const char* kind, int site, Date on,
                         const std::string& holder, bool commingled) {
    const int64_t id = ++remains_id;
    Event e = b.Make(EntityKind::kRemains, id, "remains.recovered", on, "recovery report");
    e.payload["label"] = label;
    e.payload["remains_kind"] = kind;
    if (site) e.payload["site"] = std::to_string(site);
    e.payload["recovered_on"] = on.ToString();
    e.payload["holder"] = holder;
    e.payload["commingled"] = commingled ? "1" : "0";
    b.Add(std::move(e));
    Event t = b.Make(EntityKind::kRemains, id, "remains.transferred", Plus(on, 3),
                     "chain of custody form");
    t.payload["from"] = holder;
    t.payload["to"] = "Central forensic laboratory";
    t.payload["date"] = Plus(on, 3).ToString();
    b.Add(std::move(t));
    Event s = b.Make(EntityKind::kRemains, id, "remains.sampled", Plus(on, 10), "sampling log");
    s.payload["sample"] = label + "-a";
    b.Add(std::move(s));
  };
  for (size_t i = 0; i < std::size(kSites); ++i) {
    const SiteSpec& s = kSites[i];
    if (*s.excavated == '\0') continue;
    for (int k = 0; k < s.identified + s.unidentified; ++k) {
      char label[32];
      std::snprintf(label, sizeof label, "S%zu-%03d", i + 1, k + 1);
      site_labels[i].push_back(label);
      add_remains(label, "body", static_cast<int>(i) + 1, D(s.excavated),
                  "Field team " + std::to_string(i + 1), false);
    }
  }
  std::vector<std::string> bags;
  for (int k = 0; k < 67; ++k) {
    char label[32];
    std::snprintf(label, sizeof label, "HB-%03d", k + 1);
    bags.push_back(label);
    add_remains(label, "bag", 0, k < 40 ? D("2023-02-10") : D("2024-07-16"), "Handover commission",
                true);
  }

  // 4. Persons and their histories.
  std::vector<int> site_next(std::size(kSites), 0);
  std::vector<int64_t> grave_of_twelve;  // persons identified from site 2
  int64_t proposal_id = 0;               // identification proposals, numbered from 1
  int64_t relative_id = 0;
  int64_t person_id = 0;
  const Date war_start = D("1992-03-01");
  struct Earlier {
    int64_t id;
    std::string family, given, village;
    Date born, disappeared;
  };
  std::vector<Earlier> earlier_names;  // servicemen, for duplicate spellings
  for (const Spec& s : specs) {
    const int64_t id = ++person_id;
    const bool female = s.cat == Cat::kWoman || (s.cat == Cat::kChild && rng.Below(2) == 0) ||
                        (s.cat == Cat::kElderly && rng.Below(2) == 0);
    Date disappeared = Plus(war_start, rng.Below(800));
    int age = 0;
    switch (s.cat) {
      case Cat::kServiceman:
        age = rng.Between(19, 45);
        break;
      case Cat::kChild:
        age = rng.Between(3, 16);
        break;
      case Cat::kWoman:
      case Cat::kMan:
        age = rng.Between(20, 55);
        break;
      case Cat::kElderly:
        age = rng.Between(62, 84);
        break;
    }
    Date born = Plus(disappeared, -(age * 365 + age / 4 + rng.Between(1, 300)));
    // Every 500th person was also registered by another office under a variant spelling: the
    // pair is suggested as a duplicate (both stay counted until merged).
    const bool variant_of_previous =
        id % 500 == 0 && !earlier_names.empty() && !female && s.cat == Cat::kServiceman;
    if (variant_of_previous) {
      born = earlier_names.back().born;
      disappeared = earlier_names.back().disappeared;
    }
    Date registered = Plus(disappeared, rng.Between(20, 2500));
    registered = Min(registered, s.captured ? D("1999-12-31") : before_earlier);
    if (s.late) registered = D("2021-06-10");
    Date cursor = registered;

    Event reg = b.Make(EntityKind::kPerson, id, "person.registered", registered,
                       s.late ? "testimony of a returned prisoner" : "application of the family");
    std::string family = FamilyName(rng);
    std::string given = female ? FemaleName(rng) : MaleName(rng);
    if (variant_of_previous) {
      family = Variant(earlier_names.back().family);
      given = earlier_names.back().given;
    }
    reg.payload["family_name"] = family;
    reg.payload["given_name"] = given;
    reg.payload["father_name"] = MaleName(rng);
    if (id % 7 == 0) reg.payload["other_names"] = ToCyrillic(family) + " " + ToCyrillic(given);
    reg.payload["sex"] = female ? "female" : "male";
    if ((s.cat == Cat::kServiceman || s.cat == Cat::kMan) && age >= 25 && age <= 50 &&
        rng.Below(20) == 0 && !variant_of_previous) {
      reg.payload["birth_year_min"] = std::to_string(born.Year() - 2);
      reg.payload["birth_year_max"] = std::to_string(born.Year() + 1);
    } else if (s.corrected_category) {
      reg.payload["birth_date"] = Plus(born, 30 * 365).ToString();  // the clerk's error
    } else {
      reg.payload["birth_date"] = born.ToString();
    }
    std::string village = kVillages[rng.Below(static_cast<int>(std::size(kVillages)))];
    if (variant_of_previous) village = earlier_names.back().village;
    reg.payload["affiliation"] = s.cat == Cat::kServiceman ? "serviceman" : "civilian";
    if (s.cat == Cat::kServiceman) {
      reg.payload["unit"] = "Unit " + std::to_string(100 + rng.Below(60));
    }
    reg.payload["disappearance_date"] = disappeared.ToString();
    reg.payload["disappearance_place"] = village;
    reg.payload["circumstances"] = s.captured ? "taken during the fighting near the village"
                                              : "went missing during the fighting";
    const bool reg_has_birth_date = reg.payload.count("birth_date") > 0;
    b.Add(std::move(reg));
    if (s.cat == Cat::kServiceman && !female && !variant_of_previous && reg_has_birth_date) {
      earlier_names.push_back(Earlier{id, family, given, village, born, disappeared});
    }

    if (s.captured) {
      const Date on = s.late ? registered : Min(Plus(registered, rng.Below(200)), before_earlier);
      cursor = Max(cursor, on);
      Event c = b.Make(EntityKind::kPerson, id, "person.captured", cursor, "witness statement");
      c.payload["capture"] = s.cat == Cat::kServiceman ? "prisoner_of_war" : "hostage";
      c.payload["capture_date"] = disappeared.ToString();
      c.payload["captured_by"] = "armed forces of the other party";
      c.payload["seen_alive_by"] = rng.Below(2) ? "fellow detainee" : "neighbour";
      b.Add(std::move(c));
    }
    if (s.fate != Fate::kNone) {
      Event d = b.Make(EntityKind::kPerson, id, "person.detained", cursor, "ICRC communication");
      d.payload["detention_place"] = "detention facility in " + std::string(kDeathCity);
      b.Add(std::move(d));
      const Date visit = Plus(disappeared, rng.Between(30, 300));
      cursor = Max(cursor, Plus(visit, 15));
      Event v = b.Make(EntityKind::kPerson, id, "person.icrc_visited", cursor, "ICRC visit record");
      v.payload["date"] = visit.ToString();
      b.Add(std::move(v));
      if (s.fate != Fate::kUnknown) {
        const Date death = Plus(visit, rng.Between(10, 200));
        cursor = Min(Plus(cursor, rng.Between(100, 9000)), D("2025-06-30"));
        Event r = b.Make(EntityKind::kPerson, id, "person.reported_dead", cursor,
                         "notification through the ICRC");
        r.payload["death_date"] = death.ToString();
        if (s.fate == Fate::kReturnedCity) {
          r.payload["death_territory"] = "other_party";
          r.payload["death_locality"] = kDeathCity;
          r.payload["death_place"] = std::string(kDeathCity) + ", place of detention";
        } else if (s.fate == Fate::kReturnedDistrict) {
          r.payload["death_territory"] = "other_party";
          r.payload["death_locality"] = kDeathDistrict;
        } else if (s.fate == Fate::kReturnedElsewhere) {
          r.payload["death_territory"] = "own";
          r.payload["death_locality"] = village;
        }
        b.Add(std::move(r));
        if (s.fate == Fate::kReturnedCity || s.fate == Fate::kReturnedDistrict ||
            s.fate == Fate::kReturnedElsewhere) {
          cursor = Min(Plus(cursor, rng.Between(30, 1500)), D("2025-09-30"));
          Event ret =
              b.Make(EntityKind::kPerson, id, "person.body_returned", cursor, "handover protocol");
          ret.payload["date"] = cursor.ToString();
          b.Add(std::move(ret));
        }
      }
    }
    if (s.grave_site || s.commingled >= 0) {
      std::string remains;
      int site = 0;
      Date recovered;
      if (s.grave_site) {
        if (s.grave_site == 2) grave_of_twelve.push_back(id);
        const size_t si = static_cast<size_t>(s.grave_site - 1);
        site = s.grave_site;
        remains = site_labels[si][static_cast<size_t>(site_next[si]++)];
        recovered = D(kSites[si].excavated);
      } else {
        const int k = s.commingled;
        remains = bags[static_cast<size_t>(k % 67)];
        if (k < 60) remains += "|" + bags[static_cast<size_t>((k * 7 + 3) % 67)];
        recovered = k % 67 < 40 ? D("2023-02-10") : D("2024-07-16");
        if (k < 60 && (k * 7 + 3) % 67 >= 40) recovered = D("2024-07-16");
      }
      const Date ident = Min(Plus(recovered, rng.Between(100, 450)), D("2025-10-31"));
      cursor = Max(cursor, ident);
      // Proposed by the laboratory's report and confirmed by a reviewer the same day (an
      // identification is recorded only by confirming a proposal: registry/identification.h).
      const std::string proposal = std::to_string(++proposal_id);
      Event prop = b.Make(EntityKind::kPerson, id, "person.identification_proposed", cursor,
                          "DNA identification report");
      prop.payload["proposal"] = proposal;
      prop.payload["date"] = cursor.ToString();
      if (site) prop.payload["site"] = std::to_string(site);
      prop.payload["remains"] = remains;
      b.Add(std::move(prop));
      Event e = b.Make(EntityKind::kPerson, id, "person.identified", cursor,
                       "report reviewed: DNA match and circumstances agree");
      e.actor = "demo-reviewer";
      e.payload["proposal"] = proposal;
      e.payload["date"] = cursor.ToString();
      if (site) e.payload["site"] = std::to_string(site);
      e.payload["remains"] = remains;
      b.Add(std::move(e));
      // The last 24 identifications were not yet notified to the families. Before a family is
      // notified a second person signs the identification off (the four-eyes rule: neither the
      // laboratory that proposed it nor the reviewer who confirmed it), the day of the visit.
      if (!(s.commingled >= 82)) {
        cursor = Min(Plus(cursor, rng.Between(7, 60)), D("2025-11-15"));
        Event so = b.Make(EntityKind::kPerson, id, "person.identification_signed_off", cursor,
                          "identification file checked before the notification visit");
        so.actor = "demo-supervisor";
        so.payload["proposal"] = proposal;
        b.Add(std::move(so));
        Event n =
            b.Make(EntityKind::kPerson, id, "person.family_notified", cursor, "notification visit");
        n.payload["date"] = cursor.ToString();
        b.Add(std::move(n));
      }
    }
    if (s.corrected_category) {
      cursor = Max(cursor, D("2022-03-14"));
      Event c = b.Make(EntityKind::kPerson, id, "person.corrected", cursor,
                       "birth certificate found in the civil registry archive");
      c.payload["birth_date"] = born.ToString();
      b.Add(std::move(c));
    }
    if (id % 97 == 0 && !s.late) {
      // A spelling added later (the person's name as written in another script).
      Event c = b.Make(EntityKind::kPerson, id, "person.corrected", Max(cursor, D("2023-01-20")),
                       "spelling confirmed by the family");
      c.payload["other_names"] = ToCyrillic(family) + " " + ToCyrillic(given);
      b.Add(std::move(c));
      cursor = Max(cursor, D("2023-01-20"));
    }
    // Relatives with reference samples for one person in three.
    if (id % 3 == 0) {
      const int n = 1 + rng.Below(2);
      for (int k = 0; k < n; ++k) {
        Event r = b.Make(EntityKind::kRelative, ++relative_id, "relative.registered",
                         Plus(registered, rng.Between(0, 60)), "family visit");
        r.payload["person"] = std::to_string(id);
        r.payload["name"] = family + " " + (rng.Below(2) ? FemaleName(rng) : MaleName(rng));
        r.payload["relationship"] = k == 0 ? (rng.Below(2) ? "mother" : "father") : "sibling";
        char sample[32];
        std::snprintf(sample, sizeof sample, "REF-%06lld", static_cast<long long>(relative_id));
        r.payload["sample"] = sample;
        r.payload["consent"] = rng.Below(3) ? "identification" : "identification_and_court";
        if (with_relatives) b.Add(std::move(r));
      }
    }
  }
  // A record registered in error and withdrawn, and a duplicate merged long ago: neither counts.
  {
    const int64_t id = ++person_id;
    Event r = b.Make(EntityKind::kPerson, id, "person.registered", D("2004-05-05"),
                     "list received from a district office");
    r.payload["family_name"] = FamilyName(rng);
    r.payload["given_name"] = MaleName(rng);
    r.payload["sex"] = "male";
    r.payload["affiliation"] = "civilian";
    r.payload["disappearance_date"] = "1993-04-02";
    b.Add(std::move(r));
    Event w = b.Make(EntityKind::kPerson, id, "person.withdrawn", D("2009-02-17"),
                     "registered in error: the person was never missing");
    b.Add(std::move(w));
    const int64_t dup = ++person_id;
    Event d = b.Make(EntityKind::kPerson, dup, "person.registered", D("2007-08-08"),
                     "application of a second relative");
    d.payload["family_name"] = Variant(earlier_names.front().family);
    d.payload["given_name"] = earlier_names.front().given;
    d.payload["sex"] = "male";
    d.payload["affiliation"] = "serviceman";
    b.Add(std::move(d));
    Event m = b.Make(EntityKind::kPerson, dup, "person.merged_into", D("2011-11-11"),
                     "same person as registered earlier under another spelling");
    m.payload["into"] = std::to_string(earlier_names.front().id);
    b.Add(std::move(m));
  }
  // Sources and an incident: the killing of the twelve found in the grave near Olvazi.
  {
    Event src = b.Make(EntityKind::kSource, 1, "source.registered", D("2021-11-02"),
                       "published by the commission");
    src.payload["symbol"] = "CMP/2021/14";
    src.payload["title"] = "Statement of the commission on the grave near Olvazi";
    src.payload["date"] = "2021-11-01";
    src.payload["url"] = "https://example.org/commission/statements/2021-14";
    b.Add(std::move(src));
    Event src2 = b.Make(EntityKind::kSource, 2, "source.registered", D("2021-11-02"),
                        "witness statement, sealed copy in the archive");
    src2.payload["symbol"] = "WIT/1993/221";
    src2.payload["title"] = "Witness statement on the events near Olvazi";
    src2.payload["date"] = "1993-06-12";
    b.Add(std::move(src2));
    Event inc = b.Make(EntityKind::kIncident, 1, "incident.registered", D("2021-11-03"),
                       "findings of the excavation and witness statements");
    inc.payload["date"] = "1993-04-18";
    inc.payload["place"] = std::string(kVillages[kSites[1].village]);
    inc.payload["description"] = "twelve civilians taken from the village and killed";
    inc.payload["counts"] = "civilians=12;killed=12";
    b.Add(std::move(inc));
    for (int64_t pid : grave_of_twelve) {
      Event l = b.Make(EntityKind::kIncident, 1, "incident.person_linked", D("2021-11-03"),
                       "identified in the grave");
      l.payload["person"] = std::to_string(pid);
      b.Add(std::move(l));
    }
    for (int64_t src_id : {1, 2}) {
      Event c = b.Make(EntityKind::kIncident, 1, "incident.source_cited", D("2021-11-03"), "");
      c.payload["source"] = std::to_string(src_id);
      b.Add(std::move(c));
    }
  }
  return b.Take();
}

}  // namespace whereabouts::demo
