#include "io/pdf/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
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
    const bool first_text = std::find(t.numeric.begin(), t.numeric.end(), 0) == t.numeric.end();
    const double shares = static_cast<double>(std::max<size_t>(n - numeric, 1)) +
                          (first_text ? t.first_column_weight - 1.0 : 0.0);
    const double rest = (kTextWidth - kNumeric * static_cast<double>(numeric)) / shares;
    std::vector<double> w(n);
    for (size_t c = 0; c < n; ++c) {
      const bool num = std::find(t.numeric.begin(), t.numeric.end(), c) != t.numeric.end();
      w[c] = num ? kNumeric : rest * (c == 0 ? t.first_column_weight : 1.0);
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
    std::vector<double> w = ColumnWidths(t);
    // A first text column is widened to its longest body cell (up to a third of the line), taking
    // the room from the other text columns, so that the names of rows do not wrap.
    const bool first_text = std::find(t.numeric.begin(), t.numeric.end(), 0) == t.numeric.end();
    if (first_text && w.size() > 1) {
      const FontPtr font = Font(9, false);
      double natural = 0;
      for (const auto& row : t.rows) {
        if (row.empty()) continue;
        LayoutPtr l = Layout(row[0], font.get(), kTextWidth);
        int lw = 0, lh = 0;
        pango_layout_get_size(l.get(), &lw, &lh);
        natural = std::max(natural, static_cast<double>(lw) / PANGO_SCALE + 8);
      }
      natural = std::min(natural, kTextWidth / 3);
      double others = 0;
      for (size_t c = 1; c < w.size(); ++c) {
        if (std::find(t.numeric.begin(), t.numeric.end(), c) == t.numeric.end()) others += w[c];
      }
      if (natural > w[0] && others > 0) {
        const double scale = (others - (natural - w[0])) / others;
        if (scale > 0.5) {
          for (size_t c = 1; c < w.size(); ++c) {
            if (std::find(t.numeric.begin(), t.numeric.end(), c) == t.numeric.end()) w[c] *= scale;
          }
          w[0] = natural;
        }
      }
    }
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

  // Generations (rows) of a pedigree: a child one below its lower parent; a founder who is the
  // mate of a member placed lower moves down beside that mate.
  static std::vector<int> Generations(const PedigreeDrawing& p,
                                      const std::map<std::string, size_t>& index) {
    const size_t n = p.members.size();
    std::vector<int> gen(n, 0);
    auto at = [&](const std::string& id) -> int {
      auto it = index.find(id);
      return it == index.end() ? -1 : static_cast<int>(it->second);
    };
    for (size_t round = 0; round < 2 * n + 2; ++round) {
      bool changed = false;
      for (size_t i = 0; i < n; ++i) {
        const int f = at(p.members[i].father), m = at(p.members[i].mother);
        int want = 0;
        if (f >= 0) want = std::max(want, gen[static_cast<size_t>(f)] + 1);
        if (m >= 0) want = std::max(want, gen[static_cast<size_t>(m)] + 1);
        if (want > gen[i]) {
          gen[i] = want;
          changed = true;
        }
        // Mates on one row: the higher one (a founder) moves down.
        if (f >= 0 && m >= 0) {
          auto& gf = gen[static_cast<size_t>(f)];
          auto& gm = gen[static_cast<size_t>(m)];
          if (gf != gm) {
            const bool f_founder = at(p.members[static_cast<size_t>(f)].father) < 0 &&
                                   at(p.members[static_cast<size_t>(f)].mother) < 0;
            const bool m_founder = at(p.members[static_cast<size_t>(m)].father) < 0 &&
                                   at(p.members[static_cast<size_t>(m)].mother) < 0;
            if (gf < gm && f_founder) {
              gf = gm;
              changed = true;
            } else if (gm < gf && m_founder) {
              gm = gf;
              changed = true;
            }
          }
        }
      }
      if (!changed) break;
    }
    return gen;
  }

  void Symbol(const PedigreeMember& m, double cx, double cy, double r) {
    cairo_new_path(cr_);
    if (m.sex == "male") {
      cairo_rectangle(cr_, cx - r, cy - r, 2 * r, 2 * r);
    } else if (m.sex == "female") {
      cairo_arc(cr_, cx, cy, r, 0, 2 * 3.14159265358979323846);
    } else {
      cairo_move_to(cr_, cx, cy - r * 1.2);
      cairo_line_to(cr_, cx + r * 1.2, cy);
      cairo_line_to(cr_, cx, cy + r * 1.2);
      cairo_line_to(cr_, cx - r * 1.2, cy);
      cairo_close_path(cr_);
    }
    if (m.shaded) {
      cairo_set_source_rgb(cr_, 0.62, 0.62, 0.62);
    } else {
      cairo_set_source_rgb(cr_, 1, 1, 1);
    }
    cairo_fill_preserve(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, m.marked ? 2.2 : 1.0);
    cairo_stroke(cr_);
    if (m.marked) {
      // An arrow pointing at the missing person from the upper left (clear of the line from its
      // parents, which comes from straight above, and of its label below).
      cairo_set_line_width(cr_, 1.2);
      cairo_move_to(cr_, cx - r - 15, cy - r - 13);
      cairo_line_to(cr_, cx - r - 3, cy - r - 1);
      cairo_stroke(cr_);
      cairo_move_to(cr_, cx - r - 1, cy - r + 1);
      cairo_line_to(cr_, cx - r - 8, cy - r - 1);
      cairo_line_to(cr_, cx - r - 1, cy - r - 8);
      cairo_close_path(cr_);
      cairo_fill(cr_);
    }
  }

  void Draw(const PedigreeDrawing& p) {
    const size_t n = p.members.size();
    if (n == 0) return;
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < n; ++i) index[p.members[i].id] = i;
    const std::vector<int> gen = Generations(p, index);
    const int rows = *std::max_element(gen.begin(), gen.end()) + 1;
    auto at = [&](const std::string& id) -> int {
      auto it = index.find(id);
      return it == index.end() ? -1 : static_cast<int>(it->second);
    };
    // Order within each row: row 0 in the given order; below, children by their parents' middle,
    // each followed by the mates (other parents of its children) placed on its row.
    std::vector<double> x(n, 0.0);
    std::vector<char> placed(n, 0);
    std::vector<std::vector<size_t>> order(static_cast<size_t>(rows));
    auto mates_of = [&](size_t i) {
      std::vector<size_t> mates;
      for (const PedigreeMember& c : p.members) {
        const int f = at(c.father), m = at(c.mother);
        int other = -1;
        if (f == static_cast<int>(i)) other = m;
        if (m == static_cast<int>(i)) other = f;
        if (other >= 0 &&
            std::find(mates.begin(), mates.end(), static_cast<size_t>(other)) == mates.end()) {
          mates.push_back(static_cast<size_t>(other));
        }
      }
      return mates;
    };
    const double slot = 78;
    for (int g = 0; g < rows; ++g) {
      std::vector<std::pair<double, size_t>> keyed;
      for (size_t i = 0; i < n; ++i) {
        if (gen[i] != g || placed[i]) continue;
        const int f = at(p.members[i].father), m = at(p.members[i].mother);
        const bool child = f >= 0 || m >= 0;
        if (g > 0 && !child) continue;  // a mate who married in: placed beside the mate below
        double key = static_cast<double>(i);
        if (child) {
          double sum = 0;
          int k = 0;
          for (int q : {f, m}) {
            if (q >= 0) {
              sum += x[static_cast<size_t>(q)];
              ++k;
            }
          }
          key = sum / k + static_cast<double>(i) * 1e-6;
        }
        keyed.emplace_back(key, i);
      }
      std::stable_sort(keyed.begin(), keyed.end());
      auto& row = order[static_cast<size_t>(g)];
      // Siblings stay together: the mates who married in sit outside the sibship, to the left of
      // its first member and to the right of the others, so that no line of the parents passes
      // over them.
      auto place_mates = [&](size_t i) {
        for (size_t mate : mates_of(i)) {
          if (!placed[mate] && gen[mate] == g) {
            row.push_back(mate);
            placed[mate] = 1;
          }
        }
      };
      for (size_t k = 0; k < keyed.size(); ++k) {
        const size_t i = keyed[k].second;
        if (placed[i]) continue;
        const bool first_of_sibship =
            g > 0 && (k == 0 || p.members[keyed[k - 1].second].father != p.members[i].father ||
                      p.members[keyed[k - 1].second].mother != p.members[i].mother);
        const bool has_siblings_after =
            k + 1 < keyed.size() && p.members[keyed[k + 1].second].father == p.members[i].father &&
            p.members[keyed[k + 1].second].mother == p.members[i].mother;
        if (first_of_sibship && has_siblings_after) place_mates(i);
        row.push_back(i);
        placed[i] = 1;
        place_mates(i);
      }
      for (size_t i = 0; i < n; ++i) {  // anyone left on this row (unconnected)
        if (gen[i] == g && !placed[i]) {
          row.push_back(i);
          placed[i] = 1;
        }
      }
      const double step =
          std::min(slot, kTextWidth / static_cast<double>(std::max<size_t>(row.size(), 1)));
      const double width = step * static_cast<double>(row.size());
      for (size_t k = 0; k < row.size(); ++k) {
        x[row[k]] = kMargin + (kTextWidth - width) / 2 + step * (static_cast<double>(k) + 0.5);
      }
      if (g > 0 && !row.empty()) {
        // Below the first row: each child under its parents' middle where there is room, mates
        // beside their mate, at least `step` apart, then the row moved back onto the page.
        std::vector<double> want(row.size(), -1.0);
        for (size_t k = 0; k < row.size(); ++k) {
          const int f = at(p.members[row[k]].father), m = at(p.members[row[k]].mother);
          double sum = 0;
          int cnt = 0;
          for (int q : {f, m}) {
            if (q >= 0) {
              sum += x[static_cast<size_t>(q)];
              ++cnt;
            }
          }
          if (cnt > 0) want[k] = sum / cnt;
        }
        for (size_t k = 1; k < row.size(); ++k) {
          if (want[k] < 0 && want[k - 1] >= 0) want[k] = want[k - 1] + step;
        }
        for (size_t k = row.size() - 1; k-- > 0;) {
          if (want[k] < 0 && want[k + 1] >= 0) want[k] = want[k + 1] - step;
        }
        if (want[0] >= 0) {
          std::vector<double> at_x(row.size());
          for (size_t k = 0; k < row.size(); ++k) {
            at_x[k] = k == 0 ? want[0] : std::max(want[k], at_x[k - 1] + step);
          }
          const double right = kMargin + kTextWidth - step / 2, left = kMargin + step / 2;
          if (at_x.back() > right) {
            const double shift = at_x.back() - right;
            for (double& v : at_x) v -= shift;
          }
          if (at_x.front() >= left) {
            for (size_t k = 0; k < row.size(); ++k) x[row[k]] = at_x[k];
          }  // else: too wide to follow the parents; the even spread above stays
        }
      }
    }
    const double r = 9;
    const double row_height = 74;
    const double height = row_height * rows + 8;
    Ensure(height);
    const double top = y_ + r + 4;
    auto ypos = [&](size_t i) { return top + row_height * gen[i]; };
    // Lines first: each couple (or single known parent) to its children.
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, 0.9);
    std::set<std::pair<int, int>> couples;
    for (const PedigreeMember& c : p.members) {
      const int f = at(c.father), m = at(c.mother);
      if (f >= 0 || m >= 0) couples.insert({f, m});
    }
    for (const auto& [f, m] : couples) {
      double px, py;
      if (f >= 0 && m >= 0) {
        const double xf = x[static_cast<size_t>(f)], xm = x[static_cast<size_t>(m)];
        const double yf = ypos(static_cast<size_t>(f)), ym = ypos(static_cast<size_t>(m));
        cairo_move_to(cr_, xf, yf);
        cairo_line_to(cr_, xm, ym);
        cairo_stroke(cr_);
        px = (xf + xm) / 2;
        py = (yf + ym) / 2;
      } else {
        const size_t q = static_cast<size_t>(f >= 0 ? f : m);
        px = x[q];
        py = ypos(q) + r;
      }
      std::vector<size_t> kids;
      for (size_t i = 0; i < n; ++i) {
        if (at(p.members[i].father) == f && at(p.members[i].mother) == m) kids.push_back(i);
      }
      double lo = px, hi = px, child_y = py + row_height;
      for (size_t k : kids) {
        lo = std::min(lo, x[k]);
        hi = std::max(hi, x[k]);
        child_y = ypos(k);
      }
      const double bar = child_y - r - 14;
      cairo_move_to(cr_, px, py);
      cairo_line_to(cr_, px, bar);
      cairo_move_to(cr_, lo, bar);
      cairo_line_to(cr_, hi, bar);
      for (size_t k : kids) {
        cairo_move_to(cr_, x[k], bar);
        cairo_line_to(
            cr_, x[k],
            ypos(k) - r * (p.members[k].sex == "male" || p.members[k].sex == "female" ? 1.0 : 1.2));
      }
      cairo_stroke(cr_);
    }
    const FontPtr font = Font(7, false);
    for (size_t i = 0; i < n; ++i) {
      Symbol(p.members[i], x[i], ypos(i), r);
      LayoutPtr l = Layout(p.members[i].label, font.get(), slot - 4);
      pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
      Cell(l.get(), x[i] - (slot - 4) / 2, ypos(i) + r + 3);
    }
    y_ += height + 6;
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
