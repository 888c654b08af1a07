#include "kinship/likelihood.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace whereabouts::kinship {
namespace {

struct Family {
  int father = -1;  // node
  int mother = -1;  // node
  std::vector<int> children;  // nodes
};

struct Step {
  int family = 0;
  int pivot = -1;  // node receiving the peeled family, or -1 when the family closes a component
};

class UnionFind {
 public:
  explicit UnionFind(int n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  bool Union(int a, int b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return false;
    parent_[a] = b;
    return true;
  }
  int Add() {
    parent_.push_back(static_cast<int>(parent_.size()));
    return static_cast<int>(parent_.size()) - 1;
  }

 private:
  std::vector<int> parent_;
};

// Gamete probabilities: gam[g * n + a] = P(parent with genotype g transmits allele a).
std::vector<double> Gametes(const GenotypeSpace& space, const std::vector<double>& mutation) {
  const int n = space.alleles();
  const int size = space.size();
  std::vector<double> gam(static_cast<size_t>(size) * n, 0.0);
  for (int g = 0; g < size; ++g) {
    const int x = space.First(g), y = space.Second(g);
    double* row = &gam[static_cast<size_t>(g) * n];
    if (mutation.empty()) {
      row[x] += 0.5;
      row[y] += 0.5;
    } else {
      for (int a = 0; a < n; ++a) {
        row[a] = 0.5 * (mutation[static_cast<size_t>(x) * n + a] + mutation[static_cast<size_t>(y) * n + a]);
      }
    }
  }
  return gam;
}

class Peeler {
 public:
  Peeler(const GenotypeSpace& space, const std::vector<double>& male_gam,
         const std::vector<double>& female_gam)
      : space_(space), male_gam_(male_gam), female_gam_(female_gam) {}

  // Peels `fam` onto `pivot` (updating L[pivot]) or, with pivot -1, returns the family's total.
  double Peel(const Family& fam, int pivot, std::vector<std::vector<double>>& L) {
    const int n = space_.alleles();
    const int size = space_.size();
    nz_f_.clear();
    nz_m_.clear();
    for (int g = 0; g < size; ++g) {
      if (L[fam.father][g] != 0.0) nz_f_.push_back(g);
      if (L[fam.mother][g] != 0.0) nz_m_.push_back(g);
    }
    const size_t nf = nz_f_.size(), nm = nz_m_.size();
    q_.assign(nf * nm, 1.0);
    for (size_t i = 0; i < nf; ++i) {
      const double lf = fam.father == pivot ? 1.0 : L[fam.father][nz_f_[i]];
      for (size_t j = 0; j < nm; ++j) {
        q_[i * nm + j] = lf * (fam.mother == pivot ? 1.0 : L[fam.mother][nz_m_[j]]);
      }
    }
    for (int c : fam.children) {
      if (c == pivot) continue;
      const std::vector<double>& lc = L[c];
      // W[i][b] = sum_a gamF(f_i, a) * Lc({a, b})
      w_.assign(nf * n, 0.0);
      for (int g = 0; g < size; ++g) {
        const double v = lc[g];
        if (v == 0.0) continue;
        const int a = space_.First(g), b = space_.Second(g);
        for (size_t i = 0; i < nf; ++i) {
          const double* gf = &male_gam_[static_cast<size_t>(nz_f_[i]) * n];
          w_[i * n + b] += gf[a] * v;
          if (a != b) w_[i * n + a] += gf[b] * v;
        }
      }
      for (size_t i = 0; i < nf; ++i) {
        const double* wi = &w_[i * n];
        for (size_t j = 0; j < nm; ++j) {
          const double* gm = &female_gam_[static_cast<size_t>(nz_m_[j]) * n];
          double s = 0;
          for (int b = 0; b < n; ++b) s += wi[b] * gm[b];
          q_[i * nm + j] *= s;
        }
      }
    }
    if (pivot < 0) {
      double total = 0;
      for (double v : q_) total += v;
      return total;
    }
    if (pivot == fam.father) {
      std::vector<double> out(size, 0.0);
      for (size_t i = 0; i < nf; ++i) {
        double s = 0;
        for (size_t j = 0; j < nm; ++j) s += q_[i * nm + j];
        out[nz_f_[i]] = L[pivot][nz_f_[i]] * s;
      }
      L[pivot] = std::move(out);
      return 1.0;
    }
    if (pivot == fam.mother) {
      std::vector<double> out(size, 0.0);
      for (size_t j = 0; j < nm; ++j) {
        double s = 0;
        for (size_t i = 0; i < nf; ++i) s += q_[i * nm + j];
        out[nz_m_[j]] = L[pivot][nz_m_[j]] * s;
      }
      L[pivot] = std::move(out);
      return 1.0;
    }
    // Pivot is a child: R[i][b] = sum_j Q[i][j] gamM(m_j, b); V[a][b] = sum_i gamF(f_i, a) R[i][b].
    w_.assign(nf * n, 0.0);
    for (size_t i = 0; i < nf; ++i) {
      for (size_t j = 0; j < nm; ++j) {
        const double qv = q_[i * nm + j];
        if (qv == 0.0) continue;
        const double* gm = &female_gam_[static_cast<size_t>(nz_m_[j]) * n];
        for (int b = 0; b < n; ++b) w_[i * n + b] += qv * gm[b];
      }
    }
    v_.assign(static_cast<size_t>(n) * n, 0.0);
    for (size_t i = 0; i < nf; ++i) {
      const double* gf = &male_gam_[static_cast<size_t>(nz_f_[i]) * n];
      for (int a = 0; a < n; ++a) {
        if (gf[a] == 0.0) continue;
        for (int b = 0; b < n; ++b) v_[static_cast<size_t>(a) * n + b] += gf[a] * w_[i * n + b];
      }
    }
    std::vector<double>& lp = L[pivot];
    for (int g = 0; g < size; ++g) {
      if (lp[g] == 0.0) continue;
      const int a = space_.First(g), b = space_.Second(g);
      double t = v_[static_cast<size_t>(a) * n + b];
      if (a != b) t += v_[static_cast<size_t>(b) * n + a];
      lp[g] *= t;
    }
    return 1.0;
  }

 private:
  const GenotypeSpace& space_;
  const std::vector<double>& male_gam_;
  const std::vector<double>& female_gam_;
  std::vector<int> nz_f_, nz_m_;
  std::vector<double> q_, w_, v_;
};

}  // namespace

Result<double> PedigreeLikelihood(const Pedigree& pedigree,
                                  const std::vector<std::vector<double>>& evidence,
                                  const MarkerSetup& setup) {
  const int n = static_cast<int>(setup.frequencies.size());
  const GenotypeSpace space(n);
  const int size = space.size();
  const int persons = pedigree.size();
  if (static_cast<int>(evidence.size()) != persons) {
    return MakeError(ErrorCode::kInvalidArgument, "evidence does not match the pedigree");
  }
  for (const auto& e : evidence) {
    if (!e.empty() && static_cast<int>(e.size()) != size) {
      return MakeError(ErrorCode::kInvalidArgument, "evidence vector has the wrong size");
    }
  }
  const double theta = setup.theta;
  const bool urn_founders = theta > 0.0 || setup.enumerate_founders;

  // 1. Keep the typed individuals and their ancestors.
  std::vector<char> keep(persons, 0);
  std::vector<int> stack;
  for (int i = 0; i < persons; ++i) {
    if (!evidence[i].empty()) stack.push_back(i);
  }
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    if (keep[i]) continue;
    keep[i] = 1;
    if (pedigree.father(i) >= 0) {
      stack.push_back(pedigree.father(i));
      stack.push_back(pedigree.mother(i));
    }
  }

  // 2. Nodes (one per kept person, plus loop-breaker copies) and nuclear families.
  std::vector<int> node_of(persons, -1);
  std::vector<int> node_person;
  for (int i = 0; i < persons; ++i) {
    if (!keep[i]) continue;
    node_of[i] = static_cast<int>(node_person.size());
    node_person.push_back(i);
  }
  std::map<std::pair<int, int>, int> family_index;
  std::vector<Family> families;
  for (int i = 0; i < persons; ++i) {
    if (!keep[i] || pedigree.father(i) < 0) continue;
    const auto key = std::make_pair(pedigree.father(i), pedigree.mother(i));
    auto [it, inserted] = family_index.emplace(key, static_cast<int>(families.size()));
    if (inserted) families.push_back(Family{node_of[key.first], node_of[key.second], {}});
    families[it->second].children.push_back(node_of[i]);
  }
  // 3. Break loops: a membership edge that would close a cycle goes to a copy of the person.
  const int base_nodes = static_cast<int>(node_person.size());
  UnionFind uf(base_nodes + static_cast<int>(families.size()));
  std::vector<int> family_uf(families.size());
  for (size_t f = 0; f < families.size(); ++f) family_uf[f] = base_nodes + static_cast<int>(f);
  std::vector<char> is_breaker(persons, 0);
  std::vector<int> copy_uf;  // union-find ids of copies, appended
  auto attach = [&](int& member, size_t f) {
    const int uf_id = member < base_nodes ? member : copy_uf[member - base_nodes];
    if (uf.Union(uf_id, family_uf[f])) return;
    const int person = node_person[member];
    is_breaker[person] = 1;
    const int copy = static_cast<int>(node_person.size());
    node_person.push_back(person);
    copy_uf.push_back(uf.Add());
    uf.Union(copy_uf.back(), family_uf[f]);
    member = copy;
  };
  for (size_t f = 0; f < families.size(); ++f) {
    attach(families[f].father, f);
    attach(families[f].mother, f);
    for (int& c : families[f].children) attach(c, f);
  }
  const int nodes = static_cast<int>(node_person.size());

  // 4. Peeling order on the forest of families.
  std::vector<int> degree(nodes, 0);
  for (const auto& fam : families) {
    ++degree[fam.father];
    ++degree[fam.mother];
    for (int c : fam.children) ++degree[c];
  }
  std::vector<char> isolated(nodes, 0);
  for (int v = 0; v < nodes; ++v) isolated[v] = degree[v] == 0;
  std::vector<Step> order;
  std::vector<char> done(families.size(), 0);
  for (size_t round = 0; round < families.size(); ++round) {
    bool progressed = false;
    for (size_t f = 0; f < families.size() && !progressed; ++f) {
      if (done[f]) continue;
      const auto& fam = families[f];
      int inner = 0, pivot = -1;
      auto visit = [&](int v) {
        if (degree[v] > 1) {
          ++inner;
          pivot = v;
        }
      };
      visit(fam.father);
      visit(fam.mother);
      for (int c : fam.children) visit(c);
      if (inner > 1) continue;
      order.push_back(Step{static_cast<int>(f), inner == 1 ? pivot : -1});
      --degree[fam.father];
      --degree[fam.mother];
      for (int c : fam.children) --degree[c];
      done[f] = 1;
      progressed = true;
    }
    if (!progressed) return MakeError(ErrorCode::kInternal, "pedigree could not be peeled");
  }

  // 5. Which persons are enumerated (loop breakers; founders too under theta).
  std::vector<int> enumerated;
  for (int i = 0; i < persons; ++i) {
    if (!keep[i]) continue;
    if (is_breaker[i] || (urn_founders && pedigree.father(i) < 0)) enumerated.push_back(i);
  }
  // Founders drawn from the urn, in `enumerated` order.
  std::vector<std::vector<int>> domains(enumerated.size());
  double combinations = 1;
  for (size_t k = 0; k < enumerated.size(); ++k) {
    const int i = enumerated[k];
    for (int g = 0; g < size; ++g) {
      if (evidence[i].empty() || evidence[i][g] != 0.0) domains[k].push_back(g);
    }
    combinations *= static_cast<double>(domains[k].size());
  }
  if (combinations > kMaxEnumeration) {
    return MakeError(ErrorCode::kResourceExhausted,
                     "exact computation needs " + std::to_string(static_cast<long long>(combinations)) +
                         " genotype combinations (theta over many untyped founders, or loops); "
                         "simplify the pedigree or set theta to 0");
  }

  // Base likelihood vectors per node.
  std::vector<std::vector<double>> base(nodes);
  const auto& p = setup.frequencies;
  for (int v = 0; v < nodes; ++v) {
    const int i = node_person[v];
    const bool original = v < base_nodes;
    base[v].assign(size, 1.0);
    if (!original) continue;  // copies carry only the clamp
    if (!evidence[i].empty()) base[v] = evidence[i];
    if (pedigree.father(i) < 0 && !urn_founders) {
      for (int g = 0; g < size; ++g) {
        const int a = space.First(g), b = space.Second(g);
        base[v][g] *= a == b ? p[a] * p[a] : 2.0 * p[a] * p[b];
      }
    }
  }
  std::vector<std::vector<int>> nodes_of_person(persons);
  for (int v = 0; v < nodes; ++v) nodes_of_person[node_person[v]].push_back(v);

  const std::vector<double> male_gam = Gametes(space, setup.male_mutation);
  const std::vector<double> female_gam = Gametes(space, setup.female_mutation);
  Peeler peeler(space, male_gam, female_gam);
  std::vector<std::vector<double>> L;
  std::vector<int> clamp(enumerated.size(), 0);

  auto evaluate = [&]() -> double {
    L = base;
    for (size_t k = 0; k < enumerated.size(); ++k) {
      for (int v : nodes_of_person[enumerated[k]]) {
        const double keep_value = L[v][clamp[k]];
        std::fill(L[v].begin(), L[v].end(), 0.0);
        L[v][clamp[k]] = keep_value;
      }
    }
    double total = 1.0;
    for (const auto& step : order) {
      total *= peeler.Peel(families[step.family], step.pivot, L);
      if (total == 0.0) return 0.0;
    }
    for (int v = 0; v < nodes; ++v) {
      if (isolated[v]) total *= std::accumulate(L[v].begin(), L[v].end(), 0.0);
    }
    return total;
  };

  if (enumerated.empty()) return evaluate();

  // Depth-first enumeration with the Balding-Nichols urn weight of founder alleles.
  std::vector<int> counts(n, 0);
  int drawn = 0;
  double result = 0.0;
  auto draw = [&](int a) {
    const double w = (counts[a] * theta + (1.0 - theta) * p[a]) / (1.0 + (drawn - 1) * theta);
    ++counts[a];
    ++drawn;
    return w;
  };
  auto undraw = [&](int a) {
    --counts[a];
    --drawn;
  };
  auto recurse = [&](auto&& self, size_t k, double weight) -> void {
    if (k == enumerated.size()) {
      result += weight * evaluate();
      return;
    }
    const int i = enumerated[k];
    const bool urn = urn_founders && pedigree.father(i) < 0;
    for (int g : domains[k]) {
      clamp[k] = g;
      if (!urn) {
        self(self, k + 1, weight);
        continue;
      }
      const int a = space.First(g), b = space.Second(g);
      double w = draw(a);
      w *= draw(b);
      if (a != b) w *= 2.0;
      self(self, k + 1, weight * w);
      undraw(b);
      undraw(a);
    }
  };
  recurse(recurse, 0, 1.0);
  return result;
}

}  // namespace whereabouts::kinship
