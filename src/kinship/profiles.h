// The data of a batch identification: DNA profiles, family pedigrees with their roles, and remains
// samples with the bags they come from. Plain types shared by screening, re-association, joint
// identification, simulation and the file adapters of docs/FORMATS.md (src/io/).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kinship/genotype.h"
#include "kinship/pedigree.h"

namespace whereabouts::kinship {

// One sample's STR profile: canonical marker name -> call. A marker absent here is untyped.
struct Profile {
  std::string sample;
  std::map<std::string, GenotypeCall> markers;
  std::optional<Sex> amelogenin_sex;  // from AMEL (X,X -> female; X,Y -> male), if typed
};

enum class FamilyRole { kMissing, kReference, kUntyped };

struct FamilyMember {
  std::string id;      // unique within the family
  Sex sex = Sex::kUnknown;
  std::string father;  // id within the family, empty for a founder
  std::string mother;
  FamilyRole role = FamilyRole::kUntyped;
  std::string sample;  // for kReference: the Sample Name of the profile
  std::string person;  // optional: the register's id of this person
};

struct Family {
  std::string id;
  std::vector<FamilyMember> members;
};

struct RemainsSample {
  std::string sample;  // Sample Name in the remains allele table
  std::string bag;     // container or body-part unit
  std::string site;    // optional
};

}  // namespace whereabouts::kinship
