#include "kinship/assign.h"
#include "kinship/union_find.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

namespace whereabouts::kinship {
namespace {

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


// Enumerates the one-to-one assignments of a group.
struct Enumerator {
  // options[k]: (local missing index or -1 for "other", weight, candidate index or -1)
  struct Option {
    int missing;
    double weight;
    int candidate;
  };
  std::vector<std::vector<Option>> options;
  std::vector<char> used;
  std::vector<int> chosen;  // option index per individual
  std::vector<double> acc;  // per individual, per option: summed weight of assignments choosing it
  std::vector<size_t> acc_offset;
  double total = 0.0;
  std::uint64_t states = 0;
  std::uint64_t max_states = 0;
  bool aborted = false;

  void Run() {
    acc_offset.assign(options.size() + 1, 0);
    for (size_t i = 0; i < options.size(); ++i)
      acc_offset[i + 1] = acc_offset[i] + options[i].size();
    acc.assign(acc_offset.back(), 0.0);
    chosen.assign(options.size(), -1);
    Visit(0, 1.0);
  }
  void Visit(size_t i, double w) {
    if (aborted) return;
    if (i == options.size()) {
      if (++states > max_states) {
        aborted = true;
        return;
      }
      total += w;
      for (size_t k = 0; k < options.size(); ++k) acc[acc_offset[k] + chosen[k]] += w;
      return;
    }
    for (size_t o = 0; o < options[i].size(); ++o) {
      const Option& opt = options[i][o];
      if (opt.missing >= 0 && used[opt.missing]) continue;
      if (opt.weight == 0.0) continue;
      if (opt.missing >= 0) used[opt.missing] = 1;
      chosen[i] = static_cast<int>(o);
      Visit(i + 1, w * opt.weight);
      if (opt.missing >= 0) used[opt.missing] = 0;
    }
  }
};

}  // namespace

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
        !(c.lr >= 0.0)) {
      return MakeError(ErrorCode::kInvalidArgument, "bad assignment candidate");
    }
  }
  const int C = static_cast<int>(in.candidates.size());
  AssignResult out;
  out.posterior.assign(C, 0.0);
  out.posterior_none.assign(I, 0.0);

  // Individual posteriors.
  std::vector<std::vector<int>> cands_of(I);
  for (int c = 0; c < C; ++c) cands_of[in.candidates[c].individual].push_back(c);
  std::vector<double> z(I), individual_post(C, 0.0);
  for (int i = 0; i < I; ++i) {
    double s = in.prior_none + std::max(0.0, in.other_mass[i]);
    for (int c : cands_of[i]) s += in.prior[in.candidates[c].missing] * in.candidates[c].lr;
    z[i] = s;
    for (int c : cands_of[i]) {
      individual_post[c] =
          s > 0 ? in.prior[in.candidates[c].missing] * in.candidates[c].lr / s : 0.0;
    }
  }

  // Joint groups: individuals and missing persons linked by candidates that matter. A group too
  // large to enumerate is split again with a higher bar for the candidates that link it (up to
  // kMaxJointBar); beyond that its individuals keep their individual posteriors.
  constexpr double kMaxJointBar = 1e-2;
  std::vector<char> joint(C, 0);
  std::vector<double> other(
      I);  // "another person" weight: none + non-candidates + minor candidates
  std::vector<char> fallback(I, 0);
  std::vector<double> joint_other(I, 0.0);  // P(i is another person)
  // Enumerates `members` with candidates of individual posterior >= bar; false when too large.
  auto solve = [&](const std::vector<int>& members, double bar) {
    Enumerator en;
    en.max_states = options.max_joint_states;
    std::map<int, int> local;  // missing -> local index
    for (int i : members) {
      other[i] = in.prior_none + std::max(0.0, in.other_mass[i]);
      std::vector<Enumerator::Option> opts;
      opts.push_back({-1, 0.0, -1});
      for (int c : cands_of[i]) {
        const int m = in.candidates[c].missing;
        joint[c] = individual_post[c] >= bar ? 1 : 0;
        if (!joint[c]) {
          other[i] += in.prior[m] * in.candidates[c].lr;
          continue;
        }
        auto it = local.emplace(m, static_cast<int>(local.size())).first;
        opts.push_back({it->second, in.prior[m] * in.candidates[c].lr, c});
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
    en.Run();
    if (en.aborted || !(en.total > 0.0)) return false;
    for (size_t k = 0; k < members.size(); ++k) {
      for (size_t o = 0; o < en.options[k].size(); ++o) {
        const double p = en.acc[en.acc_offset[k] + o] / en.total;
        if (en.options[k][o].candidate >= 0) {
          out.posterior[en.options[k][o].candidate] = p;
        } else {
          joint_other[members[k]] = p;
        }
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
        if (individual_post[c] < bar) continue;
        auto it = node.emplace(I + in.candidates[c].missing, static_cast<int>(node.size())).first;
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
  while (!work.empty()) {
    auto [members, bar] = std::move(work.back());
    work.pop_back();
    for (int i : members) group_of[i] = next_group;
    ++next_group;
    if (solve(members, bar)) {
      if (members.size() > 1) {
        ++out.groups;
        out.largest_group = std::max(out.largest_group, static_cast<int>(members.size()));
      }
      out.joint_bar = std::max(out.joint_bar, bar);
      continue;
    }
    if (bar * 10 <= kMaxJointBar) {
      for (auto& g : split(members, bar * 10)) work.push_back({std::move(g), bar * 10});
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
        out.posterior[c] = other[i] > 0 ? joint_other[i] * in.prior[in.candidates[c].missing] *
                                              in.candidates[c].lr / other[i]
                                        : 0.0;
      }
    }
    out.posterior_none[i] = other[i] > 0 ? joint_other[i] * in.prior_none / other[i] : 0.0;
  }

  // Competition from outside the group: individuals whose claim on a missing person was left out
  // of i's joint group (or a whole group decided on individual posteriors) could still take that
  // missing person. Their individual posteriors are taken off i's before deciding (conservative).
  std::vector<std::vector<std::pair<int, double>>> claims_on(N);  // missing -> (individual, post)
  for (int c = 0; c < C; ++c) {
    if (individual_post[c] > 0)
      claims_on[in.candidates[c].missing].push_back(
          {in.candidates[c].individual, individual_post[c]});
  }
  auto outside_claims = [&](int i, int m) {
    double sum = 0.0;
    for (const auto& [j, p] : claims_on[m]) {
      if (j != i && (fallback[i] || group_of[j] != group_of[i])) sum += p;
    }
    return sum;
  };

  // Decisions.
  std::vector<std::vector<int>> strong_of_missing(N);  // individuals with LR >= threshold
  for (int c = 0; c < C; ++c) {
    if (in.candidates[c].lr >= options.lr_threshold) {
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
    std::sort(ranked.begin(), ranked.end(), [&](int a, int b) {
      if (out.posterior[a] != out.posterior[b]) return out.posterior[a] > out.posterior[b];
      if (in.candidates[a].lr != in.candidates[b].lr)
        return in.candidates[a].lr > in.candidates[b].lr;
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
    o.candidates = {DecisionCandidate{best.missing, best.lr, o.posterior}};
    const bool strong = o.lr >= options.lr_threshold;
    const std::string note =
        fallback[i] && strong ? "; joint group too large, individual posterior used" : "";
    const double outside = outside_claims(i, best.missing);
    if (o.posterior - outside >= options.posterior_threshold && strong) {
      o.decision = Decision::kIdentified;
      o.reason = "posterior " + Prob(o.posterior) + ", LR " + Sci(o.lr) + note;
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
      if (in.candidates[c].lr < options.lr_threshold) break;
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
    if (o.lr < options.lr_threshold) {
      o.reason = "best LR " + Sci(o.lr) + " is below the threshold " + Sci(options.lr_threshold);
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
