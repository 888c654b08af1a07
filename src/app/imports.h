// Use cases of bulk imports: the events of a persons or relatives file, written in batches that
// can be resumed, and the sites and hazard areas of a GeoJSON file, written in one batch.
//
// The caller reads and parses the file (src/io/registry_csv.h, src/io/geojson.h) and passes the
// events or payloads as data; this layer reads no file and names no command or option.
// Thread-safety: as the Registry and the store passed in.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "registry/event.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// The idempotency key of one batch of an import: "import:<file sha>:batch<N>:rows<a>-<b>" (N: the
// batch size, a..b: the batch's rows, from 1). Running the same import again, with the same batch
// size, finds the batches already committed by their keys.
[[nodiscard]] std::string ImportBatchKey(const std::string& file_sha256, size_t batch,
                                         size_t first_row, size_t last_row);

// The rule for a file whose rows carry their own recorded dates: that is the import of a dated
// history, which must be asked for (`legacy_history`). Errors: kInvalidArgument naming
// "SOURCE: recorded_on" when `rows_dated` without `legacy_history`.
[[nodiscard]] Status CheckDatedImport(bool rows_dated, bool legacy_history,
                                      const std::string& source);

struct ImportEventsRequest {
  // actor and reason of every event (an empty reason becomes "import of SOURCE"); the idempotency
  // key is not used: each batch has its own (ImportBatchKey).
  WriteMeta meta;
  std::string source;         // the file as the user named it (reasons, messages)
  std::string source_sha256;  // of the file's bytes: names the batches
  size_t batch = 1000;        // rows per transaction; REQUIRES > 0 (else kInvalidArgument)
  bool rows_dated = false;     // the events carry their own recorded dates (a recorded_on column)
  bool legacy_history = false;  // a dated history is asked for; REQUIRES: then `registry` was made
                                // with registry::LegacyHistory (else kFailedPrecondition)
  std::vector<registry::Event> events;  // one per row, in row order
  // Rows of the file before these events: a file streamed in chunks is imported one chunk per
  // call, and the batches are named (and reported) by their rows in the whole file.
  size_t rows_before = 0;
};

// One batch, reported once it is durable.
struct ImportBatch {
  size_t first_row = 0, last_row = 0;  // from 1
  size_t done = 0;                     // rows committed so far, this batch included
  // Set when the batch was committed by an earlier run of the same import (nothing written now).
  std::optional<registry::IdempotentWrite> earlier;
};

// Called after each batch is committed (or found committed by an earlier run), before the next
// begins: a report of a batch is a promise that its rows are durable.
using ImportProgress = std::function<void(const ImportBatch&)>;

struct ImportEventsResult {
  size_t imported = 0;  // rows written by this run
  size_t skipped = 0;   // rows of batches committed by an earlier run
};

// Writes the events in batches of request.batch rows, one transaction each, each with its
// ImportBatchKey: a batch an earlier run committed is skipped (and reported so), so that running
// the same import again after a crash goes on where it stopped. First checks CheckDatedImport.
// Errors: those of CheckDatedImport; kInvalidArgument for a batch size of 0; those of
// Registry::RecordBatch, with the rows of the failed batch and how many rows before it are
// committed added to the message (the batches before it stay committed).
[[nodiscard]] Result<ImportEventsResult> ImportEvents(registry::Registry& registry,
                                                      registry::RegistryStore& store,
                                                      ImportEventsRequest request,
                                                      const ImportProgress& progress = {});

struct ImportGeoFeaturesRequest {
  WriteMeta meta;  // an empty reason becomes "import of SOURCE"
  std::string source;
  std::vector<registry::Fields> hazards;  // payloads of hazard.registered
  std::vector<registry::Fields> sites;    // payloads of site.registered
};

struct ImportGeoFeaturesResult {
  size_t hazards = 0, sites = 0;  // registered
  // Every site's flags against uncleared hazard areas within 500 m, after the import; when they
  // cannot be computed, flags_error says why (the import is committed all the same).
  std::vector<registry::SiteHazardFlag> flags;
  std::optional<Error> flags_error;
};

// Registers the hazard areas, then the sites, in one batch (ids given by the register inside the
// write), or nothing. Errors: those of Registry::RecordBatch.
[[nodiscard]] Result<ImportGeoFeaturesResult> ImportGeoFeatures(
    registry::Registry& registry, ImportGeoFeaturesRequest request);

}  // namespace whereabouts::app
