// Templates of documents as data files (data/templates/NAME.LANG.txt), so that a commission can
// change the wording of a certificate or a letter without rebuilding. A template is UTF-8 text,
// read line by line:
//   # ...            a comment
//   title: TEXT      the document's title
//   subject: TEXT    the PDF's subject
//   footer: TEXT     printed on every page, beside "page N of M"
//   heading: TEXT    a heading
//   insert: NAME     a block the program provides (a table of names, the figures, ...)
//   any other line   text of a paragraph; a blank line ends the paragraph, and the lines of one
//                    paragraph are joined with a space
// Every text may hold {placeholders}, filled from the register; "{{" and "}}" are literal braces.
// An optional part "[ ... ]" disappears, with its text, when a placeholder in it is unknown to
// the register (TemplateValues::unknown): "The person disappeared[ on {disappearance_date}][ at
// {disappearance_place}]." reads "The person disappeared at Lower mill." when the date is not
// recorded. Outside an optional part an unknown placeholder prints its text ("not recorded").
// "[[" and "]]" are literal brackets; optional parts do not nest.
// Pure: no files.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/pdf/pdf_document.h"

namespace whereabouts::io::pdf {

struct TemplateValues {
  std::map<std::string, std::string> text;           // {name} -> its text
  std::map<std::string, std::vector<Block>> blocks;  // insert: name -> its blocks
  // Placeholders whose value the register does not know (their text says so): an optional part
  // holding one of them is left out.
  std::set<std::string> unknown;
};

// `text` with every {name} replaced and every optional part "[...]" kept (without its brackets)
// or, when it holds a placeholder named in `unknown`, left out. Errors: kInvalidArgument naming
// an unknown placeholder, an unclosed brace or bracket, or a nested optional part ("{where}:
// ..." where is e.g. "certificate-absence.en.txt:12").
[[nodiscard]] Result<std::string> FillPlaceholders(std::string_view text,
                                                   const std::map<std::string, std::string>& values,
                                                   const std::string& where,
                                                   const std::set<std::string>& unknown = {});

// The document the template `text` describes, filled with `values`; `source` names the template
// in errors. Errors: kInvalidArgument (source:line) for an unknown placeholder or insert, an
// unknown directive, or a template without a title. Thread-safe (pure).
[[nodiscard]] Result<Document> DocumentFromTemplate(std::string_view text,
                                                    const TemplateValues& values,
                                                    const std::string& source);

}  // namespace whereabouts::io::pdf
