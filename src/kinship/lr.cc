#include "kinship/lr.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

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

// Fills `evidence` (one row per person; empty = untyped) from the calls of the samples at one
// marker. `samples[i]` lists person i's samples as indices into `at_marker` / `dropout`.
void Evidence(const std::vector<std::vector<int>>& samples, const std::vector<const GenotypeCall*>& at_marker,
              const std::vector<std::optional<double>>& dropout, const PreparedMarker& prepared,
              std::vector<std::vector<double>>& evidence) {
  const GenotypeSpace space(static_cast<int>(prepared.setup.frequencies.size()));
  evidence.resize(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    evidence[i].clear();
    for (int s : samples[i]) {
      const GenotypeCall* call = at_marker[s];
      if (call == nullptr || call->untyped()) continue;
      Observation obs;
      auto index = [&](const std::optional<std::string>& a) { return a ? prepared.index.at(*a) : -1; };
      obs.first = index(call->first);
      obs.second = index(call->second);
      if (dropout[s]) {
        obs.dropout_model = true;
        obs.dropout = *dropout[s];
      }
      if (evidence[i].empty()) evidence[i].assign(space.size(), 1.0);
      MultiplyObservation(obs, space, evidence[i]);
    }
  }
}

}  // namespace

Result<PreparedMarker> PrepareMarker(const MarkerFrequencies& marker,
                                     const std::vector<std::string>& observed,
                                     const MutationModel& mutation, double theta,
                                     std::optional<double> minimum_frequency, bool allow_lumping) {
  const std::string where = "marker " + marker.name;
  if (!(theta >= 0.0 && theta < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "theta must be in [0, 1)");
  }
  PreparedMarker out;
  std::vector<std::string> missing;
  for (const auto& a : observed) {
    if (marker.IndexOf(a) < 0 &&
        std::find(missing.begin(), missing.end(), a) == missing.end()) {
      missing.push_back(a);
    }
  }
  MarkerFrequencies extended;  // only filled when alleles are added
  if (!missing.empty()) {
    if (!minimum_frequency) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "allele " + missing.front() +
                           " is not in the frequency database (set a minimum frequency to allow it)",
                       where);
    }
    if (!(*minimum_frequency > 0.0 && *minimum_frequency < 1.0)) {
      return MakeError(ErrorCode::kInvalidArgument, "minimum frequency must be in (0, 1)");
    }
    extended = WithAddedAlleles(marker, missing, *minimum_frequency);
    out.added_alleles = extended.added_alleles;
  }
  const MarkerFrequencies& full = missing.empty() ? marker : extended;
  const int n = full.size();
  for (const auto* spec : {&mutation.male, &mutation.female}) {
    if (auto st = ValidateMutationSpec(*spec); !st) return tl::unexpected(WithContext(st.error(), where));
  }
  const bool lump = allow_lumping && IsLumpable(mutation.male) && IsLumpable(mutation.female) &&
                    static_cast<int>(observed.size()) + 1 < n;
  // Blocks: each observed allele alone, all others in one block (if lumping is allowed).
  std::vector<int> block(n);
  int blocks = 0;
  int rest_block = -1;
  if (lump) {
    std::vector<char> seen(n, 0);
    for (const auto& a : observed) seen[full.IndexOf(a)] = 1;
    for (int i = 0; i < n; ++i) {
      if (seen[i]) {
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
  const bool no_mutation =
      mutation.male.kind == MutationKind::kNone && mutation.female.kind == MutationKind::kNone;
  if (!no_mutation) {
    auto male = matrix(mutation.male);
    if (!male) return tl::unexpected(WithContext(male.error(), where));
    auto female = matrix(mutation.female);
    if (!female) return tl::unexpected(WithContext(female.error(), where));
    // The engine treats an empty matrix as "no mutation" for that sex.
    out.setup.male_mutation = std::move(*male);
    out.setup.female_mutation = std::move(*female);
  }
  if (lump) {
    for (const auto& a : observed) out.index[a] = block[full.IndexOf(a)];
    return out;
  }
  for (int i = 0; i < n; ++i) {
    out.index[full.alleles[i]] = block[i];
  }
  return out;
}

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
  for (const auto& [sample, calls] : kcase.genotypes) {
    for (const auto& [marker, call] : calls) {
      if (db.Find(marker) == nullptr) {
        return fail(Error{ErrorCode::kNotFound, "is not in the frequency database",
                          "sample " + sample + ", marker " + marker});
      }
    }
  }

  LrResult result;
  result.id = kcase.id;
  result.lr = 1.0;
  double log10_sum = 0.0;
  // Plans depend only on who is typed at a marker: build each once per hypothesis.
  const bool urn = kcase.theta > 0.0;
  std::map<std::vector<char>, PeelingPlan> plans1, plans2;
  LikelihoodWorkspace workspace;
  auto likelihood = [&](const Pedigree& ped, std::map<std::vector<char>, PeelingPlan>& plans,
                        const std::vector<std::vector<double>>& ev,
                        const MarkerSetup& setup) -> Result<double> {
    std::vector<char> typed(ev.size());
    for (size_t i = 0; i < ev.size(); ++i) typed[i] = !ev[i].empty();
    auto it = plans.find(typed);
    if (it == plans.end()) {
      WB_ASSIGN_OR_RETURN(auto plan, PeelingPlan::Create(ped, typed, urn));
      it = plans.emplace(std::move(typed), std::move(plan)).first;
    }
    return EvaluatePlan(it->second, ev, setup, workspace);
  };
  // Samples resolved once: names (sorted), their calls, drop-out; persons' samples as indices.
  const std::vector<std::string> sample_names(used1.begin(), used1.end());
  std::vector<const std::map<std::string, GenotypeCall>*> sample_calls;
  std::vector<std::optional<double>> sample_dropout;
  for (const auto& name : sample_names) {
    sample_calls.push_back(&kcase.genotypes.find(name)->second);
    auto d = kcase.dropout.find(name);
    sample_dropout.push_back(d == kcase.dropout.end() ? std::nullopt : std::optional<double>(d->second));
  }
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
  std::vector<const GenotypeCall*> at_marker(sample_names.size());
  std::vector<std::string> observed;
  std::vector<std::vector<double>> ev1_buffer, ev2_buffer;
  for (const auto& marker_name : kcase.markers) {
    const MarkerFrequencies* marker = db.Find(marker_name);
    if (marker == nullptr) {
      return fail(Error{ErrorCode::kNotFound, "is not in the frequency database", "marker " + marker_name});
    }
    observed.clear();
    for (size_t k = 0; k < sample_names.size(); ++k) {
      auto it = sample_calls[k]->find(marker->name);
      at_marker[k] = it == sample_calls[k]->end() ? nullptr : &it->second;
      if (at_marker[k] == nullptr) continue;
      for (const auto* a : {&it->second.first, &it->second.second}) {
        if (*a && std::find(observed.begin(), observed.end(), **a) == observed.end()) {
          observed.push_back(**a);
        }
      }
    }
    auto prepared = PrepareMarker(*marker, observed, kcase.mutation, kcase.theta, kcase.minimum_frequency);
    if (!prepared) return fail(prepared.error());
    Evidence(index1, at_marker, sample_dropout, *prepared, ev1_buffer);
    Evidence(index2, at_marker, sample_dropout, *prepared, ev2_buffer);
    auto l1 = likelihood(*ped1, plans1, ev1_buffer, prepared->setup);
    if (!l1) return fail(WithContext(l1.error(), "h1, marker " + marker->name));
    auto l2 = likelihood(*ped2, plans2, ev2_buffer, prepared->setup);
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
    m.added_alleles = prepared->added_alleles;
    result.lr *= m.lr;
    log10_sum += m.lr > 0 ? std::log10(m.lr) : -std::numeric_limits<double>::infinity();
    result.per_marker.push_back(std::move(m));
  }
  result.log10_lr = log10_sum;
  if (std::isfinite(log10_sum) && (result.lr == 0.0 || std::isinf(result.lr))) {
    result.lr = std::pow(10.0, log10_sum);  // over/underflow of the product: keep the log
  }
  return result;
}

}  // namespace whereabouts::kinship
