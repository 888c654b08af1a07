#include "kinship/simulate.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>

namespace whereabouts::kinship {
namespace {

// Draws from std::mt19937_64 (whose output sequence the standard fixes) without the standard
// distributions (whose algorithms it does not), so a seed gives the same scenario everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n). REQUIRES: n > 0.
  int Below(int n) { return std::min(static_cast<int>(Uniform() * n), n - 1); }
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return Uniform() < p; }
  // Index i with probability weights[i] / sum(weights). REQUIRES: some weight > 0.
  int Discrete(const double* weights, int n) {
    double total = 0;
    for (int i = 0; i < n; ++i) total += weights[i];
    const double u = Uniform() * total;
    double acc = 0;
    int last = 0;
    for (int i = 0; i < n; ++i) {
      if (weights[i] <= 0) continue;
      acc += weights[i];
      last = i;
      if (u < acc) return i;
    }
    return last;
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (int i = static_cast<int>(v.size()) - 1; i > 0; --i) std::swap(v[i], v[Below(i + 1)]);
  }

 private:
  std::mt19937_64 gen_;
};

using Genotype = std::array<int, 2>;  // allele indices, first <= second

struct MarkerSim {
  const MarkerFrequencies* freq = nullptr;
  std::vector<double> male, female;  // row-major mutation matrices; empty = no mutation
};

std::string Numbered(const std::string& prefix, int n, int total) {
  size_t width = 3;
  for (int t = total; t >= 1000; t /= 10) ++width;
  const std::string digits = std::to_string(n);
  std::string out = prefix;
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
  return out;
}

// "S" + 2 -> "S2" (written out: g++ 12 warns falsely on `"S" + std::to_string(n)` at -O3).
std::string Label(const char* prefix, size_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

// The typed relatives a family may have.
enum class Kind { kFather, kMother, kSibling, kChild, kHalfSibling, kUncle };
constexpr double kKindWeights[] = {0.15, 0.20, 0.30, 0.20, 0.08, 0.07};

struct Member {
  FamilyMember info;
  int father = -1;
  int mother = -1;
  std::vector<Genotype> genotype;
};

// Appends a member whose parents (by id, "" for a founder) are already in `members`.
void AddMember(std::vector<Member>& members, const std::string& id, Sex sex, FamilyRole role,
               const std::string& father, const std::string& mother) {
  auto index_of = [&](const std::string& parent) {
    if (parent.empty()) return -1;
    for (size_t k = 0; k < members.size(); ++k) {
      if (members[k].info.id == parent) return static_cast<int>(k);
    }
    throw std::logic_error("simulate: parent " + parent + " added after its child " + id);
  };
  Member mem;
  mem.info.id = id;
  mem.info.sex = sex;
  mem.info.role = role;
  mem.info.father = father;
  mem.info.mother = mother;
  mem.father = index_of(father);
  mem.mother = index_of(mother);
  members.push_back(std::move(mem));
}

class Simulator {
 public:
  Simulator(const SimulationOptions& o, std::vector<MarkerSim> markers)
      : o_(o), rng_(o.seed), markers_(std::move(markers)) {}

  Result<SimulatedScenario> Run(std::vector<std::string> marker_names);

 private:
  Genotype Founder(int m) {
    const auto& f = markers_[m].freq->frequencies;
    const int n = static_cast<int>(f.size());
    int a = rng_.Discrete(f.data(), n), b = rng_.Discrete(f.data(), n);
    return {std::min(a, b), std::max(a, b)};
  }
  int Transmit(const Genotype& parent, const std::vector<double>& matrix, int n) {
    const int allele = parent[rng_.Below(2)];
    if (matrix.empty()) return allele;
    return rng_.Discrete(matrix.data() + static_cast<size_t>(allele) * n, n);
  }
  void Draw(std::vector<Member>& members) {
    for (auto& mem : members) {
      mem.genotype.resize(markers_.size());
      for (size_t m = 0; m < markers_.size(); ++m) {
        if (mem.father < 0) {
          mem.genotype[m] = Founder(static_cast<int>(m));
          continue;
        }
        const int n = markers_[m].freq->size();
        const int a = Transmit(members[mem.father].genotype[m], markers_[m].male, n);
        const int b = Transmit(members[mem.mother].genotype[m], markers_[m].female, n);
        mem.genotype[m] = {std::min(a, b), std::max(a, b)};
      }
    }
  }
  Profile ToProfile(const std::string& sample, const std::vector<Genotype>& g, Sex sex) const {
    Profile p;
    p.sample = sample;
    for (size_t m = 0; m < markers_.size(); ++m) {
      const auto& alleles = markers_[m].freq->alleles;
      p.markers[markers_[m].freq->name] = GenotypeCall{alleles[g[m][0]], alleles[g[m][1]]};
    }
    if (sex != Sex::kUnknown) p.amelogenin_sex = sex;
    return p;
  }
  // A typed sample of a person: drop-out d per allele copy, each marker lost with `lost`.
  Profile Type(const std::string& sample, const std::vector<Genotype>& g, Sex sex, double d,
               double lost) {
    Profile p;
    p.sample = sample;
    for (size_t m = 0; m < markers_.size(); ++m) {
      if (rng_.Chance(lost)) continue;
      const bool first = !rng_.Chance(d);
      const bool second = !rng_.Chance(d);
      const auto& alleles = markers_[m].freq->alleles;
      const std::string& a = alleles[g[m][0]];
      const std::string& b = alleles[g[m][1]];
      if (first && second) {
        p.markers[markers_[m].freq->name] = GenotypeCall{a, b};
      } else if (first || second) {
        const std::string& shown = first ? a : b;
        p.markers[markers_[m].freq->name] = GenotypeCall{shown, shown};
      }
    }
    if (sex != Sex::kUnknown && !rng_.Chance(lost)) p.amelogenin_sex = sex;
    return p;
  }

  std::vector<Member> BuildFamily(int missing_here);
  std::vector<Member> BuildHousehold(int missing_here);

  const SimulationOptions& o_;
  Rng rng_;
  std::vector<MarkerSim> markers_;
};

// The members of one family in an order where parents come before their children.
std::vector<Member> Simulator::BuildFamily(int missing_here) {
  const int k = rng_.Between(o_.min_relatives, o_.max_relatives);
  std::vector<Kind> kinds;
  bool has_father = false, has_mother = false;
  while (static_cast<int>(kinds.size()) < k) {
    const auto kind = static_cast<Kind>(rng_.Discrete(kKindWeights, 6));
    if (kind == Kind::kFather && has_father) continue;
    if (kind == Kind::kMother && has_mother) continue;
    has_father = has_father || kind == Kind::kFather;
    has_mother = has_mother || kind == Kind::kMother;
    kinds.push_back(kind);
  }
  const Sex mp_sex = missing_here == 2 || rng_.Chance(0.8) ? Sex::kMale : Sex::kFemale;
  int siblings = 0, children = 0;
  std::vector<bool> half_paternal, uncle_paternal;
  for (Kind kind : kinds) {
    if (kind == Kind::kSibling) ++siblings;
    if (kind == Kind::kChild) ++children;
    if (kind == Kind::kHalfSibling) half_paternal.push_back(rng_.Chance(0.5));
    if (kind == Kind::kUncle) uncle_paternal.push_back(rng_.Chance(0.5));
  }
  const bool paternal_grandparents =
      std::count(uncle_paternal.begin(), uncle_paternal.end(), true) > 0;
  const bool maternal_grandparents =
      std::count(uncle_paternal.begin(), uncle_paternal.end(), false) > 0;
  const bool parents = has_father || has_mother || siblings > 0 || !half_paternal.empty() ||
                       !uncle_paternal.empty() || missing_here == 2;

  std::vector<Member> members;
  auto add = [&](const std::string& id, Sex sex, FamilyRole role, const std::string& father,
                 const std::string& mother) { AddMember(members, id, sex, role, father, mother); };
  auto random_sex = [&]() { return rng_.Chance(0.5) ? Sex::kMale : Sex::kFemale; };
  const auto untyped = FamilyRole::kUntyped;
  const auto reference = FamilyRole::kReference;
  if (paternal_grandparents) {
    add("PGF", Sex::kMale, untyped, "", "");
    add("PGM", Sex::kFemale, untyped, "", "");
  }
  if (maternal_grandparents) {
    add("MGF", Sex::kMale, untyped, "", "");
    add("MGM", Sex::kFemale, untyped, "", "");
  }
  if (parents) {
    add("FA", Sex::kMale, has_father ? reference : untyped, paternal_grandparents ? "PGF" : "",
        paternal_grandparents ? "PGM" : "");
    add("MO", Sex::kFemale, has_mother ? reference : untyped, maternal_grandparents ? "MGF" : "",
        maternal_grandparents ? "MGM" : "");
  }
  for (size_t u = 0; u < uncle_paternal.size(); ++u) {
    const bool p = uncle_paternal[u];
    add(Label("U", u + 1), Sex::kMale, reference, p ? "PGF" : "MGF", p ? "PGM" : "MGM");
  }
  for (size_t h = 0; h < half_paternal.size(); ++h) {
    // The half-sibling's other parent.
    add(Label("HP", h + 1), half_paternal[h] ? Sex::kFemale : Sex::kMale, untyped, "", "");
  }
  const std::string fa = parents ? "FA" : "", mo = parents ? "MO" : "";
  add("MP", mp_sex, FamilyRole::kMissing, fa, mo);
  if (missing_here == 2) add("MP2", Sex::kMale, FamilyRole::kMissing, fa, mo);
  for (int s = 0; s < siblings; ++s) add(Label("S", s + 1), random_sex(), reference, fa, mo);
  for (size_t h = 0; h < half_paternal.size(); ++h) {
    const std::string other = Label("HP", h + 1);
    add(Label("HS", h + 1), random_sex(), reference, half_paternal[h] ? "FA" : other,
        half_paternal[h] ? other : "MO");
  }
  if (children > 0) {
    add("SP", mp_sex == Sex::kMale ? Sex::kFemale : Sex::kMale, untyped, "", "");
    for (int c = 0; c < children; ++c) {
      add(Label("C", c + 1), random_sex(), reference, mp_sex == Sex::kMale ? "MP" : "SP",
          mp_sex == Sex::kMale ? "SP" : "MP");
    }
  }
  Draw(members);
  return members;
}

// A household: the father FA and the mother MO with children C1.., `missing_here` of them killed
// together (FA and MO first, then the children), and 1-3 typed survivors: a child, the father's
// brother, the mother's sister, the father's mother.
std::vector<Member> Simulator::BuildHousehold(int missing_here) {
  const int children = std::max(1, missing_here - 2) + 1;  // one more: perhaps a survivor
  const int k = rng_.Between(o_.min_relatives, std::min(o_.max_relatives, 4));
  // Survivors, distinct: 0 a child, 1 the father's brother, 2 the mother's sister, 3 his mother.
  std::vector<int> kinds = {0, 1, 2, 3};
  rng_.Shuffle(kinds);
  kinds.resize(k);
  auto has = [&](int kind) { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); };
  std::vector<Member> members;
  auto add = [&](const std::string& id, Sex sex, FamilyRole role, const std::string& father,
                 const std::string& mother) { AddMember(members, id, sex, role, father, mother); };
  const auto untyped = FamilyRole::kUntyped, reference = FamilyRole::kReference,
             missing = FamilyRole::kMissing;
  const bool paternal = has(1) || has(3), maternal = has(2);
  if (paternal) {
    add("PGF", Sex::kMale, untyped, "", "");
    add("PGM", Sex::kFemale, has(3) ? reference : untyped, "", "");
  }
  if (maternal) {
    add("MGF", Sex::kMale, untyped, "", "");
    add("MGM", Sex::kFemale, untyped, "", "");
  }
  // Who is missing: FA and MO (when two or more), then the children in order.
  const bool fa_missing = missing_here >= 2;
  const bool mo_missing = missing_here >= 2;
  int children_missing = missing_here - (fa_missing ? 1 : 0) - (mo_missing ? 1 : 0);
  add("FA", Sex::kMale, fa_missing ? missing : untyped, paternal ? "PGF" : "",
      paternal ? "PGM" : "");
  add("MO", Sex::kFemale, mo_missing ? missing : untyped, maternal ? "MGF" : "",
      maternal ? "MGM" : "");
  if (has(1)) add("U1", Sex::kMale, reference, "PGF", "PGM");
  if (has(2)) add("A1", Sex::kFemale, reference, "MGF", "MGM");
  for (int c = 0; c < children; ++c) {
    const Sex sex = rng_.Chance(0.5) ? Sex::kMale : Sex::kFemale;
    FamilyRole role = untyped;
    if (children_missing > 0) {
      role = missing;
      --children_missing;
    } else if (has(0)) {
      role = reference;
    }
    if (role == untyped) continue;
    add(Label("C", c + 1), sex, role, "FA", "MO");
  }
  Draw(members);
  return members;
}

Result<SimulatedScenario> Simulator::Run(std::vector<std::string> marker_names) {
  SimulatedScenario out;
  out.markers = std::move(marker_names);

  // 1. Families, until the number of missing persons is reached.
  std::vector<std::vector<Genotype>> truth_genotypes;
  int missing_left = o_.missing_persons;
  int family_no = 0;
  // An upper bound on the number of families, for the width of their ids.
  const int family_total = o_.missing_persons;
  while (missing_left > 0) {
    const int here = missing_left >= 2 && rng_.Chance(o_.two_brothers) ? 2 : 1;
    missing_left -= here;
    std::vector<Member> members = BuildFamily(here);
    Family family;
    family.id = Numbered("F", ++family_no, family_total);
    for (auto& mem : members) {
      if (mem.info.role == FamilyRole::kReference) {
        mem.info.sample = family.id + "-" + mem.info.id;
        Profile p = ToProfile(mem.info.sample, mem.genotype, mem.info.sex);
        if (o_.reference_missing_marker_rate > 0) {
          p = Type(mem.info.sample, mem.genotype, mem.info.sex, 0.0,
                   o_.reference_missing_marker_rate);
        }
        out.references.push_back(std::move(p));
      }
      if (mem.info.role == FamilyRole::kMissing) {
        SimulatedPerson person;
        person.family = family.id;
        person.missing = mem.info.id;
        person.sex = mem.info.sex;
        out.persons.push_back(std::move(person));
        truth_genotypes.push_back(mem.genotype);
      }
      family.members.push_back(mem.info);
    }
    std::vector<std::string> typed;
    for (const auto& m : family.members) {
      if (m.role == FamilyRole::kReference) typed.push_back(m.id);
    }
    for (size_t i = out.persons.size() - here; i < out.persons.size(); ++i)
      out.persons[i].typed_relatives = typed;
    if (here == 2) ++out.summary.families_with_two_missing;
    out.families.push_back(std::move(family));
  }
  const int missing_count = static_cast<int>(out.persons.size());
  // 2. Unrelated persons: founders of no family.
  for (int u = 0; u < o_.unrelated; ++u) {
    SimulatedPerson person;
    person.sex = rng_.Chance(0.8) ? Sex::kMale : Sex::kFemale;
    std::vector<Genotype> g(markers_.size());
    for (size_t m = 0; m < markers_.size(); ++m) g[m] = Founder(static_cast<int>(m));
    out.persons.push_back(std::move(person));
    truth_genotypes.push_back(std::move(g));
  }
  const int total_persons = static_cast<int>(out.persons.size());
  for (int i = 0; i < total_persons; ++i) {
    auto& person = out.persons[i];
    person.individual = Numbered("T", i + 1, total_persons);
    person.genotype = ToProfile(person.individual, truth_genotypes[i], person.sex);
  }

  // 3. Who has remains: some missing persons and every unrelated person, in random order.
  std::vector<int> missing_order(missing_count);
  for (int i = 0; i < missing_count; ++i) missing_order[i] = i;
  rng_.Shuffle(missing_order);
  std::vector<int> with_remains(
      missing_order.begin(),
      missing_order.begin() + (o_.bag_persons + o_.grave_persons - o_.unrelated));
  for (int u = 0; u < o_.unrelated; ++u) with_remains.push_back(missing_count + u);
  rng_.Shuffle(with_remains);

  // 4. Samples, bags and sites (sample ids are given after a final shuffle, so they reveal
  // nothing).
  struct Draft {
    int person;
    std::string bag, site;
  };
  std::vector<Draft> drafts;
  std::vector<std::string> bag_names(o_.bags);
  for (int b = 0; b < o_.bags; ++b) bag_names[b] = Numbered("BAG-", b + 1, o_.bags);
  for (int i = 0; i < o_.bag_persons; ++i) {
    const int person = with_remains[i];
    const int home = i < o_.bags ? i : rng_.Below(o_.bags);
    const int samples = rng_.Between(o_.min_bag_samples, o_.max_bag_samples);
    for (int s = 0; s < samples; ++s) {
      int bag = home;
      if (s > 0 && o_.bags > 1 && rng_.Chance(o_.bag_spread)) {
        bag = rng_.Below(o_.bags - 1);
        if (bag >= home) ++bag;
      }
      drafts.push_back({person, bag_names[bag], ""});
    }
  }
  // Graves: the first `graves` persons open one grave each, the others fall in a random grave.
  std::vector<std::vector<std::string>> body_bags(o_.graves);
  for (int i = 0; i < o_.grave_persons; ++i) {
    const int person = with_remains[o_.bag_persons + i];
    const int grave = i < o_.graves ? i : rng_.Below(o_.graves);
    auto& bags = body_bags[grave];
    const std::string prefix = Label("G", grave + 1) + "-B";
    bags.push_back(Label(prefix.c_str(), bags.size() + 1));
    const int home = static_cast<int>(bags.size()) - 1;
    const std::string site = Label("Grave ", grave + 1);
    const int samples = rng_.Between(o_.min_grave_samples, o_.max_grave_samples);
    for (int s = 0; s < samples; ++s) {
      int bag = home;
      if (s > 0 && home > 0 && rng_.Chance(o_.grave_spread)) bag = rng_.Below(home);
      drafts.push_back({person, bags[bag], site});
    }
  }
  rng_.Shuffle(drafts);
  const int n_samples = static_cast<int>(drafts.size());
  std::map<std::string, std::set<int>> persons_in_bag;
  std::map<int, std::set<std::string>> bags_of_person;
  for (int s = 0; s < n_samples; ++s) {
    const Draft& d = drafts[s];
    SimulatedPerson& person = out.persons[d.person];
    const std::string sample = Numbered("RS-", s + 1, n_samples);
    const double dropout = o_.min_dropout + (o_.max_dropout - o_.min_dropout) * rng_.Uniform();
    out.remains.push_back(RemainsSample{sample, d.bag, d.site});
    out.remains_profiles.push_back(
        Type(sample, truth_genotypes[d.person], person.sex, dropout, o_.missing_marker_rate));
    out.truth.push_back(
        TruthRow{sample, d.bag, d.site, person.family, person.missing, person.individual, dropout});
    ++person.remains_samples;
    persons_in_bag[d.bag].insert(d.person);
    bags_of_person[d.person].insert(d.bag);
  }

  // 5. Households: families whose missing persons lie together in their own grave.
  int household_missing = 0;
  for (int h = 0; h < o_.households; ++h) {
    const int here = rng_.Between(o_.min_household_missing, o_.max_household_missing);
    std::vector<Member> members = BuildHousehold(here);
    Family family;
    family.id = Numbered("H", h + 1, o_.households);
    const std::string site = "Household grave " + std::to_string(h + 1);
    std::vector<std::string> typed;
    for (const auto& mem : members) {
      if (mem.info.role == FamilyRole::kReference) typed.push_back(mem.info.id);
    }
    int body_bag = 0;
    for (auto& mem : members) {
      if (mem.info.role == FamilyRole::kReference) {
        mem.info.sample = family.id + "-" + mem.info.id;
        out.references.push_back(ToProfile(mem.info.sample, mem.genotype, mem.info.sex));
      }
      if (mem.info.role == FamilyRole::kMissing) {
        SimulatedPerson person;
        person.family = family.id;
        person.missing = mem.info.id;
        person.sex = mem.info.sex;
        person.typed_relatives = typed;
        person.individual = family.id + "-T" + mem.info.id;
        person.genotype = ToProfile(person.individual, mem.genotype, person.sex);
        person.remains_samples = 1;
        ++household_missing;
        const std::string bag = family.id + "-B" + std::to_string(++body_bag);
        const std::string sample = family.id + "-RS" + std::to_string(body_bag);
        const double dropout = o_.min_dropout + (o_.max_dropout - o_.min_dropout) * rng_.Uniform();
        out.remains.push_back(RemainsSample{sample, bag, site});
        out.remains_profiles.push_back(
            Type(sample, mem.genotype, person.sex, dropout, o_.missing_marker_rate));
        out.truth.push_back(
            TruthRow{sample, bag, site, person.family, person.missing, person.individual, dropout});
        persons_in_bag[bag].insert(static_cast<int>(out.persons.size()));
        bags_of_person[static_cast<int>(out.persons.size())].insert(bag);
        out.persons.push_back(std::move(person));
      }
      family.members.push_back(mem.info);
    }
    out.families.push_back(std::move(family));
    ++out.summary.households;
  }

  auto& sum = out.summary;
  sum.families = static_cast<int>(out.families.size());
  sum.missing_persons = missing_count;
  sum.missing_persons += household_missing;
  sum.references = static_cast<int>(out.references.size());
  sum.remains_samples = static_cast<int>(out.remains.size());
  sum.bags = static_cast<int>(persons_in_bag.size());
  for (const auto& [bag, persons] : persons_in_bag)
    sum.commingled_bags += persons.size() > 1 ? 1 : 0;
  for (const auto& [person, bags] : bags_of_person) {
    sum.persons_in_several_bags += bags.size() > 1 ? 1 : 0;
    sum.identifiable += !out.persons[person].family.empty() ? 1 : 0;
  }
  sum.persons_with_remains = static_cast<int>(bags_of_person.size());
  return out;
}

Status CheckProbability(double p, const char* name) {
  if (!(p >= 0.0 && p <= 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + " must be in [0, 1]", name);
  }
  return {};
}

Status CheckOptions(const SimulationOptions& o) {
  auto bad = [](const std::string& message, const char* field) {
    return MakeError(ErrorCode::kInvalidArgument, message, field);
  };
  if (o.missing_persons < 0 || o.bag_persons < 0 || o.grave_persons < 0 || o.unrelated < 0 ||
      o.bags < 0 || o.graves < 0) {
    return bad("counts must not be negative", "counts");
  }
  if (o.households < 0 || o.min_household_missing < 1 ||
      o.max_household_missing < o.min_household_missing || o.max_household_missing > 12) {
    return bad("households: count >= 0 and 1 <= min missing <= max missing <= 12", "households");
  }
  if (o.min_relatives < 1 || o.max_relatives < o.min_relatives || o.max_relatives > 10) {
    return bad("typed relatives must satisfy 1 <= min <= max <= 10", "relatives");
  }
  if (o.bag_persons > 0 && (o.bags < 1 || o.bags > o.bag_persons)) {
    return bad("bags must be between 1 and the number of bag persons", "bags");
  }
  if (o.grave_persons > 0 && (o.graves < 1 || o.graves > o.grave_persons)) {
    return bad("graves must be between 1 and the number of grave persons", "graves");
  }
  if (o.min_bag_samples < 1 || o.max_bag_samples < o.min_bag_samples || o.min_grave_samples < 1 ||
      o.max_grave_samples < o.min_grave_samples) {
    return bad("samples per person must satisfy 1 <= min <= max", "samples");
  }
  if (o.unrelated > o.bag_persons + o.grave_persons) {
    return bad(
        "unrelated persons are part of the bag and grave persons: at most bag + grave persons",
        "unrelated");
  }
  if (o.bag_persons + o.grave_persons - o.unrelated > o.missing_persons) {
    return bad("more persons with remains than missing persons plus unrelated persons", "missing");
  }
  WB_RETURN_IF_ERROR(CheckProbability(o.two_brothers, "two_brothers"));
  WB_RETURN_IF_ERROR(CheckProbability(o.bag_spread, "bag_spread"));
  WB_RETURN_IF_ERROR(CheckProbability(o.grave_spread, "grave_spread"));
  WB_RETURN_IF_ERROR(CheckProbability(o.missing_marker_rate, "missing_marker_rate"));
  WB_RETURN_IF_ERROR(
      CheckProbability(o.reference_missing_marker_rate, "reference_missing_marker_rate"));
  if (!(o.min_dropout >= 0 && o.min_dropout <= o.max_dropout && o.max_dropout < 1)) {
    return bad("drop-out must satisfy 0 <= min <= max < 1", "dropout");
  }
  WB_RETURN_IF_ERROR(ValidateMutationSpec(o.mutation.male));
  WB_RETURN_IF_ERROR(ValidateMutationSpec(o.mutation.female));
  return {};
}

}  // namespace

Result<SimulatedScenario> Simulate(const SimulationOptions& options, const FrequencyDatabase& db) {
  WB_RETURN_IF_ERROR(CheckOptions(options));
  std::vector<std::string> names = options.markers.empty() ? db.MarkerNames() : options.markers;
  std::vector<MarkerSim> markers;
  std::vector<std::string> canonical;
  for (const auto& name : names) {
    const MarkerFrequencies* f = db.Find(name);
    if (f == nullptr)
      return MakeError(ErrorCode::kNotFound, "marker is not in the frequency database",
                       "marker " + name);
    if (std::find(canonical.begin(), canonical.end(), f->name) != canonical.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "marker is listed twice", "marker " + name);
    }
    MarkerSim sim;
    sim.freq = f;
    if (options.mutation.male.kind != MutationKind::kNone) {
      auto m = MutationMatrix(options.mutation.male, *f);
      if (!m) return tl::unexpected(WithContext(m.error(), "marker " + f->name));
      sim.male = std::move(*m);
    }
    if (options.mutation.female.kind != MutationKind::kNone) {
      auto m = MutationMatrix(options.mutation.female, *f);
      if (!m) return tl::unexpected(WithContext(m.error(), "marker " + f->name));
      sim.female = std::move(*m);
    }
    canonical.push_back(f->name);
    markers.push_back(std::move(sim));
  }
  Simulator sim(options, std::move(markers));
  return sim.Run(std::move(canonical));
}

IdentifyInput ToIdentifyInput(const SimulatedScenario& scenario,
                              const FrequencyDatabase* database) {
  IdentifyInput in;
  in.database = database;
  in.families = scenario.families;
  in.references = scenario.references;
  in.remains = scenario.remains;
  in.remains_profiles = scenario.remains_profiles;
  return in;
}

}  // namespace whereabouts::kinship
