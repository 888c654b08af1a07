// Simulation of identification scenarios (kinship/simulate.h) and `whereabouts simulate`.
#include "kinship/simulate.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cli/cli_runner.h"
#include "io/allele_table.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/remains_csv.h"
#include "kinship/lr.h"

namespace whereabouts::kinship {
namespace {

const FrequencyDatabase& Db() {
  static const FrequencyDatabase db = [] {
    auto r = io::ReadFrequencyFile(std::string(WHEREABOUTS_SOURCE_DIR) +
                                   "/data/NorwegianFrequencies.tsv");
    if (!r) throw std::runtime_error(r.error().ToString());
    return *r;
  }();
  return db;
}

SimulationOptions Small(std::uint64_t seed) {
  SimulationOptions o;
  o.seed = seed;
  o.missing_persons = 300;
  o.bag_persons = 30;
  o.bags = 20;
  o.grave_persons = 25;
  o.graves = 3;
  o.unrelated = 5;
  return o;
}

// Everything a scenario writes, as text.
std::string Text(const SimulatedScenario& s) {
  std::ostringstream out;
  out << io::FormatFamilies(s.families) << io::FormatAlleleTable(s.references)
      << io::FormatRemains(s.remains) << io::FormatAlleleTable(s.remains_profiles);
  for (const auto& t : s.truth)
    out << t.sample << t.bag << t.family << t.missing << t.individual << t.dropout << "\n";
  return out.str();
}

TEST(Simulate, SameSeedSameScenarioOtherSeedOther) {
  auto a = Simulate(Small(7), Db());
  auto b = Simulate(Small(7), Db());
  auto c = Simulate(Small(8), Db());
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(Text(*a), Text(*b));
  EXPECT_NE(Text(*a), Text(*c));
}

TEST(Simulate, DefaultScenarioHasTheSeedsShape) {
  SimulationOptions o;
  auto s = Simulate(o, Db());
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->markers.size(), 20u);
  EXPECT_EQ(s->summary.missing_persons, 3890);
  EXPECT_EQ(s->summary.persons_with_remains, 106 + 118);
  EXPECT_EQ(s->summary.identifiable, 106 + 118 - 10);
  EXPECT_GT(s->summary.families_with_two_missing, 0);
  EXPECT_GT(s->summary.commingled_bags, 0);
  EXPECT_GT(s->summary.persons_in_several_bags, 0);
  // Typed relatives per family: 1-3.
  std::map<std::string, int> refs, missing;
  for (const auto& f : s->families) {
    int r = 0, m = 0;
    for (const auto& mem : f.members) {
      r += mem.role == FamilyRole::kReference;
      m += mem.role == FamilyRole::kMissing;
    }
    EXPECT_GE(r, 1) << f.id;
    EXPECT_LE(r, 3) << f.id;
    EXPECT_GE(m, 1);
    EXPECT_LE(m, 2);
  }
  // 106 persons over exactly 67 bags with 1-4 samples each; 118 persons over 6 graves.
  std::map<std::string, std::set<std::string>> bags_of;  // individual -> bags
  std::map<std::string, int> samples_of;
  std::set<std::string> bag_set, sites;
  std::set<std::string> bag_people, grave_people;
  for (const auto& t : s->truth) {
    samples_of[t.individual]++;
    if (t.site.empty()) {
      bag_set.insert(t.bag);
      bag_people.insert(t.individual);
    } else {
      sites.insert(t.site);
      grave_people.insert(t.individual);
    }
  }
  EXPECT_EQ(bag_set.size(), 67u);
  EXPECT_EQ(bag_people.size(), 106u);
  EXPECT_EQ(grave_people.size(), 118u);
  EXPECT_EQ(sites.size(), 6u);
  for (const auto& p : bag_people) {
    EXPECT_GE(samples_of[p], 1);
    EXPECT_LE(samples_of[p], 4);
  }
  EXPECT_EQ(s->remains.size(), s->remains_profiles.size());
  EXPECT_EQ(s->remains.size(), s->truth.size());
}

// Remains show only alleles of the true genotype (drop-out, no drop-in).
TEST(Simulate, RemainsShowOnlyTrueAlleles) {
  auto s = Simulate(Small(3), Db());
  ASSERT_TRUE(s);
  std::map<std::string, const SimulatedPerson*> by_id;
  for (const auto& p : s->persons) by_id[p.individual] = &p;
  int one_allele = 0, typed = 0;
  for (size_t i = 0; i < s->truth.size(); ++i) {
    const SimulatedPerson& person = *by_id.at(s->truth[i].individual);
    const Profile& sample = s->remains_profiles[i];
    EXPECT_EQ(sample.sample, s->truth[i].sample);
    if (sample.amelogenin_sex) {
      EXPECT_EQ(*sample.amelogenin_sex, person.sex);
    }
    for (const auto& [marker, call] : sample.markers) {
      const GenotypeCall& truth = person.genotype.markers.at(marker);
      for (const auto& allele : {call.first, call.second}) {
        EXPECT_TRUE(allele == truth.first || allele == truth.second) << marker;
      }
      ++typed;
      one_allele += call.first == call.second && truth.first != truth.second;
    }
  }
  EXPECT_GT(one_allele, 0);                                                 // drop-out happens
  EXPECT_LT(typed, static_cast<int>(s->truth.size() * s->markers.size()));  // markers go missing
}

// Without mutation, every family's references are consistent with the missing persons' true
// genotypes: L(H1) > 0 with the truth placed on the missing person.
TEST(Simulate, MendelianConsistentWithoutMutation) {
  SimulationOptions o = Small(11);
  o.missing_persons = 120;
  o.mutation = MutationModel{};
  auto s = Simulate(o, Db());
  ASSERT_TRUE(s) << s.error().ToString();
  std::map<std::string, const Profile*> refs;
  for (const auto& r : s->references) refs[r.sample] = &r;
  std::map<std::pair<std::string, std::string>, const SimulatedPerson*> truth;
  for (const auto& p : s->persons) truth[{p.family, p.missing}] = &p;
  int checked = 0, parent_child = 0;
  for (const auto& f : s->families) {
    for (const auto& mp : f.members) {
      if (mp.role != FamilyRole::kMissing) continue;
      const SimulatedPerson& person = *truth.at({f.id, mp.id});
      KinshipCase k;
      k.id = f.id + "/" + mp.id;
      k.markers = s->markers;
      for (const auto& m : f.members) {
        HypothesisPerson h{{m.id, m.sex, m.father, m.mother}, {}};
        if (m.role == FamilyRole::kReference) {
          h.samples = {m.sample};
          k.genotypes[m.sample] = refs.at(m.sample)->markers;
          // Direct check: parents and children of the missing person share an allele at every
          // marker.
          const bool parent = m.id == mp.father || m.id == mp.mother;
          const bool child = m.father == mp.id || m.mother == mp.id;
          if (parent || child) {
            ++parent_child;
            for (const auto& [marker, call] : refs.at(m.sample)->markers) {
              const auto& t = person.genotype.markers.at(marker);
              EXPECT_TRUE(call.first == t.first || call.first == t.second ||
                          call.second == t.first || call.second == t.second)
                  << k.id << " " << m.id << " " << marker;
            }
          }
        }
        HypothesisPerson h2 = h;
        if (m.id == mp.id) h.samples = {"TRUTH"};
        k.h1.push_back(h);
        k.h2.push_back(h2);
      }
      k.h2.push_back(HypothesisPerson{{"X", person.sex, "", ""}, {"TRUTH"}});
      k.genotypes["TRUTH"] = person.genotype.markers;
      auto lr = ComputeLr(k, Db());
      ASSERT_TRUE(lr) << lr.error().ToString();
      EXPECT_GT(lr->lr, 0.0) << k.id;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 120);
  EXPECT_GT(parent_child, 20);
}

TEST(Simulate, RejectsBadOptions) {
  SimulationOptions o = Small(1);
  o.bags = 31;  // more bags than bag persons
  EXPECT_FALSE(Simulate(o, Db()));
  o = Small(1);
  o.min_dropout = 0.5;
  o.max_dropout = 0.2;
  EXPECT_FALSE(Simulate(o, Db()));
  o = Small(1);
  o.markers = {"NOPE"};
  auto r = Simulate(o, Db());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  o = Small(1);
  o.missing_persons = 10;  // fewer missing persons than remains of missing persons
  EXPECT_FALSE(Simulate(o, Db()));
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SimulateCli, WritesReadableFilesDeterministically) {
  testing::TempDir dir;
  const std::string freq = std::string(WHEREABOUTS_SOURCE_DIR) + "/data/NorwegianFrequencies.tsv";
  const std::string common =
      " --frequencies " + freq +
      " --missing 200 --bag-persons 20 --bags 12 --grave-persons 15 --graves 2 --unrelated 3";
  const auto a = dir.path() / "a";
  const auto b = dir.path() / "b";
  auto r = testing::RunCli("simulate --out " + a.string() + " --seed 5" + common);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("missing persons:  200"), std::string::npos) << r.out;
  r = testing::RunCli("simulate --out " + b.string() + " --seed 5" + common);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name :
       {"families.csv", "references.tsv", "remains.csv", "remains-alleles.tsv", "frequencies.tsv",
        "truth.csv", "truth-persons.csv", "truth-alleles.tsv"}) {
    ASSERT_TRUE(std::filesystem::exists(a / name)) << name;
    EXPECT_EQ(Slurp(a / name), Slurp(b / name)) << name;
  }
  EXPECT_EQ(Slurp(a / "frequencies.tsv"), Slurp(freq));
  auto families = io::ReadFamilies((a / "families.csv").string());
  ASSERT_TRUE(families) << families.error().ToString();
  EXPECT_TRUE(families->skipped.empty());
  auto refs = io::ReadAlleleTable((a / "references.tsv").string());
  ASSERT_TRUE(refs) << refs.error().ToString();
  auto remains = io::ReadRemains((a / "remains.csv").string());
  ASSERT_TRUE(remains) << remains.error().ToString();
  auto remains_alleles = io::ReadAlleleTable((a / "remains-alleles.tsv").string());
  ASSERT_TRUE(remains_alleles) << remains_alleles.error().ToString();
  EXPECT_LE(remains_alleles->size(), remains->size());  // a sample with nothing typed has no rows
  std::set<std::string> ref_samples;
  for (const auto& p : *refs) ref_samples.insert(p.sample);
  for (const auto& f : families->families) {
    for (const auto& m : f.members) {
      if (m.role == FamilyRole::kReference) {
        EXPECT_TRUE(ref_samples.count(m.sample)) << m.sample;
      }
    }
  }
  r = testing::RunCli("simulate --out " + (dir.path() / "c").string() + " --seed 6" + common);
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(Slurp(a / "remains-alleles.tsv"), Slurp(dir.path() / "c" / "remains-alleles.tsv"));
}

TEST(SimulateCli, BadOptionsExitTwo) {
  testing::TempDir dir;
  auto r = testing::RunCli("simulate --out " + (dir.path() / "x").string() + " --dropout 0.5,abc");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dropout"), std::string::npos) << r.err;
  r = testing::RunCli("simulate --out " + (dir.path() / "x").string() + " --bags 500");
  EXPECT_EQ(r.exit_code, 2);
  r = testing::RunCli("simulate --out " + (dir.path() / "x").string() +
                      " --frequencies /nonexistent.tsv");
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace whereabouts::kinship
