// A register for use-case tests: an in-memory store, the planar geometry and a fixed clock.
#pragma once

#include "app/request.h"
#include "registry/clock.h"
#include "registry/geometry.h"
#include "registry/registry.h"
#include "store/memory_store.h"

namespace whereabouts::app::testing {

inline constexpr const char* kToday = "2024-03-01";

struct MemoryRegister {
  store::MemoryStore store;
  registry::PlanarGeometry geometry;
  registry::FixedClock clock{*registry::Date::Parse(kToday)};
  registry::Registry registry{store, geometry, clock};

  // The number of events recorded so far.
  int64_t Seq() {
    auto head = registry.Head(std::nullopt);
    return head ? head->seq : -1;
  }
};

inline WriteMeta Meta(std::string actor = "officer", std::string reason = "", std::string key = "") {
  return WriteMeta{std::move(actor), std::move(reason), std::move(key)};
}

inline registry::Date D(const char* text) { return *registry::Date::Parse(text); }

}  // namespace whereabouts::app::testing
