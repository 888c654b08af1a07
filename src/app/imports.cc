#include "app/imports.h"

#include <algorithm>
#include <iterator>

#include "app/sites.h"
#include "registry/record_rules.h"

namespace whereabouts::app {

std::string ImportBatchKey(const std::string& file_sha256, size_t batch, size_t first_row,
                           size_t last_row) {
  return "import:" + file_sha256 + ":batch" + std::to_string(batch) + ":rows" +
         std::to_string(first_row) + "-" + std::to_string(last_row);
}

Status CheckDatedImport(bool rows_dated, bool legacy_history, const std::string& source) {
  if (rows_dated && !legacy_history) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a recorded_on column gives each row its own recorded date: that is the "
                     "import of a dated history, which must be asked for explicitly",
                     source + ": recorded_on");
  }
  return {};
}

Result<ImportEventsResult> ImportEvents(registry::Registry& registry,
                                        registry::RegistryStore& store, ImportEventsRequest req,
                                        const ImportProgress& progress) {
  WB_RETURN_IF_ERROR(CheckDatedImport(req.rows_dated, req.legacy_history, req.source));
  if (req.batch == 0) return MakeError(ErrorCode::kInvalidArgument, "must be positive", "batch");
  if (req.legacy_history != registry.legacy_history()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     req.legacy_history
                         ? "a dated history needs a register that keeps the events' own dates"
                         : "the register keeps the events' own dates, but no dated history was "
                           "asked for");
  }
  const std::string reason = req.meta.reason.empty() ? "import of " + req.source : req.meta.reason;
  for (registry::Event& e : req.events) {
    e.actor = req.meta.actor;
    e.reason = reason;
  }
  std::vector<registry::Event>& all = req.events;
  ImportEventsResult res;
  const size_t base = req.rows_before;
  size_t done = 0;
  while (done < all.size()) {
    const size_t n = std::min(req.batch, all.size() - done);
    ImportBatch report{base + done + 1, base + done + n, base + done + n, std::nullopt};
    registry::WriteOptions wo;
    wo.idempotency_key =
        ImportBatchKey(req.source_sha256, req.batch, base + done + 1, base + done + n);
    WB_ASSIGN_OR_RETURN(report.earlier, store.FindIdempotencyKey(wo.idempotency_key));
    if (report.earlier) {
      // Committed by an earlier run of this same import: nothing to write.
      done += n;
      res.skipped += n;
      if (progress) progress(report);
      continue;
    }
    std::vector<registry::Event> batch(
        std::make_move_iterator(all.begin() + static_cast<long>(done)),
        std::make_move_iterator(all.begin() + static_cast<long>(done + n)));
    auto stored = registry.RecordBatch(std::move(batch), wo);
    if (!stored) {
      Error e = stored.error();
      e.message += " (rows " + std::to_string(base + done + 1) + ".." +
                   std::to_string(base + done + n) + " of " + req.source + "; " +
                   std::to_string(base + done) +
                   " rows before them are committed; run the same import again to go on from "
                   "there)";
      return tl::unexpected(std::move(e));
    }
    done += n;
    res.imported += n;
    if (progress) progress(report);
  }
  return res;
}

Result<ImportGeoFeaturesResult> ImportGeoFeatures(registry::Registry& registry,
                                                  ImportGeoFeaturesRequest req) {
  ImportGeoFeaturesResult res;
  res.hazards = req.hazards.size();
  res.sites = req.sites.size();
  const std::string reason = req.meta.reason.empty() ? "import of " + req.source : req.meta.reason;
  // Each site's kind against the register's vocabulary first, so that a refusal names the site
  // (the write would name it by its id, which is not given yet).
  for (const registry::Fields& payload : req.sites) {
    registry::Event site;
    site.type = "site.registered";
    site.payload = payload;
    if (Status s = registry::CheckVocabulary(site, registry.vocabularies()); !s) {
      Error e = std::move(s).error();
      auto name = payload.find("name");
      e.message =
          "site '" + (name == payload.end() ? std::string() : name->second) + "': " + e.message;
      e.field = req.source;
      return tl::unexpected(std::move(e));
    }
  }
  std::vector<registry::Event> events;
  // Ids 0: the register gives them inside the write, so two imports at once do not collide.
  auto add = [&](registry::EntityKind kind, const char* type,
                 std::vector<registry::Fields>& payloads) {
    for (auto& payload : payloads) {
      registry::Event e;
      e.kind = kind;
      e.entity_id = 0;
      e.type = type;
      e.actor = req.meta.actor;
      e.reason = reason;
      e.payload = std::move(payload);
      events.push_back(std::move(e));
    }
  };
  add(registry::EntityKind::kHazard, "hazard.registered", req.hazards);
  add(registry::EntityKind::kSite, "site.registered", req.sites);
  WB_RETURN_IF_ERROR(registry.RecordBatch(std::move(events), WriteOptionsFor(req.meta)));
  auto flags = registry.SiteHazards(std::nullopt, kSiteFlagDistanceM);
  if (flags) {
    res.flags = std::move(*flags);
  } else {
    res.flags_error = flags.error();
  }
  return res;
}

}  // namespace whereabouts::app
