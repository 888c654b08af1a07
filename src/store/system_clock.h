// The clocks of the running process (UTC): the register's recorded dates, and the seconds of
// access control (sessions, lockouts, the audit trail).
#pragma once

#include <ctime>

#include "app/access_store.h"
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

class SystemAccessClock final : public app::AccessClock {
 public:
  [[nodiscard]] int64_t NowSeconds() override { return static_cast<int64_t>(std::time(nullptr)); }
};

}  // namespace whereabouts::store
