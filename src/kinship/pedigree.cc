#include "kinship/pedigree.h"

#include <unordered_map>

namespace whereabouts::kinship {

Result<Sex> ParseSex(std::string_view text) {
  if (text == "male" || text == "M" || text == "m" || text == "1") return Sex::kMale;
  if (text == "female" || text == "F" || text == "f" || text == "2") return Sex::kFemale;
  if (text == "unknown" || text.empty() || text == "0") return Sex::kUnknown;
  return MakeError(ErrorCode::kInvalidArgument,
                   "sex '" + std::string(text) + "' is not male, female or unknown");
}

const char* SexName(Sex sex) {
  switch (sex) {
    case Sex::kMale: return "male";
    case Sex::kFemale: return "female";
    case Sex::kUnknown: return "unknown";
  }
  return "unknown";
}

Result<Pedigree> Pedigree::Create(std::vector<Individual> individuals) {
  Pedigree p;
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < individuals.size(); ++i) {
    const auto& ind = individuals[i];
    const std::string where = "individual " + ind.id;
    if (ind.id.empty()) return MakeError(ErrorCode::kInvalidArgument, "an individual has an empty id");
    if (!index.emplace(ind.id, static_cast<int>(i)).second) {
      return MakeError(ErrorCode::kInvalidArgument, "id is used twice", where);
    }
  }
  const int n = static_cast<int>(individuals.size());
  p.father_.assign(n, -1);
  p.mother_.assign(n, -1);
  for (int i = 0; i < n; ++i) {
    const auto& ind = individuals[i];
    const std::string where = "individual " + ind.id;
    if (ind.father == ind.id || ind.mother == ind.id) {
      return MakeError(ErrorCode::kFailedPrecondition, "is given as their own parent", where);
    }
    if (ind.father.empty() != ind.mother.empty()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "has only one parent; add the other parent as an untyped individual", where);
    }
    if (ind.father.empty()) continue;
    auto f = index.find(ind.father);
    if (f == index.end()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "father '" + ind.father + "' is not in the pedigree", where);
    }
    auto m = index.find(ind.mother);
    if (m == index.end()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "mother '" + ind.mother + "' is not in the pedigree", where);
    }
    if (individuals[f->second].sex != Sex::kMale) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "father '" + ind.father + "' is not male", where);
    }
    if (individuals[m->second].sex != Sex::kFemale) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "mother '" + ind.mother + "' is not female", where);
    }
    p.father_[i] = f->second;
    p.mother_[i] = m->second;
  }
  // Cycle check: depth-first search over parent links, colouring 0 = new, 1 = on stack, 2 = done.
  std::vector<int> colour(n, 0);
  for (int start = 0; start < n; ++start) {
    if (colour[start] != 0) continue;
    std::vector<std::pair<int, int>> stack{{start, 0}};
    colour[start] = 1;
    while (!stack.empty()) {
      auto& [v, k] = stack.back();
      const int parents[2] = {p.father_[v], p.mother_[v]};
      if (k < 2) {
        const int u = parents[k++];
        if (u < 0) continue;
        if (colour[u] == 1) {
          return MakeError(ErrorCode::kFailedPrecondition, "is their own ancestor",
                           "individual " + individuals[u].id);
        }
        if (colour[u] == 0) {
          colour[u] = 1;
          stack.emplace_back(u, 0);
        }
      } else {
        colour[v] = 2;
        stack.pop_back();
      }
    }
  }
  p.individuals_ = std::move(individuals);
  return p;
}

int Pedigree::IndexOf(std::string_view id) const {
  for (int i = 0; i < size(); ++i) {
    if (individuals_[i].id == id) return i;
  }
  return -1;
}

}  // namespace whereabouts::kinship
