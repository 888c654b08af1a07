// Use cases of remains (bags, bodies, body parts) and their chain of custody: record recovered
// remains, a sample taken from them, the DNA profiles of their samples (from an allele table the
// caller has read), a custody transfer; read one item, all of them, and an item's custody history.
//
// The caller reads and parses files (src/io/) and passes their contents as data; this layer reads
// no file and names no command or option. The register's rules (a transfer only from the holder,
// a profile only for a sample the remains have) are checked by Registry::Record inside the write.
//
// Thread-safety: as the Registry and the store passed in (one writer at a time per store object).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "kinship/frequencies.h"
#include "kinship/profiles.h"
#include "registry/clock.h"
#include "registry/date.h"
#include "registry/registry.h"
#include "registry/snapshot.h"
#include "registry/store_port.h"

namespace whereabouts::app {

struct AddRemainsRequest {
  WriteMeta meta;
  std::string label;                // the label on the bag or body
  std::string remains_kind = "bag";  // bag, body or body_part
  int64_t site = 0;                 // where they were recovered; 0: unknown
  std::optional<registry::Date> recovered_on;
  std::string holder;  // who holds them now
  bool commingled = false;
};

// Records remains.recovered (the id is given by the register inside the write). Returns the
// stored event (entity_id: the new remains' id). Errors: those of Registry::Record (e.g.
// kInvalidArgument without a holder, kNotFound for an unknown site).
[[nodiscard]] Result<registry::Event> AddRemains(registry::Registry& registry,
                                                 const AddRemainsRequest& request);

struct AddSampleRequest {
  WriteMeta meta;
  int64_t remains = 0;
  std::string sample;  // the sample's id
};

// Records remains.sampled. Errors: those of Registry::Record (kNotFound: no such remains).
[[nodiscard]] Result<registry::Event> AddSample(registry::Registry& registry,
                                                const AddSampleRequest& request);

struct TransferCustodyRequest {
  WriteMeta meta;
  int64_t remains = 0;
  std::string from, to;  // `from` must hold the remains
  // The date of the handover; nullopt: the date the register records the transfer on.
  std::optional<registry::Date> date;
};

// Remains returned to the family of the identified person they are (remains.handed_over): the
// last step of the chain of custody. What "returned to families" counts in the figures.
struct HandOverRequest {
  WriteMeta meta;
  int64_t remains = 0;
  std::string from;                    // must hold the remains
  std::string to;                      // the family member who receives them; REQUIRED
  std::string relation;                // the receiver's relation to the person ("" unknown)
  registry::PersonId person;           // the identified person; REQUIRED
  std::optional<registry::Date> date;  // nullopt: the date the register records it on
};

// Records remains.handed_over. Errors: kInvalidArgument (no receiver, no person);
// kFailedPrecondition when `from` does not hold them, the person is not identified or was not
// identified from these remains, the date is before the identification or the last custody
// step, or the remains were already handed over; kNotFound. Nothing is written on error.
[[nodiscard]] Result<registry::Event> HandOverRemains(registry::Registry& registry,
                                                      registry::Clock& clock,
                                                      const HandOverRequest& request);

// Why a transfer was refused when `from` does not hold the remains: the item and its holder, for
// an adapter that may name them (the register's message names no holder).
struct NotHolder {
  std::string label;
  std::string holder;
};

// Records remains.transferred. `clock` gives the default handover date (the register's recording
// date: the clock's today, or the last recorded date when that is later). Errors: those of
// Registry::Record (kFailedPrecondition when `from` does not hold the remains, with `not_holder`
// filled when given; kNotFound).
[[nodiscard]] Result<registry::Event> TransferCustody(registry::Registry& registry,
                                                      registry::Clock& clock,
                                                      const TransferCustodyRequest& request,
                                                      NotHolder* not_holder = nullptr);

// All remains as of `as_of`, by id.
[[nodiscard]] Result<std::map<int64_t, registry::Remains>> ListRemains(
    registry::Registry& registry, const registry::AsOf& as_of);

// One item as of `as_of` (site, holder, samples and their latest profiles). Errors: kNotFound
// "no remains ID".
[[nodiscard]] Result<registry::Remains> ShowRemains(registry::Registry& registry, int64_t id,
                                                    const registry::AsOf& as_of);

// One step of an item's chain of custody.
struct CustodyStep {
  enum class Kind { kRecovered, kTransferred, kSampled };
  Kind kind = Kind::kRecovered;
  // Recovered and sampled: the recorded date; transferred: the handover date as recorded.
  std::string date;
  std::string label, holder;  // recovered
  std::string from, to;       // transferred
  std::string recorded_by;    // who recorded the step
  std::string sample;         // sampled
};

// The custody history of remains `id`, in the order recorded (events that are not custody steps,
// such as profiles, are left out). Errors: kNotFound "no remains ID"; those of the store.
[[nodiscard]] Result<std::vector<CustodyStep>> CustodyHistory(registry::RegistryStore& store,
                                                              int64_t id);

// The stored text of a profile: "MARKER=a/b;...;AMEL=X,Y" (markers in the profile's order; AMEL
// last, "X" for female, "X,Y" for male). "" when nothing is typed.
[[nodiscard]] std::string ProfileText(const kinship::Profile& profile);
// The profile of `sample` whose stored text is `text` (the inverse of ProfileText).
// Errors: kInvalidArgument naming the part that is not "MARKER=a/b" or "AMEL=X[,Y]".
[[nodiscard]] Result<kinship::Profile> ParseProfileText(const std::string& sample,
                                                        std::string_view text);

// One row of an allele table as read, for the checks that name the row.
struct ProfileRow {
  std::string sample;
  std::string marker;  // canonical (kinship::CanonicalMarkerName)
  bool amelogenin = false;  // the reader's call: an amelogenin row (needs no frequencies)
  std::string sample_where, marker_where;  // "file:line: column" of the two cells
};

struct ImportProfilesRequest {
  WriteMeta meta;  // an empty reason becomes "allele table SOURCE"
  std::string source;  // the allele table as the user named it; its file name is stored
  std::vector<kinship::Profile> profiles;  // as read from the table
  std::vector<ProfileRow> rows;            // every row of the table, in order
  // The frequency database whose markers are allowed, and how to name it in messages.
  // REQUIRES: not null.
  const kinship::FrequencyDatabase* frequencies = nullptr;
  std::string frequencies_name;
  // false: remains samples (remains.profile_recorded on the remains); true: relatives' reference
  // samples (relative.profile_recorded on the relative who gave the sample).
  bool references = false;
};

struct ImportProfilesResult {
  size_t recorded = 0;   // remains.profile_recorded events written
  size_t untyped = 0;    // profiles with no typed marker (nothing to record)
  size_t unchanged = 0;  // profiles equal to the sample's latest (a re-run import)
};

// Why a row refused an import (filled when ImportProfiles fails on a row), so that an adapter can
// add its own wording (how to record the sample first).
struct ProfileRowProblem {
  // kOtherKindOfSample: the sample is a register sample of the other kind (a relative's reference
  // sample in a remains import, or the reverse).
  enum class Kind { kUnknownSample, kUnknownMarker, kOtherKindOfSample };
  Kind kind = Kind::kUnknownSample;
  std::string sample, marker, where;
};

// Records each profile as remains.profile_recorded on the remains its sample was taken from (or,
// with request.references, as relative.profile_recorded on the relative who gave it), all
// in one batch, or nothing. First, row by row, every sample must be a register sample and every
// marker (but amelogenin) in the frequency database; a profile equal to the latest recorded for
// its sample is skipped, as is one without a typed marker.
// Errors: kNotFound for the first row with an unknown sample or marker ("sample S, marker M: ...;
// nothing was imported", field: the row's cell), with `problem` filled when given; those of
// Registry::RecordBatch.
[[nodiscard]] Result<ImportProfilesResult> ImportProfiles(registry::Registry& registry,
                                                          const ImportProfilesRequest& request,
                                                          ProfileRowProblem* problem = nullptr);

}  // namespace whereabouts::app
