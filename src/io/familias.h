// Familias `.fam` files (Familias 3, Egeland et al. 2000): persons with sex and genotypes,
// pedigrees (the hypotheses of a kinship case), the frequency database with theta and per-marker,
// per-sex mutation models, drop-out settings, and the DVI module's section (unidentified persons,
// reference families with their pedigrees). The layout was learned from the open-source reader and
// writer of the R package pedFamilias; the code here is our own. docs/formats.md says what is
// read, what is ignored and what is refused.
//
// Three layers, each pure (no files; the Read/Write helpers at the end do the I/O):
//   ParseFam / FormatFam        text <-> FamFile (the file's content, in our types)
//   FamToCases / CaseToFam      FamFile <-> kinship cases (LR of each pedigree against a reference)
//   FamToIdentify / IdentifyToFam   FamFile's [DVI] section <-> the inputs of `whereabouts
//   identify`
// Errors never escape as exceptions; they name the file, the line and the field.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/frequencies.h"
#include "kinship/genotype.h"
#include "kinship/lr.h"
#include "kinship/mutation.h"
#include "kinship/pedigree.h"
#include "kinship/profiles.h"

namespace whereabouts::io {

// One locus of the file's database.
struct FamMarker {
  std::string name;                  // canonical (kinship::CanonicalMarkerName)
  std::vector<std::string> alleles;  // canonical designations; the rest lump is kRestAllele
  std::vector<double> frequencies;
  kinship::MarkerMutation mutation;     // mapped from Familias' model codes (see docs/formats.md)
  int database_size = 0;                // "DatabaseSize = N"; 0 when absent
  double dropout = 0.0;                 // "Dropout probability = d" (for persons who consider it)
  double minor_allele_frequency = 0.0;  // read and written back; not used (see docs)
};

// A person of the main section: every pedigree of the file contains all of them.
struct FamPerson {
  std::string name;
  kinship::Sex sex = kinship::Sex::kFemale;                // Familias: male or female
  bool consider_dropout = false;                           // "(Consider dropouts)"
  std::map<std::string, kinship::GenotypeCall> genotypes;  // canonical marker -> call
};

// One pedigree (hypothesis): the persons of the file plus unnamed "extra" persons, with parents.
// A child may have one parent only (Familias allows it); FamToCases adds the other.
struct FamPedigree {
  std::string name;
  std::vector<kinship::Individual> individuals;  // persons first (file order), then extras
};

// A person of the DVI section (unidentified, or a member of a reference family).
struct FamDviPerson {
  std::string name;
  kinship::Sex sex = kinship::Sex::kUnknown;  // "Gender= Male|Female" (anything else: unknown)
  std::map<std::string, kinship::GenotypeCall> genotypes;  // canonical marker -> call
};

struct FamDviPedigree {
  std::string name;
  std::vector<std::pair<std::string, std::string>> relations;  // (parent, child) names
};

struct FamDviFamily {
  std::string name;
  std::vector<FamDviPerson> persons;  // declared persons (typed references and others)
  std::vector<FamDviPedigree> pedigrees;
};

struct FamDvi {
  std::vector<FamDviPerson> unidentified;
  std::vector<FamDviFamily> families;
  // The [[Notes]] lines (one per family in Familias' files; free text). A line
  // "whereabouts missing sex<TAB>family<TAB>name<TAB>male|female..." (written by IdentifyToFam)
  // gives the sex of missing persons named only in the relations, which the layout has no place
  // for; other lines are kept and ignored.
  std::vector<std::string> notes;
  // [Advanced] [[Direct/Identity]]: drop-out, drop-in and typing error, when given.
  std::optional<double> dropout, dropin, error;
};

struct FamFile {
  std::string version = "3.3.1";  // line 3 of the file ("(DVI)" suffix removed)
  std::vector<FamPerson> persons;
  std::vector<FamPedigree> pedigrees;
  double theta = 0.0;  // "Theta/Kinship/Fst"
  std::string database_name = "unknown";
  std::vector<FamMarker> markers;
  std::optional<FamDvi> dvi;
};

// Parses the text of a .fam file; `source` names it in errors ("case.fam:57: marker D3S1358:
// model code must be 0..4"). Errors (kInvalidArgument unless said): a line that is not what the
// layout puts there (a count, an index, a number, #TRUE#/#FALSE#), an index out of range, the end
// of the file too early; refused with the reason (kUnimplemented): precomputed probabilities,
// silent alleles, the stationary stepwise model (code 3) with a non-zero rate, direct/identity
// ("twin") relations; a mutation model our engine rejects (a stepwise range outside (0, 1)).
[[nodiscard]] Result<FamFile> ParseFam(std::string_view text, const std::string& source);

// The text of `fam` in the layout ParseFam reads (and Familias opens): CRLF-free, quoted names,
// numbers with 17 significant digits. Errors: kInvalidArgument for what the layout cannot hold
// (a name with a double quote or a line break, a genotype allele absent from its marker, an
// unknown-sex person of the main section).
[[nodiscard]] Result<std::string> FormatFam(const FamFile& fam);

// The file's database. Errors: as kinship::FrequencyDatabase::Create, naming `source`.
[[nodiscard]] Result<kinship::FrequencyDatabase> FamDatabase(const FamFile& fam,
                                                             const std::string& source);

// The file's mutation models: the most common per-marker model is the default, the others are
// per-marker entries (none at all when every marker has the same model).
[[nodiscard]] kinship::MutationModel FamMutation(const FamFile& fam);

// --- Kinship cases -----------------------------------------------------------------------

// The LRs of a .fam file: every pedigree against the reference pedigree, L(pedigree) /
// L(reference), as Familias reports likelihoods relative to a chosen pedigree. `reference`: a
// pedigree's name, or empty for the last one. Each case: id "<pedigree> vs <reference>", the
// database's markers in file order, the file's theta and per-marker models; persons with genotypes
// are the samples (named as the persons); a person who considers drop-out gets the drop-out
// probability of the markers (refused when it differs between markers: our model has one value per
// sample). Errors: kInvalidArgument naming `source` (no pedigree, fewer than two, an unknown
// reference).
[[nodiscard]] Result<std::vector<kinship::KinshipCase>> FamToCases(const FamFile& fam,
                                                                   const std::string& reference,
                                                                   const std::string& source);

// A .fam file holding one kinship case: its two hypotheses as pedigrees "<id> h1" and "<id> h2"
// (h2 last, so that FamToCases gives the case's LR), the database's markers the case uses, the
// case's models per marker, theta and drop-out. Errors (kInvalidArgument, naming the case):
// a person carrying two samples (a direct match: the .fam identity relation is not written), a
// sample under another person's name, samples with different drop-out probabilities, a marker
// absent from `db`, a person with different sex in h1 and h2, a person of unknown sex.
[[nodiscard]] Result<FamFile> CaseToFam(const kinship::KinshipCase& kcase,
                                        const kinship::FrequencyDatabase& db);

// --- DVI (whereabouts identify) ----------------------------------------------------------

struct FamIdentifyInput {
  kinship::FrequencyDatabase database;
  std::vector<kinship::Family> families;
  std::vector<kinship::Profile> references;
  std::vector<kinship::RemainsSample> remains;
  std::vector<kinship::Profile> remains_profiles;
  kinship::MutationModel mutation;  // FamMutation
  double theta = 0.0;
  std::optional<double> dropout;  // [Advanced] Direct/Identity drop-out, when given
};

// The [DVI] section as identify's inputs: each unidentified person is one remains sample in its
// own bag (bag = sample = the person's name; Gender gives its amelogenin sex); each reference
// family is a family whose declared persons with DNA data are references (sample = name), whose
// other declared persons are untyped relatives, except that a declared person without DNA data
// whose name begins with "Missing" is missing, and whose persons named only in the relations (as
// Familias' "Missing person") are missing. A family's pedigrees must all have the same relations
// (Familias writes the reference pedigree twice); a child with one parent gets the other as an
// added untyped founder ("<child> father" / "<child> mother").
// Errors (naming `source`, the family and person): no [DVI] section, pedigrees of one family
// that differ, a parent whose sex cannot be told, a reference name used in two families, a
// drop-in or typing error other than 0 (not modelled).
[[nodiscard]] Result<FamIdentifyInput> FamToIdentify(const FamFile& fam, const std::string& source);

// A DVI .fam file from identify's inputs: remains samples become unidentified persons (bags and
// sites are not written: Familias has none), families become reference families (references with
// their profiles, untyped relatives declared without DNA data, missing persons named only in the
// relations, the pedigree written twice as Familias does), the database with `mutation` per
// marker, theta, and `dropout` as [Advanced] Direct/Identity drop-out. Errors (kInvalidArgument):
// a reference whose sample has no profile, a profile allele absent from the database, a name the
// layout cannot hold.
[[nodiscard]] Result<FamFile> IdentifyToFam(const kinship::FrequencyDatabase& db,
                                            const std::vector<kinship::Family>& families,
                                            const std::vector<kinship::Profile>& references,
                                            const std::vector<kinship::RemainsSample>& remains,
                                            const std::vector<kinship::Profile>& remains_profiles,
                                            const kinship::MutationModel& mutation, double theta,
                                            double dropout);

// --- Files -------------------------------------------------------------------------------

// Reads and parses the file at `path`. Errors: kNotFound if unreadable; as ParseFam.
[[nodiscard]] Result<FamFile> ReadFam(const std::string& path);
// Formats and writes `fam` to `path` atomically. Errors: as FormatFam; kIo.
[[nodiscard]] Status WriteFam(const std::string& path, const FamFile& fam);

}  // namespace whereabouts::io
