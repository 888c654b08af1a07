// Families (pedigrees with roles): the `families` file of
// docs/FORMATS.md.
//
// families: `family`, `id`, `father`, `mother`, `sex`, `role` (missing | reference | untyped),
// `sample` (for references), `person` (optional register id). Rows of one family need not be
// adjacent; families keep the order in which they first appear, members the order of their rows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/profiles.h"

namespace whereabouts::io {

// The families of a file, and one error per family left out (so a run can skip a bad family and
// go on). Each skipped error's field names source:line: column; its message names the family.
// `warnings`: what was read but not used, with the same fields (a `person` that is not a register
// id: the member is read, not linked to the register).
struct FamiliesFile {
  std::vector<kinship::Family> families;
  std::vector<Error> skipped;
  std::vector<Error> warnings;
};

// Parses a families file; `source` names it in errors.
// Fatal errors (kInvalidArgument): an empty file, a missing `family`, `id`, `father`, `mother`,
// `sex` or `role` column, a malformed quote, text that is not UTF-8, a row of the wrong width.
// Per family (the family goes to `skipped`, the others are read): an empty id; an id used twice
// in the family; a bad sex or role; a reference without a sample; a sample used twice in the
// family; a parent not in the family; a father who is not male or a mother who is not female;
// only one parent given; someone their own ancestor. A row with an empty `family` is skipped with
// its own error. A `person` that is not a register id (1..kMaxEntityId of common/numbers.h), such
// as a laboratory's own name for the missing person, is not kept (the member's `person` is empty,
// so nothing later reads it as an id) and gives a warning naming the line.
[[nodiscard]] Result<FamiliesFile> ParseFamilies(std::string_view text, const std::string& source);
// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as above.
[[nodiscard]] Result<FamiliesFile> ReadFamilies(const std::string& path);

// The text of a families file (all eight columns).
[[nodiscard]] std::string FormatFamilies(const std::vector<kinship::Family>& families,
                                         char delimiter = ',');
// Writes FormatFamilies to `path` (tab-separated for .tsv/.txt, else comma). Errors: kIo.
[[nodiscard]] Status WriteFamilies(const std::string& path,
                                   const std::vector<kinship::Family>& families);

// "missing", "reference", "untyped".
[[nodiscard]] const char* FamilyRoleName(kinship::FamilyRole role);
// Parses a role (case-insensitive). Errors: kInvalidArgument.
[[nodiscard]] Result<kinship::FamilyRole> ParseFamilyRole(std::string_view text);

}  // namespace whereabouts::io
