#include "registry/identification_evidence.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "common/numbers.h"

namespace whereabouts::registry {
namespace {

constexpr std::string_view kFormat = "whereabouts-evidence/1";

std::string Num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

void Line(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += '\t';
    out += Escape(f);
    first = false;
  }
  out += '\n';
}

std::vector<std::string> Split(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      fields.push_back(Unescape(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  return fields;
}

Result<double> Number(const std::string& text, const std::string& where) {
  if (text == "inf") return std::numeric_limits<double>::infinity();
  return ParseDecimal(text, where);
}

// Decodes lines [*pos, ...) up to and including "end"; *pos is left after it. `first_line` is
// the number of the line at *pos in the whole text (for errors).
Result<ProposalEvidence> DecodeBlock(const std::vector<std::string_view>& lines, size_t* pos) {
  auto error = [&](size_t at, const std::string& what) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "evidence line " + std::to_string(at + 1) + ": " + what);
  };
  size_t i = *pos;
  if (i >= lines.size() || lines[i] != kFormat) {
    return error(i, "expected \"" + std::string(kFormat) + "\"");
  }
  ProposalEvidence ev;
  for (++i; i < lines.size(); ++i) {
    const std::vector<std::string> f = Split(lines[i]);
    const std::string& rec = f[0];
    const std::string where = "evidence line " + std::to_string(i + 1);
    auto want = [&](size_t n) -> Status {
      if (f.size() != n) {
        return error(
            i, rec + " has " + std::to_string(f.size()) + " fields, expected " + std::to_string(n));
      }
      return {};
    };
    if (rec == "end") {
      *pos = i + 1;
      return ev;
    }
    if (rec == "individual" || rec == "family" || rec == "missing" || rec == "software") {
      WB_RETURN_IF_ERROR(want(2));
      (rec == "individual" ? ev.individual
       : rec == "family"   ? ev.family
       : rec == "missing"  ? ev.missing
                           : ev.software) = f[1];
    } else if (rec == "lr" || rec == "posterior") {
      WB_RETURN_IF_ERROR(want(2));
      WB_ASSIGN_OR_RETURN(const double v, Number(f[1], where));
      (rec == "lr" ? ev.lr : ev.posterior) = v;
    } else if (rec == "assumption") {
      WB_RETURN_IF_ERROR(want(3));
      ev.assumptions.emplace_back(f[1], f[2]);
    } else if (rec == "member") {
      WB_RETURN_IF_ERROR(want(8));
      ev.pedigree.push_back({f[1], f[2], f[3], f[4], f[5], f[6], f[7]});
    } else if (rec == "sample") {
      WB_RETURN_IF_ERROR(want(6));
      // A marker line holds one call per sample listed before it: every sample comes first.
      if (!ev.markers.empty()) return error(i, "sample after a marker (samples come first)");
      ev.samples.push_back({f[1], f[2], f[3], f[4], f[5]});
    } else if (rec == "marker") {
      WB_RETURN_IF_ERROR(want(5 + ev.samples.size()));
      EvidenceMarker m;
      m.marker = f[1];
      WB_ASSIGN_OR_RETURN(m.lr, Number(f[2], where));
      WB_ASSIGN_OR_RETURN(const int64_t n, ParseInteger(f[3], 0, 1 << 30, where));
      WB_ASSIGN_OR_RETURN(const int64_t a, ParseInteger(f[4], 0, 1 << 30, where));
      m.database_size = static_cast<int>(n);
      m.alleles = static_cast<int>(a);
      m.calls.assign(f.begin() + 5, f.end());
      ev.markers.push_back(std::move(m));
    } else {
      return error(i, "unknown record \"" + rec + "\"");
    }
  }
  return error(lines.size() - 1, "no \"end\"");
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

std::string ProposalEvidence::Assumption(std::string_view name) const {
  for (const auto& [k, v] : assumptions) {
    if (k == name) return v;
  }
  return "";
}

std::string EncodeEvidence(const ProposalEvidence& ev) {
  std::string out;
  Line(out, {kFormat});
  Line(out, {"individual", ev.individual});
  Line(out, {"family", ev.family});
  Line(out, {"missing", ev.missing});
  Line(out, {"lr", Num(ev.lr)});
  Line(out, {"posterior", Num(ev.posterior)});
  Line(out, {"software", ev.software});
  for (const auto& [k, v] : ev.assumptions) Line(out, {"assumption", k, v});
  for (const EvidenceMember& m : ev.pedigree) {
    Line(out, {"member", m.id, m.sex, m.father, m.mother, m.role, m.sample, m.person});
  }
  for (const EvidenceSample& s : ev.samples) {
    Line(out, {"sample", s.key, s.kind, s.name, s.member, s.bag});
  }
  for (const EvidenceMarker& m : ev.markers) {
    std::string line = "marker\t" + Escape(m.marker) + "\t" + Num(m.lr) + "\t" +
                       std::to_string(m.database_size) + "\t" + std::to_string(m.alleles);
    for (const std::string& c : m.calls) line += "\t" + Escape(c);
    out += line + "\n";
  }
  Line(out, {"end"});
  return out;
}

Result<ProposalEvidence> DecodeEvidence(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  size_t pos = 0;
  WB_ASSIGN_OR_RETURN(ProposalEvidence ev, DecodeBlock(lines, &pos));
  if (pos != lines.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "evidence line " + std::to_string(pos + 1) + ": text after \"end\"");
  }
  return ev;
}

std::string EncodeEvidenceList(const std::vector<ProposalEvidence>& list) {
  std::string out;
  for (const ProposalEvidence& ev : list) out += EncodeEvidence(ev);
  return out;
}

Result<std::vector<ProposalEvidence>> DecodeEvidenceList(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  std::vector<ProposalEvidence> out;
  size_t pos = 0;
  while (pos < lines.size()) {
    WB_ASSIGN_OR_RETURN(ProposalEvidence ev, DecodeBlock(lines, &pos));
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace whereabouts::registry
