// Reading PDFs back in tests with poppler-utils (pdftotext, pdffonts): the text a reader would
// copy out, and the fonts. Tests that need them skip with a clear message when they are absent
// (Debian package poppler-utils).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace whereabouts::testing {

inline bool HaveTool(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

inline std::string CommandOutput(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// The text of the PDF at `path` (UTF-8).
inline std::string PdfText(const std::string& path) {
  return CommandOutput("pdftotext -enc UTF-8 '" + path + "' - 2>/dev/null");
}

// `pdffonts` of the PDF: one line per font after two header lines.
inline std::string PdfFonts(const std::string& path) {
  return CommandOutput("pdffonts '" + path + "' 2>/dev/null");
}

// True when pdffonts lists at least one font and every one is embedded ("emb" column "yes").
inline bool AllFontsEmbedded(const std::string& pdffonts, int* fonts) {
  *fonts = 0;
  size_t pos = 0;
  int line_no = 0;
  while (pos < pdffonts.size()) {
    size_t end = pdffonts.find('\n', pos);
    if (end == std::string::npos) end = pdffonts.size();
    const std::string line = pdffonts.substr(pos, end - pos);
    pos = end + 1;
    if (++line_no <= 2 || line.empty()) continue;
    ++*fonts;
    // Columns: name type encoding emb sub uni object ID; the type may hold a blank ("CID
    // TrueType"), so read emb as the fifth field from the end.
    std::string fields[5];
    int n = 0;
    size_t i = line.size();
    while (n < 5 && i > 0) {
      while (i > 0 && line[i - 1] == ' ') --i;
      size_t j = i;
      while (j > 0 && line[j - 1] != ' ') --j;
      fields[n++] = line.substr(j, i - j);
      i = j;
    }
    if (n < 5 || fields[4] != "yes") return false;  // from the end: ID, object, uni, sub, emb
  }
  return *fonts > 0;
}

// `text` without blanks, line breaks and bidirectional marks: pdftotext splits shaped Arabic
// into pieces and wraps right-to-left runs in embedding marks, so names are compared squeezed.
inline std::string Squeeze(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') continue;
    // U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: E2 80 8E/8F, E2 80 AA..AE, E2 81 A6..A9.
    if (c == 0xE2 && i + 2 < text.size()) {
      const auto b = static_cast<unsigned char>(text[i + 1]);
      const auto d = static_cast<unsigned char>(text[i + 2]);
      if ((b == 0x80 && (d == 0x8E || d == 0x8F || (d >= 0xAA && d <= 0xAE))) ||
          (b == 0x81 && d >= 0xA6 && d <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace whereabouts::testing
