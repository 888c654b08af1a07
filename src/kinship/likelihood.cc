#include "kinship/likelihood.h"

#include <algorithm>
#include <numeric>

#include "kinship/union_find.h"

namespace whereabouts::kinship {
namespace {

// Transmission: a parent with genotype {x, y} passes on allele a with probability
// (M[x][a] + M[y][a]) / 2, M being the sex's n x n mutation matrix (nullptr: no mutation, M = I).
struct Transmission {
  const double* male = nullptr;
  const double* female = nullptr;
  int n = 0;
};

// Collects into ws.cols the alleles of the genotypes where `l` is non-zero (ws.col_of maps an
// allele to its position there) and those genotypes into ws.nz_c. Only these alleles' gametes
// matter.
void SupportColumns(const double* l, const GenotypeSpace& space, LikelihoodWorkspace& ws) {
  ws.nz_c.clear();
  ws.cols.clear();
  for (int g = 0; g < space.size(); ++g) {
    if (l[g] == 0.0) continue;
    ws.nz_c.push_back(g);
    for (int a : {space.First(g), space.Second(g)}) {
      if (ws.col_of[a] < 0) {
        ws.col_of[a] = static_cast<int>(ws.cols.size());
        ws.cols.push_back(a);
      }
    }
  }
}

void ClearColumns(LikelihoodWorkspace& ws) {
  for (int a : ws.cols) ws.col_of[a] = -1;
}

// out[i * cols + k] = P(parent with genotype nz[i] transmits allele cols[k]); m == nullptr: no
// mutation.
void GameteTable(const double* m, int n, const std::vector<int>& nz, const GenotypeSpace& space,
                 const std::vector<int>& cols, std::vector<double>& out) {
  const size_t nb = cols.size();
  out.resize(nz.size() * nb);
  if (m == nullptr) {
    for (size_t i = 0; i < nz.size(); ++i) {
      const int x = space.First(nz[i]), y = space.Second(nz[i]);
      double* row = &out[i * nb];
      for (size_t k = 0; k < nb; ++k) row[k] = 0.5 * ((x == cols[k]) + (y == cols[k]));
    }
    return;
  }
  for (size_t i = 0; i < nz.size(); ++i) {
    const double* mx = m + static_cast<size_t>(space.First(nz[i])) * n;
    const double* my = m + static_cast<size_t>(space.Second(nz[i])) * n;
    double* row = &out[i * nb];
    for (size_t k = 0; k < nb; ++k) row[k] = 0.5 * (mx[cols[k]] + my[cols[k]]);
  }
}

void BuildKernel(const PeelingPlan::Family& fam, int pivot, const GenotypeSpace& space,
                 const Transmission& t, LikelihoodWorkspace& ws, std::vector<int>& nz_f,
                 std::vector<int>& nz_m, std::vector<double>& q);
double ReduceQ(const PeelingPlan::Family& fam, int pivot, const GenotypeSpace& space,
               const Transmission& t, LikelihoodWorkspace& ws, const std::vector<int>& nz_f,
               const std::vector<int>& nz_m, const std::vector<double>& q, int clamp_f,
               int clamp_m);

// Peels family `fam` onto `pivot` (updating its row of L) or, with pivot -1, returns its total.
// Work is restricted to the genotypes with non-zero likelihood and, for each child, to the
// alleles its possible genotypes contain (one or two for a typed child).
double Peel(const PeelingPlan::Family& fam, int pivot, const GenotypeSpace& space,
            const Transmission& t, LikelihoodWorkspace& ws) {
  // The children's transmission sums (BuildKernel), times the parents' own likelihoods (the
  // pivot's stays in its row), reduced onto the pivot (ReduceQ).
  BuildKernel(fam, pivot, space, t, ws, ws.nz_f, ws.nz_m, ws.q);
  const int size = space.size();
  const double* lf = &ws.L[static_cast<size_t>(fam.father) * size];
  const double* lm = &ws.L[static_cast<size_t>(fam.mother) * size];
  const size_t nf = ws.nz_f.size(), nm = ws.nz_m.size();
  for (size_t i = 0; i < nf; ++i) {
    const double f = fam.father == pivot ? 1.0 : lf[ws.nz_f[i]];
    for (size_t j = 0; j < nm; ++j)
      ws.q[i * nm + j] *= f * (fam.mother == pivot ? 1.0 : lm[ws.nz_m[j]]);
  }
  return ReduceQ(fam, pivot, space, t, ws, ws.nz_f, ws.nz_m, ws.q, -1, -1);
}

// The first half of Peel for the theta enumeration, without the parents' own likelihoods: the
// parents' genotypes with non-zero likelihood (nz_f, nz_m) and k[i][j] = the product over the
// non-pivot children of the transmission sums. It depends on the children's rows only. The
// parents' rows change later (multiplied by peeled families, clamped), but their genotypes with
// non-zero likelihood only become fewer, so CombineQ can use it for any later state.
void BuildKernel(const PeelingPlan::Family& fam, int pivot, const GenotypeSpace& space,
                 const Transmission& t, LikelihoodWorkspace& ws, std::vector<int>& nz_f,
                 std::vector<int>& nz_m, std::vector<double>& q) {
  const int n = space.alleles();
  const int size = space.size();
  auto row = [&](int node) { return &ws.L[static_cast<size_t>(node) * size]; };
  const double* lf = row(fam.father);
  const double* lm = row(fam.mother);
  nz_f.clear();
  nz_m.clear();
  for (int g = 0; g < size; ++g) {
    if (lf[g] != 0.0) nz_f.push_back(g);
    if (lm[g] != 0.0) nz_m.push_back(g);
  }
  const size_t nf = nz_f.size(), nm = nz_m.size();
  q.assign(nf * nm, 1.0);
  for (int c : fam.children) {
    if (c == pivot) continue;
    const double* lc = row(c);
    SupportColumns(lc, space, ws);
    const size_t nb = ws.cols.size();
    GameteTable(t.male, n, nz_f, space, ws.cols, ws.gf);
    GameteTable(t.female, n, nz_m, space, ws.cols, ws.gm);
    ws.w.assign(nf * nb, 0.0);
    for (int g : ws.nz_c) {
      const double v = lc[g];
      const int ka = ws.col_of[space.First(g)], kb = ws.col_of[space.Second(g)];
      for (size_t i = 0; i < nf; ++i) {
        const double* gf = &ws.gf[i * nb];
        ws.w[i * nb + kb] += gf[ka] * v;
        if (ka != kb) ws.w[i * nb + ka] += gf[kb] * v;
      }
    }
    for (size_t i = 0; i < nf; ++i) {
      const double* wi = &ws.w[i * nb];
      for (size_t j = 0; j < nm; ++j) {
        const double* gm = &ws.gm[j * nb];
        double s = 0;
        for (size_t k = 0; k < nb; ++k) s += wi[k] * gm[k];
        q[i * nm + j] *= s;
      }
    }
    ClearColumns(ws);
  }
}

// q[i][j] = (the non-pivot parents' likelihoods) x k[i][j] over the parents' genotypes with
// non-zero likelihood now (nz_f, nz_m: subsets of the kernel's kz_f, kz_m). Reading a parent's row
// before its clamp is applied gives q over all its genotypes; the clamp then only selects a row or
// column of q (ReduceQ).
void CombineQ(const PeelingPlan::Family& fam, int pivot, int size, LikelihoodWorkspace& ws,
              const std::vector<int>& kz_f, const std::vector<int>& kz_m,
              const std::vector<double>& k, std::vector<int>& nz_f, std::vector<int>& nz_m,
              std::vector<double>& q) {
  const double* lf = &ws.L[static_cast<size_t>(fam.father) * size];
  const double* lm = &ws.L[static_cast<size_t>(fam.mother) * size];
  const size_t knm = kz_m.size();
  // Positions of the genotypes with non-zero likelihood in the kernel's lists (ws.nz_f / ws.nz_m).
  auto select = [&](const double* l, const std::vector<int>& kz, std::vector<int>& nz,
                    std::vector<int>& at) {
    nz.clear();
    at.clear();
    for (size_t x = 0; x < kz.size(); ++x) {
      if (l[kz[x]] == 0.0) continue;
      nz.push_back(kz[x]);
      at.push_back(static_cast<int>(x));
    }
  };
  select(lf, kz_f, nz_f, ws.nz_f);
  select(lm, kz_m, nz_m, ws.nz_m);
  const size_t nf = nz_f.size(), nm = nz_m.size();
  q.resize(nf * nm);
  for (size_t i = 0; i < nf; ++i) {
    const double f = fam.father == pivot ? 1.0 : lf[nz_f[i]];
    const double* ki = &k[static_cast<size_t>(ws.nz_f[i]) * knm];
    for (size_t j = 0; j < nm; ++j) {
      q[i * nm + j] = f * (fam.mother == pivot ? 1.0 : lm[nz_m[j]]) * ki[ws.nz_m[j]];
    }
  }
}

// The second half of Peel: q reduced onto the pivot (or summed, pivot -1). clamp_f / clamp_m >= 0:
// the father's / mother's genotype is clamped there (q was built before the clamp), so only that
// row / column of q is used.
double ReduceQ(const PeelingPlan::Family& fam, int pivot, const GenotypeSpace& space,
               const Transmission& t, LikelihoodWorkspace& ws, const std::vector<int>& nz_f,
               const std::vector<int>& nz_m, const std::vector<double>& q, int clamp_f,
               int clamp_m) {
  const int n = space.alleles();
  const int size = space.size();
  const std::vector<int>* fz = &nz_f;
  const std::vector<int>* mz = &nz_m;
  const double* qp = q.data();
  if (clamp_f >= 0 || clamp_m >= 0) {
    // Positions in nz of the clamped genotype (none when its likelihood is zero).
    auto pick = [](const std::vector<int>& nz, int clamp, size_t& from, size_t& to) {
      from = 0;
      to = nz.size();
      if (clamp < 0) return;
      auto it = std::lower_bound(nz.begin(), nz.end(), clamp);
      from = static_cast<size_t>(it - nz.begin());
      to = it != nz.end() && *it == clamp ? from + 1 : from;
    };
    size_t f0, f1, m0, m1;
    pick(nz_f, clamp_f, f0, f1);
    pick(nz_m, clamp_m, m0, m1);
    const size_t nm_all = nz_m.size();
    ws.sel_f.assign(nz_f.begin() + f0, nz_f.begin() + f1);
    ws.sel_m.assign(nz_m.begin() + m0, nz_m.begin() + m1);
    ws.sel_q.resize((f1 - f0) * (m1 - m0));
    size_t k = 0;
    for (size_t i = f0; i < f1; ++i) {
      for (size_t j = m0; j < m1; ++j) ws.sel_q[k++] = q[i * nm_all + j];
    }
    fz = &ws.sel_f;
    mz = &ws.sel_m;
    qp = ws.sel_q.data();
  }
  const size_t nf = fz->size(), nm = mz->size();
  if (pivot < 0) {
    double total = 0;
    for (size_t k = 0; k < nf * nm; ++k) total += qp[k];
    return total;
  }
  double* lp = &ws.L[static_cast<size_t>(pivot) * size];
  if (pivot == fam.father) {
    for (size_t i = 0; i < nf; ++i) {
      double s = 0;
      for (size_t j = 0; j < nm; ++j) s += qp[i * nm + j];
      lp[(*fz)[i]] *= s;
    }
    return 1.0;
  }
  if (pivot == fam.mother) {
    for (size_t j = 0; j < nm; ++j) {
      double s = 0;
      for (size_t i = 0; i < nf; ++i) s += qp[i * nm + j];
      lp[(*mz)[j]] *= s;
    }
    return 1.0;
  }
  SupportColumns(lp, space, ws);
  const size_t nb = ws.cols.size();
  GameteTable(t.male, n, *fz, space, ws.cols, ws.gf);
  GameteTable(t.female, n, *mz, space, ws.cols, ws.gm);
  ws.w.assign(nf * nb, 0.0);
  for (size_t i = 0; i < nf; ++i) {
    double* wi = &ws.w[i * nb];
    for (size_t j = 0; j < nm; ++j) {
      const double qv = qp[i * nm + j];
      if (qv == 0.0) continue;
      const double* gm = &ws.gm[j * nb];
      for (size_t k = 0; k < nb; ++k) wi[k] += qv * gm[k];
    }
  }
  ws.v.assign(nb * nb, 0.0);
  for (size_t i = 0; i < nf; ++i) {
    const double* gf = &ws.gf[i * nb];
    const double* wi = &ws.w[i * nb];
    for (size_t ka = 0; ka < nb; ++ka) {
      if (gf[ka] == 0.0) continue;
      for (size_t kb = 0; kb < nb; ++kb) ws.v[ka * nb + kb] += gf[ka] * wi[kb];
    }
  }
  for (int g : ws.nz_c) {
    const size_t ka = ws.col_of[space.First(g)], kb = ws.col_of[space.Second(g)];
    double v = ws.v[ka * nb + kb];
    if (ka != kb) v += ws.v[kb * nb + ka];
    lp[g] *= v;
  }
  ClearColumns(ws);
  return 1.0;
}

// Peeling order on the forest of families: repeatedly a family with at most one member still in
// another family (its pivot). `root` (a node, or -1) is never peeled away: every family of its
// component is peeled towards it and the last one onto it.
bool PeelOrder(const PeelingPlan& plan, int root, std::vector<PeelingPlan::Step>& order) {
  const int nodes = static_cast<int>(plan.node_person.size());
  std::vector<int> degree(nodes, 0);
  for (const auto& fam : plan.families) {
    ++degree[fam.father];
    ++degree[fam.mother];
    for (int c : fam.children) ++degree[c];
  }
  order.clear();
  std::vector<char> done(plan.families.size(), 0);
  for (size_t round = 0; round < plan.families.size(); ++round) {
    bool progressed = false;
    for (size_t f = 0; f < plan.families.size() && !progressed; ++f) {
      if (done[f]) continue;
      const auto& fam = plan.families[f];
      int inner = 0, pivot = -1;
      auto visit = [&](int v) {
        if (degree[v] > 1 || v == root) {
          ++inner;
          pivot = v;
        }
      };
      visit(fam.father);
      visit(fam.mother);
      for (int c : fam.children) visit(c);
      if (inner > 1) continue;
      order.push_back(PeelingPlan::Step{static_cast<int>(f), inner == 1 ? pivot : -1});
      --degree[fam.father];
      --degree[fam.mother];
      for (int c : fam.children) --degree[c];
      done[f] = 1;
      progressed = true;
    }
    if (!progressed) return false;
  }
  return true;
}

// The theta enumeration's layout for one root (fold node) and one clamping order: at which depth
// each step is built and reduced, which rows each depth changes, and an estimate of the work
// (nominal sizes: an untyped row kG genotypes over kN alleles, a typed one 2).
struct UrnLayout {
  std::vector<PeelingPlan::UrnStep> steps;
  std::vector<std::pair<int, int>> isolated;
  std::vector<std::vector<int>> restore;
  double cost = 0;
};

UrnLayout LayOut(const PeelingPlan& plan, const std::vector<PeelingPlan::Step>& order,
                 int fold_node, const std::vector<int>& enumerated,
                 const std::vector<char>& typed) {
  constexpr double kG = 21, kN = 6;
  const int nodes = static_cast<int>(plan.node_person.size());
  const int depths = static_cast<int>(enumerated.size());
  std::vector<int> position(plan.persons, -1);
  for (int d = 0; d < depths; ++d) position[enumerated[d]] = d;
  std::vector<int> clamp_pos(nodes, -1), row_dep(nodes, -1);
  for (int v = 0; v < nodes; ++v) {
    if (v != fold_node) clamp_pos[v] = position[plan.node_person[v]];
  }
  // Work counts: DFS nodes at depth d (reached[d + 1]).
  std::vector<double> reached(depths + 1, 1.0);
  for (int d = 0; d < depths; ++d) reached[d + 1] = reached[d] * (typed[enumerated[d]] ? 2.0 : kG);
  auto rows = [&](int v) { return typed[plan.node_person[v]] ? 2.0 : kG; };
  auto cols = [&](int v) { return typed[plan.node_person[v]] ? 2.0 : kN; };
  UrnLayout out;
  std::vector<char> changed_at_or_after(static_cast<size_t>(nodes) * (depths + 1), 0);
  for (const auto& step : order) {
    const auto& fam = plan.families[step.family];
    const int p = step.pivot;
    PeelingPlan::UrnStep us;
    us.family = step.family;
    us.pivot = p;
    int lk = -1;
    for (int c : fam.children) {
      if (c != p) lk = std::max({lk, row_dep[c], clamp_pos[c]});
    }
    int lq = lk;
    for (int m : {fam.father, fam.mother}) {
      if (m != p) lq = std::max(lq, row_dep[m]);
    }
    us.k_level = lk;
    us.q_level = lq;
    us.level = lq;
    if (fam.father != p && clamp_pos[fam.father] > lq) {
      us.defer_father = true;
      us.level = std::max(us.level, clamp_pos[fam.father]);
    }
    if (fam.mother != p && clamp_pos[fam.mother] > lq) {
      us.defer_mother = true;
      us.level = std::max(us.level, clamp_pos[fam.mother]);
    }
    if (p >= 0) {
      row_dep[p] = std::max(row_dep[p], us.level);
      for (int d = 0; d <= us.level; ++d)
        changed_at_or_after[static_cast<size_t>(p) * (depths + 1) + d] = 1;
    }
    // Estimated work: the kernel (parents' genotypes x children's columns), q, then the reduction.
    auto side = [&](int m, int at, bool deferred) {
      return clamp_pos[m] >= 0 && clamp_pos[m] <= at && !deferred ? 1.0 : rows(m);
    };
    const double kf = side(fam.father, lk, false), km = side(fam.mother, lk, false);
    const double nf = side(fam.father, lq, us.defer_father),
                 nm = side(fam.mother, lq, us.defer_mother);
    double child_cols = 0, child_rows = 0;
    for (int c : fam.children) {
      if (c == p) continue;
      child_cols += cols(c) + 1;
      child_rows += clamp_pos[c] >= 0 ? 1.0 : rows(c);
    }
    out.cost += reached[lk + 1] * (kf * km * child_cols + kf * child_rows + kf + km);
    out.cost += reached[lq + 1] * (nf * nm + kf + km);
    const double sf = us.defer_father ? 1.0 : nf, sm = us.defer_mother ? 1.0 : nm;
    double reduce = sf * sm + 1;
    if (p >= 0 && p != fam.father && p != fam.mother) reduce += sf * sm * kN + sf * kN * kN + kG;
    out.cost += reached[us.level + 1] * reduce;
    out.steps.push_back(us);
  }
  for (int v = 0; v < nodes; ++v) {
    if (plan.isolated[v] && v != fold_node) out.isolated.emplace_back(v, clamp_pos[v]);
    for (int d = 0; d <= clamp_pos[v]; ++d)
      changed_at_or_after[static_cast<size_t>(v) * (depths + 1) + d] = 1;
  }
  out.restore.resize(depths);
  for (int d = 0; d < depths; ++d) {
    for (int v = 0; v < nodes; ++v) {
      if (changed_at_or_after[static_cast<size_t>(v) * (depths + 1) + d])
        out.restore[d].push_back(v);
    }
    out.cost += reached[d + 1] * (static_cast<double>(out.restore[d].size()) * kG + 2);
  }
  out.cost += reached[depths] * (fold_node >= 0 ? rows(fold_node) : 1.0);
  return out;
}

// Chooses the fold (the root) and the clamping order with the least estimated work.
Status PlanUrn(PeelingPlan& plan, const std::vector<char>& typed) {
  std::vector<int> candidates;
  for (int i : plan.enumerated) {
    if (plan.founder[i] && plan.nodes_of_person[i].size() == 1) candidates.push_back(i);
  }
  if (candidates.empty()) candidates.push_back(-1);
  bool have = false;
  UrnLayout best;
  std::vector<PeelingPlan::Step> order;
  for (int fold : candidates) {
    const int fold_node = fold < 0 ? -1 : plan.nodes_of_person[fold][0];
    if (!PeelOrder(plan, fold_node, order))
      return MakeError(ErrorCode::kInternal, "pedigree could not be peeled");
    std::vector<int> rest;
    for (int i : plan.enumerated) {
      if (i != fold) rest.push_back(i);
    }
    // Every clamping order when there are few (at most 6! = 720 layouts), else as they come.
    const bool permute = rest.size() <= 6;
    do {
      UrnLayout layout = LayOut(plan, order, fold_node, rest, typed);
      if (!have || layout.cost < best.cost) {
        best = std::move(layout);
        have = true;
        plan.fold = fold;
        plan.urn_enumerated = rest;
      }
    } while (permute && std::next_permutation(rest.begin(), rest.end()));
  }
  plan.urn_steps = std::move(best.steps);
  plan.urn_isolated = std::move(best.isolated);
  plan.urn_restore = std::move(best.restore);
  plan.urn_position.assign(plan.persons, -1);
  for (size_t d = 0; d < plan.urn_enumerated.size(); ++d)
    plan.urn_position[plan.urn_enumerated[d]] = static_cast<int>(d);
  return {};
}

}  // namespace

Result<PeelingPlan> PeelingPlan::Create(const Pedigree& pedigree, const std::vector<char>& typed,
                                        bool urn_founders) {
  PeelingPlan plan;
  const int persons = pedigree.size();
  plan.persons = persons;
  plan.urn_founders = urn_founders;
  plan.founder.resize(persons);
  for (int i = 0; i < persons; ++i) plan.founder[i] = pedigree.father(i) < 0;

  // 1. Keep the typed individuals and their ancestors.
  std::vector<char> keep(persons, 0);
  std::vector<int> stack;
  for (int i = 0; i < persons; ++i) {
    if (typed[i]) stack.push_back(i);
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
  for (int i = 0; i < persons; ++i) {
    if (!keep[i]) continue;
    node_of[i] = static_cast<int>(plan.node_person.size());
    plan.node_person.push_back(i);
  }
  std::vector<std::pair<int, int>> couples;
  for (int i = 0; i < persons; ++i) {
    if (!keep[i] || pedigree.father(i) < 0) continue;
    const auto key = std::make_pair(pedigree.father(i), pedigree.mother(i));
    auto it = std::find(couples.begin(), couples.end(), key);
    if (it == couples.end()) {
      couples.push_back(key);
      plan.families.push_back(Family{node_of[key.first], node_of[key.second], {}});
      it = couples.end() - 1;
    }
    plan.families[it - couples.begin()].children.push_back(node_of[i]);
  }
  // 3. Break loops: a membership edge that would close a cycle goes to a copy of the person.
  plan.base_nodes = static_cast<int>(plan.node_person.size());
  const int base_nodes = plan.base_nodes;
  UnionFind uf(base_nodes + static_cast<int>(plan.families.size()));
  std::vector<char> is_breaker(persons, 0);
  std::vector<int> copy_uf;
  auto attach = [&](int& member, size_t f) {
    const int family_id = base_nodes + static_cast<int>(f);
    if (uf.Merge(family_id, member)) return;
    const int person = plan.node_person[member];
    is_breaker[person] = 1;
    const int copy = static_cast<int>(plan.node_person.size());
    plan.node_person.push_back(person);
    copy_uf.push_back(uf.Add());
    uf.Merge(family_id, copy_uf.back());
    member = copy;
  };
  for (size_t f = 0; f < plan.families.size(); ++f) {
    attach(plan.families[f].father, f);
    attach(plan.families[f].mother, f);
    for (int& c : plan.families[f].children) attach(c, f);
  }
  const int nodes = static_cast<int>(plan.node_person.size());
  // 4. Peeling order on the forest of families.
  std::vector<int> degree(nodes, 0);
  for (const auto& fam : plan.families) {
    ++degree[fam.father];
    ++degree[fam.mother];
    for (int c : fam.children) ++degree[c];
  }
  plan.isolated.resize(nodes);
  for (int v = 0; v < nodes; ++v) plan.isolated[v] = degree[v] == 0;
  if (!PeelOrder(plan, -1, plan.order))
    return MakeError(ErrorCode::kInternal, "pedigree could not be peeled");
  // 5. Persons summed over explicitly: loop breakers, and founders drawn from the theta urn.
  for (int i = 0; i < persons; ++i) {
    if (keep[i] && (is_breaker[i] || (urn_founders && plan.founder[i])))
      plan.enumerated.push_back(i);
  }
  plan.nodes_of_person.resize(persons);
  for (int v = 0; v < nodes; ++v) plan.nodes_of_person[plan.node_person[v]].push_back(v);
  // 6. Under theta: the root, the clamping order and the depth of every step (EvaluateUrn).
  // Not worth it with at most one untyped person enumerated besides two typed ones: the
  // re-peel then visits a few combinations only.
  int untyped_enumerated = 0;
  for (int i : plan.enumerated) untyped_enumerated += !typed[i];
  if (urn_founders && (untyped_enumerated >= 2 || plan.enumerated.size() >= 4)) {
    WB_RETURN_IF_ERROR(PlanUrn(plan, typed));
    plan.urn_layout = true;
  }
  return plan;
}

namespace {

// The theta enumeration (see PeelingPlan::UrnStep). The same sum as re-peeling the pedigree at
// every combination of the enumerated genotypes, but each step is computed at the depth of the
// last clamp it depends on: a step that depends on no clamp once, one that depends on the first
// enumerated person once per genotype of that person, and so on. A step's matrix is built before
// the clamps of its non-pivot parents when they come later (the clamp then selects a row or
// column of it), and the fold's row, onto which everything is peeled, is summed against its urn
// weights at each combination. ws.base holds the rows before any clamp.
double EvaluateUrn(const PeelingPlan& plan, const std::vector<std::vector<double>>& evidence,
                   const MarkerSetup& setup, const GenotypeSpace& space, const Transmission& t,
                   LikelihoodWorkspace& ws) {
  const int n = space.alleles();
  const int size = space.size();
  const double theta = setup.theta;
  const auto& p = setup.frequencies;
  const size_t depths = plan.urn_enumerated.size();
  ws.domains.resize(depths);
  for (size_t d = 0; d < depths; ++d) {
    const int i = plan.urn_enumerated[d];
    ws.domains[d].clear();
    for (int g = 0; g < size; ++g) {
      if (evidence[i].empty() || evidence[i][g] != 0.0) ws.domains[d].push_back(g);
    }
  }
  ws.L = ws.base;
  ws.clamp.assign(depths, -1);
  const size_t n_steps = plan.urn_steps.size();
  ws.step_nz_f.resize(n_steps);
  ws.step_nz_m.resize(n_steps);
  ws.step_q.resize(n_steps);
  ws.step_kz_f.resize(n_steps);
  ws.step_kz_m.resize(n_steps);
  ws.step_k.resize(n_steps);
  ws.saved.resize(depths);
  auto row = [&](int v) { return &ws.L[static_cast<size_t>(v) * size]; };
  auto clamp_of = [&](int node) { return ws.clamp[plan.urn_position[plan.node_person[node]]]; };
  // The steps of depth d (-1: before the enumeration); their product of component totals.
  auto run_depth = [&](int d) -> double {
    double f = 1.0;
    for (size_t s = 0; s < n_steps; ++s) {
      const auto& st = plan.urn_steps[s];
      const auto& fam = plan.families[st.family];
      if (st.k_level == d) {
        BuildKernel(fam, st.pivot, space, t, ws, ws.step_kz_f[s], ws.step_kz_m[s], ws.step_k[s]);
      }
      if (st.q_level == d) {
        CombineQ(fam, st.pivot, size, ws, ws.step_kz_f[s], ws.step_kz_m[s], ws.step_k[s],
                 ws.step_nz_f[s], ws.step_nz_m[s], ws.step_q[s]);
      }
      if (st.level != d) continue;
      f *= ReduceQ(fam, st.pivot, space, t, ws, ws.step_nz_f[s], ws.step_nz_m[s], ws.step_q[s],
                   st.defer_father ? clamp_of(fam.father) : -1,
                   st.defer_mother ? clamp_of(fam.mother) : -1);
      if (f == 0.0) return 0.0;
    }
    for (const auto& [v, level] : plan.urn_isolated) {
      if (level != d) continue;
      const double* r = row(v);
      f *= std::accumulate(r, r + size, 0.0);
    }
    return f;
  };
  ws.counts.assign(n, 0);
  int drawn = 0;
  auto draw = [&](int a) {
    const double w = (ws.counts[a] * theta + (1.0 - theta) * p[a]) / (1.0 + (drawn - 1) * theta);
    ++ws.counts[a];
    ++drawn;
    return w;
  };
  auto undraw = [&](int a) {
    --ws.counts[a];
    --drawn;
  };
  const int fold_node = plan.fold < 0 ? -1 : plan.nodes_of_person[plan.fold][0];
  // The fold's row summed against its urn weights given the alleles drawn so far: genotype {a, b}
  // (a < b) has weight 2 u_a u_b / (d1 d2), {a, a} weight u_a (u_a + theta) / (d1 d2), with
  // u_x = count_x theta + (1 - theta) p_x, d1 = 1 + (drawn - 1) theta, d2 = 1 + drawn theta.
  // Genotype index j(j+1)/2 + i for alleles i <= j (GenotypeSpace::Index).
  ws.fold_weight.resize(2 * static_cast<size_t>(n));  // u, u / d1
  double result = 0.0;
  auto fold_sum = [&]() {
    if (fold_node < 0) return 1.0;
    const double* r = row(fold_node);
    double* u = ws.fold_weight.data();
    double* u1 = u + n;
    const double d1 = 1.0 / (1.0 + (drawn - 1) * theta), d2 = 1.0 / (1.0 + drawn * theta);
    for (int x = 0; x < n; ++x) {
      u[x] = ws.counts[x] * theta + (1.0 - theta) * p[x];
      u1[x] = u[x] * d1;
    }
    double s = 0;
    int g = 0;
    for (int j = 0; j < n; ++j) {
      double t = 0;
      for (int i = 0; i < j; ++i, ++g) t += r[g] * u1[i];
      s += (2.0 * t * u[j] + r[g] * u1[j] * (u[j] + theta)) * d2;
      ++g;
    }
    return s;
  };
  // The last depth without copying rows, when all its work is one step peeled onto the fold whose
  // other parent is the last enumerated person (clamp deferred), as in most pedigrees: the fold's
  // row times that person's column of q, summed against the fold's urn weights, in one pass.
  int last_step = -1;
  if (fold_node >= 0 && depths > 0 &&
      plan.nodes_of_person[plan.urn_enumerated[depths - 1]].size() == 1) {
    const int last = static_cast<int>(depths) - 1;
    const int z = plan.nodes_of_person[plan.urn_enumerated[last]][0];
    bool ok = true;
    for (size_t s = 0; s < n_steps && ok; ++s) {
      const auto& st = plan.urn_steps[s];
      if (st.level != last) continue;
      const auto& fam = plan.families[st.family];
      const bool onto_fold = st.pivot == fold_node && st.q_level < last &&
                             ((fam.father == fold_node && fam.mother == z && st.defer_mother) ||
                              (fam.mother == fold_node && fam.father == z && st.defer_father));
      ok = onto_fold && last_step < 0;
      last_step = static_cast<int>(s);
    }
    for (const auto& iso : plan.urn_isolated) ok = ok && iso.second != last;
    if (!ok) last_step = -1;
  }
  auto last_depth = [&](double weight, double total) {
    const auto& st = plan.urn_steps[last_step];
    const bool fold_is_father = plan.families[st.family].father == fold_node;
    const auto& nz_fold = fold_is_father ? ws.step_nz_f[last_step] : ws.step_nz_m[last_step];
    const auto& nz_z = fold_is_father ? ws.step_nz_m[last_step] : ws.step_nz_f[last_step];
    const auto& q = ws.step_q[last_step];
    const size_t nm = ws.step_nz_m[last_step].size();
    const double* r = row(fold_node);
    double* u = ws.fold_weight.data();
    double* u1 = u + n;
    for (int g : ws.domains[depths - 1]) {
      auto it = std::lower_bound(nz_z.begin(), nz_z.end(), g);
      if (it == nz_z.end() || *it != g) continue;  // the step's reduction is zero
      const size_t j = static_cast<size_t>(it - nz_z.begin());
      const int a = space.First(g), b = space.Second(g);
      double w = draw(a);
      w *= draw(b);
      if (a != b) w *= 2.0;
      const double d1 = 1.0 / (1.0 + (drawn - 1) * theta), d2 = 1.0 / (1.0 + drawn * theta);
      for (int x = 0; x < n; ++x) {
        u[x] = ws.counts[x] * theta + (1.0 - theta) * p[x];
        u1[x] = u[x] * d1;
      }
      double sum = 0;
      for (size_t i = 0; i < nz_fold.size(); ++i) {
        const int gf = nz_fold[i];
        const double qv = fold_is_father ? q[i * nm + j] : q[j * nm + i];
        const int x = space.First(gf), y = space.Second(gf);
        const double uw = x != y ? 2.0 * u1[x] * u[y] : u1[x] * (u[x] + theta);
        sum += r[gf] * qv * uw;
      }
      result += weight * w * (total * (sum * d2));
      undraw(b);
      undraw(a);
    }
  };
  auto recurse = [&](auto&& self, size_t d, double weight, double total) -> void {
    if (d == depths) {
      result += weight * (total * fold_sum());
      return;
    }
    if (last_step >= 0 && d + 1 == depths && plan.founder[plan.urn_enumerated[d]]) {
      last_depth(weight, total);
      return;
    }
    const auto& restore = plan.urn_restore[d];
    auto& saved = ws.saved[d];
    saved.resize(restore.size() * size);
    for (size_t r = 0; r < restore.size(); ++r)
      std::copy_n(row(restore[r]), size, &saved[r * size]);
    const int i = plan.urn_enumerated[d];
    const bool urn = plan.founder[i];
    bool first = true;
    for (int g : ws.domains[d]) {
      if (!first) {
        for (size_t r = 0; r < restore.size(); ++r)
          std::copy_n(&saved[r * size], size, row(restore[r]));
      }
      first = false;
      ws.clamp[d] = g;
      for (int v : plan.nodes_of_person[i]) {
        double* r = row(v);
        const double keep_value = r[g];
        std::fill(r, r + size, 0.0);
        r[g] = keep_value;
      }
      const int a = space.First(g), b = space.Second(g);
      double w = 1.0;
      if (urn) {
        w = draw(a);
        w *= draw(b);
        if (a != b) w *= 2.0;
      }
      const double f = run_depth(static_cast<int>(d));
      if (f != 0.0) self(self, d + 1, weight * w, total * f);
      if (urn) {
        undraw(b);
        undraw(a);
      }
    }
  };
  const double f = run_depth(-1);
  if (f == 0.0) return 0.0;
  recurse(recurse, 0, 1.0, f);
  return result;
}

}  // namespace

Result<double> EvaluatePlan(const PeelingPlan& plan,
                            const std::vector<std::vector<double>>& evidence,
                            const MarkerSetup& setup, LikelihoodWorkspace& ws) {
  const int n = static_cast<int>(setup.frequencies.size());
  const GenotypeSpace space(n);
  const int size = space.size();
  if (static_cast<int>(evidence.size()) != plan.persons) {
    return MakeError(ErrorCode::kInvalidArgument, "evidence does not match the pedigree");
  }
  for (const auto& e : evidence) {
    if (!e.empty() && static_cast<int>(e.size()) != size) {
      return MakeError(ErrorCode::kInvalidArgument, "evidence vector has the wrong size");
    }
  }
  const size_t matrix_size = static_cast<size_t>(n) * n;
  for (const auto* m : {&setup.male_mutation, &setup.female_mutation}) {
    if (!m->empty() && m->size() != matrix_size) {
      return MakeError(ErrorCode::kInvalidArgument, "mutation matrix has the wrong size");
    }
  }
  const double theta = setup.theta;
  const auto& p = setup.frequencies;
  const int nodes = static_cast<int>(plan.node_person.size());

  // Domains of the enumerated persons.
  const size_t k_enum = plan.enumerated.size();
  ws.domains.resize(k_enum);
  for (size_t k = 0; k < k_enum; ++k) {
    const int i = plan.enumerated[k];
    ws.domains[k].clear();
    for (int g = 0; g < size; ++g) {
      if (evidence[i].empty() || evidence[i][g] != 0.0) ws.domains[k].push_back(g);
    }
  }
  // One urn founder that is not a loop breaker need not be enumerated: given the alleles drawn
  // before it, its urn weight depends on its own genotype only, so it is put into its likelihood
  // row and peeling sums over it. The one with the largest domain saves the most.
  int fold = -1;
  if (plan.urn_founders) {
    for (size_t k = 0; k < k_enum; ++k) {
      const int i = plan.enumerated[k];
      if (!plan.founder[i] || plan.nodes_of_person[i].size() != 1) continue;
      if (fold < 0 || ws.domains[k].size() > ws.domains[fold].size()) fold = static_cast<int>(k);
    }
  }
  double combinations = 1;
  for (size_t k = 0; k < k_enum; ++k) {
    if (static_cast<int>(k) != fold) combinations *= static_cast<double>(ws.domains[k].size());
  }
  if (combinations > kMaxEnumeration) {
    return MakeError(ErrorCode::kResourceExhausted,
                     "exact computation needs " +
                         std::to_string(static_cast<long long>(combinations)) +
                         " genotype combinations (theta over many untyped founders, or loops); "
                         "simplify the pedigree or set theta to 0");
  }

  // Base likelihood rows per node: evidence, times the founder prior unless founders are
  // enumerated.
  ws.base.assign(static_cast<size_t>(nodes) * size, 1.0);
  for (int v = 0; v < plan.base_nodes; ++v) {
    const int i = plan.node_person[v];
    double* b = &ws.base[static_cast<size_t>(v) * size];
    if (!evidence[i].empty()) std::copy(evidence[i].begin(), evidence[i].end(), b);
    if (plan.founder[i] && !plan.urn_founders) {
      for (int g = 0; g < size; ++g) {
        const int a = space.First(g), c = space.Second(g);
        b[g] *= a == c ? p[a] * p[a] : 2.0 * p[a] * p[c];
      }
    }
  }
  Transmission t;
  t.n = n;
  t.male = setup.male_mutation.empty() ? nullptr : setup.male_mutation.data();
  t.female = setup.female_mutation.empty() ? nullptr : setup.female_mutation.data();
  ws.col_of.assign(n, -1);
  ws.clamp.assign(k_enum, 0);
  ws.fold_weight.clear();
  // The reuse costs more than it saves when the re-peel visits a handful of combinations.
  if (plan.urn_layout && !setup.reference_enumeration && combinations > 8)
    return EvaluateUrn(plan, evidence, setup, space, t, ws);

  auto evaluate = [&]() -> double {
    if (k_enum == 0) {
      std::swap(ws.L, ws.base);  // evaluated once: no copy needed
    } else {
      ws.L = ws.base;
    }
    for (size_t k = 0; k < k_enum; ++k) {
      if (static_cast<int>(k) == fold) continue;
      for (int v : plan.nodes_of_person[plan.enumerated[k]]) {
        double* row = &ws.L[static_cast<size_t>(v) * size];
        const double keep_value = row[ws.clamp[k]];
        std::fill(row, row + size, 0.0);
        row[ws.clamp[k]] = keep_value;
      }
    }
    if (fold >= 0) {
      double* row =
          &ws.L[static_cast<size_t>(plan.nodes_of_person[plan.enumerated[fold]][0]) * size];
      for (int g = 0; g < size; ++g) row[g] *= ws.fold_weight[g];
    }
    double total = 1.0;
    for (const auto& step : plan.order) {
      total *= Peel(plan.families[step.family], step.pivot, space, t, ws);
      if (total == 0.0) return 0.0;
    }
    for (int v = 0; v < nodes; ++v) {
      if (!plan.isolated[v]) continue;
      const double* row = &ws.L[static_cast<size_t>(v) * size];
      total *= std::accumulate(row, row + size, 0.0);
    }
    return total;
  };
  if (k_enum == 0) return evaluate();

  // Depth-first enumeration with the Balding-Nichols urn weight of founder alleles.
  ws.counts.assign(n, 0);
  int drawn = 0;
  double result = 0.0;
  auto draw = [&](int a) {
    const double w = (ws.counts[a] * theta + (1.0 - theta) * p[a]) / (1.0 + (drawn - 1) * theta);
    ++ws.counts[a];
    ++drawn;
    return w;
  };
  auto undraw = [&](int a) {
    --ws.counts[a];
    --drawn;
  };
  // P(genotype g | the alleles drawn so far) under the urn.
  auto urn_weight = [&](int g) {
    const int a = space.First(g), b = space.Second(g);
    double w = draw(a);
    w *= draw(b);
    undraw(b);
    undraw(a);
    return a != b ? 2.0 * w : w;
  };
  auto recurse = [&](auto&& self, size_t k, double weight) -> void {
    if (k == k_enum) {
      if (fold >= 0) {
        ws.fold_weight.assign(size, 0.0);
        for (int g : ws.domains[fold]) ws.fold_weight[g] = urn_weight(g);
      }
      result += weight * evaluate();
      return;
    }
    if (static_cast<int>(k) == fold) {
      self(self, k + 1, weight);
      return;
    }
    const int i = plan.enumerated[k];
    const bool urn = plan.urn_founders && plan.founder[i];
    for (int g : ws.domains[k]) {
      ws.clamp[k] = g;
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

Result<double> PedigreeLikelihood(const Pedigree& pedigree,
                                  const std::vector<std::vector<double>>& evidence,
                                  const MarkerSetup& setup) {
  if (static_cast<int>(evidence.size()) != pedigree.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "evidence does not match the pedigree");
  }
  std::vector<char> typed(evidence.size());
  for (size_t i = 0; i < evidence.size(); ++i) typed[i] = !evidence[i].empty();
  WB_ASSIGN_OR_RETURN(
      auto plan,
      PeelingPlan::Create(pedigree, typed, setup.theta > 0.0 || setup.enumerate_founders));
  LikelihoodWorkspace ws;
  return EvaluatePlan(plan, evidence, setup, ws);
}

}  // namespace whereabouts::kinship
