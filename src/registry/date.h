// Calendar dates of the register (proleptic Gregorian, no time zone): the day an event was
// recorded, a birth, a disappearance, a death. Pure; no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace whereabouts::registry {

// A day, stored as days since 1970-01-01 (negative before). Cheap to copy and compare.
struct Date {
  int32_t days = 0;

  // The date of a civil year, month (1-12) and day (1-31). REQUIRES: a valid calendar day.
  [[nodiscard]] static Date FromCivil(int year, int month, int day);
  // Parses "YYYY-MM-DD". Errors: kInvalidArgument naming the text's shape (not its content).
  [[nodiscard]] static Result<Date> Parse(std::string_view text);

  [[nodiscard]] int Year() const;
  [[nodiscard]] int Month() const;
  [[nodiscard]] int Day() const;
  // "YYYY-MM-DD".
  [[nodiscard]] std::string ToString() const;

  // Spelled out: clang-tidy 14 misreads a defaulted operator<=>.
  friend bool operator==(Date a, Date b) { return a.days == b.days; }
  friend bool operator!=(Date a, Date b) { return a.days != b.days; }
  friend bool operator<(Date a, Date b) { return a.days < b.days; }
  friend bool operator<=(Date a, Date b) { return a.days <= b.days; }
  friend bool operator>(Date a, Date b) { return a.days > b.days; }
  friend bool operator>=(Date a, Date b) { return a.days >= b.days; }
};

// Whole years from `birth` to `on` (the age on that day); negative if `on` precedes `birth`.
[[nodiscard]] int AgeInYears(Date birth, Date on);

// Parses an optional date: empty text gives nullopt.
[[nodiscard]] Result<std::optional<Date>> ParseOptionalDate(std::string_view text);

}  // namespace whereabouts::registry
