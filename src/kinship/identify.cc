#include "kinship/identify.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <mutex>
#include <set>

#include "kinship/family_joint.h"

namespace whereabouts::kinship {
namespace {

using Kind = MarkerEvidence::Kind;

// The progress of a parallel stage, item by item: reported from the worker threads one at a time
// (the caller's callback need not be thread-safe), at most once per percent.
class StageProgress {
 public:
  StageProgress(const std::function<void(const std::string&, double)>& report, std::string stage,
                size_t total)
      : report_(report), stage_(std::move(stage)), total_(total) {
    report_(stage_, 0.0);
  }
  void ItemDone() {
    const size_t done = ++done_;
    const size_t percent = total_ > 0 ? done * 100 / total_ : 100;
    if (percent <= shown_.load(std::memory_order_relaxed)) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (percent <= shown_.load(std::memory_order_relaxed)) return;
    shown_.store(percent, std::memory_order_relaxed);
    report_(stage_, std::min(1.0, static_cast<double>(done) / static_cast<double>(total_)));
  }
  ~StageProgress() { report_(stage_, 1.0); }
  StageProgress(const StageProgress&) = delete;
  StageProgress& operator=(const StageProgress&) = delete;

 private:
  const std::function<void(const std::string&, double)>& report_;
  std::string stage_;
  size_t total_;
  std::atomic<size_t> done_{0}, shown_{0};
  std::mutex mu_;
};

std::string IndividualName(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "I%04d", i + 1);
  return buf;
}

// One allele shown, as an allele table writes it: "a/-" or "a/a".
bool SingleAllele(const GenotypeCall& c) {
  return (c.first && !c.second) || (!c.first && c.second) ||
         (c.first && c.second && *c.first == *c.second);
}

// A call of a sample with a drop-out model as the engine reads it: one allele shown is "a/a" (the
// engine's drop-out model applies to it), also when written "a/-" (see CallEvidence).
GenotypeCall ForEngine(const GenotypeCall& c) {
  if (SingleAllele(c)) {
    const std::string a = c.first ? *c.first : *c.second;
    return GenotypeCall{a, a};
  }
  return c;
}

// A profile with canonical marker names, restricted to `markers` (canonical), and calls whose
// alleles are all known to `screen_markers` (unknown ones dropped when no minimum frequency).
struct CleanProfile {
  Profile profile;                       // canonical keys, usable calls only
  std::vector<MarkerEvidence> evidence;  // per screen marker
  int typed = 0;
};

double TotalRate(const MutationSpec& m) {
  return m.kind == MutationKind::kNone ? 0.0 : m.rate + m.rate2;
}

std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

const char* AmelogeninShown(const std::optional<Sex>& s) {
  if (!s || *s == Sex::kUnknown) return "";
  return *s == Sex::kMale ? "XY" : "X";
}

}  // namespace

FrequencyDatabase NormalizedDatabase(const FrequencyDatabase& db) {
  std::vector<MarkerFrequencies> markers;
  for (const auto& name : db.MarkerNames()) {
    MarkerFrequencies mk = *db.Find(name);
    double sum = 0.0;
    for (double f : mk.frequencies) sum += f;
    for (double& f : mk.frequencies) f /= sum;
    markers.push_back(std::move(mk));
  }
  auto out = FrequencyDatabase::Create(std::move(markers));
  return out ? std::move(*out) : db;
}

Result<MarkerEvidence> CallEvidence(const GenotypeCall& call, const MarkerFrequencies& marker,
                                    double dropout) {
  if (call.untyped()) return MarkerEvidence{};
  auto index = [&](const std::optional<std::string>& a) -> Result<int> {
    const int i = marker.IndexOf(*a);
    if (i < 0) {
      return MakeError(ErrorCode::kNotFound, "allele " + *a + " is not in the frequency database",
                       "marker " + marker.name);
    }
    return i;
  };
  Observation obs;
  if (SingleAllele(call)) {
    WB_ASSIGN_OR_RETURN(int a, index(call.first ? call.first : call.second));
    obs.first = obs.second = a;
    // "a/-" without a drop-out model: a plus any allele (EvidenceOf gives 1 at every {a,x}).
    if (dropout == 0.0 && (!call.first || !call.second)) obs.second = -1;
  } else {
    WB_ASSIGN_OR_RETURN(obs.first, index(call.first));
    WB_ASSIGN_OR_RETURN(obs.second, index(call.second));
  }
  obs.dropout = dropout;
  obs.dropout_model = dropout > 0.0;
  return EvidenceOf(obs);
}

Result<KinshipCase> PairCase(const Family& family, const std::string& member,
                             const std::map<std::string, const Profile*>& reference_of,
                             const std::vector<const Profile*>& samples, double dropout,
                             const std::vector<std::string>& markers, const MutationModel& mutation,
                             double theta, std::optional<double> minimum_frequency) {
  KinshipCase k;
  k.id = "family " + family.id + ", missing " + member;
  k.markers = markers;
  k.mutation = mutation;
  k.theta = theta;
  k.minimum_frequency = minimum_frequency;
  const std::set<std::string> wanted(markers.begin(), markers.end());
  // With a drop-out model "a/-" is one allele shown (read as "a/a"); without, it stays "a/-".
  auto add_profile = [&](const std::string& key, const Profile& p, bool dropout_model) {
    auto& calls = k.genotypes[key];
    for (const auto& [m, c] : p.markers) {
      if (wanted.count(m) != 0 && !c.untyped()) calls[m] = dropout_model ? ForEngine(c) : c;
    }
  };
  std::vector<std::string> remains_keys;
  for (size_t i = 0; i < samples.size(); ++i) {
    const std::string key = "s:remains:" + std::to_string(i) + ":" + samples[i]->sample;
    add_profile(key, *samples[i], dropout > 0.0);
    if (dropout > 0.0) k.dropout[key] = dropout;
    remains_keys.push_back(key);
  }
  bool found = false;
  auto pid = [](const std::string& id) { return id.empty() ? std::string() : "p:" + id; };
  for (const auto& fm : family.members) {
    HypothesisPerson person;
    person.individual = Individual{pid(fm.id), fm.sex, pid(fm.father), pid(fm.mother)};
    HypothesisPerson h1 = person, h2 = person;
    if (fm.role == FamilyRole::kReference) {
      auto it = reference_of.find(fm.sample);
      if (it != reference_of.end()) {
        const std::string key = "s:ref:" + fm.sample;
        add_profile(key, *it->second, false);
        h1.samples = {key};
        h2.samples = {key};
      }
    }
    if (fm.id == member) {
      found = true;
      h1.samples = remains_keys;
    }
    k.h1.push_back(std::move(h1));
    k.h2.push_back(std::move(h2));
  }
  if (!found)
    return MakeError(ErrorCode::kNotFound, "no such member",
                     "family " + family.id + ", member " + member);
  HypothesisPerson unrelated;
  unrelated.individual = Individual{"p:@unrelated", Sex::kUnknown, "", ""};
  unrelated.samples = remains_keys;
  k.h2.push_back(std::move(unrelated));
  return k;
}

Result<KinshipCase> FamilyCase(const Family& family,
                               const std::map<std::string, const Profile*>& reference_of,
                               const std::vector<MemberPlacement>& given,
                               const std::vector<MemberPlacement>& assigned, double dropout,
                               const std::vector<std::string>& markers,
                               const MutationModel& mutation, double theta,
                               std::optional<double> minimum_frequency) {
  KinshipCase k;
  k.id = "family " + family.id + ", assignment of " + std::to_string(assigned.size());
  k.markers = markers;
  k.mutation = mutation;
  k.theta = theta;
  k.minimum_frequency = minimum_frequency;
  const std::set<std::string> wanted(markers.begin(), markers.end());
  auto add_profile = [&](const std::string& key, const Profile& p, bool dropout_model) {
    auto& calls = k.genotypes[key];
    for (const auto& [m, c] : p.markers) {
      if (wanted.count(m) != 0 && !c.untyped()) calls[m] = dropout_model ? ForEngine(c) : c;
    }
  };
  auto keys_of = [&](const std::string& what, size_t n, const MemberPlacement& pl) {
    std::vector<std::string> keys;
    for (size_t i = 0; i < pl.samples.size(); ++i) {
      const std::string key = "s:" + what + ":" + std::to_string(n) + ":" + std::to_string(i) +
                              ":" + pl.samples[i]->sample;
      add_profile(key, *pl.samples[i], dropout > 0.0);
      if (dropout > 0.0) k.dropout[key] = dropout;
      keys.push_back(key);
    }
    return keys;
  };
  std::map<std::string, std::vector<std::string>> given_keys, assigned_keys;
  for (size_t n = 0; n < given.size(); ++n) {
    if (!given_keys.emplace(given[n].member, keys_of("given", n, given[n])).second) {
      return MakeError(ErrorCode::kInvalidArgument, "member given twice",
                       "family " + family.id + ", member " + given[n].member);
    }
  }
  for (size_t n = 0; n < assigned.size(); ++n) {
    if (given_keys.count(assigned[n].member) != 0 ||
        !assigned_keys.emplace(assigned[n].member, keys_of("remains", n, assigned[n])).second) {
      return MakeError(ErrorCode::kInvalidArgument, "member assigned twice",
                       "family " + family.id + ", member " + assigned[n].member);
    }
  }
  size_t found = 0;
  auto pid = [](const std::string& id) { return id.empty() ? std::string() : "p:" + id; };
  for (const auto& fm : family.members) {
    HypothesisPerson person;
    person.individual = Individual{pid(fm.id), fm.sex, pid(fm.father), pid(fm.mother)};
    HypothesisPerson h1 = person, h2 = person;
    if (fm.role == FamilyRole::kReference) {
      auto it = reference_of.find(fm.sample);
      if (it != reference_of.end()) {
        const std::string key = "s:ref:" + fm.sample;
        add_profile(key, *it->second, false);
        h1.samples = {key};
        h2.samples = {key};
      }
    }
    if (auto g = given_keys.find(fm.id); g != given_keys.end()) {
      h1.samples = g->second;
      h2.samples = g->second;
      ++found;
    }
    if (auto a = assigned_keys.find(fm.id); a != assigned_keys.end()) {
      h1.samples = a->second;
      ++found;
    }
    k.h1.push_back(std::move(h1));
    k.h2.push_back(std::move(h2));
  }
  if (found != given.size() + assigned.size()) {
    return MakeError(ErrorCode::kNotFound, "a member placed is not in the family",
                     "family " + family.id);
  }
  for (size_t n = 0; n < assigned.size(); ++n) {
    HypothesisPerson unrelated;
    unrelated.individual = Individual{"p:@unrelated:" + std::to_string(n), Sex::kUnknown, "", ""};
    unrelated.samples = assigned_keys.at(assigned[n].member);
    k.h2.push_back(std::move(unrelated));
  }
  return k;
}

Result<IdentifyReport> Identify(const IdentifyInput& input, const IdentifyOptions& opt) {
  if (input.database == nullptr)
    return MakeError(ErrorCode::kInvalidArgument, "no frequency database");
  if (!(opt.remains_dropout >= 0.0 && opt.remains_dropout < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "drop-out must be in [0, 1)", "remains_dropout");
  }
  if (!(opt.minimum_frequency >= 0.0 && opt.minimum_frequency < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "minimum frequency must be in [0, 1)",
                     "minimum_frequency");
  }
  if (opt.amelogenin_y_loss && !(*opt.amelogenin_y_loss > 0.0 && *opt.amelogenin_y_loss <= 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the probability of Y loss must be in (0, 1] (0 would exclude men)",
                     "amelogenin_y_loss");
  }
  if (opt.prior_none && !(*opt.prior_none > 0.0 && *opt.prior_none < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "the prior of none must be in (0, 1)",
                     "prior_none");
  }
  if (!(opt.posterior_threshold > 0.0 && opt.posterior_threshold <= 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "a posterior threshold must be in (0, 1]",
                     "posterior_threshold");
  }
  const auto positive = [](double v) { return v > 0.0 && v < HUGE_VAL; };
  if (!positive(opt.lr_threshold)) {
    return MakeError(ErrorCode::kInvalidArgument, "an LR threshold must be a number > 0",
                     "lr_threshold");
  }
  if (!positive(opt.screen_lr_threshold)) {
    return MakeError(ErrorCode::kInvalidArgument, "an LR threshold must be a number > 0",
                     "screen_lr_threshold");
  }
  if (!positive(opt.reassociation_lr)) {
    return MakeError(ErrorCode::kInvalidArgument, "an LR threshold must be a number > 0",
                     "reassociation_lr");
  }
  if (!(opt.theta >= 0.0 && opt.theta < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "theta must be in [0, 1)", "theta");
  }
  if (opt.top_k < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "top-k must be >= 0", "top_k");
  }
  if (opt.threads < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "threads must be >= 0", "threads");
  }
  WB_RETURN_IF_ERROR(ValidateMutationSpec(opt.mutation.male));
  WB_RETURN_IF_ERROR(ValidateMutationSpec(opt.mutation.female));
  // The screen's model: as requested, or the exact one.
  MutationSpec screen_requested = opt.mutation.male;
  if (opt.screen_mutation) {
    screen_requested = *opt.screen_mutation;
  } else if (TotalRate(opt.mutation.female) > TotalRate(opt.mutation.male)) {
    screen_requested = opt.mutation.female;
  }
  if (auto st = ValidateMutationSpec(screen_requested); !st) {
    return tl::unexpected(WithContext(st.error(), "screen_mutation"));
  }
  const FrequencyDatabase db = NormalizedDatabase(*input.database);
  auto progress = [&](const std::string& stage, double f) {
    if (opt.progress) opt.progress(stage, f);
  };
  IdentifyReport rep;
  auto skip = [&](std::string item, std::string reason) {
    rep.skipped.push_back({std::move(item), std::move(reason)});
  };

  // --- Markers: database markers typed in some profile; unknown alleles -------------------
  std::set<std::string> used_markers;
  std::map<std::string, std::set<std::string>> unknown_alleles;  // marker -> alleles
  std::map<std::string, int> markers_not_in_db;                  // marker -> profiles
  auto scan = [&](const Profile& p) {
    for (const auto& [name, call] : p.markers) {
      if (call.untyped()) continue;
      const MarkerFrequencies* mk = db.Find(name);
      if (mk == nullptr) {
        ++markers_not_in_db[CanonicalMarkerName(name)];
        continue;
      }
      used_markers.insert(mk->name);
      for (const auto* a : {&call.first, &call.second}) {
        if (*a && mk->IndexOf(**a) < 0) unknown_alleles[mk->name].insert(**a);
      }
    }
  };
  for (const auto& p : input.references) scan(p);
  for (const auto& p : input.remains_profiles) scan(p);
  for (const auto& [m, count] : markers_not_in_db) {
    skip("marker " + m,
         "not in the frequency database (" + std::to_string(count) + " profiles); ignored");
  }
  std::vector<MarkerFrequencies> markers;
  for (const auto& name : db.MarkerNames()) {
    const MarkerFrequencies* mk = db.Find(name);
    if (used_markers.count(mk->name) == 0) continue;
    auto it = unknown_alleles.find(mk->name);
    const std::optional<double> size_frequency = MinimumFrequencyFromSize(*mk);
    const double minimum_frequency =
        opt.minimum_frequency_from_size ? size_frequency.value_or(0.0) : opt.minimum_frequency;
    if (it != unknown_alleles.end() && mk->HasRestAllele()) {
      markers.push_back(WithRestAssigned(*mk, {it->second.begin(), it->second.end()}));
      std::string list;
      for (const auto& a : it->second) list += (list.empty() ? "" : ", ") + a;
      rep.warnings.push_back({"marker " + mk->name, "alleles not in the frequency table (" + list +
                                                        ") take the frequency of its rest allele"});
    } else if (it != unknown_alleles.end() && opt.minimum_frequency_from_size && !size_frequency) {
      rep.warnings.push_back({"marker " + mk->name,
                              "alleles not in the frequency table, and no database size N for the "
                              "minimum frequency 5/2N: profiles showing them skip this marker"});
      markers.push_back(*mk);
    } else if (it != unknown_alleles.end() && minimum_frequency > 0.0) {
      markers.push_back(
          WithAddedAlleles(*mk, {it->second.begin(), it->second.end()}, minimum_frequency));
    } else {
      markers.push_back(*mk);
    }
    rep.markers.push_back(mk->name);
  }
  const int M = static_cast<int>(markers.size());
  std::map<std::string, int> marker_index;
  for (int m = 0; m < M; ++m) marker_index[markers[m].name] = m;

  auto clean = [&](const Profile& p, double dropout, const std::string& what) {
    CleanProfile c;
    c.profile.sample = p.sample;
    c.profile.amelogenin_sex = p.amelogenin_sex;
    c.evidence.assign(M, MarkerEvidence{});
    for (const auto& [name, call] : p.markers) {
      if (call.untyped()) continue;
      const MarkerFrequencies* mk = db.Find(name);
      if (mk == nullptr) continue;
      const int m = marker_index.at(mk->name);
      auto e = CallEvidence(call, markers[m], dropout);
      if (!e) {
        skip(what + " " + p.sample + ", marker " + mk->name,
             e.error().message + "; marker ignored");
        continue;
      }
      c.profile.markers[mk->name] = call;
      c.evidence[m] = *e;
      ++c.typed;
    }
    return c;
  };

  // --- Remains -> samples -------------------------------------------------------------------
  std::map<std::string, const Profile*> remains_profile;
  for (const auto& p : input.remains_profiles) remains_profile.emplace(p.sample, &p);
  std::vector<CleanProfile> samples;
  std::vector<std::string> bags;
  std::set<std::string> listed;
  rep.samples = static_cast<int>(input.remains.size());
  for (const auto& r : input.remains) {
    if (!listed.insert(r.sample).second) {
      skip("remains sample " + r.sample,
           "listed twice in the remains file; the first entry is used");
      continue;
    }
    auto it = remains_profile.find(r.sample);
    if (it == remains_profile.end()) {
      skip("remains sample " + r.sample, "no profile in the remains allele table");
      continue;
    }
    CleanProfile c = clean(*it->second, opt.remains_dropout, "remains sample");
    if (c.typed == 0) {
      skip("remains sample " + r.sample, "no marker typed that the frequency database has");
      continue;
    }
    samples.push_back(std::move(c));
    bags.push_back(r.bag);
  }
  for (const auto& p : input.remains_profiles) {
    if (listed.count(p.sample) == 0) {
      skip("remains profile " + p.sample, "not listed in the remains file (no bag); not used");
    }
  }
  rep.samples_used = static_cast<int>(samples.size());

  // --- Re-association -------------------------------------------------------------------------
  progress("re-association", 0.0);
  std::vector<std::vector<MarkerEvidence>> sample_evidence;
  std::vector<SexEvidence> sample_sex;
  for (const auto& s : samples) {
    sample_evidence.push_back(s.evidence);
    sample_sex.push_back(SexEvidenceOf(s.profile.amelogenin_sex, opt.remains_dropout));
  }
  ReassociationOptions ro;
  ro.lr_threshold = opt.reassociation_lr;
  ro.threads = opt.threads;
  WB_ASSIGN_OR_RETURN(Reassociation ra,
                      Reassociate(markers, sample_evidence, bags, ro, sample_sex));
  progress("re-association", 1.0);
  const int I = static_cast<int>(ra.individuals.size());
  rep.individual_count = I;
  rep.mni = ra.mni;
  rep.reassociation_pairs = ra.pairs_compared;
  rep.links = ra.links.size();
  for (const auto& c : ra.conflicts) {
    std::string text = c.description + ":";
    for (int s : c.samples) text += " " + samples[s].profile.sample;
    rep.conflicts.push_back(text);
  }
  std::vector<std::string> names(I);
  for (int i = 0; i < I; ++i) {
    names[i] = IndividualName(i);
    for (int s : ra.individuals[i]) {
      rep.individuals.push_back({names[i], samples[s].profile.sample, bags[s],
                                 AmelogeninShown(samples[s].profile.amelogenin_sex)});
    }
    if (ra.sex[i].ShowsY()) ++rep.individuals_y;
    if (ra.sex[i].XOnly()) ++rep.individuals_x_only;
    if (ra.sex[i].Disagrees()) ++rep.individuals_sex_differs;
  }

  // --- Identifications given (conditioning) ----------------------------------------------------
  std::map<std::string, int> individual_by_name;  // individual ids and sample names
  for (int i = 0; i < I; ++i) {
    individual_by_name.emplace(names[i], i);
    for (int s : ra.individuals[i]) individual_by_name.emplace(samples[s].profile.sample, i);
  }
  std::map<std::string, int> family_by_id;
  for (int f = 0; f < static_cast<int>(input.families.size()); ++f) {
    family_by_id.emplace(input.families[f].id, f);
  }
  std::vector<int> given_family(I, -1);                 // individual -> family
  std::vector<std::string> given_member(I);             // individual -> member
  std::map<std::pair<int, std::string>, int> given_at;  // (family, member) -> individual
  for (const auto& g : input.identified) {
    const std::string item =
        "identification given: " + g.individual + " as family " + g.family + ", " + g.missing;
    auto ii = individual_by_name.find(g.individual);
    auto ff = family_by_id.find(g.family);
    if (ii == individual_by_name.end()) {
      skip(item, "no such individual or sample among the remains");
      continue;
    }
    if (ff == family_by_id.end()) {
      skip(item, "no such family");
      continue;
    }
    const auto& members = input.families[ff->second].members;
    auto mm = std::find_if(members.begin(), members.end(),
                           [&](const FamilyMember& fm) { return fm.id == g.missing; });
    if (mm == members.end() || mm->role != FamilyRole::kMissing) {
      skip(item, "no missing member " + g.missing + " in family " + g.family);
      continue;
    }
    if (given_family[ii->second] >= 0 || given_at.count({ff->second, g.missing}) != 0) {
      skip(item, "individual or missing person given twice; the first is used");
      continue;
    }
    given_family[ii->second] = ff->second;
    given_member[ii->second] = g.missing;
    given_at[{ff->second, g.missing}] = ii->second;
    ++rep.identified_given;
  }

  // --- Families --------------------------------------------------------------------------------
  std::map<std::string, const Profile*> reference_raw;
  for (const auto& p : input.references) reference_raw.emplace(p.sample, &p);
  std::map<std::string, CleanProfile> reference_clean;
  std::vector<ScreenFamily> screen_families;
  std::vector<int> family_of_screen;            // screen family -> input family
  std::vector<std::vector<char>> family_typed;  // screen family -> marker typed by a reference
  struct MissingRef {
    int family;
    std::string member;
    Sex sex;
  };
  std::vector<MissingRef> missing_list;
  std::map<std::pair<int, std::string>, int> missing_index;
  rep.families = static_cast<int>(input.families.size());
  for (int f = 0; f < static_cast<int>(input.families.size()); ++f) {
    const Family& fam = input.families[f];
    for (const auto& fm : fam.members) {
      if (fm.role == FamilyRole::kMissing && given_at.count({f, fm.id}) == 0) {
        missing_index[{f, fm.id}] = static_cast<int>(missing_list.size());
        missing_list.push_back({f, fm.id, fm.sex});
      }
    }
    std::vector<Individual> people;
    for (const auto& fm : fam.members) people.push_back({fm.id, fm.sex, fm.father, fm.mother});
    auto ped = Pedigree::Create(std::move(people));
    if (!ped) {
      skip("family " + fam.id, "invalid pedigree: " + ped.error().ToString());
      continue;
    }
    ScreenFamily sf;
    sf.id = fam.id;
    sf.evidence.assign(ped->size(), std::vector<MarkerEvidence>(M));
    std::vector<char> typed(M, 0);
    bool any_typed = false;
    for (int i = 0; i < ped->size(); ++i) {
      const FamilyMember& fm = fam.members[i];
      if (auto g = given_at.find({f, fm.id}); g != given_at.end()) {
        // Identified already: its remains are a typed member of the family.
        sf.evidence[i] = ra.consensus[g->second];
        for (int m = 0; m < M; ++m) {
          if (sf.evidence[i][m].typed()) typed[m] = 1;
        }
        any_typed = true;
        continue;
      }
      if (fm.role == FamilyRole::kMissing) sf.missing.push_back(i);
      if (fm.role != FamilyRole::kReference) continue;
      auto it = reference_raw.find(fm.sample);
      if (it == reference_raw.end()) {
        skip("family " + fam.id + ", reference " + fm.id,
             "sample " + fm.sample + " is not in the reference allele table; treated as untyped");
        continue;
      }
      auto cit = reference_clean.find(fm.sample);
      if (cit == reference_clean.end()) {
        cit = reference_clean.emplace(fm.sample, clean(*it->second, 0.0, "reference sample")).first;
      }
      if (cit->second.typed == 0) {
        skip("family " + fam.id + ", reference " + fm.id,
             "sample " + fm.sample +
                 " has no marker the frequency database has; treated as untyped");
        continue;
      }
      // A reference's amelogenin against the sex the family file gives (a sample swap?).
      const SexEvidence ref_sex = SexEvidenceOf(cit->second.profile.amelogenin_sex, 0.0);
      if (ref_sex.ShowsY() && fm.sex == Sex::kFemale) {
        skip("family " + fam.id + ", reference " + fm.id,
             "amelogenin of sample " + fm.sample +
                 " shows Y but the families file says female (a sample swap?); treated as "
                 "untyped");
        continue;
      }
      if (ref_sex.XOnly() && fm.sex == Sex::kMale) {
        rep.warnings.push_back({"family " + fam.id + ", reference " + fm.id,
                                "amelogenin of sample " + fm.sample +
                                    " shows X only but the families file says male (AMELY "
                                    "deletion, or a sample swap?); used"});
      }
      sf.evidence[i] = cit->second.evidence;
      for (int m = 0; m < M; ++m) {
        if (sf.evidence[i][m].typed()) typed[m] = 1;
      }
      any_typed = true;
    }
    if (sf.missing.empty()) {
      skip("family " + fam.id, "no missing member");
      continue;
    }
    if (!any_typed) {
      skip("family " + fam.id, "no typed member: nobody in it can be identified");
      continue;
    }
    sf.pedigree = std::move(*ped);
    screen_families.push_back(std::move(sf));
    family_of_screen.push_back(f);
    family_typed.push_back(std::move(typed));
  }
  rep.families_used = static_cast<int>(screen_families.size());
  const int N = static_cast<int>(missing_list.size());
  rep.missing_persons = N;

  // --- Priors ----------------------------------------------------------------------------------
  const double prior_none = opt.prior_none ? *opt.prior_none : 1.0 / (N + 1.0);
  const double prior_each = N > 0 ? (1.0 - prior_none) / N : 0.0;
  rep.prior_none = prior_none;
  rep.prior_each = prior_each;

  // --- Screen ----------------------------------------------------------------------------------
  std::vector<ScreenPerson> persons(I);
  for (int i = 0; i < I; ++i) {
    persons[i].id = names[i];
    persons[i].markers = ra.consensus[i];
    persons[i].shows_y = ra.sex[i].ShowsY();
  }
  ScreenOptions so;
  so.mutation = screen_requested;
  so.top_k = opt.top_k;
  so.lr_threshold = opt.screen_lr_threshold;
  so.threads = opt.threads;
  so.progress = [&](std::uint64_t done, std::uint64_t total) {
    progress("screen", total ? static_cast<double>(done) / static_cast<double>(total) : 1.0);
  };
  progress("screen", 0.0);
  WB_ASSIGN_OR_RETURN(ScreenResult sr, Screen(markers, screen_families, persons, so));
  rep.screen_pairs = sr.pairs;
  rep.screen_mutation_requested = screen_requested;
  rep.screen_mutation = sr.mutation;
  rep.screen_is_filter = !sr.requested_model;
  for (const auto& s : sr.skipped) skip(s.item, s.reason);
  std::vector<char> target_ok(sr.targets.size(), 1);
  for (size_t t = 0; t < sr.targets.size(); ++t) {
    target_ok[t] = sr.status[t] == ScreenStatus::kScreened ? 1 : 0;
  }
  int tabulated = 0;
  for (char ok : target_ok) tabulated += ok;
  rep.missing_tabulated = tabulated;
  auto missing_of_target = [&](int t) {
    const ScreenTarget& tg = sr.targets[t];
    return missing_index.at(
        {family_of_screen[tg.family], screen_families[tg.family].pedigree.at(tg.member).id});
  };
  // Per missing person of the input: what the screen did (families skipped before it: not
  // usable).
  {
    std::vector<ScreenStatus> status(missing_list.size(), ScreenStatus::kFamilyNotUsable);
    for (size_t t = 0; t < sr.targets.size(); ++t) {
      status[missing_of_target(static_cast<int>(t))] = sr.status[t];
    }
    for (size_t m = 0; m < missing_list.size(); ++m) {
      rep.targets.push_back({input.families[missing_list[m].family].id, missing_list[m].member,
                             missing_list[m].sex, status[m]});
    }
    for (const auto& [at, i] : given_at) {
      const auto& members = input.families[at.first].members;
      const std::string& member = at.second;  // (clang 14 does not capture structured bindings)
      auto mm = std::find_if(members.begin(), members.end(),
                             [&](const FamilyMember& fm) { return fm.id == member; });
      rep.targets.push_back(
          {input.families[at.first].id, at.second, mm->sex, ScreenStatus::kIdentifiedGiven});
    }
  }
  // Missing women without a table: an individual showing Y cannot be them (LR 0, not 1).
  int untabulated_women = 0;
  {
    std::vector<char> has_table(missing_list.size(), 0);
    for (size_t t = 0; t < sr.targets.size(); ++t) {
      if (target_ok[t]) has_table[missing_of_target(static_cast<int>(t))] = 1;
    }
    for (size_t m = 0; m < missing_list.size(); ++m) {
      if (!has_table[m] && missing_list[m].sex == Sex::kFemale) ++untabulated_women;
    }
  }

  // --- Exact re-score of the survivors -----------------------------------------------------------
  struct Pair {
    int individual = 0, target = 0;
    double screen_lr = 0;
    double lr = 0;
    int compared = 0, inconsistent = 0;
    bool ok = false;
    bool excluded = false;  // by amelogenin: re-scored for the record, never a candidate
    bool inconsistent_excluded = false;  // by max_inconsistent_markers: listed, never a candidate
    std::string error;
  };
  std::vector<Pair> pairs;
  for (int i = 0; i < I; ++i) {
    if (given_family[i] >= 0) continue;  // identified already: not scored again
    rep.sex_excluded_pairs += static_cast<std::uint64_t>(sr.excluded_count[i]);
    for (const auto* list : {&sr.hits[i], &sr.excluded[i]}) {
      for (const auto& h : *list) {
        if (!target_ok[h.target]) continue;
        Pair p;
        p.individual = i;
        p.target = h.target;
        p.screen_lr = h.lr;
        p.excluded = list == &sr.excluded[i];
        pairs.push_back(std::move(p));
      }
    }
  }
  std::vector<std::vector<const Profile*>> individual_profiles(I);
  for (int i = 0; i < I; ++i) {
    for (int s : ra.individuals[i]) individual_profiles[i].push_back(&samples[s].profile);
  }
  std::map<std::string, const Profile*> reference_of;
  for (const auto& [name, c] : reference_clean) reference_of[name] = &c.profile;
  // Per input family: its identifications given, as placements (member, samples), by member.
  std::vector<std::vector<MemberPlacement>> given_placements(input.families.size());
  std::vector<std::vector<int>> given_individuals(input.families.size());
  for (const auto& [at, i] : given_at) {
    given_placements[at.first].push_back({at.second, individual_profiles[i]});
    given_individuals[at.first].push_back(i);
  }
  const std::optional<double> min_freq =
      opt.minimum_frequency > 0 && !opt.minimum_frequency_from_size
          ? std::optional<double>(opt.minimum_frequency)
          : std::nullopt;
  // The markers an individual and a (screen) family are compared on: typed in both.
  auto compared_markers = [&](int individual, int sf) {
    std::vector<std::string> compared;
    for (int m = 0; m < M; ++m) {
      if (ra.consensus[individual][m].typed() && family_typed[sf][m])
        compared.push_back(markers[m].name);
    }
    return compared;
  };
  const int threads = opt.threads > 0 ? opt.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  bool any_mutation = opt.mutation.male.kind != MutationKind::kNone ||
                      opt.mutation.female.kind != MutationKind::kNone;
  for (const auto& [name, mm] : opt.mutation.per_marker) {
    any_mutation = any_mutation || mm.male.kind != MutationKind::kNone ||
                   mm.female.kind != MutationKind::kNone;
  }
  {
    const std::function<void(const std::string&, double)> report = progress;
    StageProgress rescored(report, "re-score", pairs.size());
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<size_t>(0, pairs.size(), 1), [&](const tbb::blocked_range<size_t>& r) {
            for (size_t k = r.begin(); k != r.end(); ++k, rescored.ItemDone()) {
              Pair& p = pairs[k];
              const ScreenTarget& tg = sr.targets[p.target];
              const int sf = tg.family;
              const Family& fam = input.families[family_of_screen[sf]];
              const std::vector<std::string> compared = compared_markers(p.individual, sf);
              p.compared = static_cast<int>(compared.size());
              if (compared.empty()) continue;
              const std::string member = fam.members[tg.member].id;
              const auto& given = given_placements[family_of_screen[sf]];
              auto kcase =
                  given.empty()
                      ? PairCase(fam, member, reference_of, individual_profiles[p.individual],
                                 opt.remains_dropout, compared, opt.mutation, opt.theta, min_freq)
                      : FamilyCase(
                            fam, reference_of, given, {{member, individual_profiles[p.individual]}},
                            opt.remains_dropout, compared, opt.mutation, opt.theta, min_freq);
              if (!kcase) {
                p.error = kcase.error().ToString();
                continue;
              }
              auto lr = ComputeLr(*kcase, db);
              if (!lr) {
                p.error = lr.error().ToString();
                continue;
              }
              p.lr = lr->lr;
              p.ok = true;
              // Markers inconsistent without mutation: without mutation and theta, those of LR 0.
              if (!any_mutation && opt.theta == 0.0) {
                for (const auto& pm : lr->per_marker) p.inconsistent += pm.lr == 0.0 ? 1 : 0;
                continue;
              }
              kcase->mutation = MutationModel::Same(MutationSpec{});
              kcase->theta = 0.0;
              kcase->h1_only = true;  // whether L(h1) is 0 is all that counts here
              auto plain = ComputeLr(*kcase, db);
              if (plain) {
                for (const auto& pm : plain->per_marker) p.inconsistent += pm.lr == 0.0 ? 1 : 0;
              } else {
                for (const auto& m : compared) {
                  kcase->markers = {m};
                  auto one = ComputeLr(*kcase, db);
                  if (!one || one->lr == 0.0) ++p.inconsistent;
                }
              }
            }
          });
    });
  }

  // --- Joint assignment ------------------------------------------------------------------------
  AssignInput ai;
  ai.individuals = I;
  ai.prior.assign(N, prior_each);
  ai.prior_none = prior_none;
  for (const auto& mr : missing_list) {
    ai.family_of_missing.push_back(mr.family);
    ai.missing_names.push_back("family " + input.families[mr.family].id + ", missing " + mr.member);
  }
  ai.individual_names = names;
  // Other mass: screen LRs of the targets not re-scored, and LR 1 for missing persons without a
  // table (no information about them).
  std::vector<double> rescored_screen_sum(I, 0.0);
  std::vector<int> rescored_targets(I, 0);
  std::vector<int> pair_candidate(pairs.size(), -1);
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Pair& p = pairs[k];
    if (!p.ok) {
      if (p.compared == 0) {
        ++rep.pairs_without_common_markers;
      } else if (p.excluded) {
        skip(names[p.individual] + " vs family " + screen_families[sr.targets[p.target].family].id,
             "exact LR failed: " + p.error + "; the pair is excluded by amelogenin anyway");
      } else {
        skip(names[p.individual] + " vs family " + screen_families[sr.targets[p.target].family].id,
             "exact LR failed: " + p.error + "; screen LR used");
      }
      continue;
    }
    if (p.excluded) continue;  // listed in matches, never a candidate
    rescored_screen_sum[p.individual] += p.screen_lr;
    ++rescored_targets[p.individual];
    if (opt.max_inconsistent_markers >= 0 && p.inconsistent > opt.max_inconsistent_markers) {
      pairs[k].inconsistent_excluded = true;  // listed in matches, never a candidate
      ++rep.inconsistent_excluded;
      continue;
    }
    pair_candidate[k] = static_cast<int>(ai.candidates.size());
    {
      const int mi = missing_of_target(p.target);
      AssignCandidate cand{p.individual, mi, p.lr};
      if (opt.amelogenin_y_loss &&
          CheckSex(ra.sex[p.individual], missing_list[mi].sex) == SexCheck::kXOnlyMan) {
        cand.weight = *opt.amelogenin_y_loss;
      }
      ai.candidates.push_back(cand);
    }
    ++rep.rescored;
  }
  const int untabulated = N - tabulated;
  for (int i = 0; i < I; ++i) {
    // Every tabulated target re-scored: nothing else (exactly, not the rounding of a difference).
    const bool all = rescored_targets[i] == tabulated - sr.excluded_count[i];
    const double rest = all ? 0.0 : std::max(0.0, sr.weighted_lr_sum[i] - rescored_screen_sum[i]);
    const int unknown = untabulated - (ra.sex[i].ShowsY() ? untabulated_women : 0);
    ai.other_mass.push_back(prior_each * (rest + unknown));
  }
  ai.same_person_lr = [&](int a, int b) {
    return SamePerson(markers, ra.consensus[a], ra.consensus[b]).lr;
  };

  // --- Families scored jointly ------------------------------------------------------------------
  // A family with two or more missing persons and two or more candidate individuals: the joint LR
  // of every possible partial assignment of its candidates to its missing members, each one
  // pedigree computation (FamilyCase: the family with those individuals placed, given
  // identifications included, against the family and the individuals unrelated), depth first.
  // An impossible assignment (joint LR 0: data inconsistent with the pedigree) ends its branch:
  // adding individuals to an impossible placement keeps it impossible, so nothing is lost.
  struct FamilyWork {
    int screen_family = 0;
    std::vector<int> candidates;
    JointFamily table;
    std::uint64_t evaluations = 0;  // canonical partial assignments computed
    double covered = 0;             // partial assignments they stand for (orbits)
    std::uint64_t marker_computations = 0, marker_lookups = 0;
    bool too_large = false;
    std::string error;
    // The family's bar: the individual posterior its candidates needed to enter the table (the
    // joint bar, or higher when the table would exceed max_family_assignments there); candidate
    // individuals left out below it, those of them kept because their LR given one of the
    // family's other candidates lifts them over it, and the largest individual posterior of a
    // pair left out (each below the bar).
    double bar = 0.0;
    int left_out = 0, lifted = 0;
    std::uint64_t lift_evaluations = 0;  // of `evaluations`: pairs computed to find those lifted
    double left_out_max = 0.0, left_out_sum = 0.0;
  };
  std::vector<FamilyWork> family_work;
  // Individual posteriors, as Assign computes them: a family's table holds the candidates of the
  // individuals that have one in the family passing the family's bar (Assign then takes, of them,
  // those whose posterior with their best LR given the others passes the group's bar).
  std::vector<double> z(I);
  for (int i = 0; i < I; ++i) z[i] = prior_none + std::max(0.0, ai.other_mass[i]);
  for (const auto& c : ai.candidates) z[c.individual] += ai.prior[c.missing] * c.lr * c.weight;
  auto candidate_mass = [&](int c) {
    return ai.prior[ai.candidates[c].missing] * ai.candidates[c].lr * ai.candidates[c].weight;
  };
  std::map<std::pair<int, int>, double> best_post;  // (individual, screen family) -> max
  {
    std::vector<int> family_of_candidate(ai.candidates.size(), -1);
    for (size_t k = 0; k < pairs.size(); ++k) {
      const int c = pair_candidate[k];
      if (c < 0) continue;
      const int sf = sr.targets[pairs[k].target].family;
      family_of_candidate[c] = sf;
      const auto& cand = ai.candidates[c];
      const double p = z[cand.individual] > 0
                           ? ai.prior[cand.missing] * cand.lr * cand.weight / z[cand.individual]
                           : 0.0;
      double& b = best_post[{cand.individual, sf}];
      b = std::max(b, p);
    }
    std::vector<std::vector<int>> family_candidates(screen_families.size());
    for (size_t c = 0; c < ai.candidates.size(); ++c) {
      const int sf = family_of_candidate[c];
      if (sf < 0 || !(ai.candidates[c].lr > 0.0)) continue;
      if (best_post[{ai.candidates[c].individual, sf}] < opt.joint_min_posterior) continue;
      family_candidates[sf].push_back(static_cast<int>(c));
    }
    for (size_t f = 0; f < screen_families.size(); ++f) {
      std::set<int> who, what;
      for (int c : family_candidates[f]) {
        who.insert(ai.candidates[c].individual);
        what.insert(ai.candidates[c].missing);
      }
      if (who.size() < 2 || what.size() < 2 || opt.max_family_assignments <= 0) continue;
      FamilyWork w;
      w.screen_family = static_cast<int>(f);
      w.candidates = std::move(family_candidates[f]);
      for (int m : what) w.table.missing.push_back(m);
      family_work.push_back(std::move(w));
    }
  }
  auto build_table = [&](FamilyWork& w) {
    const int sf = w.screen_family;
    const int f = family_of_screen[sf];
    const Family& fam = input.families[f];
    FamilyScorerInput fi;
    fi.family = &fam;
    fi.reference_of = &reference_of;
    fi.given = given_placements[f];
    fi.dropout = opt.remains_dropout;
    fi.typed_count.assign(M, 0);  // references and given identifications
    for (const auto& row : screen_families[sf].evidence) {
      for (int m = 0; m < M; ++m) fi.typed_count[m] += row[m].typed() ? 1 : 0;
    }
    for (int m = 0; m < M; ++m) fi.markers.push_back(markers[m].name);
    fi.mutation = opt.mutation;
    fi.theta = opt.theta;
    fi.minimum_frequency = min_freq;
    fi.database = &db;
    // Slots: the family's missing persons with candidates (ascending); candidates by individual
    // (ascending), each with the orbits of its missing persons.
    std::map<int, int> slot_of;  // missing -> slot
    for (int m : w.table.missing) {
      slot_of[m] = static_cast<int>(fi.slots.size());
      fi.slots.push_back(missing_list[m].member);
    }
    std::map<int, std::vector<std::pair<int, int>>> by_individual;  // individual -> (slot, cand)
    for (int c : w.candidates) {
      by_individual[ai.candidates[c].individual].push_back(
          {slot_of.at(ai.candidates[c].missing), c});
    }
    std::vector<int> individual_of;
    std::vector<double> post_of;  // per candidate individual: its best posterior in the family
    for (const auto& [i, slots] : by_individual) {
      individual_of.push_back(i);
      post_of.push_back(best_post.at({i, sf}));
      fi.candidates.push_back(individual_profiles[i]);
    }
    auto scorer = FamilyScorer::Create(std::move(fi));
    if (!scorer) {
      w.error = scorer.error().ToString();
      return;
    }
    FamilyScorer& sc = **scorer;
    const std::vector<int>& orbit_of = sc.orbit_of();
    const int S = static_cast<int>(orbit_of.size());
    std::vector<std::vector<int>> orbit_slots(S);  // orbit -> its slots (ascending)
    for (int a = 0; a < S; ++a) orbit_slots[orbit_of[a]].push_back(a);
    for (const auto& slots : orbit_slots) {
      if (slots.size() < 2) continue;
      std::vector<int> missing;
      for (int a : slots) missing.push_back(w.table.missing[a]);
      w.table.orbits.push_back(std::move(missing));
    }
    std::vector<std::vector<int>> options;  // per candidate individual: orbits (ascending)
    for (const auto& [i, slots] : by_individual) {
      std::set<int> orbits;
      for (const auto& [a, c] : slots) orbits.insert(orbit_of[a]);
      options.emplace_back(orbits.begin(), orbits.end());
    }
    const size_t K = options.size();
    std::vector<char> in(K, 1);   // candidate individuals in the table
    std::vector<int> used(S, 0);  // per orbit: slots taken
    // The canonical partial assignments of two or more pairs of the individuals `in`, counted up
    // to `cap` (no likelihood computed: the impossible ones are counted too).
    std::function<std::uint64_t(size_t, int, std::uint64_t)> count =
        [&](size_t start, int depth, std::uint64_t cap) -> std::uint64_t {
      std::uint64_t n = 0;
      for (size_t k = start; k < K && n <= cap; ++k) {
        if (!in[k]) continue;
        for (int o : options[k]) {
          if (used[o] == static_cast<int>(orbit_slots[o].size())) continue;
          if (depth >= 1) ++n;
          ++used[o];
          n += count(k + 1, depth + 1, cap - std::min(cap, n));
          --used[o];
          if (n > cap) break;
        }
      }
      return n;
    };
    // The family's bar: the joint bar, raised ten times at a time (up to kMaxFamilyBar) while the
    // table of the individuals whose best posterior in the family passes it would hold more than
    // family_budget canonical partial assignments. An individual below the bar stays in when its
    // LR given one of the family's probable victims (best posterior at least kLifter; the
    // pedigree with both placed) lifts its posterior over the bar: a weak pairwise LR may be
    // strong given a relative.
    constexpr double kMaxFamilyBar = 1e-2;
    constexpr double kLifter = 0.1;
    const auto hard = static_cast<std::uint64_t>(std::max(0, opt.max_family_assignments));
    const auto soft = std::min(hard, static_cast<std::uint64_t>(std::max(0, opt.family_budget)));
    static_assert(kLifter >= kMaxFamilyBar, "probable victims pass every family bar");
    // Per candidate individual: the best posterior its LR given one probable victim of the family
    // gives it (the pedigree with both placed), computed when first needed (-1: not yet). The
    // probable victims are the same at every bar (kLifter is above them all).
    std::vector<double> lifted_post(K, -1.0);
    auto lift_of = [&](size_t k) -> Result<double> {
      if (lifted_post[k] >= 0.0) return lifted_post[k];
      const int i = individual_of[k];
      double best = 0.0;
      for (const auto& [a, c] : by_individual[i]) {
        for (size_t k2 = 0; k2 < K; ++k2) {
          if (k2 == k || !(post_of[k2] >= kLifter)) continue;
          for (const auto& [a2, c2] : by_individual[individual_of[k2]]) {
            if (a2 == a || !(ai.candidates[c2].lr > 0.0)) continue;
            ++w.evaluations;
            ++w.lift_evaluations;
            w.covered += 1;
            WB_ASSIGN_OR_RETURN(const double j,
                                sc.JointLr({{a, static_cast<int>(k)}, {a2, static_cast<int>(k2)}}));
            const double given = ai.prior[ai.candidates[c].missing] * (j / ai.candidates[c2].lr) *
                                 ai.candidates[c].weight;
            const double zi = z[i] - candidate_mass(c) + given;
            best = std::max(best, zi > 0 ? given / zi : 0.0);
          }
        }
      }
      return lifted_post[k] = best;
    };
    struct Level {
      double bar = 0;
      std::vector<char> in;
      int lifted = 0;
      std::uint64_t count = 0;
    };
    std::vector<Level> levels;
    for (double bar = opt.joint_min_posterior; bar <= kMaxFamilyBar;
         bar = std::max(bar * 10, 1e-9)) {
      Level lv;
      lv.bar = bar;
      for (size_t k = 0; k < K; ++k) {
        in[k] = post_of[k] >= bar ? 1 : 0;
        if (in[k] || bar <= opt.joint_min_posterior) continue;
        auto lifted = lift_of(k);
        if (!lifted) {
          w.error = lifted.error().ToString();
          return;
        }
        if (*lifted >= bar) {
          in[k] = 1;
          ++lv.lifted;
        }
      }
      lv.count = count(0, 0, hard);
      lv.in = in;
      levels.push_back(std::move(lv));
      if (levels.back().count <= soft) break;
    }
    // The lowest bar within the budget. When no bar is, the lowest whose table is at most twice
    // the one at the highest bar (raising it further would not even halve the work: the family's
    // candidates are mostly strong, as in a grave of one household) and within
    // max_family_assignments; else none.
    const Level* chosen_level = nullptr;
    if (!levels.empty() && levels.back().count <= soft) chosen_level = &levels.back();
    if (chosen_level == nullptr && !levels.empty()) {
      const std::uint64_t target = std::min(hard, std::max(soft, 2 * levels.back().count));
      for (size_t l = 0; l < levels.size() && chosen_level == nullptr; ++l) {
        if (levels[l].count <= target) chosen_level = &levels[l];
      }
    }
    if (chosen_level == nullptr) {
      w.too_large = true;
      return;
    }
    const double bar = chosen_level->bar;
    in = chosen_level->in;
    w.lifted = chosen_level->lifted;
    w.bar = bar;
    for (size_t k = 0; k < K; ++k) {
      if (in[k]) {
        w.table.individuals.push_back(individual_of[k]);
        continue;
      }
      ++w.left_out;
      for (const auto& [a, c] : by_individual[individual_of[k]]) {
        const double p = z[individual_of[k]] > 0 ? candidate_mass(c) / z[individual_of[k]] : 0.0;
        w.left_out_max = std::max(w.left_out_max, p);
        w.left_out_sum += p;
      }
    }
    // Depth first over the canonical partial assignments: individuals in ascending order, each on
    // the next free slot of an orbit (the other slots of the orbit give the same joint LR).
    std::vector<std::pair<int, int>> chosen;  // (slot, candidate individual)
    std::function<void(size_t, double)> visit = [&](size_t start, double multiplicity) {
      for (size_t k = start; k < options.size(); ++k) {
        if (!in[k]) continue;
        for (int o : options[k]) {
          if (w.too_large || !w.error.empty()) return;
          if (used[o] == static_cast<int>(orbit_slots[o].size())) continue;
          const int slot = orbit_slots[o][used[o]];
          // Slot-level assignments this one stands for: any free slot of the orbit.
          const double covered =
              multiplicity * static_cast<double>(orbit_slots[o].size() - used[o]);
          chosen.push_back({slot, static_cast<int>(k)});
          double lr = 1.0;  // one pair: its candidate's LR (> 0)
          if (chosen.size() >= 2) {
            ++w.evaluations;
            w.covered += covered;
            auto j = sc.JointLr(chosen);
            if (!j) {
              w.error = j.error().ToString();
              chosen.pop_back();
              return;
            }
            lr = *j;
            if (lr > 0.0) {
              PairSet key;
              for (const auto& [a, x] : chosen) {
                key.push_back({individual_of[x], w.table.missing[a]});
              }
              std::sort(key.begin(), key.end());
              w.table.joint_lr.emplace(std::move(key), lr);
            }
          }
          if (lr > 0.0) {
            ++used[o];
            visit(k + 1, covered);
            --used[o];
          }
          chosen.pop_back();
        }
      }
    };
    visit(0, 1.0);
    w.marker_computations = sc.computations();
    w.marker_lookups = sc.lookups();
  };
  {
    const std::function<void(const std::string&, double)> report = progress;
    StageProgress tables(report, "families", family_work.size());
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, family_work.size(), 1),
                        [&](const tbb::blocked_range<size_t>& r) {
                          for (size_t k = r.begin(); k != r.end(); ++k) {
                            build_table(family_work[k]);
                            tables.ItemDone();
                          }
                        });
    });
  }
  for (auto& w : family_work) {
    rep.family_assignments += w.evaluations;
    rep.family_assignments_covered += w.covered;
    rep.family_marker_computations += w.marker_computations;
    rep.family_marker_lookups += w.marker_lookups;
    const std::string item = "family " + screen_families[w.screen_family].id;
    if (w.too_large) {
      ++rep.families_too_large;
      rep.warnings.push_back(
          {item, "not scored jointly: more than " + std::to_string(opt.max_family_assignments) +
                     " partial assignments of its candidates even with only those of individual "
                     "posterior 0.01 or more; pairwise LRs used for it"});
      continue;
    }
    if (!w.error.empty()) {
      rep.warnings.push_back({item, "not scored jointly: " + w.error + "; pairwise LRs used"});
      continue;
    }
    ++rep.family_tables;
    if (w.left_out > 0 && w.bar > opt.joint_min_posterior) {
      ++rep.families_bar_raised;
      rep.family_individuals_left_out += w.left_out;
      rep.family_individuals_lifted += w.lifted;
      rep.family_lift_evaluations += w.lift_evaluations;
      rep.family_left_out_max = std::max(rep.family_left_out_max, w.left_out_max);
      rep.warnings.push_back(
          {item, "scored jointly with the candidates of individual posterior " + Sci(w.bar) +
                     " or more (more than " + std::to_string(opt.max_family_assignments) +
                     " partial assignments below): " + std::to_string(w.left_out) +
                     " weaker candidate individuals left out (their pairwise weight stays in "
                     "'someone else'; largest posterior left out " +
                     Sci(w.left_out_max) + ", sum " + Sci(w.left_out_sum) + ")" +
                     (w.lifted > 0 ? "; " + std::to_string(w.lifted) +
                                         " below it kept: their LR given another candidate of the "
                                         "family lifts them over it"
                                   : std::string())});
    }
    ai.joint_families.push_back(std::move(w.table));
  }
  AssignOptions ao;
  ao.joint_min_posterior = opt.joint_min_posterior;
  ao.posterior_threshold = opt.posterior_threshold;
  ao.lr_threshold = opt.lr_threshold;
  progress("assignment", 0.0);
  WB_ASSIGN_OR_RETURN(AssignResult as, Assign(ai, ao));
  progress("assignment", 1.0);
  rep.joint_groups = as.groups;
  rep.largest_joint_group = as.largest_group;
  rep.joint_groups_not_enumerated = as.groups_not_joint;
  rep.joint_bar = as.joint_bar;
  rep.assignments_summed = as.assignments;
  // "I0002 as M2; I0004 as M5 (given)": the other pairs of a family part, and the identifications
  // given in that family.
  auto conditioning = [&](const PairSet& others, int family) {
    std::string s;
    for (const auto& [j, m] : others) {
      s += (s.empty() ? "" : "; ") + names[j] + " as " + missing_list[m].member;
    }
    for (int j : given_individuals[family]) {
      s += (s.empty() ? "" : "; ") + names[j] + " as " + given_member[j] + " (given)";
    }
    return s;
  };
  std::map<std::pair<int, int>, int> candidate_of;  // (individual, missing) -> candidate
  for (size_t c = 0; c < ai.candidates.size(); ++c) {
    candidate_of[{ai.candidates[c].individual, ai.candidates[c].missing}] = static_cast<int>(c);
  }

  // Per individual: excluded pairs listed (by exact LR), for the reason of its decision.
  std::vector<std::vector<const Pair*>> excluded_of(I);
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Pair& p = pairs[k];
    const bool listed = (p.excluded || p.inconsistent_excluded) && p.ok;
    if (pair_candidate[k] < 0 && !listed) continue;
    const int m = missing_of_target(p.target);
    MatchRow row;
    row.individual = names[p.individual];
    row.family = input.families[missing_list[m].family].id;
    row.missing = missing_list[m].member;
    row.lr = p.lr;
    row.log10_lr = p.lr > 0 ? std::log10(p.lr) : -std::numeric_limits<double>::infinity();
    row.posterior = listed ? 0.0 : as.posterior[pair_candidate[k]];
    row.screen_lr = p.screen_lr;
    row.markers_compared = p.compared;
    row.inconsistent_markers = p.inconsistent;
    row.sex_check = CheckSex(ra.sex[p.individual], missing_list[m].sex);
    row.excluded_inconsistent = p.inconsistent_excluded;
    if (pair_candidate[k] >= 0) {
      const CandidateJoint& cj = as.joint[pair_candidate[k]];
      row.joint_lr = cj.joint_lr;
      row.conditional_lr = cj.conditional_lr;
      row.glr = cj.glr;
      row.conditioned_on = conditioning(cj.conditioned_on, missing_list[m].family);
    } else {
      row.joint_lr = row.conditional_lr = p.lr;
    }
    if (listed && !p.inconsistent_excluded) {
      ++rep.sex_excluded_listed;
      excluded_of[p.individual].push_back(&p);
    }
    if (row.sex_check == SexCheck::kXOnlyMan) ++rep.sex_flagged_matches;
    rep.matches.push_back(std::move(row));
  }
  std::stable_sort(rep.matches.begin(), rep.matches.end(),
                   [](const MatchRow& a, const MatchRow& b) {
                     if (a.individual != b.individual) return a.individual < b.individual;
                     return a.lr > b.lr;
                   });
  for (int i = 0; i < I; ++i) {
    const AssignOutcome& o = as.outcomes[i];
    IdentificationRow row;
    row.individual = names[i];
    if (o.missing >= 0) {
      row.family = input.families[missing_list[o.missing].family].id;
      row.missing = missing_list[o.missing].member;
    }
    row.lr = o.lr;
    row.posterior = o.posterior;
    row.decision = o.decision;
    for (const DecisionCandidate& c : o.candidates) {
      row.candidates.push_back({input.families[missing_list[c.missing].family].id,
                                missing_list[c.missing].member, c.lr, c.posterior});
    }
    row.reason = o.reason;
    row.decision_lr = o.decision_lr;
    if (o.missing >= 0) {
      auto cit = candidate_of.find({i, o.missing});
      if (cit != candidate_of.end()) {
        const CandidateJoint& cj = as.joint[cit->second];
        row.joint_lr = cj.joint_lr;
        row.glr = cj.glr;
        row.conditioned_on = conditioning(cj.conditioned_on, missing_list[o.missing].family);
      }
    }
    if (o.set) {
      for (int j : o.set->individuals) {
        row.set_individuals += (row.set_individuals.empty() ? "" : ";") + names[j];
      }
      for (int m : o.set->missing) {
        row.set_missing += (row.set_missing.empty() ? "" : ";") + missing_list[m].member;
      }
      row.set_posterior = o.set->posterior;
      row.set_glr = o.set->glr;
      row.glr = o.set->glr;  // of the set: who is who is not decided
      row.decision_lr = o.set->lr;
    }
    if (given_family[i] >= 0) {
      // Given as identified: its LR as that member given the family's other given ones.
      const int f = given_family[i];
      row.given = true;
      row.family = input.families[f].id;
      row.missing = given_member[i];
      row.posterior = 1.0;
      row.decision = Decision::kIdentified;
      for (const auto& fm : input.families[f].members) {
        if (fm.id == given_member[i]) row.sex_check = CheckSex(ra.sex[i], fm.sex);
      }
      std::vector<MemberPlacement> others;
      for (int j : given_individuals[f]) {
        if (j != i) others.push_back({given_member[j], individual_profiles[j]});
      }
      std::vector<std::string> use;
      for (int m = 0; m < M; ++m) {
        if (ra.consensus[i][m].typed()) use.push_back(markers[m].name);
      }
      double lr = 1.0;
      auto kcase = FamilyCase(input.families[f], reference_of, others,
                              {{given_member[i], individual_profiles[i]}}, opt.remains_dropout, use,
                              opt.mutation, opt.theta, min_freq);
      auto r = kcase ? ComputeLr(*kcase, db) : Result<LrResult>(tl::unexpected(kcase.error()));
      row.lr = r ? r->lr : 0.0;
      lr = row.lr;
      row.decision_lr = row.joint_lr = lr;
      row.candidates = {{row.family, row.missing, lr, 1.0}};
      std::string others_text;
      for (int j : given_individuals[f]) {
        if (j != i) others_text += (others_text.empty() ? "" : ", ") + names[j];
      }
      row.conditioned_on.clear();
      for (int j : given_individuals[f]) {
        if (j != i) {
          row.conditioned_on += (row.conditioned_on.empty() ? "" : "; ") + names[j] + " as " +
                                given_member[j] + " (given)";
        }
      }
      row.reason = "identification given (confirmed before this run): a typed member of family " +
                   row.family + " for everything else; " +
                   (r ? "LR " + Sci(lr) : "LR not computed: " + r.error().ToString()) +
                   (others_text.empty() ? "" : " given " + others_text);
    }
    row.sex = ra.sex[i].Describe();
    if (o.missing >= 0) row.sex_check = CheckSex(ra.sex[i], missing_list[o.missing].sex);
    // Amelogenin notes for the reviewer; they do not change the decision.
    if (row.sex_check == SexCheck::kXOnlyMan) {
      row.reason +=
          "; check: amelogenin shows X only but the missing person is a man (Y "
          "drop-out or AMELY deletion?)";
      if (opt.amelogenin_y_loss) {
        row.reason += ", weighed as evidence: factor " + Sci(*opt.amelogenin_y_loss) +
                      " against a man in the posteriors";
      }
    }
    if (ra.sex[i].Disagrees()) {
      row.reason += "; check: amelogenin differs among its samples (" + ra.sex[i].Describe() + ")";
    }
    if (!excluded_of[i].empty()) {
      const Pair* best = excluded_of[i].front();
      for (const Pair* q : excluded_of[i]) {
        if (q->lr > best->lr) best = q;
      }
      const int bm = missing_of_target(best->target);
      row.reason += "; amelogenin (Y) excluded " + std::to_string(excluded_of[i].size()) +
                    " missing women with screen LR >= " + Sci(opt.screen_lr_threshold) +
                    ", the strongest family " + input.families[missing_list[bm].family].id +
                    ", missing " + missing_list[bm].member + " (LR " + Sci(best->lr) + ")";
    }
    switch (row.decision) {
      case Decision::kIdentified:
        ++rep.identified;
        break;
      case Decision::kAmbiguous:
        ++rep.ambiguous;
        break;
      case Decision::kNotIdentified:
        ++rep.not_identified;
        break;
    }
    rep.identifications.push_back(std::move(row));
  }

  // --- The evidence of every candidate of a decision (recomputed exactly as re-scored) ---------
  if (opt.candidate_evidence) {
    std::map<std::pair<int, int>, size_t> pair_of;  // (individual, missing) -> candidate pair
    for (size_t k = 0; k < pairs.size(); ++k) {
      if (pair_candidate[k] >= 0)
        pair_of[{pairs[k].individual, missing_of_target(pairs[k].target)}] = k;
    }
    for (int i = 0; i < I; ++i) {
      const AssignOutcome& o = as.outcomes[i];
      if (o.decision == Decision::kNotIdentified) continue;
      for (const DecisionCandidate& c : o.candidates) {
        auto it = pair_of.find({i, c.missing});
        if (it == pair_of.end()) continue;
        const Pair& p = pairs[it->second];
        const ScreenTarget& tg = sr.targets[p.target];
        const Family& fam = input.families[family_of_screen[tg.family]];
        CandidateEvidence ev;
        ev.individual = names[i];
        ev.family = fam.id;
        ev.missing = fam.members[tg.member].id;
        ev.pedigree = fam;
        for (const Profile* s : individual_profiles[i]) ev.samples.push_back(s->sample);
        WB_ASSIGN_OR_RETURN(
            ev.kcase,
            PairCase(fam, ev.missing, reference_of, individual_profiles[i], opt.remains_dropout,
                     compared_markers(i, tg.family), opt.mutation, opt.theta, min_freq));
        WB_ASSIGN_OR_RETURN(ev.lr, ComputeLr(ev.kcase, db));
        ev.posterior = c.posterior;
        for (const std::string& m : ev.kcase.markers) {
          if (const MarkerFrequencies* mf = db.Find(m)) {
            ev.database_size[m] = mf->database_size;
            ev.allele_count[m] = static_cast<int>(mf->alleles.size());
          }
        }
        rep.evidence.push_back(std::move(ev));
      }
    }
  }
  return rep;
}

}  // namespace whereabouts::kinship
