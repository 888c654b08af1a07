// Pedigrees: individuals with sex, father and mother.
//
// A hypothesis (H1 or H2 of a likelihood ratio) is one Pedigree whose unconnected groups are
// separate pedigree components. Individuals without parents are founders. Validation rejects
// duplicate ids, self-parenthood, a parent missing from the pedigree, a single parent, a father
// who is not male or a mother who is not female, and cycles (someone their own ancestor); each
// error names the individual.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace whereabouts::kinship {

enum class Sex { kUnknown, kMale, kFemale };

[[nodiscard]] Result<Sex> ParseSex(std::string_view text);  // "male", "female", "unknown"
[[nodiscard]] const char* SexName(Sex sex);

struct Individual {
  std::string id;
  Sex sex = Sex::kUnknown;
  std::string father;  // empty for a founder
  std::string mother;  // empty for a founder
};

class Pedigree {
 public:
  Pedigree() = default;
  // Validates and indexes. Errors: kInvalidArgument / kFailedPrecondition naming the individual.
  [[nodiscard]] static Result<Pedigree> Create(std::vector<Individual> individuals);

  [[nodiscard]] int size() const { return static_cast<int>(individuals_.size()); }
  [[nodiscard]] const Individual& at(int i) const { return individuals_[i]; }
  [[nodiscard]] int father(int i) const { return father_[i]; }  // -1 for a founder
  [[nodiscard]] int mother(int i) const { return mother_[i]; }  // -1 for a founder
  // Index of the individual `id`, or -1.
  [[nodiscard]] int IndexOf(std::string_view id) const;
  [[nodiscard]] const std::vector<Individual>& individuals() const { return individuals_; }

 private:
  std::vector<Individual> individuals_;
  std::vector<int> father_, mother_;
};

}  // namespace whereabouts::kinship
