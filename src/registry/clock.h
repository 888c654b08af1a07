// The clock port: where the register takes the date an event is recorded on. The date something
// happened (a disappearance, a death) is the user's and travels in the payload; the recorded date
// is never taken from a request, so that a figure as of a past date cannot change later.
#pragma once

#include "registry/date.h"

namespace whereabouts::registry {

class Clock {
 public:
  virtual ~Clock() = default;
  // Today's date (UTC).
  [[nodiscard]] virtual Date Today() = 0;
};

// A clock that always says `day`: for tests and for building a dated synthetic history.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Date day) : day_(day) {}
  [[nodiscard]] Date Today() override { return day_; }
  void Set(Date day) { day_ = day; }

 private:
  Date day_;
};

}  // namespace whereabouts::registry
