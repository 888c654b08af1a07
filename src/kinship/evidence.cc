#include "kinship/evidence.h"

#include <algorithm>
#include <utility>

namespace whereabouts::kinship {
namespace {

using Kind = MarkerEvidence::Kind;

MarkerEvidence Genotype(int a, int b, double w) {
  if (w == 0.0) return MarkerEvidence{Kind::kImpossible, -1, -1, 0.0, 0.0};
  MarkerEvidence e;
  e.kind = Kind::kGenotype;
  e.a = std::min(a, b);
  e.b = std::max(a, b);
  e.alpha = w;
  return e;
}

double PairProbability(int i, int j, const std::vector<double>& p) {
  return i == j ? p[i] * p[i] : 2.0 * p[i] * p[j];
}

}  // namespace

double MarkerEvidence::At(int i, int j) const {
  if (i > j) std::swap(i, j);
  switch (kind) {
    case Kind::kUntyped:
      return 1.0;
    case Kind::kImpossible:
      return 0.0;
    case Kind::kGenotype:
      return (i == a && j == b) ? alpha : 0.0;
    case Kind::kAllele:
      if (i == a && j == a) return alpha;
      return (i == a || j == a) ? beta : 0.0;
  }
  return 0.0;
}

std::uint64_t MarkerEvidence::Mask() const {
  auto bit = [](int x) { return std::uint64_t{1} << std::min(x, 63); };
  switch (kind) {
    case Kind::kGenotype:
      return bit(a) | bit(b);
    case Kind::kAllele:
      return bit(a);
    default:
      return 0;
  }
}

MarkerEvidence EvidenceOf(const Observation& obs) {
  if (obs.first < 0 && obs.second < 0) return MarkerEvidence{};
  if (obs.first < 0 || obs.second < 0) {  // "a/-": any genotype containing a
    MarkerEvidence e;
    e.kind = Kind::kAllele;
    e.a = obs.first >= 0 ? obs.first : obs.second;
    e.alpha = 1.0;
    e.beta = 1.0;
    return e;
  }
  if (obs.first != obs.second || !obs.dropout_model) return Genotype(obs.first, obs.second, 1.0);
  const double d = obs.dropout;
  MarkerEvidence e;
  e.kind = Kind::kAllele;
  e.a = obs.first;
  e.alpha = 1.0 - d * d;
  e.beta = d * (1.0 - d);
  if (e.beta == 0.0) return Genotype(obs.first, obs.first, e.alpha);
  return e;
}

MarkerEvidence Multiply(const MarkerEvidence& x, const MarkerEvidence& y) {
  if (x.kind == Kind::kUntyped) return y;
  if (y.kind == Kind::kUntyped) return x;
  if (x.kind == Kind::kImpossible || y.kind == Kind::kImpossible) {
    return MarkerEvidence{Kind::kImpossible, -1, -1, 0.0, 0.0};
  }
  if (x.kind == Kind::kGenotype) return Genotype(x.a, x.b, x.alpha * y.At(x.a, x.b));
  if (y.kind == Kind::kGenotype) return Genotype(y.a, y.b, y.alpha * x.At(y.a, y.b));
  // Both kAllele.
  if (x.a == y.a) {
    MarkerEvidence e = x;
    e.alpha = x.alpha * y.alpha;
    e.beta = x.beta * y.beta;
    if (e.beta == 0.0) return Genotype(x.a, x.a, e.alpha);
    return e;
  }
  return Genotype(x.a, y.a, x.beta * y.beta);
}

std::vector<double> EvidenceVector(const MarkerEvidence& e, int n_alleles) {
  const GenotypeSpace space(n_alleles);
  std::vector<double> v(space.size(), 1.0);
  if (e.kind == Kind::kUntyped) return v;
  for (int g = 0; g < space.size(); ++g) v[g] = e.At(space.First(g), space.Second(g));
  return v;
}

double ExpectedEvidence(const MarkerEvidence& e, const std::vector<double>& p) {
  switch (e.kind) {
    case Kind::kUntyped:
      return 1.0;
    case Kind::kImpossible:
      return 0.0;
    case Kind::kGenotype:
      return e.alpha * PairProbability(e.a, e.b, p);
    case Kind::kAllele: {
      const double pa = p[e.a];
      const double hom = pa * pa;
      const double with_a = pa * (2.0 - pa);  // sum of P(g) over genotypes containing a
      return e.alpha * hom + e.beta * (with_a - hom);
    }
  }
  return 0.0;
}

double SamePersonLr(const MarkerEvidence& x, const MarkerEvidence& y,
                    const std::vector<double>& p) {
  if (!x.typed() || !y.typed()) return 1.0;
  const MarkerEvidence both = Multiply(x, y);
  const double joint = ExpectedEvidence(both, p);
  if (joint == 0.0) return 0.0;
  return joint / (ExpectedEvidence(x, p) * ExpectedEvidence(y, p));
}

std::string SexEvidence::Describe() const {
  if (!typed()) return "not typed";
  if (Impossible()) return "Y and X only (impossible)";
  if (y == 0) return "X only";
  const int samples = y + x_only;
  if (x_only == 0) return "Y";
  return "Y (X only in " + std::to_string(x_only) + " of " + std::to_string(samples) + " samples)";
}

SexEvidence SexEvidenceOf(std::optional<Sex> amelogenin, double dropout) {
  SexEvidence e;
  if (!amelogenin || *amelogenin == Sex::kUnknown) return e;
  if (*amelogenin == Sex::kMale) {
    e.y = 1;
  } else if (dropout > 0.0) {
    e.x_only = 1;
  } else {
    e.x_only_firm = 1;
  }
  return e;
}

SexEvidence Combine(const SexEvidence& x, const SexEvidence& y) {
  return SexEvidence{x.y + y.y, x.x_only + y.x_only, x.x_only_firm + y.x_only_firm};
}

SexCheck CheckSex(const SexEvidence& person, Sex missing) {
  if (!person.typed() || missing == Sex::kUnknown) return SexCheck::kNotChecked;
  if (person.ShowsY()) return missing == Sex::kMale ? SexCheck::kConsistent : SexCheck::kExcluded;
  return missing == Sex::kFemale ? SexCheck::kConsistent : SexCheck::kXOnlyMan;
}

const char* SexCheckName(SexCheck check) {
  switch (check) {
    case SexCheck::kNotChecked:
      return "not checked";
    case SexCheck::kConsistent:
      return "consistent";
    case SexCheck::kXOnlyMan:
      return "flag: X only, missing man";
    case SexCheck::kExcluded:
      return "excluded: Y, missing woman";
  }
  return "";
}

}  // namespace whereabouts::kinship
