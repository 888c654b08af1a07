// Families of the register as pedigrees. A family is a missing person and the relatives registered
// with it (relative.registered naming the person). Each relative's place in the pedigree is its
// relationship to the missing person, a word of a fixed vocabulary (RelationshipWords) that is
// turned into parents here, or, where the word does not say it (or the relationship is `other`),
// the sex, father and mother recorded on the relative (registry::Relative: "person:ID" for the
// missing person, "relative:ID" for another relative of the family). A relative that is itself a
// missing person of the register (Relative::missing_person, e.g. a second missing brother) is a
// missing member of the pedigree, with that person's id. Individuals needed to
// connect the pedigree (the missing person's parents when only a sibling gave a sample, a
// grandparent of an uncle, the other parent of a half-sibling or of a child) are added untyped.
//
// Pure: builds kinship::Family values from register records; validated with kinship::Pedigree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/profiles.h"
#include "registry/person.h"
#include "registry/snapshot.h"

namespace whereabouts::app {

// The words of a relative's relationship to the missing person that place it in a pedigree:
// father, mother, son, daughter, brother, sister (full siblings), paternal_half_brother,
// paternal_half_sister, maternal_half_brother, maternal_half_sister, paternal_grandfather,
// paternal_grandmother, maternal_grandfather, maternal_grandmother, paternal_uncle, paternal_aunt,
// maternal_uncle, maternal_aunt (full siblings of the parent), spouse (the other parent of the
// missing person's children), other (placed only by its recorded father and mother).
[[nodiscard]] const std::vector<std::string_view>& RelationshipWords();

// `text` as a word of RelationshipWords: lower case, blanks and hyphens as '_' ("Full brother" and
// "full-brother" are brother, "half brother" is not a word: say paternal or maternal). Words of
// older records are read too: sibling (a full sibling), child, parent. Errors: kInvalidArgument
// naming the words (field "relationship").
[[nodiscard]] Result<std::string> ParseRelationshipWord(std::string_view text);

// The sex a relationship implies ("" when it implies none: sibling, child, parent, other).
[[nodiscard]] std::string_view SexOfRelationship(std::string_view word);

// A relative as a member of the pedigree: the record and the sample the run may use ("" none: the
// relative is placed untyped, e.g. without a profile or without consent).
struct PedigreeRelative {
  registry::Relative relative;
  std::string sample;
};

struct FamilyPedigree {
  kinship::Family family;  // id "F<person id>"; the missing person is member "M"
  // Relatives left out of the pedigree, with the reason (relative id -> reason).
  std::map<int64_t, std::string> left_out;
};

// The family id of a missing person: "F" + id; its pedigree's member ids: "M" (the missing
// person), "R<relative id>" (relatives), and "M~father", "R12~mother", ... for untyped connecting
// individuals.
[[nodiscard]] std::string FamilyIdOf(registry::PersonId person);

// The pedigree of `missing` and its relatives. A relative whose relationship cannot be placed (a
// second father, a child of a missing person of unknown sex, a word not in the vocabulary without
// recorded parents, a parent outside the family, a sex that contradicts the relationship) is left
// out with its reason; the others stay. Errors: kFailedPrecondition when what is left does not make
// a valid pedigree (kinship::Pedigree: a father who is not male, someone their own ancestor), with
// its reason.
[[nodiscard]] Result<FamilyPedigree> BuildFamilyPedigree(
    const registry::Person& missing, const std::vector<PedigreeRelative>& relatives);

// ParseProfileText (a stored profile back into a kinship::Profile) is in app/remains.h.

}  // namespace whereabouts::app
