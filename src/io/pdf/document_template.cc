#include "io/pdf/document_template.h"

#include <sstream>
#include <vector>

namespace whereabouts::io::pdf {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// "key: rest" for the directives; false when the line is not one.
bool Directive(std::string_view line, std::string_view key, std::string_view* rest) {
  if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':') {
    return false;
  }
  *rest = Trim(line.substr(key.size() + 1));
  return true;
}

}  // namespace

Result<std::string> FillPlaceholders(std::string_view text,
                                     const std::map<std::string, std::string>& values,
                                     const std::string& where,
                                     const std::set<std::string>& unknown) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '[' || c == ']') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == ']') {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a ']' without its '[' (write ]] for a bracket)", where);
    }
    if (c == '[') {
      // The optional part up to its ']' (a "]]" inside is a literal bracket).
      size_t end = i + 1;
      while (end < text.size()) {
        if (text[end] == '[' && !(end + 1 < text.size() && text[end + 1] == '[')) {
          return MakeError(ErrorCode::kInvalidArgument, "optional parts [...] do not nest", where);
        }
        if ((text[end] == '[' || text[end] == ']') && end + 1 < text.size() &&
            text[end + 1] == text[end]) {
          end += 2;
          continue;
        }
        if (text[end] == ']') break;
        ++end;
      }
      if (end >= text.size()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "a '[' without its ']' (write [[ for a bracket)", where);
      }
      const std::string_view inner = text.substr(i + 1, end - i - 1);
      WB_ASSIGN_OR_RETURN(const std::string filled, FillPlaceholders(inner, values, where));
      bool known = true;
      for (size_t b = inner.find('{'); b != std::string_view::npos; b = inner.find('{', b + 1)) {
        if (b + 1 < inner.size() && inner[b + 1] == '{') {
          ++b;
          continue;
        }
        const size_t e = inner.find('}', b);
        if (e != std::string_view::npos &&
            unknown.count(std::string(inner.substr(b + 1, e - b - 1)))) {
          known = false;
        }
      }
      if (known) out += filled;
      i = end;
      continue;
    }
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '}') {
      return MakeError(ErrorCode::kInvalidArgument, "a '}' without its '{' (write }} for a brace)",
                       where);
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const size_t end = text.find('}', i + 1);
    if (end == std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "a '{' without its '}' (write {{ for a brace)",
                       where);
    }
    const std::string name(text.substr(i + 1, end - i - 1));
    const auto it = values.find(name);
    if (it == values.end()) {
      std::string known;
      for (const auto& [k, v] : values) known += (known.empty() ? "" : ", ") + k;
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown placeholder {" + name + "} (known: " + known + ")", where);
    }
    out += it->second;
    i = end;
  }
  return out;
}

Result<Document> DocumentFromTemplate(std::string_view text, const TemplateValues& values,
                                      const std::string& source) {
  Document doc;
  std::string paragraph;
  std::string paragraph_where;
  auto flush = [&]() -> Status {
    if (paragraph.empty()) return {};
    WB_ASSIGN_OR_RETURN(std::string filled,
                        FillPlaceholders(paragraph, values.text, paragraph_where, values.unknown));
    doc.blocks.push_back(Paragraph{std::move(filled)});
    paragraph.clear();
    return {};
  };
  std::istringstream in{std::string(text)};
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string where = source + ":" + std::to_string(line_no);
    const std::string_view line = Trim(raw);
    if (!line.empty() && line.front() == '#') continue;
    if (line.empty()) {
      WB_RETURN_IF_ERROR(flush());
      continue;
    }
    std::string_view rest;
    std::string* target = nullptr;
    if (Directive(line, "title", &rest)) target = &doc.title;
    if (Directive(line, "subject", &rest)) target = &doc.subject;
    if (Directive(line, "footer", &rest)) target = &doc.footer;
    if (target != nullptr) {
      WB_ASSIGN_OR_RETURN(*target, FillPlaceholders(rest, values.text, where, values.unknown));
      continue;
    }
    if (Directive(line, "heading", &rest)) {
      WB_RETURN_IF_ERROR(flush());
      WB_ASSIGN_OR_RETURN(std::string h,
                          FillPlaceholders(rest, values.text, where, values.unknown));
      doc.blocks.push_back(Heading{std::move(h)});
      continue;
    }
    if (Directive(line, "insert", &rest)) {
      WB_RETURN_IF_ERROR(flush());
      const auto it = values.blocks.find(std::string(rest));
      if (it == values.blocks.end()) {
        std::string known;
        for (const auto& [k, v] : values.blocks) known += (known.empty() ? "" : ", ") + k;
        return MakeError(ErrorCode::kInvalidArgument,
                         "unknown insert '" + std::string(rest) + "' (known: " + known + ")",
                         where);
      }
      doc.blocks.insert(doc.blocks.end(), it->second.begin(), it->second.end());
      continue;
    }
    if (paragraph.empty()) paragraph_where = where;
    paragraph += (paragraph.empty() ? "" : " ") + std::string(line);
  }
  WB_RETURN_IF_ERROR(flush());
  if (doc.title.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the template has no 'title:' line", source);
  }
  return doc;
}

}  // namespace whereabouts::io::pdf
