#include "kinship/screen.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <set>

#include "kinship/likelihood.h"
#include "kinship/lr.h"

namespace whereabouts::kinship {
namespace {

using Kind = MarkerEvidence::Kind;

// True when the parents of `member` share an ancestor (so its two alleles may be identical by
// descent).
bool IsInbred(const Pedigree& ped, int member) {
  const int f = ped.father(member), m = ped.mother(member);
  if (f < 0 || m < 0) return false;
  auto ancestors = [&](int start) {
    std::set<int> out;
    std::vector<int> stack{start};
    while (!stack.empty()) {
      const int x = stack.back();
      stack.pop_back();
      if (!out.insert(x).second) continue;
      if (ped.father(x) >= 0) stack.push_back(ped.father(x));
      if (ped.mother(x) >= 0) stack.push_back(ped.mother(x));
    }
    return out;
  };
  const auto a = ancestors(f), b = ancestors(m);
  for (int x : a) {
    if (b.count(x) != 0) return true;
  }
  return false;
}

// P(references, member has lumped genotype {x, y}) for the prepared (lumped) marker.
Result<double> Joint(const Pedigree& ped, const std::vector<std::vector<double>>& ref_evidence,
                     int member, int x, int y, const MarkerSetup& setup) {
  std::vector<std::vector<double>> evidence = ref_evidence;
  const GenotypeSpace space(static_cast<int>(setup.frequencies.size()));
  evidence[member].assign(space.size(), 0.0);
  evidence[member][GenotypeSpace::Index(x, y)] = 1.0;
  return PedigreeLikelihood(ped, evidence, setup);
}

// The references' evidence over a prepared marker's (lumped) space.
std::vector<std::vector<double>> RefEvidence(const ScreenFamily& family, int marker, int member,
                                             const MarkerFrequencies& mk,
                                             const PreparedMarker& prep) {
  const int blocks = static_cast<int>(prep.setup.frequencies.size());
  const GenotypeSpace space(blocks);
  std::vector<std::vector<double>> ev(family.pedigree.size());
  for (int i = 0; i < family.pedigree.size(); ++i) {
    const MarkerEvidence& e = family.evidence[i][marker];
    if (i == member) continue;
    if (e.kind == Kind::kGenotype) {
      ev[i].assign(space.size(), 0.0);
      const int a = prep.index.at(mk.alleles[e.a]);
      const int b = prep.index.at(mk.alleles[e.b]);
      ev[i][GenotypeSpace::Index(a, b)] = e.alpha;
    } else if (e.kind == Kind::kAllele) {
      // alpha at {a,a}, beta at {a,x} for every other allele x: the same for every allele of a
      // lumped block, so the lumped evidence is exact.
      ev[i].assign(space.size(), 0.0);
      const int a = prep.index.at(mk.alleles[e.a]);
      for (int b = 0; b < blocks; ++b)
        ev[i][GenotypeSpace::Index(a, b)] = b == a ? e.alpha : e.beta;
    }
  }
  return ev;
}

Status BuildMarkerTable(const MarkerFrequencies& mk, const ScreenFamily& family, int marker,
                        int member, const MutationSpec& mutation, double* out) {
  const int n = mk.size();
  const GenotypeSpace full(n);
  const std::vector<double>& p = mk.frequencies;
  double* T = out;
  double* ST = out + full.size();
  // Alleles the references show.
  std::vector<char> shown(n, 0);
  bool any_typed = false;
  for (int i = 0; i < family.pedigree.size(); ++i) {
    if (i == member) continue;
    const MarkerEvidence& e = family.evidence[i][marker];
    switch (e.kind) {
      case Kind::kUntyped:
        break;
      case Kind::kGenotype:
        shown[e.a] = shown[e.b] = 1;
        any_typed = true;
        break;
      case Kind::kAllele:  // "a/-" (or one allele under drop-out): the other one may be unseen
        shown[e.a] = 1;
        any_typed = true;
        break;
      case Kind::kImpossible:
        return MakeError(ErrorCode::kFailedPrecondition, "a reference has impossible evidence",
                         "marker " + mk.name + ", member " + family.pedigree.at(i).id);
    }
  }
  if (!any_typed) {  // no reference typed: T = P(g)
    for (int g = 0; g < full.size(); ++g) {
      const int i = full.First(g), j = full.Second(g);
      T[g] = i == j ? p[i] * p[i] : 2.0 * p[i] * p[j];
    }
  } else {
    std::vector<std::string> observed;
    for (int a = 0; a < n; ++a) {
      if (shown[a]) observed.push_back(mk.alleles[a]);
    }
    WB_ASSIGN_OR_RETURN(
        PreparedMarker prep,
        PrepareMarker(mk, observed, MutationModel::Same(mutation), 0.0, std::nullopt, true));
    const int blocks = static_cast<int>(prep.setup.frequencies.size());
    std::vector<int> block(n, -1);
    int rest = -1;
    for (int a = 0; a < n; ++a) {
      auto it = prep.index.find(mk.alleles[a]);
      if (it != prep.index.end()) block[a] = it->second;
    }
    if (prep.lumped) {
      std::vector<char> used(blocks, 0);
      for (int a = 0; a < n; ++a) {
        if (block[a] >= 0) used[block[a]] = 1;
      }
      for (int b = 0; b < blocks; ++b) {
        if (!used[b]) rest = b;
      }
      if (rest < 0)
        return MakeError(ErrorCode::kInternal, "lumped marker without a rest block", mk.name);
    }
    const auto ref_ev = RefEvidence(family, marker, member, mk, prep);
    const GenotypeSpace lumped(blocks);
    std::vector<double> TL(lumped.size());
    double total = 0.0;
    for (int g = 0; g < lumped.size(); ++g) {
      WB_ASSIGN_OR_RETURN(TL[g], Joint(family.pedigree, ref_ev, member, lumped.First(g),
                                       lumped.Second(g), prep.setup));
      total += TL[g];
    }
    if (!(total > 0.0)) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the references are inconsistent with each other under the screening "
                       "mutation model",
                       "marker " + mk.name);
    }
    if (rest < 0) {
      for (int g = 0; g < full.size(); ++g) {
        T[g] = TL[GenotypeSpace::Index(block[full.First(g)], block[full.Second(g)])];
      }
    } else {
      // Unseen alleles: fresh draws from the population (see the header).
      const double pr = prep.setup.frequencies[rest];
      double c1 = 0.0, c2 = 0.0;
      const double trr = TL[GenotypeSpace::Index(rest, rest)];
      if (!IsInbred(family.pedigree, member)) {
        c1 = trr / (pr * pr);
      } else {
        int x0 = -1;
        for (int a = 0; a < n; ++a) {
          if (block[a] < 0 && (x0 < 0 || p[a] > p[x0])) x0 = a;
        }
        auto obs2 = observed;
        obs2.push_back(mk.alleles[x0]);
        WB_ASSIGN_OR_RETURN(
            PreparedMarker prep2,
            PrepareMarker(mk, obs2, MutationModel::Same(mutation), 0.0, std::nullopt, true));
        const auto ref_ev2 = RefEvidence(family, marker, member, mk, prep2);
        const int bx = prep2.index.at(mk.alleles[x0]);
        WB_ASSIGN_OR_RETURN(double t00,
                            Joint(family.pedigree, ref_ev2, member, bx, bx, prep2.setup));
        const double p0 = p[x0];
        c1 = (trr - t00 * pr / p0) / (pr * (pr - p0));
        c2 = (t00 - c1 * p0 * p0) / p0;
      }
      for (int g = 0; g < full.size(); ++g) {
        const int i = full.First(g), j = full.Second(g);
        const int bi = block[i], bj = block[j];
        if (bi >= 0 && bj >= 0) {
          T[g] = TL[GenotypeSpace::Index(bi, bj)];
        } else if (bi >= 0) {
          T[g] = TL[GenotypeSpace::Index(bi, rest)] * (p[j] / pr);
        } else if (bj >= 0) {
          T[g] = TL[GenotypeSpace::Index(bj, rest)] * (p[i] / pr);
        } else if (i != j) {
          T[g] = 2.0 * p[i] * p[j] * c1;
        } else {
          T[g] = p[i] * p[i] * c1 + p[i] * c2;
        }
      }
    }
    for (int g = 0; g < full.size(); ++g) T[g] /= total;
  }
  std::fill(ST, ST + n, 0.0);
  for (int g = 0; g < full.size(); ++g) {
    const int i = full.First(g), j = full.Second(g);
    ST[i] += T[g];
    if (j != i) ST[j] += T[g];
  }
  ST[n] = 1.0;  // the entry untyped markers point at
  // Stored as R[g] = T[g] / P(g): the LR of a genotype seen at face value is one look-up.
  for (int g = 0; g < full.size(); ++g) {
    const int i = full.First(g), j = full.Second(g);
    T[g] /= i == j ? p[i] * p[i] : 2.0 * p[i] * p[j];
  }
  return {};
}

// Keeps the top-k hits and those above the threshold; targets arrive in increasing order.
class HitKeeper {
 public:
  HitKeeper(int k, double threshold) : k_(k), threshold_(threshold) {}
  void Add(int target, double lr) {
    if (lr >= threshold_) {
      above_.push_back({target, lr});
      return;
    }
    if (k_ <= 0) return;
    if (static_cast<int>(top_.size()) == k_ && !(lr > top_.back().lr)) return;
    ScreenHit h{target, lr};
    auto pos = std::upper_bound(top_.begin(), top_.end(), h,
                                [](const ScreenHit& a, const ScreenHit& b) { return a.lr > b.lr; });
    top_.insert(pos, h);
    if (static_cast<int>(top_.size()) > k_) top_.pop_back();
  }
  // Top-k over all hits (above-threshold ones included) plus all above the threshold.
  std::vector<ScreenHit> Take() {
    std::vector<ScreenHit> all = std::move(above_);
    all.insert(all.end(), top_.begin(), top_.end());
    std::sort(all.begin(), all.end(), [](const ScreenHit& a, const ScreenHit& b) {
      return a.lr != b.lr ? a.lr > b.lr : a.target < b.target;
    });
    return all;
  }

 private:
  int k_;
  double threshold_;
  std::vector<ScreenHit> above_, top_;
};

}  // namespace

const char* ScreenStatusName(ScreenStatus s) {
  switch (s) {
    case ScreenStatus::kScreened:
      return "screened";
    case ScreenStatus::kTableFailed:
      return "table failed";
    case ScreenStatus::kFamilyNotUsable:
      return "family not usable";
    case ScreenStatus::kIdentifiedGiven:
      return "identified (given)";
  }
  return "";
}

MutationSpec ScreenMutationFor(const MutationSpec& requested) {
  if (requested.kind == MutationKind::kNone || requested.kind == MutationKind::kProportional) {
    return requested;
  }
  MutationSpec out;
  out.kind = MutationKind::kProportional;
  out.rate = requested.rate + (requested.kind == MutationKind::kStepwise ? requested.rate2 : 0.0);
  return out;
}

TableLayout MakeTableLayout(const std::vector<MarkerFrequencies>& markers) {
  TableLayout layout;
  std::uint32_t off = 0;
  for (const auto& mk : markers) {
    const int n = mk.size();
    layout.offset.push_back(off);
    layout.alleles.push_back(n);
    off += static_cast<std::uint32_t>(n * (n + 1) / 2 + n + 1);
  }
  layout.stride = off;
  return layout;
}

Status BuildTable(const std::vector<MarkerFrequencies>& markers, const TableLayout& layout,
                  const ScreenFamily& family, int member, const MutationSpec& mutation,
                  double* out) {
  if (mutation.kind != MutationKind::kNone && mutation.kind != MutationKind::kProportional) {
    return MakeError(ErrorCode::kUnimplemented,
                     "the screen supports the mutation models none and proportional",
                     "mutation " + mutation.ToString());
  }
  for (size_t m = 0; m < markers.size(); ++m) {
    auto st = BuildMarkerTable(markers[m], family, static_cast<int>(m), member, mutation,
                               out + layout.offset[m]);
    if (!st) return st;
  }
  return {};
}

std::vector<EncodedMarker> EncodePerson(const std::vector<MarkerFrequencies>& markers,
                                        const TableLayout& layout, const ScreenPerson& person) {
  std::vector<EncodedMarker> enc(markers.size());
  for (size_t m = 0; m < markers.size(); ++m) {
    const auto& p = markers[m].frequencies;
    const int n = markers[m].size();
    const std::uint32_t off = layout.offset[m];
    const std::uint32_t st = off + static_cast<std::uint32_t>(n * (n + 1) / 2);
    const std::uint32_t one = st + static_cast<std::uint32_t>(n);
    const MarkerEvidence& e = person.markers[m];
    EncodedMarker& x = enc[m];
    x.i1 = x.i2 = one;
    x.c1 = 1.0;
    x.c2 = 0.0;
    switch (e.kind) {
      case Kind::kUntyped:
        break;
      case Kind::kImpossible:
        x.c1 = 0.0;
        break;
      case Kind::kGenotype: {
        x.i1 = off + static_cast<std::uint32_t>(GenotypeSpace::Index(e.a, e.b));
        break;
      }
      case Kind::kAllele: {
        const double d = ExpectedEvidence(e, p);
        x.i1 = off + static_cast<std::uint32_t>(GenotypeSpace::Index(e.a, e.a));
        x.c1 = (e.alpha - e.beta) * p[e.a] * p[e.a] / d;
        x.i2 = st + static_cast<std::uint32_t>(e.a);
        x.c2 = e.beta / d;
        break;
      }
    }
  }
  return enc;
}

double ScreenLr(const std::vector<EncodedMarker>& person, const double* table) {
  double lr = 1.0;
  for (const auto& e : person) lr *= e.c1 * table[e.i1] + e.c2 * table[e.i2];
  return lr;
}

Result<ScreenResult> Screen(const std::vector<MarkerFrequencies>& markers,
                            const std::vector<ScreenFamily>& families,
                            const std::vector<ScreenPerson>& persons,
                            const ScreenOptions& options) {
  WB_RETURN_IF_ERROR(ValidateMutationSpec(options.mutation));
  const MutationSpec model = ScreenMutationFor(options.mutation);
  WB_RETURN_IF_ERROR(ValidateMutationSpec(model));
  // A model no marker can take (a proportional rate above a marker's heterozygosity) would fail
  // every table: refuse it once, naming the marker.
  for (const auto& mk : markers) {
    if (auto matrix = MutationMatrix(model, mk); !matrix) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the screen's model " + model.ToString() +
                           (model.kind == options.mutation.kind
                                ? std::string()
                                : " (the filter for " + options.mutation.ToString() + ")") +
                           " does not fit marker " + mk.name + ": " + matrix.error().message,
                       "screen mutation");
    }
  }
  if (options.top_k < 0 || options.tables_per_pass < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "top-k must be >= 0 and tables per pass >= 1");
  }
  const TableLayout layout = MakeTableLayout(markers);
  ScreenResult result;
  result.mutation = model;
  result.requested_model = model.kind == options.mutation.kind;
  std::vector<char> target_female;
  for (size_t f = 0; f < families.size(); ++f) {
    for (int member : families[f].missing) {
      result.targets.push_back({static_cast<int>(f), member});
      target_female.push_back(families[f].pedigree.at(member).sex == Sex::kFemale ? 1 : 0);
    }
  }
  result.status.assign(result.targets.size(), ScreenStatus::kScreened);
  if (!options.weights.empty() && options.weights.size() != result.targets.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "one weight per target is required");
  }
  const int P = static_cast<int>(persons.size());
  const int T = static_cast<int>(result.targets.size());
  // Per person: the markers read at face value (one look-up each) and those with one allele
  // shown (two look-ups); untyped markers are left out.
  struct AlleleCode {
    std::uint32_t i1, i2;
    double c1, c2;
  };
  std::vector<std::uint32_t> het;
  std::vector<AlleleCode> al;
  std::vector<std::uint32_t> het_begin(P + 1, 0), al_begin(P + 1, 0);
  for (int s = 0; s < P; ++s) {
    for (const auto& e : EncodePerson(markers, layout, persons[s])) {
      if (e.c2 == 0.0 && e.c1 == 1.0) {
        if (e.i1 != e.i2) het.push_back(e.i1);  // i1 == i2: untyped
      } else {
        al.push_back({e.i1, e.i2, e.c1, e.c2});
      }
    }
    het_begin[s + 1] = static_cast<std::uint32_t>(het.size());
    al_begin[s + 1] = static_cast<std::uint32_t>(al.size());
  }
  std::vector<HitKeeper> keepers(P, HitKeeper(options.top_k, options.lr_threshold));
  result.weighted_lr_sum.assign(P, 0.0);
  result.excluded.resize(P);
  result.excluded_count.assign(P, 0);
  std::vector<char> shows_y(P, 0);
  for (int s = 0; s < P; ++s) shows_y[s] = persons[s].shows_y ? 1 : 0;

  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  const int pass_size = std::min(options.tables_per_pass, std::max(T, 1));
  std::vector<double> tables(static_cast<size_t>(pass_size) * layout.stride);
  std::vector<char> ok(pass_size);
  std::vector<std::string> errors(pass_size);
  // Persons per task: results do not depend on it (each person sees targets in order).
  const int person_block = std::clamp(P / (threads * 8) + 1, 4, 512);
  std::vector<char> block_has_y((P + person_block - 1) / person_block, 0);
  for (int s = 0; s < P; ++s) block_has_y[s / person_block] |= shows_y[s];
  const std::uint64_t total_pairs = static_cast<std::uint64_t>(P) * T;
  std::uint64_t done = 0;
  std::vector<char> family_reported(families.size(), 0);

  for (int first = 0; first < T; first += pass_size) {
    const int count = std::min(pass_size, T - first);
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<int>(0, count, 1),
          [&](const tbb::blocked_range<int>& r) {
            for (int t = r.begin(); t != r.end(); ++t) {
              const ScreenTarget& tg = result.targets[first + t];
              auto st = BuildTable(markers, layout, families[tg.family], tg.member, model,
                                   tables.data() + static_cast<size_t>(t) * layout.stride);
              ok[t] = st ? 1 : 0;
              errors[t] = st ? std::string() : st.error().ToString();
            }
          },
          tbb::simple_partitioner());
    });
    for (int t = 0; t < count; ++t) {
      result.status[first + t] = ok[t] ? ScreenStatus::kScreened : ScreenStatus::kTableFailed;
      if (ok[t]) continue;
      const ScreenTarget& tg = result.targets[first + t];
      result.skipped.push_back({"family " + families[tg.family].id + ", missing " +
                                    families[tg.family].pedigree.at(tg.member).id,
                                errors[t]});
    }
    arena.execute([&] {
      const int blocks = (P + person_block - 1) / person_block;
      tbb::parallel_for(
          tbb::blocked_range<int>(0, blocks, 1),
          [&](const tbb::blocked_range<int>& r) {
            for (int b = r.begin(); b != r.end(); ++b) {
              const int s0 = b * person_block, s1 = std::min(P, s0 + person_block);
              for (int t = 0; t < count; ++t) {
                if (!ok[t]) continue;
                const int target = first + t;
                const double w = options.weights.empty() ? 1.0 : options.weights[target];
                const double* tab = tables.data() + static_cast<size_t>(t) * layout.stride;
                auto tail = [&](int person, std::uint32_t from, double l) {
                  for (std::uint32_t k = from; k < het_begin[person + 1]; ++k) l *= tab[het[k]];
                  for (std::uint32_t k = al_begin[person]; k < al_begin[person + 1]; ++k) {
                    const AlleleCode& a = al[k];
                    l *= a.c1 * tab[a.i1] + a.c2 * tab[a.i2];
                  }
                  return l;
                };
                // kCheck: a female target and a block with persons showing Y; otherwise the
                // loop is the plain one (no test per pair).
                auto run = [&]<bool kCheck>() {
                  // Keeps the LR of a pair, unless amelogenin excludes it (Y, female target).
                  auto emit = [&](int person, double l) {
                    if constexpr (kCheck) {
                      if (shows_y[person]) {
                        ++result.excluded_count[person];
                        if (l >= options.lr_threshold) {
                          result.excluded[person].push_back({target, l});
                        }
                        return;
                      }
                    }
                    keepers[person].Add(target, l);
                    result.weighted_lr_sum[person] += w * l;
                  };
                  int s = s0;
                  for (; s + 4 <= s1; s += 4) {
                    const std::uint32_t* h0 = &het[het_begin[s]];
                    const std::uint32_t* h1 = &het[het_begin[s + 1]];
                    const std::uint32_t* h2 = &het[het_begin[s + 2]];
                    const std::uint32_t* h3 = &het[het_begin[s + 3]];
                    const std::uint32_t n = std::min(std::min(het_begin[s + 1] - het_begin[s],
                                                              het_begin[s + 2] - het_begin[s + 1]),
                                                     std::min(het_begin[s + 3] - het_begin[s + 2],
                                                              het_begin[s + 4] - het_begin[s + 3]));
                    double l0 = 1.0, l1 = 1.0, l2 = 1.0, l3 = 1.0;
                    for (std::uint32_t k = 0; k < n; ++k) {
                      l0 *= tab[h0[k]];
                      l1 *= tab[h1[k]];
                      l2 *= tab[h2[k]];
                      l3 *= tab[h3[k]];
                    }
                    l0 = tail(s, het_begin[s] + n, l0);
                    l1 = tail(s + 1, het_begin[s + 1] + n, l1);
                    l2 = tail(s + 2, het_begin[s + 2] + n, l2);
                    l3 = tail(s + 3, het_begin[s + 3] + n, l3);
                    emit(s, l0);
                    emit(s + 1, l1);
                    emit(s + 2, l2);
                    emit(s + 3, l3);
                  }
                  for (; s < s1; ++s) emit(s, tail(s, het_begin[s], 1.0));
                };
                if (target_female[target] != 0 && block_has_y[b] != 0) {
                  run.template operator()<true>();
                } else {
                  run.template operator()<false>();
                }
              }
            }
          },
          tbb::simple_partitioner());
    });
    for (int t = 0; t < count; ++t) result.pairs += ok[t] ? static_cast<std::uint64_t>(P) : 0;
    done += static_cast<std::uint64_t>(P) * count;
    if (options.progress) options.progress(done, total_pairs);
  }
  result.hits.resize(P);
  for (int s = 0; s < P; ++s) {
    result.hits[s] = keepers[s].Take();
    std::sort(result.excluded[s].begin(), result.excluded[s].end(),
              [](const ScreenHit& a, const ScreenHit& b) {
                return a.lr != b.lr ? a.lr > b.lr : a.target < b.target;
              });
  }
  return result;
}

}  // namespace whereabouts::kinship
