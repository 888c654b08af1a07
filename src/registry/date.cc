#include "registry/date.h"

#include <cstdio>

namespace whereabouts::registry {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int yy = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2 ? 1 : 0);
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

Date Date::FromCivil(int year, int month, int day) { return Date{DaysFromCivil(year, month, day)}; }

Result<Date> Date::Parse(std::string_view text) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument, "expected a date as YYYY-MM-DD, got '" +
                                                      std::string(text.substr(0, 20)) + "'");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto num = [&](size_t pos, size_t len, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0;
  int m = 0;
  int d = 0;
  if (!num(0, 4, &y) || !num(5, 2, &m) || !num(8, 2, &d)) return bad();
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return MakeError(ErrorCode::kInvalidArgument, "no such calendar day: " + std::string(text));
  }
  return FromCivil(y, m, d);
}

int Date::Year() const {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return y;
}
int Date::Month() const {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return m;
}
int Date::Day() const {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return d;
}

std::string Date::ToString() const {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int AgeInYears(Date birth, Date on) {
  int by = 0, bm = 0, bd = 0, oy = 0, om = 0, od = 0;
  CivilFromDays(birth.days, &by, &bm, &bd);
  CivilFromDays(on.days, &oy, &om, &od);
  int age = oy - by;
  if (om < bm || (om == bm && od < bd)) --age;
  return age;
}

Result<std::optional<Date>> ParseOptionalDate(std::string_view text) {
  if (text.empty()) return std::optional<Date>{};
  WB_ASSIGN_OR_RETURN(Date d, Date::Parse(text));
  return std::optional<Date>{d};
}

}  // namespace whereabouts::registry
