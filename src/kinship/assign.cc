#include "kinship/assign.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

#include "kinship/union_find.h"

namespace whereabouts::kinship {
namespace {

// Relative difference below which two weights count as tied (rounding, not evidence).
constexpr double kTie = 1e-12;

std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// A probability near 1 keeps its digits: 0.99987, not 1.
std::string Prob(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// A jointly scored family's table indexed for the enumeration: a set is given by the individual on
// each of the family's missing persons (positions in JointFamily::missing, -1 for nobody); its key
// lists, orbit by orbit, the individuals on the orbit sorted, which is the key of its canonical set
// (JointFamily::Canonical). Single-threaded (a scratch key).
struct FamilyIndex {
  std::vector<std::vector<int>> groups;  // positions of each orbit (one position alone included)
  size_t positions = 0;
  std::unordered_map<std::string, double> lr;
  std::string scratch;
  std::vector<int> values;

  void Build(const JointFamily& f) {
    positions = f.missing.size();
    std::map<int, int> position;
    for (size_t p = 0; p < f.missing.size(); ++p) position[f.missing[p]] = static_cast<int>(p);
    std::vector<char> grouped(f.missing.size(), 0);
    for (const auto& orbit : f.orbits) {
      std::vector<int> g;
      for (int m : orbit) {
        auto it = position.find(m);
        if (it == position.end()) continue;
        g.push_back(it->second);
        grouped[it->second] = 1;
      }
      groups.push_back(std::move(g));
    }
    for (size_t p = 0; p < f.missing.size(); ++p) {
      if (!grouped[p]) groups.push_back({static_cast<int>(p)});
    }
    std::vector<int> occupant(f.missing.size(), -1);
    for (const auto& [set, j] : f.joint_lr) {
      std::fill(occupant.begin(), occupant.end(), -1);
      bool ok = true;
      for (const auto& [i, m] : set) {
        auto it = position.find(m);
        if (it == position.end()) {
          ok = false;
          break;
        }
        occupant[it->second] = i;
      }
      if (ok) lr.emplace(Key(occupant), j);
    }
  }
  const std::string& Key(const std::vector<int>& occupant) {
    scratch.clear();
    for (const auto& g : groups) {
      values.clear();
      for (int p : g) {
        if (occupant[p] >= 0) values.push_back(occupant[p]);
      }
      std::sort(values.begin(), values.end());
      values.resize(g.size(), -1);
      scratch.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(int));
    }
    return scratch;
  }
  double Find(const std::vector<int>& occupant) {
    auto it = lr.find(Key(occupant));
    return it == lr.end() ? 0.0 : it->second;
  }
};

// Enumerates the one-to-one assignments of a group. An option of a jointly scored family enters
// with the ratio of the family part's joint LR with and without it (its pairwise LR when alone), so
// that the weight of an assignment is prod prior * prod joint LR of each family part.
struct Enumerator {
  // options[k]: (local missing index or -1 for "other", weight, candidate index or -1)
  struct Option {
    int missing;
    double weight;
    int candidate;
    int family = -1;  // joint family, or -1
    int individual = 0, global_missing = 0;
    int position = -1;  // of global_missing in its joint family (JointFamily::missing)
    double lr = 0.0;    // pairwise
  };
  // An event whose probability is wanted: individuals (positions) are the missing (local) in
  // some order.
  struct Event {
    std::vector<int> positions;
    std::vector<int> missing;
    double weight = 0.0, best = 0.0, best_outside = 0.0;
    std::vector<int> best_choice;
  };
  std::vector<std::vector<Option>> options;
  std::vector<FamilyIndex>* families = nullptr;
  std::vector<char> used;
  std::vector<int> chosen;   // option index per individual
  std::vector<double> acc;   // per individual, per option: summed weight of assignments choosing it
  std::vector<double> best;  // per individual, per option: largest weight of one assignment
  std::vector<std::vector<int>> best_choice;  // ... and that assignment
  std::vector<size_t> acc_offset;
  std::vector<std::vector<int>> occupant;  // per joint family: individual per position, or -1
  std::vector<int> part_size;              // per joint family: pairs chosen so far
  std::vector<double> part_lr;             // per joint family: their joint LR
  std::vector<Event> events;
  double total = 0.0;
  std::uint64_t states = 0;
  std::uint64_t max_states = 0;
  bool aborted = false;

  void Run() {
    acc_offset.assign(options.size() + 1, 0);
    for (size_t i = 0; i < options.size(); ++i)
      acc_offset[i + 1] = acc_offset[i] + options[i].size();
    acc.assign(acc_offset.back(), 0.0);
    best.assign(acc_offset.back(), 0.0);
    best_choice.assign(acc_offset.back(), {});
    chosen.assign(options.size(), -1);
    const size_t nf = families ? families->size() : 0;
    occupant.assign(nf, {});
    for (size_t f = 0; f < nf; ++f) occupant[f].assign((*families)[f].positions, -1);
    part_size.assign(nf, 0);
    part_lr.assign(nf, 1.0);
    Visit(0, 1.0);
  }
  // The number of leaves Visit reaches (the same options skipped: taken, of weight 0, impossible
  // in a family's table), counted up to `limit` + 1: cheap beside Visit, whose leaves update every
  // position, so that a group too large is known before it is enumerated.
  std::uint64_t Count(std::uint64_t limit) {
    const size_t nf = families ? families->size() : 0;
    occupant.assign(nf, {});
    for (size_t f = 0; f < nf; ++f) occupant[f].assign((*families)[f].positions, -1);
    part_size.assign(nf, 0);
    std::uint64_t counted = 0;
    CountVisit(0, limit, counted);
    return counted;
  }
  void CountVisit(size_t i, std::uint64_t limit, std::uint64_t& counted) {
    if (counted > limit) return;
    if (i == options.size()) {
      ++counted;
      return;
    }
    for (const Option& opt : options[i]) {
      if (opt.missing >= 0 && used[opt.missing]) continue;
      if (opt.weight == 0.0) continue;
      if (opt.family >= 0 && part_size[opt.family] > 0) {
        std::vector<int>& occ = occupant[opt.family];
        occ[opt.position] = opt.individual;
        const double joint = (*families)[opt.family].Find(occ);
        occ[opt.position] = -1;
        if (!(joint > 0.0)) continue;
      }
      if (opt.missing >= 0) used[opt.missing] = 1;
      if (opt.family >= 0) {
        occupant[opt.family][opt.position] = opt.individual;
        ++part_size[opt.family];
      }
      CountVisit(i + 1, limit, counted);
      if (opt.family >= 0) {
        occupant[opt.family][opt.position] = -1;
        --part_size[opt.family];
      }
      if (opt.missing >= 0) used[opt.missing] = 0;
      if (counted > limit) return;
    }
  }
  void Leaf(double w) {
    if (++states > max_states) {
      aborted = true;
      return;
    }
    total += w;
    for (size_t k = 0; k < options.size(); ++k) {
      const size_t at = acc_offset[k] + chosen[k];
      acc[at] += w;
      // Ties (symmetric assignments, e.g. two sisters who can be swapped) keep the first
      // assignment visited: their weights differ only by rounding, which must not decide.
      if (w > best[at] * (1 + kTie)) {
        best[at] = w;
        best_choice[at] = chosen;
      }
    }
    for (Event& e : events) {
      bool in = true;
      for (int pos : e.positions) {
        const int m = options[pos][chosen[pos]].missing;
        in = in && m >= 0 && std::find(e.missing.begin(), e.missing.end(), m) != e.missing.end();
      }
      if (!in) {
        e.best_outside = std::max(e.best_outside, w);
        continue;
      }
      e.weight += w;
      if (w > e.best * (1 + kTie)) {
        e.best = w;
        e.best_choice = chosen;
      }
    }
  }
  void Visit(size_t i, double w) {
    if (aborted) return;
    if (i == options.size()) {
      Leaf(w);
      return;
    }
    for (size_t o = 0; o < options[i].size(); ++o) {
      const Option& opt = options[i][o];
      if (opt.missing >= 0 && used[opt.missing]) continue;
      if (opt.weight == 0.0) continue;
      double factor = 1.0;
      double joint = 0.0;
      if (opt.family >= 0) {
        std::vector<int>& occ = occupant[opt.family];
        if (part_size[opt.family] == 0) {
          joint = opt.lr;
        } else {
          occ[opt.position] = opt.individual;
          joint = (*families)[opt.family].Find(occ);
          occ[opt.position] = -1;
          if (!(joint > 0.0)) continue;  // impossible
          factor = joint / (part_lr[opt.family] * opt.lr);
        }
      }
      if (opt.missing >= 0) used[opt.missing] = 1;
      double saved = 1.0;
      if (opt.family >= 0) {
        occupant[opt.family][opt.position] = opt.individual;
        ++part_size[opt.family];
        saved = part_lr[opt.family];
        part_lr[opt.family] = joint;
      }
      chosen[i] = static_cast<int>(o);
      Visit(i + 1, w * opt.weight * factor);
      if (opt.family >= 0) {
        occupant[opt.family][opt.position] = -1;
        --part_size[opt.family];
        part_lr[opt.family] = saved;
      }
      if (opt.missing >= 0) used[opt.missing] = 0;
    }
  }
};

}  // namespace

PairSet JointFamily::Canonical(PairSet set) const {
  if (!orbits.empty()) {
    for (const auto& orbit : orbits) {
      std::vector<size_t> at;  // positions of the set's pairs in this orbit (by individual)
      for (size_t k = 0; k < set.size(); ++k) {
        if (std::binary_search(orbit.begin(), orbit.end(), set[k].second)) at.push_back(k);
      }
      // `set` is sorted by individual: its pairs in the orbit take the orbit's first members.
      std::sort(at.begin(), at.end(), [&](size_t a, size_t b) { return set[a] < set[b]; });
      for (size_t r = 0; r < at.size(); ++r) set[at[r]].second = orbit[r];
    }
  }
  std::sort(set.begin(), set.end());
  return set;
}

double JointFamily::Find(const PairSet& set) const {
  auto it = joint_lr.find(orbits.empty() ? set : Canonical(set));
  return it == joint_lr.end() ? 0.0 : it->second;
}

std::vector<int> JointFamily::OrbitOf(int m) const {
  for (const auto& orbit : orbits) {
    if (std::binary_search(orbit.begin(), orbit.end(), m)) return orbit;
  }
  return {m};
}

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kIdentified:
      return "identified";
    case Decision::kAmbiguous:
      return "ambiguous";
    case Decision::kNotIdentified:
      return "not identified";
  }
  return "";
}

Result<AssignResult> Assign(const AssignInput& in, const AssignOptions& options) {
  const int I = in.individuals;
  const int N = static_cast<int>(in.prior.size());
  if (static_cast<int>(in.other_mass.size()) != I ||
      static_cast<int>(in.family_of_missing.size()) != N ||
      static_cast<int>(in.missing_names.size()) != N ||
      static_cast<int>(in.individual_names.size()) != I) {
    return MakeError(ErrorCode::kInvalidArgument, "assignment input sizes do not match");
  }
  if (!(in.prior_none >= 0.0))
    return MakeError(ErrorCode::kInvalidArgument, "prior of none must be >= 0");
  for (double p : in.prior) {
    if (!(p >= 0.0)) return MakeError(ErrorCode::kInvalidArgument, "priors must be >= 0");
  }
  for (const auto& c : in.candidates) {
    if (c.individual < 0 || c.individual >= I || c.missing < 0 || c.missing >= N ||
        !(c.lr >= 0.0) || !(c.weight >= 0.0)) {
      return MakeError(ErrorCode::kInvalidArgument, "bad assignment candidate");
    }
  }
  const int C = static_cast<int>(in.candidates.size());
  AssignResult out;
  out.posterior.assign(C, 0.0);
  out.posterior_none.assign(I, 0.0);
  out.joint.assign(C, CandidateJoint{});
  for (int c = 0; c < C; ++c) {
    out.joint[c].joint_lr = out.joint[c].conditional_lr = in.candidates[c].lr;
  }
  std::vector<int> joint_of(N, -1);  // missing -> joint family
  for (size_t f = 0; f < in.joint_families.size(); ++f) {
    for (int m : in.joint_families[f].missing) {
      if (m < 0 || m >= N || joint_of[m] >= 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "a jointly scored family names a missing person out of range or twice");
      }
      joint_of[m] = static_cast<int>(f);
    }
  }
  // The tables indexed for the enumeration, and each missing person's position in its family.
  std::vector<FamilyIndex> family_index(in.joint_families.size());
  std::vector<int> position_of(N, -1);
  for (size_t f = 0; f < in.joint_families.size(); ++f) {
    family_index[f].Build(in.joint_families[f]);
    const auto& missing = in.joint_families[f].missing;
    for (size_t p = 0; p < missing.size(); ++p) position_of[missing[p]] = static_cast<int>(p);
  }

  // A candidate's weight: prior x LR x the likelihood of its amelogenin (weight; 1 by default).
  auto mass = [&](int c) {
    const auto& cand = in.candidates[c];
    return in.prior[cand.missing] * cand.lr * cand.weight;
  };
  // Individual posteriors.
  std::vector<std::vector<int>> cands_of(I);
  for (int c = 0; c < C; ++c) cands_of[in.candidates[c].individual].push_back(c);
  std::vector<double> z(I), individual_post(C, 0.0);
  for (int i = 0; i < I; ++i) {
    double s = in.prior_none + std::max(0.0, in.other_mass[i]);
    for (int c : cands_of[i]) s += mass(c);
    z[i] = s;
    for (int c : cands_of[i]) {
      individual_post[c] = s > 0 ? mass(c) / s : 0.0;
    }
  }

  // A candidate in a jointly scored family may be weak alone and strong given the others of its
  // family (a weak pairwise LR, a strong LR given an identified relative). Its bar is taken on
  // its posterior with its best LR given the others: max over the family's sets holding it of
  // J(set) / J(set without it), in place of its pairwise LR (the posterior it could reach in the
  // most favourable company).
  std::vector<double> joint_post(C, 0.0);
  {
    std::map<std::pair<int, int>, int> cand_of;  // (individual, missing) -> candidate
    for (int c = 0; c < C; ++c) {
      cand_of[{in.candidates[c].individual, in.candidates[c].missing}] = c;
    }
    std::vector<double> best_given(C, 0.0);
    for (const auto& fam : in.joint_families) {
      for (const auto& [set, j] : fam.joint_lr) {
        for (size_t k = 0; k < set.size(); ++k) {
          PairSet rest = set;
          rest.erase(rest.begin() + static_cast<long>(k));
          double without = 0.0;
          if (rest.size() == 1) {
            // A pair alone: the candidate's LR (the same on every missing person of its orbit).
            for (int m : fam.OrbitOf(rest[0].second)) {
              auto r = cand_of.find({rest[0].first, m});
              if (r != cand_of.end()) {
                without = in.candidates[r->second].lr;
                break;
              }
            }
          } else {
            without = fam.Find(rest);
          }
          if (!(without > 0)) continue;
          // The same holds for the pair on any missing person exchangeable with its own (swap
          // the two in the whole set).
          for (int m : fam.OrbitOf(set[k].second)) {
            auto it = cand_of.find({set[k].first, m});
            if (it == cand_of.end()) continue;
            best_given[it->second] = std::max(best_given[it->second], j / without);
          }
        }
      }
    }
    for (int c = 0; c < C; ++c) {
      const auto& cand = in.candidates[c];
      if (joint_of[cand.missing] < 0 || !(best_given[c] > cand.lr)) continue;
      const double boosted = in.prior[cand.missing] * best_given[c] * cand.weight;
      const double zi = z[cand.individual] - mass(c) + boosted;
      joint_post[c] = zi > 0 ? boosted / zi : 0.0;
    }
  }
  // Candidates of a jointly scored family from individuals its table does not hold never join.
  std::vector<char> outside_table(C, 0);
  for (int c = 0; c < C; ++c) {
    const int f = joint_of[in.candidates[c].missing];
    if (f < 0) continue;
    const auto& held = in.joint_families[f].individuals;
    outside_table[c] =
        std::binary_search(held.begin(), held.end(), in.candidates[c].individual) ? 0 : 1;
  }
  auto joins = [&](int c, double bar) {
    return !outside_table[c] && (individual_post[c] >= bar || joint_post[c] >= bar);
  };
  // Joint groups: individuals and missing persons linked by candidates that matter. A group too
  // large to enumerate is split again with a higher bar for the candidates that link it (up to
  // kMaxJointBar); beyond that its individuals keep their individual posteriors.
  constexpr double kMaxJointBar = 1e-2;
  constexpr double kFirstPositiveJointBar = 1e-9;  // the bar after 0 (every candidate joins)
  std::vector<char> joint(C, 0);
  std::vector<double> other(
      I);  // "another person" weight: none + non-candidates + minor candidates
  std::vector<char> fallback(I, 0);
  std::vector<double> joint_other(I, 0.0);  // P(i is another person)
  // Enumerates `members` with candidates of individual posterior >= bar; false when too large.
  // The enumerator of `members` with candidates of individual posterior >= bar (and every
  // candidate of a jointly scored family); sets other[i] and joint[c].
  auto build = [&](const std::vector<int>& members, double bar) {
    Enumerator en;
    en.max_states = options.max_joint_states;
    en.families = &family_index;
    std::map<int, int> local;  // missing -> local index
    for (int i : members) {
      other[i] = in.prior_none + std::max(0.0, in.other_mass[i]);
      std::vector<Enumerator::Option> opts;
      opts.push_back({-1, 0.0, -1});
      for (int c : cands_of[i]) {
        const int m = in.candidates[c].missing;
        joint[c] = joins(c, bar) ? 1 : 0;
        if (!joint[c]) {
          other[i] += mass(c);
          continue;
        }
        auto it = local.emplace(m, static_cast<int>(local.size())).first;
        Enumerator::Option op{it->second, mass(c), c};
        op.family = joint_of[m];
        op.individual = i;
        op.global_missing = m;
        op.position = position_of[m];
        op.lr = in.candidates[c].lr;
        opts.push_back(op);
      }
      opts[0].weight = other[i];
      double scale = 0.0;
      for (const auto& o : opts) scale = std::max(scale, o.weight);
      if (scale > 0) {
        for (auto& o : opts) o.weight /= scale;
      }
      en.options.push_back(std::move(opts));
    }
    en.used.assign(local.size(), 0);
    return en;
  };
  // The joint LR of family f's part of an assignment (choice per position of `en`), and that part.
  auto part_of = [&](const Enumerator& en, const std::vector<int>& choice, int f,
                     const std::vector<int>& without) {
    PairSet pairs;
    double single_lr = 1.0;
    for (size_t k = 0; k < en.options.size(); ++k) {
      const auto& op = en.options[k][choice[k]];
      if (op.family != f || op.candidate < 0) continue;
      if (std::find(without.begin(), without.end(), op.individual) != without.end()) continue;
      pairs.push_back({op.individual, op.global_missing});
      single_lr = op.lr;
    }
    std::sort(pairs.begin(), pairs.end());
    double lr = 1.0;
    if (pairs.size() == 1) {
      lr = single_lr;
    } else if (pairs.size() > 1) {
      lr = in.joint_families[f].Find(pairs);
    }
    return std::make_pair(lr, pairs);
  };
  auto solve = [&](const std::vector<int>& members, double bar) {
    Enumerator en = build(members, bar);
    // A group that Run would abort (more than max_states assignments) is known by counting.
    if (en.Count(en.max_states) > en.max_states) {
      out.assignments += en.max_states;
      return false;
    }
    en.Run();
    out.assignments += std::min(en.states, en.max_states);
    if (en.aborted || !(en.total > 0.0)) return false;
    for (size_t k = 0; k < members.size(); ++k) {
      double best_other = 0.0;  // per option: the best weight of the others, for the GLR
      for (size_t o = 0; o < en.options[k].size(); ++o) {
        const double p = en.acc[en.acc_offset[k] + o] / en.total;
        if (en.options[k][o].candidate >= 0) {
          out.posterior[en.options[k][o].candidate] = p;
        } else {
          joint_other[members[k]] = p;
        }
      }
      for (size_t o = 0; o < en.options[k].size(); ++o) {
        const auto& op = en.options[k][o];
        if (op.candidate < 0) continue;
        best_other = 0.0;
        for (size_t o2 = 0; o2 < en.options[k].size(); ++o2) {
          if (o2 != o) best_other = std::max(best_other, en.best[en.acc_offset[k] + o2]);
        }
        CandidateJoint& cj = out.joint[op.candidate];
        const double b = en.best[en.acc_offset[k] + o];
        cj.glr = best_other > 0 ? b / best_other : std::numeric_limits<double>::infinity();
        if (op.family < 0 || !(b > 0)) continue;
        const auto& choice = en.best_choice[en.acc_offset[k] + o];
        auto [with, pairs] = part_of(en, choice, op.family, {});
        auto [without, rest] = part_of(en, choice, op.family, {op.individual});
        cj.joint_lr = with;
        cj.conditional_lr = without > 0 ? with / without : 0.0;
        cj.conditioned_on = rest;
      }
    }
    return true;
  };
  // Connected groups of `members` through candidates with individual posterior >= bar.
  auto split = [&](const std::vector<int>& members, double bar) {
    std::map<int, int> node;  // individual -> node, I + missing -> node
    for (int i : members) node.emplace(i, static_cast<int>(node.size()));
    std::vector<std::pair<int, int>> edges;
    for (int i : members) {
      for (int c : cands_of[i]) {
        const int m = in.candidates[c].missing;
        if (!joins(c, bar)) continue;
        // A jointly scored family is one node: its missing persons go together.
        const int key = joint_of[m] >= 0 ? I + N + joint_of[m] : I + m;
        auto it = node.emplace(key, static_cast<int>(node.size())).first;
        edges.push_back({node.at(i), it->second});
      }
    }
    UnionFind uf(static_cast<int>(node.size()));
    for (const auto& [a, b] : edges) uf.Merge(b, a);
    std::map<int, std::vector<int>> groups;  // root -> individuals (ascending)
    for (int i : members) groups[uf.Find(node.at(i))].push_back(i);
    std::vector<std::vector<int>> result;
    for (auto& [root, g] : groups) result.push_back(std::move(g));
    return result;
  };
  std::vector<int> everyone(I);
  std::iota(everyone.begin(), everyone.end(), 0);
  std::vector<std::pair<std::vector<int>, double>> work;
  for (auto& g : split(everyone, options.joint_min_posterior))
    work.push_back({std::move(g), options.joint_min_posterior});
  std::vector<int> group_of(I, -1);
  int next_group = 0;
  std::map<int, std::pair<std::vector<int>, double>> solved;  // group -> (members, bar)
  while (!work.empty()) {
    auto [members, bar] = std::move(work.back());
    work.pop_back();
    for (int i : members) group_of[i] = next_group;
    ++next_group;
    if (solve(members, bar)) {
      solved[group_of[members[0]]] = {members, bar};
      if (members.size() > 1) {
        ++out.groups;
        out.largest_group = std::max(out.largest_group, static_cast<int>(members.size()));
      }
      out.joint_bar = std::max(out.joint_bar, bar);
      continue;
    }
    // The next bar: ten times higher (from a bar of 0, where every candidate joins, the smallest
    // positive one: a bar of 0 times ten would split the same group again, forever).
    const double next_bar = std::max(bar * 10, kFirstPositiveJointBar);
    if (next_bar <= kMaxJointBar) {
      for (auto& g : split(members, next_bar)) work.push_back({std::move(g), next_bar});
      continue;
    }
    ++out.groups_not_joint;  // individual posteriors
    for (int i : members) {
      fallback[i] = 1;
      other[i] = in.prior_none + std::max(0.0, in.other_mass[i]);
      for (int c : cands_of[i]) {
        joint[c] = 1;
        out.posterior[c] = individual_post[c];
      }
      joint_other[i] = z[i] > 0 ? other[i] / z[i] : 1.0;
    }
  }
  for (int i = 0; i < I; ++i) {
    // Candidates outside the joint group share the "another person" mass.
    for (int c : cands_of[i]) {
      if (!joint[c]) {
        out.posterior[c] = other[i] > 0 ? joint_other[i] * mass(c) / other[i] : 0.0;
      }
    }
    out.posterior_none[i] = other[i] > 0 ? joint_other[i] * in.prior_none / other[i] : 0.0;
  }

  // Competition from outside the group: individuals whose claim on a missing person was left out
  // of i's joint group (another group, a claim below the bar or outside the family's table, or a
  // whole group decided on individual posteriors) could still take that missing person. Their
  // individual posteriors are taken off i's before deciding (conservative).
  std::vector<std::vector<int>> claims_on(N);  // missing -> candidates
  for (int c = 0; c < C; ++c) {
    if (individual_post[c] > 0) claims_on[in.candidates[c].missing].push_back(c);
  }
  auto outside_claims = [&](int i, int m) {
    double sum = 0.0;
    for (int c : claims_on[m]) {
      const int j = in.candidates[c].individual;
      if (j != i && (fallback[i] || group_of[j] != group_of[i] || !joint[c])) {
        sum += individual_post[c];
      }
    }
    return sum;
  };

  // Sets: individuals S that are the missing persons T of one jointly scored family in some
  // order (two sisters without a relative that tells them apart). Found from individual i's
  // posterior split over T; S is, for each of T, the individual most probably it.
  std::map<std::pair<std::vector<int>, std::vector<int>>, SetOutcome> set_cache;
  auto set_of = [&](int i, const std::vector<int>& ranked) -> std::optional<SetOutcome> {
    if (ranked.empty() || fallback[i]) return std::nullopt;
    const int f = joint_of[in.candidates[ranked[0]].missing];
    if (f < 0) return std::nullopt;
    std::vector<int> T;
    double cumulative = 0.0;
    for (int c : ranked) {
      if (joint_of[in.candidates[c].missing] != f) continue;
      cumulative += out.posterior[c];
      T.push_back(in.candidates[c].missing);
      if (cumulative >= options.posterior_threshold) break;
    }
    if (T.size() < 2 || cumulative < options.posterior_threshold) return std::nullopt;
    // S: the |T| individuals of the group with the most posterior on T (i among them).
    std::map<int, double> on_t;
    for (int c = 0; c < C; ++c) {
      const auto& cand = in.candidates[c];
      if (group_of[cand.individual] == group_of[i] &&
          std::find(T.begin(), T.end(), cand.missing) != T.end()) {
        on_t[cand.individual] += out.posterior[c];
      }
    }
    std::vector<std::pair<double, int>> by_mass;
    for (const auto& [j, p] : on_t) by_mass.push_back({-p, j});
    std::sort(by_mass.begin(), by_mass.end());
    if (by_mass.size() < T.size()) return std::nullopt;
    std::vector<int> S;
    for (size_t k = 0; k < T.size(); ++k) S.push_back(by_mass[k].second);
    if (std::find(S.begin(), S.end(), i) == S.end()) return std::nullopt;
    std::sort(S.begin(), S.end());
    std::sort(T.begin(), T.end());
    auto key = std::make_pair(S, T);
    if (auto it = set_cache.find(key); it != set_cache.end()) return it->second;
    auto g = solved.find(group_of[i]);
    if (g == solved.end()) return std::nullopt;
    const auto& [members, bar] = g->second;
    Enumerator en = build(members, bar);
    Enumerator::Event ev;
    for (int j : S) {
      ev.positions.push_back(
          static_cast<int>(std::find(members.begin(), members.end(), j) - members.begin()));
    }
    for (const auto& opts : en.options) {
      for (const auto& op : opts) {
        if (op.candidate >= 0 && std::find(T.begin(), T.end(), op.global_missing) != T.end() &&
            std::find(ev.missing.begin(), ev.missing.end(), op.missing) == ev.missing.end()) {
          ev.missing.push_back(op.missing);
        }
      }
    }
    if (ev.missing.size() != T.size()) return std::nullopt;
    en.events.push_back(ev);
    en.Run();
    if (en.aborted || !(en.total > 0.0)) return std::nullopt;
    const auto& e = en.events[0];
    SetOutcome so;
    so.individuals = S;
    so.missing = T;
    so.posterior = e.weight / en.total;
    if (e.best > 0) {
      const double with = part_of(en, e.best_choice, f, {}).first;
      const double without = part_of(en, e.best_choice, f, S).first;
      so.lr = without > 0 ? with / without : 0.0;
      so.glr =
          e.best_outside > 0 ? e.best / e.best_outside : std::numeric_limits<double>::infinity();
    }
    set_cache.emplace(key, so);
    return so;
  };
  auto dlr = [&](int c) { return out.joint[c].conditional_lr; };
  auto joint_note = [&](int c) {
    const CandidateJoint& cj = out.joint[c];
    if (cj.conditioned_on.empty()) return std::string();
    std::string s = "; jointly with";
    for (size_t k = 0; k < cj.conditioned_on.size(); ++k) {
      s += std::string(k ? "," : "") + " " + in.individual_names[cj.conditioned_on[k].first] +
           " as " + in.missing_names[cj.conditioned_on[k].second];
    }
    return s + " (joint LR of the family " + Sci(cj.joint_lr) + ", LR given them " +
           Sci(cj.conditional_lr) + ", pairwise LR " + Sci(in.candidates[c].lr) + ")";
  };

  // Decisions.
  std::vector<std::vector<int>> strong_of_missing(N);  // individuals with LR >= threshold
  for (int c = 0; c < C; ++c) {
    if (dlr(c) >= options.lr_threshold) {
      strong_of_missing[in.candidates[c].missing].push_back(in.candidates[c].individual);
    }
  }
  auto other_claims = [&](int i, int m) {
    std::string s;
    for (int j : strong_of_missing[m]) {
      if (j == i) continue;
      s += "; " + in.individual_names[j] + " also matches " + in.missing_names[m];
      if (in.same_person_lr) {
        const double sp = in.same_person_lr(i, j);
        s += sp > 0 ? " (profiles compatible, same-person LR " + Sci(sp) +
                          ": possibly the same person)"
                    : " (profiles incompatible: conflict)";
      }
    }
    return s;
  };
  out.outcomes.resize(I);
  for (int i = 0; i < I; ++i) {
    AssignOutcome& o = out.outcomes[i];
    o.individual = i;
    std::vector<int> ranked = cands_of[i];
    // Posteriors and LRs equal but for rounding (a symmetric set) rank by the missing person's
    // index, so that the order does not depend on the last bits of a sum.
    auto rounded = [](double x) {
      if (!(x > 0) || !std::isfinite(x)) return x;
      const double scale = std::pow(10.0, 11 - std::floor(std::log10(x)));
      return std::round(x * scale) / scale;
    };
    std::sort(ranked.begin(), ranked.end(), [&](int a, int b) {
      const double pa = rounded(out.posterior[a]), pb = rounded(out.posterior[b]);
      if (pa != pb) return pa > pb;
      const double la = rounded(in.candidates[a].lr), lb = rounded(in.candidates[b].lr);
      if (la != lb) return la > lb;
      return in.candidates[a].missing < in.candidates[b].missing;
    });
    if (ranked.empty()) {
      o.decision = Decision::kNotIdentified;
      o.reason = "no candidate";
      continue;
    }
    const AssignCandidate& best = in.candidates[ranked[0]];
    o.missing = best.missing;
    o.lr = best.lr;
    o.posterior = out.posterior[ranked[0]];
    o.decision_lr = dlr(ranked[0]);
    o.candidates = {DecisionCandidate{best.missing, best.lr, o.posterior}};
    const bool strong = o.decision_lr >= options.lr_threshold;
    const bool family_joint = joint_of[best.missing] >= 0;
    std::string note;
    if (fallback[i] && family_joint) {
      note =
          "; joint group too large: family not scored jointly, pairwise LRs and individual "
          "posteriors used";
    } else if (fallback[i] && strong) {
      note = "; joint group too large, individual posterior used";
    } else {
      note = joint_note(ranked[0]);
    }
    const double outside = outside_claims(i, best.missing);
    if (o.posterior - outside >= options.posterior_threshold && strong) {
      o.decision = Decision::kIdentified;
      o.reason = "posterior " + Prob(o.posterior) + ", LR " + Sci(o.decision_lr) + note;
      continue;
    }
    if (auto set = set_of(i, ranked);
        set && set->posterior >= options.posterior_threshold && set->lr >= options.lr_threshold) {
      o.decision = Decision::kAmbiguous;
      o.set = *set;
      o.candidates.clear();
      std::string who, what;
      for (size_t k = 0; k < set->individuals.size(); ++k) {
        who += (k ? ", " : "") + in.individual_names[set->individuals[k]];
      }
      for (size_t k = 0; k < set->missing.size(); ++k) {
        what += (k ? " and " : "") + in.missing_names[set->missing[k]];
      }
      for (int c : ranked) {
        const auto& cand = in.candidates[c];
        if (std::find(set->missing.begin(), set->missing.end(), cand.missing) !=
            set->missing.end()) {
          o.candidates.push_back({cand.missing, cand.lr, out.posterior[c]});
        }
      }
      o.reason = who + " are " + what + " in some order: posterior of the set " +
                 Prob(set->posterior) + ", joint LR of the set given the rest of the family " +
                 Sci(set->lr) + ", generalised LR " + Sci(set->glr) +
                 "; not who is who (posterior of the best one " + Prob(o.posterior) + ")";
      continue;
    }
    if (o.posterior >= options.posterior_threshold && strong) {
      o.decision = Decision::kNotIdentified;
      o.reason = "posterior " + Prob(o.posterior) + " but other individuals' claims on " +
                 in.missing_names[best.missing] + " (individual posteriors " + Prob(outside) +
                 " in all) leave it below the threshold" + other_claims(i, best.missing) + note;
      continue;
    }
    // Split between several missing persons?
    double cumulative = 0.0;
    std::vector<int> set;
    for (int c : ranked) {
      if (dlr(c) < options.lr_threshold) break;
      cumulative += out.posterior[c];
      set.push_back(c);
      if (cumulative >= options.posterior_threshold) break;
    }
    if (set.size() >= 2 && cumulative >= options.posterior_threshold) {
      o.decision = Decision::kAmbiguous;
      bool same_family = true;
      for (int c : set) {
        same_family = same_family && in.family_of_missing[in.candidates[c].missing] ==
                                         in.family_of_missing[best.missing];
      }
      o.reason =
          same_family ? "indistinguishable within the family between " : "ambiguous between ";
      o.candidates.clear();
      for (size_t k = 0; k < set.size(); ++k) {
        const auto& c = in.candidates[set[k]];
        o.candidates.push_back({c.missing, c.lr, out.posterior[set[k]]});
        o.reason += (k ? " and " : "") + in.missing_names[c.missing] + " (LR " + Sci(c.lr) +
                    ", posterior " + Prob(out.posterior[set[k]]) + ")";
      }
      o.reason += note;
      continue;
    }
    o.decision = Decision::kNotIdentified;
    if (o.decision_lr < options.lr_threshold) {
      o.reason =
          "best LR " + Sci(o.decision_lr) + " is below the threshold " + Sci(options.lr_threshold);
    } else {
      o.reason = "posterior " + Prob(o.posterior) + " is below the threshold " +
                 Prob(options.posterior_threshold) + other_claims(i, best.missing);
    }
    o.reason += note;
  }
  // Never two individuals for one missing person (only possible in fallback groups).
  std::vector<std::vector<int>> identified_of(N);
  for (int i = 0; i < I; ++i) {
    if (out.outcomes[i].decision == Decision::kIdentified)
      identified_of[out.outcomes[i].missing].push_back(i);
  }
  for (int m = 0; m < N; ++m) {
    if (identified_of[m].size() < 2) continue;
    for (int i : identified_of[m]) {
      AssignOutcome& o = out.outcomes[i];
      o.decision = Decision::kNotIdentified;
      o.reason = "conflict: several individuals match " + in.missing_names[m] + other_claims(i, m);
    }
  }
  return out;
}

}  // namespace whereabouts::kinship
