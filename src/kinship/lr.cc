#include "kinship/lr.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>

namespace whereabouts::kinship {
namespace {

Result<Pedigree> BuildPedigree(const std::vector<HypothesisPerson>& persons) {
  std::vector<Individual> individuals;
  individuals.reserve(persons.size());
  for (const auto& p : persons) individuals.push_back(p.individual);
  return Pedigree::Create(std::move(individuals));
}

// For each person of a hypothesis, the samples observed on them.
std::vector<std::vector<std::string>> SamplesOf(const std::vector<HypothesisPerson>& persons,
                                                const KinshipCase& kcase) {
  std::vector<std::vector<std::string>> out;
  for (const auto& p : persons) {
    if (!p.samples.empty()) {
      out.push_back(p.samples);
    } else if (kcase.genotypes.count(p.individual.id) != 0) {
      out.push_back({p.individual.id});
    } else {
      out.emplace_back();
    }
  }
  return out;
}

std::set<std::string> UsedSamples(const std::vector<std::vector<std::string>>& samples) {
  std::set<std::string> used;
  for (const auto& list : samples) used.insert(list.begin(), list.end());
  return used;
}

// Fills `evidence` (one row per person; empty = untyped) at one marker. `samples[i]` lists person
// i's samples as indices into `calls` / `dropout`; calls[s] holds the engine indices of sample s's
// two alleles (-1 unknown), or nullptr when the sample is untyped at this marker.
void Evidence(const std::vector<std::vector<int>>& samples, const std::vector<const int*>& calls,
              const std::vector<std::optional<double>>& dropout, int alleles,
              std::vector<std::vector<double>>& evidence) {
  const GenotypeSpace space(alleles);
  evidence.resize(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    evidence[i].clear();
    for (int s : samples[i]) {
      const int* call = calls[s];
      if (call == nullptr) continue;
      Observation obs;
      obs.first = call[0];
      obs.second = call[1];
      if (dropout[s]) {
        obs.dropout_model = true;
        obs.dropout = *dropout[s];
      }
      if (evidence[i].empty()) evidence[i].assign(space.size(), 1.0);
      MultiplyObservation(obs, space, evidence[i]);
    }
  }
}

// PrepareMarker into reusable buffers: observed_index[k] is the engine index of observed[k]; the
// allele-name map `out.index` is filled only when `fill_index`.
Status Prepare(const MarkerFrequencies& marker, const std::vector<std::string_view>& observed,
               const MutationModel& mutation, double theta, std::optional<double> minimum_frequency,
               bool allow_lumping, bool fill_index, PreparedMarker& out,
               std::vector<int>& observed_index, std::vector<int>& block) {
  auto where = [&] { return "marker " + marker.name; };
  if (!(theta >= 0.0 && theta < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "theta must be in [0, 1)");
  }
  out.added_alleles.clear();
  out.rest_alleles.clear();
  out.index.clear();
  observed_index.resize(observed.size());
  bool any_missing = false;
  for (size_t k = 0; k < observed.size(); ++k) {
    observed_index[k] = marker.IndexOf(observed[k]);
    any_missing |= observed_index[k] < 0;
  }
  MarkerFrequencies extended;  // only filled when alleles are added
  if (any_missing) {
    std::vector<std::string> missing;
    for (size_t k = 0; k < observed.size(); ++k) {
      if (observed_index[k] < 0 &&
          std::find(missing.begin(), missing.end(), observed[k]) == missing.end()) {
        missing.emplace_back(observed[k]);
      }
    }
    if (marker.HasRestAllele()) {
      extended = WithRestAssigned(marker, missing);
      out.rest_alleles = extended.rest_alleles;
    } else if (!minimum_frequency) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "allele " + missing.front() +
                           " is not in the frequency database (set a minimum frequency to allow it)",
                       where());
    } else if (!(*minimum_frequency > 0.0 && *minimum_frequency < 1.0)) {
      return MakeError(ErrorCode::kInvalidArgument, "minimum frequency must be in (0, 1)");
    } else {
      extended = WithAddedAlleles(marker, missing, *minimum_frequency);
      out.added_alleles = extended.added_alleles;
    }
    for (size_t k = 0; k < observed.size(); ++k) observed_index[k] = extended.IndexOf(observed[k]);
  }
  const MarkerFrequencies& full = any_missing ? extended : marker;
  const int n = full.size();
  for (const auto* spec : {&mutation.male, &mutation.female}) {
    if (auto st = ValidateMutationSpec(*spec); !st) return tl::unexpected(WithContext(st.error(), where()));
  }
  const bool lump = allow_lumping && IsLumpable(mutation.male) && IsLumpable(mutation.female) &&
                    static_cast<int>(observed.size()) + 1 < n;
  // Blocks: each observed allele alone, all others in one block (if lumping is allowed).
  block.resize(n);
  int blocks = 0;
  if (lump) {
    std::fill(block.begin(), block.end(), -1);
    for (int i : observed_index) block[i] = 0;  // seen
    int rest_block = -1;
    for (int i = 0; i < n; ++i) {
      if (block[i] == 0) {
        block[i] = blocks++;
      } else {
        if (rest_block < 0) rest_block = blocks++;
        block[i] = rest_block;
      }
    }
  } else {
    std::iota(block.begin(), block.end(), 0);
    blocks = n;
  }
  out.lumped = lump;
  out.setup.theta = theta;
  out.setup.frequencies.assign(blocks, 0.0);
  for (int i = 0; i < n; ++i) out.setup.frequencies[block[i]] += full.frequencies[i];
  auto matrix = [&](const MutationSpec& spec) -> Result<std::vector<double>> {
    if (spec.kind == MutationKind::kNone) return std::vector<double>{};
    if (!lump) return MutationMatrix(spec, full);
    return LumpedMutationMatrix(spec, full, block, blocks);
  };
  out.setup.male_mutation.clear();
  out.setup.female_mutation.clear();
  const bool no_mutation =
      mutation.male.kind == MutationKind::kNone && mutation.female.kind == MutationKind::kNone;
  if (!no_mutation) {
    // The engine treats an empty matrix as "no mutation" for that sex.
    auto male = matrix(mutation.male);
    if (!male) return tl::unexpected(WithContext(male.error(), where()));
    out.setup.male_mutation = std::move(*male);
    if (mutation.male == mutation.female) {
      out.setup.female_mutation = out.setup.male_mutation;
    } else {
      auto female = matrix(mutation.female);
      if (!female) return tl::unexpected(WithContext(female.error(), where()));
      out.setup.female_mutation = std::move(*female);
    }
  }
  for (int& i : observed_index) i = block[i];
  if (fill_index) {
    if (lump) {
      for (size_t k = 0; k < observed.size(); ++k) out.index[std::string(observed[k])] = observed_index[k];
    } else {
      for (int i = 0; i < n; ++i) out.index[full.alleles[i]] = block[i];
    }
  }
  return {};
}

}  // namespace

Result<PreparedMarker> PrepareMarker(const MarkerFrequencies& marker,
                                     const std::vector<std::string>& observed,
                                     const MutationModel& mutation, double theta,
                                     std::optional<double> minimum_frequency, bool allow_lumping) {
  const std::vector<std::string_view> views(observed.begin(), observed.end());
  PreparedMarker out;
  std::vector<int> observed_index, block;
  WB_RETURN_IF_ERROR(Prepare(marker, views, mutation, theta, minimum_frequency, allow_lumping,
                             /*fill_index=*/true, out, observed_index, block));
  return out;
}

namespace {
// ComputeLr's working buffers.
struct Scratch {
  std::vector<const MarkerFrequencies*> markers;
  std::vector<size_t> by_name;
  std::vector<const GenotypeCall*> call_of;
  LikelihoodWorkspace workspace;
  std::vector<char> typed;
  std::vector<std::string_view> observed;
  std::vector<int> positions, engine, observed_index, block;
  std::vector<const int*> calls;
  PreparedMarker prepared;
  std::vector<std::vector<double>> ev1, ev2;
};
}  // namespace

Result<LrResult> ComputeLr(const KinshipCase& kcase, const FrequencyDatabase& db) {
  const std::string where = "case " + kcase.id;
  auto fail = [&](Error e) { return tl::unexpected(WithContext(std::move(e), where)); };
  if (!(kcase.theta >= 0.0 && kcase.theta < 1.0)) {
    return fail(Error{ErrorCode::kInvalidArgument, "theta must be in [0, 1)", "theta"});
  }
  for (const auto& [sample, d] : kcase.dropout) {
    if (!(d >= 0.0 && d < 1.0)) {
      return fail(Error{ErrorCode::kInvalidArgument, "drop-out must be in [0, 1)", "sample " + sample});
    }
  }
  if (kcase.markers.empty()) return fail(Error{ErrorCode::kInvalidArgument, "no markers given", ""});
  auto ped1 = BuildPedigree(kcase.h1);
  if (!ped1) return fail(WithContext(ped1.error(), "h1"));
  auto ped2 = BuildPedigree(kcase.h2);
  if (!ped2) return fail(WithContext(ped2.error(), "h2"));
  const auto samples1 = SamplesOf(kcase.h1, kcase);
  const auto samples2 = SamplesOf(kcase.h2, kcase);
  for (const auto* list : {&samples1, &samples2}) {
    for (const auto& s : *list) {
      for (const auto& id : s) {
        if (kcase.genotypes.count(id) == 0) {
          return fail(Error{ErrorCode::kNotFound, "has no genotypes", "sample " + id});
        }
      }
    }
  }
  const auto used1 = UsedSamples(samples1), used2 = UsedSamples(samples2);
  for (const auto& s : used1) {
    if (used2.count(s) == 0) {
      return fail(Error{ErrorCode::kInvalidArgument, "is used in h1 but not in h2", "sample " + s});
    }
  }
  for (const auto& s : used2) {
    if (used1.count(s) == 0) {
      return fail(Error{ErrorCode::kInvalidArgument, "is used in h2 but not in h1", "sample " + s});
    }
  }
  // Markers resolved once. Samples resolved once: names (sorted), drop-out, persons' samples as
  // indices.
  const size_t n_markers = kcase.markers.size();
  // Buffers kept per thread across calls (the function stays pure: they only spare allocations).
  thread_local Scratch scratch;
  auto& markers = scratch.markers;
  markers.resize(n_markers);
  for (size_t k = 0; k < n_markers; ++k) markers[k] = db.Find(kcase.markers[k]);
  auto& by_name = scratch.by_name;  // resolved markers, by canonical name (to merge with call maps)
  by_name.clear();
  for (size_t k = 0; k < n_markers; ++k) {
    if (markers[k] != nullptr) by_name.push_back(k);
  }
  std::sort(by_name.begin(), by_name.end(),
            [&](size_t x, size_t y) { return markers[x]->name < markers[y]->name; });
  const std::vector<std::string> sample_names(used1.begin(), used1.end());
  const size_t n_samples = sample_names.size();
  std::vector<std::optional<double>> sample_dropout;
  for (const auto& name : sample_names) {
    auto d = kcase.dropout.find(name);
    sample_dropout.push_back(d == kcase.dropout.end() ? std::nullopt : std::optional<double>(d->second));
  }
  // call_of[k * n_samples + s]: sample s's call at case marker k (nullptr: untyped). Each sample's
  // calls (a map by canonical marker name) are merged with the sorted case markers; a call at a
  // marker outside the case must still name a marker of the database.
  auto& call_of = scratch.call_of;
  call_of.assign(n_markers * n_samples, nullptr);
  for (const auto& [sample, calls] : kcase.genotypes) {
    auto used = std::lower_bound(sample_names.begin(), sample_names.end(), sample);
    const bool is_used = used != sample_names.end() && *used == sample;
    const size_t s = static_cast<size_t>(used - sample_names.begin());
    size_t j = 0;
    for (const auto& [marker, call] : calls) {
      bool matched = false;
      if (is_used) {
        while (j < by_name.size() && markers[by_name[j]]->name < marker) ++j;
        for (size_t e = j; e < by_name.size() && markers[by_name[e]]->name == marker; ++e) {
          call_of[by_name[e] * n_samples + s] = &call;
          matched = true;
        }
      }
      if (!matched && db.Find(marker) == nullptr) {
        return fail(Error{ErrorCode::kNotFound, "is not in the frequency database",
                          "sample " + sample + ", marker " + marker});
      }
    }
  }
  for (size_t k = 0; k < n_markers; ++k) {
    if (markers[k] == nullptr) {
      return fail(Error{ErrorCode::kNotFound, "is not in the frequency database",
                        "marker " + kcase.markers[k]});
    }
  }

  LrResult result;
  result.id = kcase.id;
  result.lr = 1.0;
  result.per_marker.reserve(n_markers);
  // log10 of the product without a logarithm per marker: the product as mantissa * 2^exponent.
  double mantissa = 1.0;
  long exponent = 0;
  bool excluded = false;
  // Plans depend only on who is typed at a marker: build each once per hypothesis.
  const bool urn = kcase.theta > 0.0;
  using Plans = std::vector<std::pair<std::vector<char>, PeelingPlan>>;
  Plans plans1, plans2;
  auto& workspace = scratch.workspace;
  auto& typed = scratch.typed;
  auto likelihood = [&](const Pedigree& ped, Plans& plans, const std::vector<std::vector<double>>& ev,
                        const MarkerSetup& setup) -> Result<double> {
    typed.resize(ev.size());
    for (size_t i = 0; i < ev.size(); ++i) typed[i] = !ev[i].empty();
    auto it = std::find_if(plans.begin(), plans.end(), [&](const auto& p) { return p.first == typed; });
    if (it == plans.end()) {
      WB_ASSIGN_OR_RETURN(auto plan, PeelingPlan::Create(ped, typed, urn));
      plans.emplace_back(typed, std::move(plan));
      it = plans.end() - 1;
    }
    return EvaluatePlan(it->second, ev, setup, workspace);
  };
  auto to_index = [&](const std::vector<std::vector<std::string>>& samples) {
    std::vector<std::vector<int>> out(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
      for (const auto& name : samples[i]) {
        out[i].push_back(static_cast<int>(
            std::lower_bound(sample_names.begin(), sample_names.end(), name) - sample_names.begin()));
      }
    }
    return out;
  };
  const auto index1 = to_index(samples1), index2 = to_index(samples2);
  // Per marker: the distinct alleles shown, each sample's alleles as positions among them, then as
  // engine indices.
  auto& observed = scratch.observed;
  auto& positions = scratch.positions;
  auto& engine = scratch.engine;
  auto& calls = scratch.calls;
  positions.resize(2 * n_samples);
  engine.resize(2 * n_samples);
  calls.resize(n_samples);
  auto& prepared = scratch.prepared;
  auto& observed_index = scratch.observed_index;
  auto& block = scratch.block;
  auto& ev1_buffer = scratch.ev1;
  auto& ev2_buffer = scratch.ev2;
  MutationModel marker_mutation;
  for (size_t k = 0; k < n_markers; ++k) {
    const MarkerFrequencies* marker = markers[k];
    observed.clear();
    for (size_t s = 0; s < n_samples; ++s) {
      const GenotypeCall* call = call_of[k * n_samples + s];
      for (int h = 0; h < 2; ++h) {
        const std::optional<std::string>* a =
            call == nullptr ? nullptr : (h == 0 ? &call->first : &call->second);
        int pos = -1;
        if (a != nullptr && *a) {
          const std::string_view v(**a);
          auto it = std::find(observed.begin(), observed.end(), v);
          pos = static_cast<int>(it - observed.begin());
          if (it == observed.end()) observed.push_back(v);
        }
        positions[2 * s + h] = pos;
      }
    }
    std::optional<double> minimum_frequency = kcase.minimum_frequency;
    if (kcase.minimum_frequency_from_size) {
      minimum_frequency = MinimumFrequencyFromSize(*marker);
      if (!minimum_frequency) {
        for (std::string_view a : observed) {
          if (marker->IndexOf(a) < 0 && !marker->HasRestAllele()) {
            return fail(Error{ErrorCode::kInvalidArgument,
                              "allele " + std::string(a) +
                                  " is not in the frequency database, and the minimum frequency "
                                  "5/2N needs the database size N, which the table does not give",
                              "marker " + marker->name});
          }
        }
      }
    }
    // The marker's own mutation model where the case gives one (MutationModel::per_marker).
    const MutationModel& mutation =
        kcase.mutation.per_marker.empty()
            ? kcase.mutation
            : (marker_mutation = kcase.mutation.ForMarker(marker->name));
    if (auto st =
            Prepare(*marker, observed, mutation, kcase.theta, minimum_frequency,
                    /*allow_lumping=*/true, /*fill_index=*/false, prepared, observed_index, block);
        !st) {
      return fail(st.error());
    }
    for (size_t s = 0; s < n_samples; ++s) {
      const GenotypeCall* call = call_of[k * n_samples + s];
      if (call == nullptr || call->untyped()) {
        calls[s] = nullptr;
        continue;
      }
      for (int h = 0; h < 2; ++h) {
        const int pos = positions[2 * s + h];
        engine[2 * s + h] = pos < 0 ? -1 : observed_index[pos];
      }
      calls[s] = &engine[2 * s];
    }
    const int alleles = static_cast<int>(prepared.setup.frequencies.size());
    Evidence(index1, calls, sample_dropout, alleles, ev1_buffer);
    if (!kcase.h1_only) Evidence(index2, calls, sample_dropout, alleles, ev2_buffer);
    auto l1 = likelihood(*ped1, plans1, ev1_buffer, prepared.setup);
    if (!l1) return fail(WithContext(l1.error(), "h1, marker " + marker->name));
    Result<double> l2 = 1.0;
    if (!kcase.h1_only) l2 = likelihood(*ped2, plans2, ev2_buffer, prepared.setup);
    if (!l2) return fail(WithContext(l2.error(), "h2, marker " + marker->name));
    if (*l2 == 0.0) {
      return fail(Error{ErrorCode::kFailedPrecondition,
                        "the data are impossible under h2, so the LR is undefined",
                        "marker " + marker->name});
    }
    MarkerLr m;
    m.marker = marker->name;
    m.likelihood_h1 = *l1;
    m.likelihood_h2 = *l2;
    m.lr = *l1 / *l2;
    m.added_alleles = prepared.added_alleles;
    m.rest_alleles = prepared.rest_alleles;
    result.lr *= m.lr;
    if (m.lr > 0) {
      int e = 0;
      mantissa = std::frexp(mantissa * m.lr, &e);
      exponent += e;
    } else {
      excluded = true;
    }
    result.per_marker.push_back(std::move(m));
  }
  const double log10_sum = excluded ? -std::numeric_limits<double>::infinity()
                                    : std::log10(mantissa) + static_cast<double>(exponent) * std::log10(2.0);
  result.log10_lr = log10_sum;
  if (std::isfinite(log10_sum) && (result.lr == 0.0 || std::isinf(result.lr))) {
    result.lr = std::pow(10.0, log10_sum);  // over/underflow of the product: keep the log
  }
  return result;
}

}  // namespace whereabouts::kinship
