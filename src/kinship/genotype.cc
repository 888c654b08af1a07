#include "kinship/genotype.h"

#include "kinship/frequencies.h"

namespace whereabouts::kinship {

namespace {
void FillPairs(int n, std::vector<int>& first, std::vector<int>& second) {
  first.resize(static_cast<size_t>(n) * (n + 1) / 2);
  second.resize(first.size());
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i <= j; ++i) {
      first[GenotypeSpace::Index(i, j)] = i;
      second[GenotypeSpace::Index(i, j)] = j;
    }
  }
}

struct SharedPairs {
  std::vector<int> first, second;
  SharedPairs() { FillPairs(GenotypeSpace::kSharedAlleles, first, second); }
};
}  // namespace

GenotypeSpace::GenotypeSpace(int n_alleles) : n_(n_alleles), size_(n_alleles * (n_alleles + 1) / 2) {
  if (n_alleles <= kSharedAlleles) {
    static const SharedPairs shared;  // thread-safe initialisation
    first_ = shared.first.data();
    second_ = shared.second.data();
  } else {
    FillPairs(n_alleles, own_first_, own_second_);
    first_ = own_first_.data();
    second_ = own_second_.data();
  }
}

std::string GenotypeCall::ToString() const {
  return (first ? *first : "-") + "/" + (second ? *second : "-");
}

Result<GenotypeCall> ParseGenotype(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "genotype '" + std::string(text) + "' is not of the form a/b");
  }
  if (text.find('/', slash + 1) != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "genotype '" + std::string(text) + "' has more than two alleles");
  }
  GenotypeCall call;
  auto part = [](std::string_view s) -> Result<std::optional<std::string>> {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s == "-" || s.empty()) return std::optional<std::string>{};
    WB_ASSIGN_OR_RETURN(std::string a, CanonicalAllele(s));
    return std::optional<std::string>(a);
  };
  auto a = part(text.substr(0, slash));
  if (!a) return MakeError(ErrorCode::kInvalidArgument, "genotype '" + std::string(text) + "': " + a.error().message);
  auto b = part(text.substr(slash + 1));
  if (!b) return MakeError(ErrorCode::kInvalidArgument, "genotype '" + std::string(text) + "': " + b.error().message);
  call.first = *a;
  call.second = *b;
  if (!call.first && call.second) std::swap(call.first, call.second);
  return call;
}

void MultiplyObservation(const Observation& obs, const GenotypeSpace& space, std::vector<double>& out) {
  const int size = space.size();
  if (obs.first < 0 && obs.second < 0) return;
  if (obs.first < 0 || obs.second < 0) {  // "a/-"
    const int a = obs.first >= 0 ? obs.first : obs.second;
    for (int g = 0; g < size; ++g) {
      if (space.First(g) != a && space.Second(g) != a) out[g] = 0.0;
    }
    return;
  }
  const int target = GenotypeSpace::Index(obs.first, obs.second);
  if (obs.first != obs.second || !obs.dropout_model) {
    for (int g = 0; g < size; ++g) {
      if (g != target) out[g] = 0.0;
    }
    return;
  }
  const int a = obs.first;
  const double d = obs.dropout;
  for (int g = 0; g < size; ++g) {
    if (g == target) {
      out[g] *= 1.0 - d * d;
    } else if (space.First(g) == a || space.Second(g) == a) {
      out[g] *= d * (1.0 - d);
    } else {
      out[g] = 0.0;
    }
  }
}

}  // namespace whereabouts::kinship
