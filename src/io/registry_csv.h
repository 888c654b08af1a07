// CSV files of the register (comma- or tab-separated, as docs/FORMATS.md describes delimited
// files), turned into events for bulk import:
//   persons:   family_name, given_name, father_name, other_names ('|'-separated), sex,
//              birth_date, birth_year_min, birth_year_max, affiliation, unit,
//              disappearance_date, disappearance_place, circumstances, and the ICRC's minimum
//              data: birth_place, identity_documents ('|'-separated), informant_name,
//              informant_relation, informant_contact, family_contact, last_seen_date,
//              last_seen_place, last_seen_by, physical_description; optional id (the register
//              id to give the person) and recorded_on (else the import's date)
//   relatives: person (register id), name, relationship, sample, consent; optional id,
//              recorded_on
// The columns are fixed: a column not listed here (a misspelling such as `birthdate`) is refused,
// naming it and the expected ones; rows of the wrong width are refused by DelimitedTable. Ids
// (id, person) are whole numbers from 1 to kMaxEntityId (common/numbers.h). Every row is checked
// with the registry's rules; errors name file:line: column. Never throws.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "io/delimited.h"
#include "registry/event.h"
#include "registry/record_rules.h"

namespace whereabouts::io {

// One person.registered event per row (entity_id from the id column, else 0).
[[nodiscard]] Result<std::vector<registry::Event>> PersonsFromCsv(const DelimitedTable& table,
                                                                  registry::Date recorded_on,
                                                                  const std::string& actor,
                                                                  const std::string& reason);

// One relative.registered event per row. The relationship is normalised
// (registry::NormaliseRelationship: case, blanks, hyphens) and must be a word of `vocabularies`
// (the register's, as configured); an unknown or empty one is refused naming FILE:LINE:
// relationship.
[[nodiscard]] Result<std::vector<registry::Event>> RelativesFromCsv(
    const DelimitedTable& table, registry::Date recorded_on, const std::string& actor,
    const std::string& reason,
    const registry::Vocabularies& vocabularies = registry::Vocabularies::Defaults());

}  // namespace whereabouts::io
