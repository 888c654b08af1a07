#include "kinship/reassociate.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "kinship/union_find.h"

namespace whereabouts::kinship {
namespace {

using Kind = MarkerEvidence::Kind;

bool AtMostTwoBits(std::uint64_t u) {
  const std::uint64_t v = u & (u - 1);  // clears the lowest bit
  return (v & (v - 1)) == 0;
}

// Per marker, samples listed by what they show (all lists ascending).
// A listed sample with its allele masks at a few informative markers, so that most candidates
// are rejected while scanning a list, without touching the sample's own data.
constexpr int kSignature = 4;
struct Entry {
  int sample;
  std::uint64_t sig[kSignature];
};
bool operator<(int s, const Entry& e) { return s < e.sample; }

struct MarkerIndex {
  std::map<std::pair<int, int>, std::vector<Entry>> two;  // two alleles shown {a, b}
  std::vector<std::vector<Entry>> one;                    // one allele shown (kAllele or {a,a})
  std::vector<std::vector<Entry>> with;                   // two alleles shown, one of them a
  std::vector<Entry> any_one;                             // every sample showing one allele
  std::vector<Entry> untyped;
};

// Alleles shown: {a, b} (b = -1 for one allele), or {-1, -1} untyped / impossible.
std::pair<int, int> Shown(const MarkerEvidence& e) {
  if (e.kind == Kind::kGenotype) return e.a == e.b ? std::pair{e.a, -1} : std::pair{e.a, e.b};
  if (e.kind == Kind::kAllele) return {e.a, -1};
  return {-1, -1};
}

bool Compatible(const std::vector<MarkerEvidence>& x, const std::vector<MarkerEvidence>& y) {
  for (size_t m = 0; m < x.size(); ++m) {
    if (Multiply(x[m], y[m]).kind == Kind::kImpossible) return false;
  }
  return true;
}

}  // namespace

SamePersonResult SamePerson(const std::vector<MarkerFrequencies>& markers,
                            const std::vector<MarkerEvidence>& x,
                            const std::vector<MarkerEvidence>& y) {
  SamePersonResult r;
  for (size_t m = 0; m < markers.size(); ++m) {
    if (!x[m].typed() || !y[m].typed()) continue;
    ++r.common_markers;
    r.lr *= SamePersonLr(x[m], y[m], markers[m].frequencies);
    if (r.lr == 0.0) return r;
  }
  return r;
}

Result<Reassociation> Reassociate(const std::vector<MarkerFrequencies>& markers,
                                  const std::vector<std::vector<MarkerEvidence>>& samples,
                                  const std::vector<std::string>& bags,
                                  const ReassociationOptions& options,
                                  const std::vector<SexEvidence>& sex_in) {
  const int N = static_cast<int>(samples.size());
  const int M = static_cast<int>(markers.size());
  if (!bags.empty() && static_cast<int>(bags.size()) != N) {
    return MakeError(ErrorCode::kInvalidArgument, "one bag per sample is required");
  }
  if (!sex_in.empty() && static_cast<int>(sex_in.size()) != N) {
    return MakeError(ErrorCode::kInvalidArgument, "one amelogenin entry per sample is required");
  }
  const std::vector<SexEvidence> sex = sex_in.empty() ? std::vector<SexEvidence>(N) : sex_in;
  for (const auto& s : samples) {
    if (static_cast<int>(s.size()) != M) {
      return MakeError(ErrorCode::kInvalidArgument, "every sample needs one entry per marker");
    }
  }
  if (!(options.lr_threshold > 0.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "the re-association LR threshold must be > 0");
  }
  Reassociation out;

  // Index markers, most informative first (heterozygosity times the share of samples typed).
  std::vector<int> order(M);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> score(M, 0.0);
  for (int m = 0; m < M; ++m) {
    double hom = 0.0;
    for (double p : markers[m].frequencies) hom += p * p;
    int typed = 0;
    for (const auto& s : samples) typed += s[m].typed() ? 1 : 0;
    score[m] = (1.0 - hom) * typed;
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return score[a] > score[b]; });
  std::vector<MarkerIndex> index(M);
  for (int m = 0; m < M; ++m) {
    index[m].one.resize(markers[m].size());
    index[m].with.resize(markers[m].size());
  }
  std::vector<int> key_marker(N, -1);
  std::vector<std::uint64_t> masks(static_cast<size_t>(N) * M);
  std::vector<char> is_key(M, 0);
  for (int s = 0; s < N; ++s) {
    for (int m = 0; m < M; ++m) masks[static_cast<size_t>(s) * M + m] = samples[s][m].Mask();
    for (int m : order) {
      if (samples[s][m].typed()) {
        key_marker[s] = m;
        is_key[m] = 1;
        break;
      }
    }
  }
  // Signature markers: the most informative ones after the first.
  std::vector<int> sig_markers;
  for (int k = 1; k < M && static_cast<int>(sig_markers.size()) < kSignature; ++k) {
    sig_markers.push_back(order[k]);
  }
  auto entry = [&](int s) {
    Entry e{s, {0, 0, 0, 0}};
    for (size_t k = 0; k < sig_markers.size(); ++k) {
      e.sig[k] = masks[static_cast<size_t>(s) * M + sig_markers[k]];
    }
    return e;
  };
  for (int s = 0; s < N; ++s) {
    const Entry e = entry(s);
    for (int m = 0; m < M; ++m) {
      if (!is_key[m]) continue;  // lists only where some sample looks
      auto [a, b] = Shown(samples[s][m]);
      MarkerIndex& ix = index[m];
      if (a < 0) {
        ix.untyped.push_back(e);
      } else if (b < 0) {
        ix.one[a].push_back(e);
        ix.any_one.push_back(e);
      } else {
        ix.two[{a, b}].push_back(e);
        ix.with[a].push_back(e);
        ix.with[b].push_back(e);
      }
    }
  }

  // Compare each sample s with the candidates t > s listed at its key marker.
  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  const int block = 64;
  const int blocks = (N + block - 1) / block;
  std::vector<std::vector<SampleLink>> links_of(blocks), compatible_of(blocks);
  std::vector<std::uint64_t> compared_of(blocks, 0);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<int>(0, blocks, 1),
        [&](const tbb::blocked_range<int>& r) {
          std::vector<const std::vector<Entry>*> lists;
          for (int b = r.begin(); b != r.end(); ++b) {
            for (int s = b * block; s < std::min(N, (b + 1) * block); ++s) {
              const int m = key_marker[s];
              if (m < 0) continue;  // no typed marker: nothing to compare
              const MarkerIndex& ix = index[m];
              auto [a, b2] = Shown(samples[s][m]);
              lists.clear();
              lists.push_back(&ix.untyped);
              if (b2 >= 0) {
                auto it = ix.two.find({a, b2});
                if (it != ix.two.end()) lists.push_back(&it->second);
                lists.push_back(&ix.one[a]);
                lists.push_back(&ix.one[b2]);
              } else {
                lists.push_back(&ix.with[a]);
                lists.push_back(&ix.any_one);
              }
              const std::uint64_t* ms = &masks[static_cast<size_t>(s) * M];
              const Entry es = entry(s);
              for (const auto* list : lists) {
                for (auto it = std::upper_bound(list->begin(), list->end(), s); it != list->end();
                     ++it) {
                  if (!AtMostTwoBits(es.sig[0] | it->sig[0]) ||
                      !AtMostTwoBits(es.sig[1] | it->sig[1]) ||
                      !AtMostTwoBits(es.sig[2] | it->sig[2]) ||
                      !AtMostTwoBits(es.sig[3] | it->sig[3])) {
                    continue;
                  }
                  const int t = it->sample;
                  const std::uint64_t* mt = &masks[static_cast<size_t>(t) * M];
                  bool ok = true;
                  for (int k = 0; k < M && ok; ++k) ok = AtMostTwoBits(ms[k] | mt[k]);
                  if (!ok) continue;
                  ++compared_of[b];
                  const SamePersonResult sp = SamePerson(markers, samples[s], samples[t]);
                  if (sp.lr == 0.0) continue;
                  const SampleLink link{s, t, sp.lr, sp.common_markers};
                  if (sp.lr >= options.lr_threshold &&
                      sp.common_markers >= options.min_common_markers) {
                    links_of[b].push_back(link);
                  } else {
                    compatible_of[b].push_back(link);
                  }
                }
              }
            }
            auto by_pair = [](const SampleLink& x, const SampleLink& y) {
              return x.a != y.a ? x.a < y.a : x.b < y.b;
            };
            std::sort(links_of[b].begin(), links_of[b].end(), by_pair);
            std::sort(compatible_of[b].begin(), compatible_of[b].end(), by_pair);
          }
        },
        tbb::simple_partitioner());
  });
  std::vector<SampleLink> compatible;
  for (int b = 0; b < blocks; ++b) {
    out.links.insert(out.links.end(), links_of[b].begin(), links_of[b].end());
    compatible.insert(compatible.end(), compatible_of[b].begin(), compatible_of[b].end());
    out.pairs_compared += compared_of[b];
  }

  // Greedy grouping, strongest link first.
  std::vector<SampleLink> by_lr = out.links;
  std::sort(by_lr.begin(), by_lr.end(), [](const SampleLink& x, const SampleLink& y) {
    if (x.lr != y.lr) return x.lr > y.lr;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  UnionFind uf(N);
  std::vector<std::vector<MarkerEvidence>> group = samples;  // consensus per root
  std::vector<SexEvidence> group_sex = sex;                  // amelogenin per root
  for (const auto& link : by_lr) {
    const int ra = uf.Find(link.a), rb = uf.Find(link.b);
    if (ra == rb) continue;
    std::vector<MarkerEvidence> merged(M);
    int bad_marker = -1;
    for (int m = 0; m < M && bad_marker < 0; ++m) {
      merged[m] = Multiply(group[ra][m], group[rb][m]);
      if (merged[m].kind == Kind::kImpossible) bad_marker = m;
    }
    const SexEvidence merged_sex = Combine(group_sex[ra], group_sex[rb]);
    if (bad_marker >= 0 || merged_sex.Impossible()) {
      ReassociationConflict c;
      c.kind = ReassociationConflict::Kind::kInconsistentLink;
      c.description = "samples #" + std::to_string(link.a + 1) + " and #" +
                      std::to_string(link.b + 1) + " match (same-person LR " +
                      std::to_string(link.lr) + ") but their groups cannot be one person (" +
                      (bad_marker >= 0 ? "marker " + markers[bad_marker].name
                                       : std::string("amelogenin: Y in one, X only without "
                                                     "drop-out in the other")) +
                      "); not joined";
      c.samples = {link.a, link.b};
      out.conflicts.push_back(std::move(c));
      continue;
    }
    const int root = std::min(ra, rb), other = std::max(ra, rb);
    uf.Merge(root, other);
    group[uf.Find(root)] = std::move(merged);
    group_sex[uf.Find(root)] = merged_sex;
  }
  out.individual_of.assign(N, -1);
  std::vector<int> of_root(N, -1);
  for (int s = 0; s < N; ++s) {
    const int r = uf.Find(s);
    if (of_root[r] < 0) {
      of_root[r] = static_cast<int>(out.individuals.size());
      out.individuals.emplace_back();
      out.consensus.push_back(group[r]);
      out.sex.push_back(group_sex[r]);
    }
    out.individual_of[s] = of_root[r];
    out.individuals[of_root[r]].push_back(s);
  }
  const int I = static_cast<int>(out.individuals.size());

  // Individuals whose samples show Y and X only: one man only if the Y dropped out.
  for (int i = 0; i < I; ++i) {
    if (!out.sex[i].Disagrees()) continue;
    ReassociationConflict c;
    c.kind = ReassociationConflict::Kind::kSexDiffers;
    c.description = "individual " + std::to_string(i + 1) + ": amelogenin shows Y in " +
                    std::to_string(out.sex[i].y) + " samples and X only in " +
                    std::to_string(out.sex[i].x_only) +
                    " (one man only if his Y dropped out); joined by their STR profiles";
    c.samples = out.individuals[i];
    out.conflicts.push_back(std::move(c));
  }

  // Bags holding several individuals; individuals spread over several bags.
  if (!bags.empty()) {
    std::map<std::string, std::vector<int>> bag_samples;
    for (int s = 0; s < N; ++s) {
      if (!bags[s].empty()) bag_samples[bags[s]].push_back(s);
    }
    for (const auto& [bag, list] : bag_samples) {
      std::vector<int> inds;
      for (int s : list) inds.push_back(out.individual_of[s]);
      std::sort(inds.begin(), inds.end());
      inds.erase(std::unique(inds.begin(), inds.end()), inds.end());
      if (inds.size() > 1) {
        ReassociationConflict c;
        c.kind = ReassociationConflict::Kind::kBagHoldsSeveral;
        c.description =
            "bag " + bag + " holds samples of " + std::to_string(inds.size()) + " individuals";
        c.samples = list;
        out.conflicts.push_back(std::move(c));
      }
    }
    for (int i = 0; i < I; ++i) {
      std::vector<std::string> in;
      for (int s : out.individuals[i]) {
        if (!bags[s].empty()) in.push_back(bags[s]);
      }
      std::sort(in.begin(), in.end());
      in.erase(std::unique(in.begin(), in.end()), in.end());
      if (in.size() > 1) {
        ReassociationConflict c;
        c.kind = ReassociationConflict::Kind::kIndividualInSeveralBags;
        c.description = "individual " + std::to_string(i + 1) + " has samples in " +
                        std::to_string(in.size()) + " bags";
        c.samples = out.individuals[i];
        out.conflicts.push_back(std::move(c));
      }
    }
  }

  // Minimum number of individuals: best-typed first; an individual compatible with a kept one
  // may be the same person and is not counted. Compatible individuals are found through the
  // compatible sample pairs (a compatible pair of consensuses needs compatible samples).
  std::vector<int> typed(I, 0);
  for (int i = 0; i < I; ++i) {
    for (const auto& e : out.consensus[i]) typed[i] += e.typed() ? 1 : 0;
  }
  std::vector<std::vector<int>> neighbours(I);
  for (const auto& c : compatible) {
    const int x = out.individual_of[c.a], y = out.individual_of[c.b];
    if (x == y) continue;
    neighbours[x].push_back(y);
    neighbours[y].push_back(x);
  }
  for (const auto& l : out.links) {  // refused links join compatible-looking individuals too
    const int x = out.individual_of[l.a], y = out.individual_of[l.b];
    if (x == y) continue;
    neighbours[x].push_back(y);
    neighbours[y].push_back(x);
  }
  std::vector<int> by_typed(I);
  std::iota(by_typed.begin(), by_typed.end(), 0);
  std::stable_sort(by_typed.begin(), by_typed.end(),
                   [&](int a, int b) { return typed[a] > typed[b]; });
  std::vector<char> kept(I, 0);
  for (int i : by_typed) {
    bool absorbed = false;
    auto& nb = neighbours[i];
    std::sort(nb.begin(), nb.end());
    nb.erase(std::unique(nb.begin(), nb.end()), nb.end());
    for (int j : nb) {
      if (kept[j] && !Combine(out.sex[i], out.sex[j]).Impossible() &&
          Compatible(out.consensus[i], out.consensus[j])) {
        absorbed = true;
        break;
      }
    }
    if (!absorbed) {
      kept[i] = 1;
      ++out.mni;
    }
  }
  return out;
}

}  // namespace whereabouts::kinship
