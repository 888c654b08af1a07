#include "kinship/family_joint.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace whereabouts::kinship {
namespace {

// One allele shown ("a/-", "a/a") of a sample with a drop-out model reads as "a/a" (as FamilyCase
// writes the case; see CallEvidence in identify.h).
GenotypeCall ForEngine(const GenotypeCall& c) {
  const bool single = (c.first && !c.second) || (!c.first && c.second) ||
                      (c.first && c.second && *c.first == *c.second);
  if (single) {
    const std::string a = c.first ? *c.first : *c.second;
    return GenotypeCall{a, a};
  }
  return c;
}

}  // namespace

Result<std::unique_ptr<FamilyScorer>> FamilyScorer::Create(FamilyScorerInput input) {
  if (input.family == nullptr || input.reference_of == nullptr || input.database == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "family scorer: missing input");
  }
  if (input.typed_count.size() != input.markers.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "family scorer: typed counts do not match");
  }
  auto s = std::make_unique<FamilyScorer>();
  const Family& fam = *input.family;
  const std::string where = "family " + fam.id;
  std::vector<Individual> people;
  for (const auto& fm : fam.members) people.push_back({fm.id, fm.sex, fm.father, fm.mother});
  auto ped1 = Pedigree::Create(people);
  if (!ped1) return tl::unexpected(WithContext(ped1.error(), where));
  for (size_t k = 0; k < input.slots.size(); ++k) {
    people.push_back({"@unrelated:" + std::to_string(k), Sex::kUnknown, "", ""});
  }
  auto ped2 = Pedigree::Create(std::move(people));
  if (!ped2) return tl::unexpected(WithContext(ped2.error(), where));
  s->ped1_ = std::move(*ped1);
  s->ped2_ = std::move(*ped2);
  s->members_ = s->ped1_.size();
  // Fixed evidence per member, as FamilyCase places it: a reference's sample, or the samples of a
  // given identification (these replace a reference's).
  s->fixed_.assign(s->members_, {});
  for (int i = 0; i < s->members_; ++i) {
    const FamilyMember& fm = fam.members[i];
    if (fm.role == FamilyRole::kReference) {
      auto it = input.reference_of->find(fm.sample);
      if (it != input.reference_of->end()) s->fixed_[i] = {{it->second, false}};
    }
  }
  for (const auto& g : input.given) {
    const int i = s->ped1_.IndexOf(g.member);
    if (i < 0)
      return MakeError(ErrorCode::kNotFound, "no such member", where + ", member " + g.member);
    s->fixed_[i].clear();
    for (const Profile* p : g.samples) s->fixed_[i].push_back({p, true});
  }
  for (const auto& slot : input.slots) {
    const int i = s->ped1_.IndexOf(slot);
    if (i < 0) return MakeError(ErrorCode::kNotFound, "no such member", where + ", member " + slot);
    s->slot_member_.push_back(i);
  }
  // Exchangeable slots: same parents, same sex, no children, no own data.
  std::vector<char> has_child(s->members_, 0);
  for (int i = 0; i < s->members_; ++i) {
    if (s->ped1_.father(i) >= 0) has_child[s->ped1_.father(i)] = 1;
    if (s->ped1_.mother(i) >= 0) has_child[s->ped1_.mother(i)] = 1;
  }
  const int S = static_cast<int>(s->slot_member_.size());
  s->orbit_of_.resize(S);
  for (int a = 0; a < S; ++a) {
    s->orbit_of_[a] = a;
    const int i = s->slot_member_[a];
    if (has_child[i] || !s->fixed_[i].empty()) continue;
    for (int b = 0; b < a; ++b) {
      const int j = s->slot_member_[b];
      if (s->orbit_of_[b] != b || has_child[j] || !s->fixed_[j].empty()) continue;
      const auto &x = fam.members[i], &y = fam.members[j];
      if (x.sex == y.sex && x.father == y.father && x.mother == y.mother) {
        s->orbit_of_[a] = b;
        break;
      }
    }
  }
  // Slots ordered by orbit (positions), and the range of positions of each orbit of two or more.
  for (int o = 0; o < S; ++o) {
    const int from = static_cast<int>(s->orbit_order_.size());
    for (int a = 0; a < S; ++a) {
      if (s->orbit_of_[a] == o) s->orbit_order_.push_back(a);
    }
    const int to = static_cast<int>(s->orbit_order_.size());
    if (to - from >= 2) s->orbit_ranges_.push_back({from, to});
  }
  s->classes_.assign(S, 0);
  // Markers and classes of the candidates at each marker.
  const size_t M = input.markers.size();
  const size_t C = input.candidates.size();
  if (C >= 65535) {  // classes are memo key units of 16 bits
    return MakeError(ErrorCode::kInvalidArgument, "family scorer: too many candidates", where);
  }
  s->typed_.assign(C, std::vector<char>(M, 0));
  s->class_of_.assign(M, std::vector<int>(C, 0));
  s->memo_.resize(M);
  for (size_t k = 0; k < M; ++k) {
    const MarkerFrequencies* mf = input.database->Find(input.markers[k]);
    if (mf == nullptr) {
      return MakeError(ErrorCode::kNotFound, "is not in the frequency database",
                       "marker " + input.markers[k]);
    }
    s->marker_.push_back(mf);
    std::map<std::vector<std::string>, int> class_by_calls;
    for (size_t c = 0; c < C; ++c) {
      std::vector<std::string> calls;
      for (const Profile* p : input.candidates[c]) {
        auto it = p->markers.find(input.markers[k]);
        if (it == p->markers.end() || it->second.untyped()) continue;
        calls.push_back((input.dropout > 0.0 ? ForEngine(it->second) : it->second).ToString());
      }
      if (calls.empty()) continue;
      std::sort(calls.begin(), calls.end());
      s->typed_[c][k] = 1;
      auto it =
          class_by_calls.emplace(std::move(calls), static_cast<int>(class_by_calls.size()) + 1)
              .first;
      s->class_of_[k][c] = it->second;
    }
  }
  // Calls resolved once: per marker, the alleles seen (local ids) and each sample's call as ids.
  s->alleles_.assign(M, {});
  s->fixed_calls_.assign(M, std::vector<std::vector<Call>>(s->members_));
  s->candidate_calls_.assign(M, std::vector<std::vector<Call>>(C));
  for (size_t k = 0; k < M; ++k) {
    auto& alleles = s->alleles_[k];
    auto id = [&](const std::optional<std::string>& a) {
      if (!a) return -1;
      auto it = std::find(alleles.begin(), alleles.end(), *a);
      if (it != alleles.end()) return static_cast<int>(it - alleles.begin());
      alleles.push_back(*a);
      return static_cast<int>(alleles.size()) - 1;
    };
    auto resolve = [&](const SampleRef& r, std::vector<Call>& out) {
      auto it = r.profile->markers.find(input.markers[k]);
      if (it == r.profile->markers.end() || it->second.untyped()) return;
      const bool dropout_model = r.remains && input.dropout > 0.0;
      const GenotypeCall c = dropout_model ? ForEngine(it->second) : it->second;
      out.push_back({id(c.first), id(c.second), dropout_model});
    };
    for (int i = 0; i < s->members_; ++i) {
      for (const auto& r : s->fixed_[i]) resolve(r, s->fixed_calls_[k][i]);
    }
    for (size_t c = 0; c < C; ++c) {
      for (const Profile* p : input.candidates[c]) resolve({p, true}, s->candidate_calls_[k][c]);
    }
  }
  s->in_ = std::move(input);
  return s;
}

Result<double> FamilyScorer::Likelihood(bool h1, const std::vector<std::vector<double>>& evidence,
                                        const MarkerSetup& setup) {
  std::vector<char>& typed = typed_scratch_;
  typed.resize(evidence.size());
  for (size_t i = 0; i < evidence.size(); ++i) typed[i] = !evidence[i].empty();
  auto& plans = h1 ? plans1_ : plans2_;
  auto it = plans.find(typed);
  if (it == plans.end()) {
    WB_ASSIGN_OR_RETURN(auto plan, PeelingPlan::Create(h1 ? ped1_ : ped2_, typed, in_.theta > 0.0));
    it = plans.emplace(typed, std::move(plan)).first;
  }
  return EvaluatePlan(it->second, evidence, setup, workspace_);
}

Result<double> FamilyScorer::MarkerLr(int k, const std::vector<int>& slot_candidate) {
  ++computations_;
  const MarkerFrequencies& mf = *marker_[k];
  auto where = [&] { return "family " + in_.family->id + ", marker " + in_.markers[k]; };
  const int S = static_cast<int>(slot_member_.size());
  const auto& fixed = fixed_calls_[k];
  const auto& candidate = candidate_calls_[k];
  // The alleles the case shows (as ComputeLr collects them: every sample of the case).
  const auto& names = alleles_[k];
  std::vector<char>& seen = seen_scratch_;
  seen.assign(names.size(), 0);
  auto observe = [&](const std::vector<Call>& calls) {
    for (const Call& c : calls) {
      if (c.a >= 0) seen[c.a] = 1;
      if (c.b >= 0) seen[c.b] = 1;
    }
  };
  for (const auto& calls : fixed) observe(calls);
  for (int a = 0; a < S; ++a) {
    if (slot_candidate[a] >= 0) observe(candidate[slot_candidate[a]]);
  }
  std::string key(reinterpret_cast<const char*>(&k), sizeof k);
  key.append(seen.begin(), seen.end());
  auto pit = prepared_.find(key);
  if (pit == prepared_.end()) {
    std::vector<std::string> observed;
    for (size_t a = 0; a < names.size(); ++a) {
      if (seen[a]) observed.push_back(names[a]);
    }
    const MutationModel mutation =
        in_.mutation.per_marker.empty() ? in_.mutation : in_.mutation.ForMarker(mf.name);
    auto prepared = PrepareMarker(mf, observed, mutation, in_.theta, in_.minimum_frequency);
    if (!prepared) return tl::unexpected(WithContext(prepared.error(), where()));
    Prepared p;
    p.engine.assign(names.size(), -1);
    for (size_t a = 0; a < names.size(); ++a) {
      if (seen[a]) p.engine[a] = prepared->index.at(names[a]);
    }
    p.marker = std::move(*prepared);
    pit = prepared_.emplace(std::move(key), std::move(p)).first;
  }
  const Prepared& pm = pit->second;
  const GenotypeSpace space(static_cast<int>(pm.marker.setup.frequencies.size()));
  auto row_of = [&](const std::vector<Call>& calls, std::vector<double>& row) {
    row.clear();
    for (const Call& c : calls) {
      Observation obs;
      obs.first = c.a >= 0 ? pm.engine[c.a] : -1;
      obs.second = c.b >= 0 ? pm.engine[c.b] : -1;
      if (c.dropout_model) {
        obs.dropout_model = true;
        obs.dropout = in_.dropout;
      }
      if (row.empty()) row.assign(space.size(), 1.0);
      MultiplyObservation(obs, space, row);
    }
  };
  auto& ev1 = ev1_scratch_;
  auto& ev2 = ev2_scratch_;
  const bool urn = in_.theta > 0.0;  // h2 peeled (theta), else factorised (below)
  ev1.resize(members_);
  if (urn) ev2.resize(members_ + S);
  for (int i = 0; i < members_; ++i) {
    row_of(fixed[i], ev1[i]);
    if (urn) ev2[i] = ev1[i];
  }
  if (urn) {
    for (int a = members_; a < members_ + S; ++a) ev2[a].clear();
  }
  std::vector<int>& placed_members = placed_members_;  // members with a typed individual placed
  placed_members.clear();
  for (int a = 0; a < S; ++a) {
    if (slot_candidate[a] < 0 || candidate[slot_candidate[a]].empty()) continue;
    std::vector<double>& row = ev1[slot_member_[a]];
    row_of(candidate[slot_candidate[a]], row);
    if (urn) ev2[members_ + static_cast<int>(placed_members.size())] = row;
    placed_members.push_back(slot_member_[a]);
  }
  auto l1 = Likelihood(true, ev1, pm.marker.setup);
  if (!l1) return tl::unexpected(WithContext(l1.error(), "h1, " + where()));
  Result<double> l2 = 0.0;
  if (!urn) {
    // Without theta the unrelated persons of h2 are independent founders: L(h2) is the
    // likelihood of the references (the family alone) times each placed individual's probability
    // under Hardy-Weinberg. No peeling per set of classes. The references' likelihood is the same
    // in any allele space that keeps the alleles shown apart with the same frequencies: computed
    // once per marker and alleles added at the minimum frequency or given the rest allele's (which
    // rescale the others).
    RefsKey rk{static_cast<int>(k), pm.marker.added_alleles, pm.marker.rest_alleles};
    auto rit = refs_l2_.find(rk);
    if (rit == refs_l2_.end()) {
      std::vector<std::vector<double>> fixed_rows(members_);
      for (int i = 0; i < members_; ++i) row_of(fixed[i], fixed_rows[i]);
      auto lr = Likelihood(true, fixed_rows, pm.marker.setup);
      if (!lr) return tl::unexpected(WithContext(lr.error(), "h2, " + where()));
      rit = refs_l2_.emplace(std::move(rk), *lr).first;
    }
    double l = rit->second;
    const auto& f = pm.marker.setup.frequencies;
    for (int i : placed_members) {
      const std::vector<double>& row = ev1[i];
      double marginal = 0.0;
      for (int g = 0; g < space.size(); ++g) {
        const int x = space.First(g), y = space.Second(g);
        marginal += row[g] * (x == y ? f[x] * f[x] : 2.0 * f[x] * f[y]);
      }
      l *= marginal;
    }
    l2 = l;
  } else {
    // H2 depends on the classes placed, not on where: memoised on their multiset (the prepared
    // marker, a function of the alleles shown, is then the same too).
    std::vector<int>& placed_classes = placed_classes_;
    placed_classes.clear();
    for (int a = 0; a < S; ++a) {
      if (slot_candidate[a] >= 0 && class_of_[k][slot_candidate[a]] > 0) {
        placed_classes.push_back(class_of_[k][slot_candidate[a]]);
      }
    }
    std::sort(placed_classes.begin(), placed_classes.end());
    std::string key2(reinterpret_cast<const char*>(&k), sizeof k);
    key2.append(reinterpret_cast<const char*>(placed_classes.data()),
                placed_classes.size() * sizeof(int));
    if (auto it = h2_memo_.find(key2); it != h2_memo_.end()) {
      l2 = it->second;
    } else {
      l2 = Likelihood(false, ev2, pm.marker.setup);
      if (!l2) return tl::unexpected(WithContext(l2.error(), "h2, " + where()));
      h2_memo_.emplace(std::move(key2), *l2);
    }
  }
  if (*l2 == 0.0) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the data are impossible under h2, so the LR is undefined", where());
  }
  return *l1 / *l2;
}

Result<double> FamilyScorer::JointLr(const std::vector<std::pair<int, int>>& placed) {
  const int S = static_cast<int>(slot_member_.size());
  std::vector<int>& slot_candidate = slot_candidate_;
  slot_candidate.assign(S, -1);
  for (const auto& [slot, c] : placed) slot_candidate[slot] = c;
  double lr = 1.0, mantissa = 1.0;
  long exponent = 0;
  std::u16string& key = key_;
  key.resize(static_cast<size_t>(S));
  std::vector<int>& classes = classes_;
  for (size_t k = 0; k < in_.markers.size(); ++k) {
    int typed = 0;
    for (const auto& [slot, c] : placed) typed += typed_[c][k];
    if (typed == 0 || in_.typed_count[k] + typed < 2) continue;
    // The marker's LR depends on the class on each slot, and not on the order of the classes
    // within an orbit of exchangeable slots: the key lists each orbit's classes sorted.
    for (int p = 0; p < S; ++p) {
      const int c = slot_candidate[orbit_order_[p]];
      classes[p] = c < 0 ? 0 : class_of_[k][c];
    }
    for (const auto& [from, to] : orbit_ranges_) {
      std::sort(classes.begin() + from, classes.begin() + to);
    }
    ++lookups_;
    for (int p = 0; p < S; ++p) key[p] = static_cast<char16_t>(classes[p]);
    auto& memo = memo_[k];
    double m = 0.0;
    if (auto it = memo.find(key); it != memo.end()) {
      m = it->second;
    } else {
      WB_ASSIGN_OR_RETURN(m, MarkerLr(static_cast<int>(k), slot_candidate));
      memo.emplace(key, m);
    }
    if (!(m > 0.0)) return 0.0;
    lr *= m;
    int e = 0;
    mantissa = std::frexp(mantissa * m, &e);
    exponent += e;
  }
  if (lr == 0.0 || std::isinf(lr)) {
    lr = std::pow(10.0, std::log10(mantissa) + static_cast<double>(exponent) * std::log10(2.0));
  }
  return std::max(lr, std::numeric_limits<double>::denorm_min());
}

}  // namespace whereabouts::kinship
