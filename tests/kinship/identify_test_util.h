// Helpers for the identification tests: synthetic families, profiles by gene dropping, and the
// conversion to the screen's types. All data are synthetic.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "io/frequency_tsv.h"
#include "kinship/identify.h"

namespace whereabouts::kinship::testing {

inline FrequencyDatabase LoadNorwegian() {
  auto db = io::ReadFrequencyFile(std::string(WHEREABOUTS_SHARED_DIR) +
                                  "/reference/frequencies/NorwegianFrequencies.tsv");
  EXPECT_TRUE(db.has_value());
  return db ? std::move(*db) : FrequencyDatabase{};
}

inline std::vector<MarkerFrequencies> Markers(const FrequencyDatabase& db, int count) {
  std::vector<MarkerFrequencies> out;
  for (const auto& name : db.MarkerNames()) {
    if (static_cast<int>(out.size()) == count) break;
    out.push_back(*db.Find(name));
  }
  return out;
}

// "id:sex:father:mother:role" with role m(issing), r(eference), u(ntyped); reference samples are
// named <family>-<id>.
inline Family MakeFamily(const std::string& id, const std::vector<std::string>& specs) {
  Family f;
  f.id = id;
  for (const auto& spec : specs) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t colon = spec.find(':', start);
      parts.push_back(spec.substr(start, colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    FamilyMember m;
    m.id = parts[0];
    m.sex = parts[1] == "m" ? Sex::kMale : parts[1] == "f" ? Sex::kFemale : Sex::kUnknown;
    m.father = parts[2];
    m.mother = parts[3];
    m.role = parts[4] == "m"   ? FamilyRole::kMissing
             : parts[4] == "r" ? FamilyRole::kReference
                               : FamilyRole::kUntyped;
    if (m.role == FamilyRole::kReference) m.sample = id + "-" + m.id;
    f.members.push_back(m);
  }
  return f;
}

// Genotypes (allele index pairs) of every member at every marker, by gene dropping with a small
// chance of a random mutation.
inline std::vector<std::vector<std::pair<int, int>>> DropGenes(
    const Family& f, const std::vector<MarkerFrequencies>& markers, std::mt19937_64& rng) {
  std::vector<std::vector<std::pair<int, int>>> g(f.members.size(),
                                                  std::vector<std::pair<int, int>>(markers.size()));
  std::map<std::string, int> index;
  for (size_t i = 0; i < f.members.size(); ++i) index[f.members[i].id] = static_cast<int>(i);
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t m = 0; m < markers.size(); ++m) {
    std::discrete_distribution<int> draw(markers[m].frequencies.begin(),
                                         markers[m].frequencies.end());
    std::vector<char> done(f.members.size(), 0);
    bool progress = true;
    while (progress) {
      progress = false;
      for (size_t i = 0; i < f.members.size(); ++i) {
        if (done[i]) continue;
        const auto& mem = f.members[i];
        if (mem.father.empty()) {
          g[i][m] = {draw(rng), draw(rng)};
        } else {
          const int fa = index.at(mem.father), mo = index.at(mem.mother);
          if (!done[fa] || !done[mo]) continue;
          auto pick = [&](std::pair<int, int> p) {
            int a = u(rng) < 0.5 ? p.first : p.second;
            if (u(rng) < 0.01) a = draw(rng);
            return a;
          };
          g[i][m] = {pick(g[fa][m]), pick(g[mo][m])};
        }
        done[i] = 1;
        progress = true;
      }
    }
  }
  return g;
}

inline GenotypeCall Call(const MarkerFrequencies& mk, int a, int b) {
  return GenotypeCall{mk.alleles[a], mk.alleles[b]};
}

// A ScreenFamily from a Family and its reference profiles.
inline ScreenFamily ToScreenFamily(const Family& f,
                                   const std::map<std::string, const Profile*>& refs,
                                   const std::vector<MarkerFrequencies>& markers) {
  ScreenFamily sf;
  sf.id = f.id;
  std::vector<Individual> people;
  for (const auto& m : f.members) people.push_back({m.id, m.sex, m.father, m.mother});
  auto ped = Pedigree::Create(people);
  EXPECT_TRUE(ped.has_value()) << (ped ? "" : ped.error().ToString());
  sf.pedigree = *ped;
  sf.evidence.assign(f.members.size(), std::vector<MarkerEvidence>(markers.size()));
  for (size_t i = 0; i < f.members.size(); ++i) {
    if (f.members[i].role == FamilyRole::kMissing) sf.missing.push_back(static_cast<int>(i));
    auto it = refs.find(f.members[i].sample);
    if (f.members[i].role != FamilyRole::kReference || it == refs.end()) continue;
    for (size_t m = 0; m < markers.size(); ++m) {
      auto c = it->second->markers.find(markers[m].name);
      if (c == it->second->markers.end()) continue;
      auto e = CallEvidence(c->second, markers[m], 0.0);
      EXPECT_TRUE(e.has_value());
      sf.evidence[i][m] = *e;
    }
  }
  return sf;
}

inline ScreenPerson ToScreenPerson(const std::vector<const Profile*>& samples, double dropout,
                                   const std::vector<MarkerFrequencies>& markers) {
  ScreenPerson p;
  p.id = samples.front()->sample;
  p.markers.assign(markers.size(), MarkerEvidence{});
  for (const auto* s : samples) {
    for (size_t m = 0; m < markers.size(); ++m) {
      auto c = s->markers.find(markers[m].name);
      if (c == s->markers.end()) continue;
      auto e = CallEvidence(c->second, markers[m], dropout);
      EXPECT_TRUE(e.has_value());
      p.markers[m] = Multiply(p.markers[m], *e);
    }
  }
  return p;
}

inline bool RelativelyEqual(double a, double b, double tol) {
  if (a == b) return true;
  return std::abs(a - b) <= tol * std::max(std::abs(a), std::abs(b));
}

}  // namespace whereabouts::kinship::testing
