// CODIS Common Message Format (CMF) 3.2: the XML file a laboratory uploads to, or receives from,
// a CODIS index (root `CODISImportFile`, namespace urn:CODISImportFile-schema; the FBI's
// Appendix B schema, as published with NCBI's OSIRIS). docs/formats.md says what is read,
// ignored and refused.
//
//   CODISImportFile: HEADERVERSION, MESSAGETYPE (Import), DESTINATIONORI, SOURCELAB,
//                    SUBMITBYUSERID, SUBMITDATETIME, BATCHID?, KIT?, SPECIMEN+
//   SPECIMEN (@SOURCEID? @CASEID? @PARTIAL?): SPECIMENID, SPECIMENCATEGORY, SPECIMENCOMMENT?,
//   LOCUS* LOCUS (@BATCHID? @KIT?): LOCUSNAME, READINGBY, READINGDATETIME, ALLELE+ ALLELE
//   (@ALLELEREQUIRED?): ALLELEVALUE
//
// A pure reader and writer (pugixml): the text in, data out, and back. What a specimen's category
// means for us (remains or a reference, and the relationship) is one table, CmfCategories().
// Errors name the file, the line, the element and the field, and carry no personal data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/profiles.h"

namespace whereabouts::io {

// What Whereabouts does with a specimen.
enum class CmfUse {
  kRemains,    // a sample of unidentified remains: remains allele table, remains.csv
  kReference,  // a reference sample (the missing person's own, or a relative's)
};

// One row of the category table.
struct CmfCategory {
  std::string_view name;  // as CMF writes it (SpecimenCategoryType)
  CmfUse use;
  std::string_view relationship;  // references: to the missing person ("self", "mother", ...)
  std::string_view note;          // what it means for the identification
};

// The one table of the categories we accept, in the order docs/formats.md lists them.
[[nodiscard]] const std::vector<CmfCategory>& CmfCategories();

// The category named `name` (case-insensitive, surrounding spaces ignored; "Sibling" is read as
// "Biological Sibling"). Errors: kInvalidArgument naming the category and why it is refused (a
// criminal-index category, a deduced profile, a mixture, or unknown), listing those accepted.
[[nodiscard]] Result<const CmfCategory*> FindCmfCategory(std::string_view name);

struct CmfLocus {
  std::string name;                  // our canonical marker name ("VWA", "PENTA_D", "AMEL", "TH01")
  std::vector<std::string> alleles;  // canonical designations (X / Y at AMEL), 1 to 8, unique
  std::string reading_by, reading_datetime;  // READINGBY, READINGDATETIME
  std::string batch_id, kit;                 // attributes BATCHID, KIT ("" when absent)
  int line = 0;                              // of <LOCUS> in the file read (0 when built)
  bool operator==(const CmfLocus& o) const {
    return name == o.name && alleles == o.alleles && reading_by == o.reading_by &&
           reading_datetime == o.reading_datetime && batch_id == o.batch_id && kit == o.kit;
  }
};

struct CmfSpecimen {
  std::string id;               // SPECIMENID (1 to 24 characters, unique in the file)
  std::string category;         // SPECIMENCATEGORY, spelled as in CmfCategories()
  std::string comment;          // SPECIMENCOMMENT
  std::string case_id;          // attribute CASEID
  std::string source_id;        // attribute SOURCEID (Yes, No, N/A or "")
  std::optional<bool> partial;  // attribute PARTIAL: a partial profile
  std::vector<CmfLocus> loci;
  int line = 0;  // of <SPECIMEN> in the file read
  bool operator==(const CmfSpecimen& o) const {
    return id == o.id && category == o.category && comment == o.comment && case_id == o.case_id &&
           source_id == o.source_id && partial == o.partial && loci == o.loci;
  }
};

struct CmfFile {
  std::string header_version = "3.2";
  std::string message_type = "Import";
  std::string destination_ori, source_lab, submit_by_user_id, submit_datetime;
  std::string batch_id, kit;
  std::vector<CmfSpecimen> specimens;
  bool operator==(const CmfFile& o) const {
    return header_version == o.header_version && message_type == o.message_type &&
           destination_ori == o.destination_ori && source_lab == o.source_lab &&
           submit_by_user_id == o.submit_by_user_id && submit_datetime == o.submit_datetime &&
           batch_id == o.batch_id && kit == o.kit && specimens == o.specimens;
  }
};

// Parses the text of a CMF file; `source` names it in errors. Errors (kInvalidArgument, field
// "source:line: ELEMENT" or "source:line: ELEMENT/FIELD"): text that is not XML; a root other than
// CODISImportFile; a HEADERVERSION other than 3.2 or 3.3; a MESSAGETYPE other than Import; a
// missing or empty SPECIMENID, SPECIMENCATEGORY, LOCUSNAME or ALLELEVALUE; a field longer than the
// schema allows; a specimen id given twice; a category FindCmfCategory refuses; a locus given
// twice in a specimen; no ALLELE or more than 8 at a locus; an invalid allele designation; an
// amelogenin allele other than X or Y; PARTIAL other than true/false/1/0; an element the schema
// does not have where it stands. Never throws.
[[nodiscard]] Result<CmfFile> ParseCmf(std::string_view text, const std::string& source);
// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as ParseCmf.
[[nodiscard]] Result<CmfFile> ReadCmf(const std::string& path);

// The XML text of `file` (UTF-8, indented, the CMF namespace on the root). Errors
// (kInvalidArgument naming the specimen and field): what ParseCmf would refuse, and a marker
// without a CODIS locus name (CmfLocusName), so that what is written reads back the same.
[[nodiscard]] Result<std::string> FormatCmf(const CmfFile& file);
// Writes FormatCmf atomically to `path`. Errors: as FormatCmf; kIo.
[[nodiscard]] Status WriteCmf(const std::string& path, const CmfFile& file);

// The CODIS locus name of our canonical marker ("VWA" -> "vWA", "PENTA_D" -> "Penta D",
// "AMEL" -> "AMEL"), or "" when the schema has none for it.
[[nodiscard]] std::string CmfLocusName(std::string_view canonical_marker);

// A specimen's profile, for the kinship engine: one allele a is a/a (CMF writes a homozygote
// once), two are a/b, AMEL sets the sex; a locus with more than two alleles is left out with a
// warning (a possible mixture: these categories are single-source), as are loci of `warnings`'s
// kind. `warnings` gets "specimen S, locus L: ..." lines; may be null.
[[nodiscard]] kinship::Profile CmfProfile(const CmfSpecimen& specimen,
                                          std::vector<std::string>* warnings);

// The loci of `profile` as CMF writes them (our markers in the profile's order, then AMEL),
// each with `reading_by` and `reading_datetime`; a homozygote a/a is one ALLELE. Left out, each
// with its reason in `left_out` (may be null): a marker without a CODIS locus name, and a call
// with an allele not designated ("a/-"), which CMF cannot write (one ALLELE means a/a).
[[nodiscard]] std::vector<CmfLocus> CmfLociOf(const kinship::Profile& profile,
                                              const std::string& reading_by,
                                              const std::string& reading_datetime,
                                              std::vector<std::string>* left_out);

}  // namespace whereabouts::io
