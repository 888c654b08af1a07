#include "kinship/frequencies.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

namespace whereabouts::kinship {

std::string CanonicalMarkerName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  size_t b = 0, e = name.size();
  while (b < e && std::isspace(static_cast<unsigned char>(name[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(name[e - 1]))) --e;
  for (size_t i = b; i < e; ++i) {
    const char c = name[i];
    if (c == ' ' || c == '-') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

bool IsRestAlleleName(std::string_view designation) {
  size_t b = 0, e = designation.size();
  while (b < e && std::isspace(static_cast<unsigned char>(designation[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(designation[e - 1]))) --e;
  std::string lower;
  for (size_t i = b; i < e; ++i) {
    const char c = designation[i];
    lower.push_back(c == '_' ? ' '
                             : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return lower == "rest allele" || lower == "rest alleles" || lower == "rest" || lower == "r";
}

Result<std::string> CanonicalAllele(std::string_view allele) {
  size_t b = 0, e = allele.size();
  while (b < e && std::isspace(static_cast<unsigned char>(allele[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(allele[e - 1]))) --e;
  std::string_view a = allele.substr(b, e - b);
  if (a.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty allele designation");
  bool numeric = true;
  int dots = 0;
  for (char c : a) {
    if (c == '.') {
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      numeric = false;
    }
  }
  if (numeric && dots <= 1 && a.front() != '.' && a.back() != '.') {
    std::string s(a);
    std::string int_part = s.substr(0, s.find('.'));
    std::string frac_part = s.find('.') == std::string::npos ? "" : s.substr(s.find('.') + 1);
    while (int_part.size() > 1 && int_part.front() == '0') int_part.erase(int_part.begin());
    while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
    return frac_part.empty() ? int_part : int_part + "." + frac_part;
  }
  std::string out;
  for (char c : a) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') {
      return MakeError(ErrorCode::kInvalidArgument,
                       "allele '" + std::string(a) + "' is not a valid designation");
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<double> AlleleValue(std::string_view canonical_allele) {
  if (canonical_allele.empty()) return std::nullopt;
  for (char c : canonical_allele) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  }
  return std::strtod(std::string(canonical_allele).c_str(), nullptr);
}

int MarkerFrequencies::IndexOf(std::string_view allele) const {
  // Designations are a few characters: compare inline rather than through memcmp.
  const size_t len = allele.size();
  for (size_t i = 0; i < alleles.size(); ++i) {
    const std::string& a = alleles[i];
    if (a.size() != len) continue;
    size_t k = 0;
    while (k < len && a[k] == allele[k]) ++k;
    if (k == len) return static_cast<int>(i);
  }
  return -1;
}

Status ValidateMarker(const MarkerFrequencies& marker) {
  const std::string where = "marker " + marker.name;
  if (marker.alleles.empty()) return MakeError(ErrorCode::kInvalidArgument, "has no alleles", where);
  if (marker.alleles.size() != marker.frequencies.size()) {
    return MakeError(ErrorCode::kInternal, "alleles and frequencies differ in length", where);
  }
  std::set<std::string> seen;
  double sum = 0;
  for (size_t i = 0; i < marker.alleles.size(); ++i) {
    const double f = marker.frequencies[i];
    if (!seen.insert(marker.alleles[i]).second) {
      return MakeError(ErrorCode::kInvalidArgument, "allele " + marker.alleles[i] + " is listed twice",
                       where);
    }
    if (!(f > 0.0 && f <= 1.0)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "allele " + marker.alleles[i] + " has frequency outside (0, 1]", where);
    }
    sum += f;
  }
  if (std::fabs(sum - 1.0) > kFrequencySumTolerance) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", sum);
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("frequencies sum to ") + buf + ", not 1 (tolerance 1e-6)", where);
  }
  return {};
}

MarkerFrequencies WithAddedAlleles(const MarkerFrequencies& marker,
                                   const std::vector<std::string>& missing,
                                   double minimum_frequency) {
  MarkerFrequencies out = marker;
  for (const auto& a : missing) {
    out.alleles.push_back(a);
    out.frequencies.push_back(minimum_frequency);
    out.added_alleles.push_back(a);
  }
  double sum = 0;
  for (double f : out.frequencies) sum += f;
  for (double& f : out.frequencies) f /= sum;
  return out;
}

MarkerFrequencies WithRestAssigned(const MarkerFrequencies& marker,
                                   const std::vector<std::string>& unlisted) {
  MarkerFrequencies out = marker;
  const int rest = marker.IndexOf(kRestAllele);
  const double share = marker.frequencies[rest] / static_cast<double>(unlisted.size());
  out.alleles.erase(out.alleles.begin() + rest);
  out.frequencies.erase(out.frequencies.begin() + rest);
  // The first unlisted allele takes the rest allele's place, so that one unlisted allele gives
  // exactly the table with the lump written under that allele's name.
  out.alleles.insert(out.alleles.begin() + rest, unlisted.begin(), unlisted.end());
  out.frequencies.insert(out.frequencies.begin() + rest, unlisted.size(), share);
  out.rest_alleles.insert(out.rest_alleles.end(), unlisted.begin(), unlisted.end());
  return out;
}

std::optional<double> MinimumFrequencyFromSize(const MarkerFrequencies& marker) {
  if (marker.database_size <= 0) return std::nullopt;
  return 5.0 / (2.0 * static_cast<double>(marker.database_size));
}

Result<FrequencyDatabase> FrequencyDatabase::Create(std::vector<MarkerFrequencies> markers) {
  FrequencyDatabase db;
  for (auto& m : markers) {
    m.name = CanonicalMarkerName(m.name);
    WB_RETURN_IF_ERROR(ValidateMarker(m));
    if (db.markers_.count(m.name) != 0) {
      return MakeError(ErrorCode::kInvalidArgument, "is listed twice", "marker " + m.name);
    }
    db.order_.push_back(m.name);
    std::string key = m.name;
    db.markers_.emplace(std::move(key), std::move(m));
  }
  return db;
}

const MarkerFrequencies* FrequencyDatabase::Find(std::string_view name) const {
  if (auto direct = markers_.find(name); direct != markers_.end()) return &direct->second;
  auto it = markers_.find(CanonicalMarkerName(name));
  return it == markers_.end() ? nullptr : &it->second;
}

}  // namespace whereabouts::kinship
