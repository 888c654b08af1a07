// A register for the use-case tests: the in-memory store, planar geometry and a fixed clock.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "app/request.h"
#include "registry/clock.h"
#include "registry/geometry.h"
#include "registry/registry.h"
#include "store/memory_store.h"

namespace whereabouts::app::testing {

inline registry::Date D(const char* text) { return *registry::Date::Parse(text); }

class AppTest : public ::testing::Test {
 protected:
  // Who acts in the tests, and why.
  static WriteMeta Meta(std::string actor = "clerk", std::string reason = "test",
                        std::string key = "") {
    return WriteMeta{std::move(actor), std::move(reason), std::move(key)};
  }
  // The number of events in the register.
  int64_t Events() {
    auto head = registry_.Head(std::nullopt);
    EXPECT_TRUE(head);
    return head ? head->seq : -1;
  }

  store::MemoryStore store_;
  registry::PlanarGeometry geometry_;
  registry::FixedClock clock_{D("2024-05-01")};
  registry::Registry registry_{store_, geometry_, clock_};
};

}  // namespace whereabouts::app::testing
