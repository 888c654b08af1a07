// The clock of the running process (UTC), for the register's recorded dates.
#pragma once

#include <ctime>

#include "registry/clock.h"

namespace whereabouts::store {

class SystemClock final : public registry::Clock {
 public:
  [[nodiscard]] registry::Date Today() override {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return registry::Date::FromCivil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  }
};

}  // namespace whereabouts::store
