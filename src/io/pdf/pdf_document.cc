#include "io/pdf/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <string_view>

namespace whereabouts::io::pdf {
namespace {

// A4 in points, margins of 2 cm, the footer below the bottom margin.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kMargin = 56.693;
constexpr double kBottom = kPageHeight - kMargin - 14.0;  // the last line of body text ends here
constexpr double kTextWidth = kPageWidth - 2 * kMargin;
// Every script of the register in one fallback list: pango takes, per character, the first family
// that covers it (fontconfig resolves the names).
constexpr const char* kFamilies =
    "Noto Sans, Noto Sans Armenian, Noto Sans Georgian, Noto Naskh Arabic, Noto Sans Hebrew";

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;
struct FontDeleter {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using FontPtr = std::unique_ptr<PangoFontDescription, FontDeleter>;

FontPtr Font(double size, bool bold) {
  FontPtr f(pango_font_description_from_string(kFamilies));
  pango_font_description_set_size(f.get(), static_cast<int>(size * PANGO_SCALE));
  pango_font_description_set_weight(f.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  return f;
}

// Lays the pages out on one cairo context; counts them so that a second pass can print
// "page N of M".
class Writer {
 public:
  Writer(cairo_t* cr, const Document& doc, int total_pages)
      : cr_(cr), doc_(doc), total_(total_pages) {}

  int pages() const { return page_; }

  void Run() {
    Text(doc_.title, Font(18, true).get(), kMargin, kTextWidth);
    y_ += 8;
    for (const Block& b : doc_.blocks) std::visit([this](const auto& v) { Draw(v); }, b);
    Footer();
  }

 private:
  LayoutPtr Layout(std::string_view text, const PangoFontDescription* font, double width) {
    LayoutPtr l(pango_cairo_create_layout(cr_));
    pango_layout_set_font_description(l.get(), font);
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_auto_dir(l.get(), TRUE);  // each paragraph's direction from its text
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    // No hyphen where a long word (a chain hash) is broken: the text must copy out as it is.
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l.get(), attrs);
    pango_attr_list_unref(attrs);
    return l;
  }

  static double Height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void NewPage() {
    Footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = kMargin;
  }

  // Starts a new page unless `height` more fits on this one (a block taller than a page starts
  // at the top of one).
  bool Ensure(double height) {
    if (y_ + height <= kBottom || y_ <= kMargin) return false;
    NewPage();
    return true;
  }

  void Footer() {
    std::string text = doc_.footer;
    if (total_ > 0) {
      text += (text.empty() ? "" : "  ·  ") + std::string("page ") + std::to_string(page_) +
              " of " + std::to_string(total_);
    }
    if (text.empty()) return;
    const FontPtr font = Font(7.5, false);
    LayoutPtr l = Layout(text, font.get(), kTextWidth);
    pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    cairo_move_to(cr_, kMargin, kPageHeight - kMargin + 4);
    pango_cairo_show_layout(cr_, l.get());
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  // Draws `text` line by line from the cursor at column `x`, breaking pages between lines.
  void Text(std::string_view text, const PangoFontDescription* font, double x, double width) {
    LayoutPtr l = Layout(text, font, width);
    DrawLines(l.get(), x);
  }

  void DrawLines(PangoLayout* l, double x) {
    PangoLayoutIter* it = pango_layout_get_iter(l);
    double shift = y_;  // page y of the layout's top
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double top = static_cast<double>(logical.y) / PANGO_SCALE;
      const double h = static_cast<double>(logical.height) / PANGO_SCALE;
      if (shift + top + h > kBottom && shift + top > kMargin) {
        NewPage();
        shift = kMargin - top;
      }
      const double baseline = static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
      cairo_move_to(cr_, x + static_cast<double>(logical.x) / PANGO_SCALE, shift + baseline);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
      y_ = shift + top + h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  // Draws a laid-out cell at (x, y) without page breaks (rows are kept whole).
  void Cell(PangoLayout* l, double x, double y) {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
  }

  void Rule(double y, double gray) {
    cairo_set_source_rgb(cr_, gray, gray, gray);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kMargin, y);
    cairo_line_to(cr_, kMargin + kTextWidth, y);
    cairo_stroke(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  void Draw(const Heading& h) {
    const FontPtr font = Font(12.5, true);
    LayoutPtr l = Layout(h.text, font.get(), kTextWidth);
    y_ += 10;
    Ensure(Height(l.get()) + 40);  // keep a heading with what follows it
    DrawLines(l.get(), kMargin);
    y_ += 4;
  }

  void Draw(const Paragraph& p) {
    const FontPtr font = Font(10, false);
    Text(p.text, font.get(), kMargin, kTextWidth);
    y_ += 6;
  }

  void Draw(const KeyValueTable& t) {
    const FontPtr key_font = Font(9.5, true);
    const FontPtr value_font = Font(9.5, false);
    const double key_width = kTextWidth * 0.34;
    const double gap = 8;
    for (const auto& [key, value] : t.rows) {
      LayoutPtr k = Layout(key, key_font.get(), key_width);
      LayoutPtr v = Layout(value, value_font.get(), kTextWidth - key_width - gap);
      const double h = std::max(Height(k.get()), Height(v.get())) + 5;
      Ensure(h);
      Cell(k.get(), kMargin, y_ + 2);
      Cell(v.get(), kMargin + key_width + gap, y_ + 2);
      y_ += h;
      Rule(y_, 0.85);
    }
    y_ += 8;
  }

  std::vector<double> ColumnWidths(const Table& t) const {
    const size_t n = std::max<size_t>(t.header.size(), 1);
    constexpr double kNumeric = 64;
    size_t numeric = 0;
    for (size_t c = 0; c < n; ++c) {
      if (std::find(t.numeric.begin(), t.numeric.end(), c) != t.numeric.end()) ++numeric;
    }
    const double rest = (kTextWidth - kNumeric * static_cast<double>(numeric)) /
                        static_cast<double>(std::max<size_t>(n - numeric, 1));
    std::vector<double> w(n);
    for (size_t c = 0; c < n; ++c) {
      const bool num = std::find(t.numeric.begin(), t.numeric.end(), c) != t.numeric.end();
      w[c] = num ? kNumeric : rest;
    }
    return w;
  }

  // One row of cells; `header` shades it. Returns its height.
  void Row(const Table& t, const std::vector<std::string>& cells, const std::vector<double>& w,
           bool header, int indent) {
    const FontPtr font = Font(9, header);
    std::vector<LayoutPtr> ls;
    double h = 0;
    for (size_t c = 0; c < w.size(); ++c) {
      const double pad = c == 0 ? 10.0 * indent : 0.0;
      const std::string text = c < cells.size() ? cells[c] : "";
      LayoutPtr l = Layout(text, font.get(), w[c] - 6 - pad);
      if (std::find(t.numeric.begin(), t.numeric.end(), c) != t.numeric.end()) {
        pango_layout_set_auto_dir(l.get(), FALSE);
        pango_layout_set_alignment(l.get(), PANGO_ALIGN_RIGHT);
      }
      h = std::max(h, Height(l.get()));
      ls.push_back(std::move(l));
    }
    h += 5;
    if (Ensure(h) && !header) Row(t, t.header, w, true, 0);  // the header again on a new page
    if (header) {
      cairo_set_source_rgb(cr_, 0.92, 0.92, 0.92);
      cairo_rectangle(cr_, kMargin, y_, kTextWidth, h);
      cairo_fill(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    double x = kMargin;
    for (size_t c = 0; c < w.size(); ++c) {
      const double pad = c == 0 ? 10.0 * indent : 0.0;
      Cell(ls[c].get(), x + 3 + pad, y_ + 2);
      x += w[c];
    }
    y_ += h;
    Rule(y_, header ? 0.5 : 0.85);
  }

  void Draw(const Table& t) {
    const std::vector<double> w = ColumnWidths(t);
    Ensure(40);
    Row(t, t.header, w, true, 0);
    for (size_t r = 0; r < t.rows.size(); ++r) {
      Row(t, t.rows[r], w, false, r < t.indent.size() ? t.indent[r] : 0);
    }
    y_ += 8;
  }

  void Draw(const BarChart& chart) {
    const FontPtr title_font = Font(9.5, true);
    const FontPtr font = Font(8.5, false);
    LayoutPtr title = Layout(chart.title, title_font.get(), kTextWidth);
    constexpr double kRow = 15;
    Ensure(Height(title.get()) +
           kRow * static_cast<double>(std::min<size_t>(chart.bars.size(), 8)));
    DrawLines(title.get(), kMargin);
    y_ += 3;
    int64_t max = 0;
    for (const auto& [label, value] : chart.bars) max = std::max(max, value);
    const double label_width = kTextWidth * 0.42;
    const double bar_x = kMargin + label_width + 6;
    const double bar_span = kTextWidth - label_width - 6 - 48;
    for (const auto& [label, value] : chart.bars) {
      Ensure(kRow);
      LayoutPtr l = Layout(label, font.get(), label_width);
      pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
      pango_layout_set_height(l.get(), -1);  // one line
      Cell(l.get(), kMargin, y_ + 1);
      const double len =
          max > 0 ? bar_span * static_cast<double>(value) / static_cast<double>(max) : 0.0;
      cairo_set_source_rgb(cr_, 0.27, 0.45, 0.66);
      cairo_rectangle(cr_, bar_x, y_ + 2, std::max(len, value > 0 ? 0.8 : 0.0), kRow - 5);
      cairo_fill(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      LayoutPtr v = Layout(std::to_string(value), font.get(), 46);
      Cell(v.get(), bar_x + len + 3, y_ + 1);
      y_ += kRow;
    }
    y_ += 10;
  }

  cairo_t* cr_;
  const Document& doc_;
  int total_;
  int page_ = 1;
  double y_ = kMargin;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

bool IsDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

// One pass: the PDF bytes, and the number of pages it has.
Result<std::string> Pass(const Document& doc, int total_pages, int* pages) {
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(Append, &out, kPageWidth, kPageHeight);
  // cairo 1.16 dates the file with the clock unless told otherwise: the register's date instead,
  // so that the same register state gives the same bytes.
  const std::string when = doc.date.empty() ? "2000-01-01T00:00:00" : doc.date + "T00:00:00";
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, when.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, when.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.title.c_str());
  if (!doc.subject.empty()) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, doc.subject.c_str());
  }
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Whereabouts");
  cairo_t* cr = cairo_create(surface);
  Writer w(cr, doc, total_pages);
  w.Run();
  *pages = w.pages();
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return MakeError(ErrorCode::kInternal, std::string("cairo failed to write the PDF: ") +
                                               cairo_status_to_string(status));
  }
  return out;
}

}  // namespace

Result<std::string> RenderPdf(const Document& doc) {
  if (!doc.date.empty() && !IsDate(doc.date)) {
    return MakeError(ErrorCode::kInvalidArgument, "the document date must be YYYY-MM-DD", "date");
  }
  int pages = 0;
  WB_RETURN_IF_ERROR(Pass(doc, 0, &pages));
  int again = 0;
  return Pass(doc, pages, &again);
}

}  // namespace whereabouts::io::pdf
