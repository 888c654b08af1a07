// The readers of src/io/ on bad input: each case here is a refusal with a clear Error (file, line,
// field), never an exception. Several are crashes that fuzzing (fuzz/) found; they are named so.
// All data is synthetic.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/numbers.h"
#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/geojson.h"
#include "io/kinship_case_json.h"
#include "io/list_csv.h"
#include "io/registry_csv.h"
#include "io/remains_csv.h"

namespace whereabouts::io {
namespace {

using ::testing::HasSubstr;

// --- numbers and ids ---------------------------------------------------------------------------

TEST(Numbers, IdsAreWholeNumbersFromOneToTwoToThe53Minus1) {
  EXPECT_EQ(*ParseEntityId("1", "id"), 1);
  EXPECT_EQ(*ParseEntityId("9007199254740991", "id"), kMaxEntityId);
  for (const char* bad : {"", "0", "-1", "9007199254740992", "9223372036854775807",
                          "99999999999999999999", "12a", "1.0", " 1", "+1", "1e3", "abc"}) {
    auto r = ParseEntityId(bad, "f.csv:3: id");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "f.csv:3: id") << bad;
    EXPECT_THAT(r.error().message, HasSubstr("register id")) << bad;
  }
  EXPECT_THAT(ParseEntityId("9223372036854775807", "id").error().message,
              HasSubstr("out of range"));
  EXPECT_THAT(ParseEntityId("x", "id").error().message, HasSubstr("not a whole number"));
}

TEST(Numbers, IntegersAndDecimalsNeverTurnGarbageIntoZero) {
  EXPECT_EQ(*ParseInteger("-5", -10, 10, "n"), -5);
  EXPECT_FALSE(ParseInteger("11", -10, 10, "n"));
  EXPECT_FALSE(ParseInteger("0x1", 0, 10, "n"));
  EXPECT_DOUBLE_EQ(*ParseDecimal("0.25", "f"), 0.25);
  EXPECT_DOUBLE_EQ(*ParseDecimal("1e-3", "f"), 0.001);
  for (const char* bad : {"", "abc", "1e400", "nan", "inf", "0.5x", " 0.5", "0,5"}) {
    auto r = ParseDecimal(bad, "f");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "f");
  }
}

// --- UTF-8 -------------------------------------------------------------------------------------

TEST(Utf8, ValidTextPassesAndMalformedBytesAreFound) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("Харатян Ղազարյան ჯანელიძე \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xE9z"), 2u);           // Latin-1 'é'
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);     // a UTF-16 surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xD0"), 2u);            // cut short
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);              // a lone continuation byte
}

// Fuzzing found it: a Latin-1 byte in a persons CSV passed the reader and made a later step throw
// ("internal error", no file or line).
TEST(Utf8, Latin1ByteInACsvIsRefusedWithFileAndLine) {
  auto t = DelimitedTable::Parse("family_name,given_name\nVelani,Arsen\nCaf\xE9,Ana\n", "p.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.error().field, "p.csv:3");
  EXPECT_THAT(t.error().message, HasSubstr("0xE9"));
  EXPECT_THAT(t.error().message, HasSubstr("UTF-8"));
  auto nul = DelimitedTable::Parse(std::string("a,b\n1,\0\n", 8), "n.csv");
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().field, "n.csv:2");
  EXPECT_THAT(nul.error().message, HasSubstr("NUL"));
}

TEST(Utf8, EveryDelimitedReaderRefusesIt) {
  const std::string bad = "\xFF";
  auto a = ParseAlleleTable("Sample Name,Marker,Allele 1\nS" + bad + ",TH01,6\n", "a.csv");
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().field, "a.csv:2");
  auto f =
      ParseFamilies("family,id,father,mother,sex,role\nF" + bad + ",1,,,male,missing\n", "f.csv");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().field, "f.csv:2");
  auto r = ParseRemains("sample,bag\nS1,B" + bad + "\n", "r.csv");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "r.csv:2");
  auto q = ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6" + bad + "\t1\n", "q.tsv");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().field, "q.tsv:2");
}

// --- CSV: CR, width ----------------------------------------------------------------------------

TEST(Delimited, CellsWithCrRoundTrip) {
  const std::vector<std::string> cells{"a\rb", "a\r\nb", "\r", "x\n", "\r\n"};
  for (char delimiter : {',', '\t'}) {
    for (Quoting quoting : {Quoting::kWhenNeeded, Quoting::kRfc4180}) {
      DelimitedWriter w(delimiter, quoting);
      w.Row({"c1", "c2", "c3", "c4", "c5"});
      w.Row(cells);
      auto t = DelimitedTable::Parse(w.text(), "cr.csv",
                                     DelimitedOptions{0, quoting == Quoting::kWhenNeeded});
      ASSERT_TRUE(t) << t.error().ToString();
      ASSERT_EQ(t->rows().size(), 1u);
      EXPECT_EQ(t->rows()[0].cells, cells);
    }
  }
}

// Fuzzing found it: a header cell that is a byte-order mark, written at the start of a strict
// RFC 4180 file, read back as the file's byte-order mark (an empty header).
TEST(Delimited, AByteOrderMarkCellAtTheStartRoundTrips) {
  for (Quoting quoting : {Quoting::kWhenNeeded, Quoting::kRfc4180}) {
    DelimitedWriter w(',', quoting);
    w.Row({"\xEF\xBB\xBF", "b"});
    w.Row({"\xEF\xBB\xBFx", "y"});
    auto t = DelimitedTable::Parse(w.text(), "bom.csv",
                                   DelimitedOptions{',', quoting == Quoting::kWhenNeeded});
    ASSERT_TRUE(t) << t.error().ToString();
    EXPECT_EQ(t->header(), (std::vector<std::string>{"\xEF\xBB\xBF", "b"}));
    ASSERT_EQ(t->rows().size(), 1u);
    EXPECT_EQ(t->rows()[0].cells, (std::vector<std::string>{"\xEF\xBB\xBFx", "y"}));
  }
}

TEST(Delimited, ARowOfOneEmptyCellIsNotABlankLine) {
  DelimitedWriter w(',');
  w.Row({"name"});
  w.Row({""});
  w.Row({"x"});
  auto t = DelimitedTable::Parse(w.text(), "one.csv");
  ASSERT_TRUE(t) << t.error().ToString();
  ASSERT_EQ(t->rows().size(), 2u);
  EXPECT_EQ(t->rows()[0].cells, std::vector<std::string>{""});
}

TEST(Delimited, RowsOfTheWrongWidthAreRefusedWithTheirLine) {
  auto short_row = DelimitedTable::Parse("a,b,c\n1,2,3\n4,5\n", "w.csv");
  ASSERT_FALSE(short_row);
  EXPECT_EQ(short_row.error().field, "w.csv:3");
  EXPECT_THAT(short_row.error().message, HasSubstr("2 cells, the header has 3"));
  auto long_row = DelimitedTable::Parse("a,b\n1,2,3\n", "w.csv");
  ASSERT_FALSE(long_row);
  EXPECT_EQ(long_row.error().field, "w.csv:2: column 3");
  // Empty cells after the last column (a trailing delimiter) lose nothing: accepted.
  auto trailing = DelimitedTable::Parse("a,b\n1,2,\n3,4\n", "w.csv");
  ASSERT_TRUE(trailing) << trailing.error().ToString();
  EXPECT_EQ(trailing->rows()[0].cells, (std::vector<std::string>{"1", "2"}));
  auto header_trailing = DelimitedTable::Parse("a,b,\n1,2,\n", "w.csv");
  ASSERT_TRUE(header_trailing) << header_trailing.error().ToString();
}

TEST(Delimited, KnownColumnsNameTheUnknownOneAndTheClosest) {
  auto t = DelimitedTable::Parse("family_name,birthdate\nA,1970-01-01\n", "p.csv");
  ASSERT_TRUE(t);
  auto s = t->RequireKnownColumns({"family_name", "birth_date"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "p.csv:1: birthdate");
  EXPECT_THAT(s.error().message, HasSubstr("unknown column 'birthdate'"));
  EXPECT_THAT(s.error().message, HasSubstr("did you mean 'birth_date'"));
  EXPECT_THAT(s.error().message, HasSubstr("family_name, birth_date"));
  EXPECT_TRUE(t->RequireKnownColumns({"Family_Name", "BIRTHDATE"}));
}

// --- the register's CSV files ------------------------------------------------------------------

Result<std::vector<registry::Event>> Persons(const std::string& text) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, "persons.csv"));
  return PersonsFromCsv(t, *registry::Date::Parse("2020-01-01"), "tester", "import");
}

Result<std::vector<registry::Event>> Relatives(const std::string& text) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, "relatives.csv"));
  return RelativesFromCsv(t, *registry::Date::Parse("2020-01-01"), "tester", "import");
}

TEST(RegistryCsv, MisspelledColumnsAreRefusedNamingTheExpectedOnes) {
  auto birth = Persons("family_name,birthdate\nVelani,1970-01-02\n");
  ASSERT_FALSE(birth);
  EXPECT_EQ(birth.error().field, "persons.csv:1: birthdate");
  EXPECT_THAT(birth.error().message, HasSubstr("did you mean 'birth_date'"));
  EXPECT_THAT(birth.error().message, HasSubstr("disappearance_place"));
  auto dis = Persons("family_name,disapearance_date\nVelani,1992-05-01\n");
  ASSERT_FALSE(dis);
  EXPECT_EQ(dis.error().field, "persons.csv:1: disapearance_date");
  EXPECT_THAT(dis.error().message, HasSubstr("did you mean 'disappearance_date'"));
  auto rel = Relatives("person,name,relation\n1,Ana,mother\n");
  ASSERT_FALSE(rel);
  EXPECT_EQ(rel.error().field, "relatives.csv:1: relation");
  EXPECT_THAT(rel.error().message, HasSubstr("relationship"));
  // Every documented column, in any case, with id and recorded_on.
  auto all = Persons(
      "ID,family_name,given_name,father_name,other_names,sex,birth_date,birth_year_min,"
      "birth_year_max,affiliation,unit,disappearance_date,disappearance_place,circumstances,"
      "recorded_on\n"
      "3,Velani,Arsen,Toma,Velanov,male,,1960,1962,civilian,,1992-05-01,Lerin,taken,2019-01-01\n");
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ((*all)[0].entity_id, 3);
}

TEST(RegistryCsv, ShortAndLongRowsAreRefusedWithTheirLine) {
  auto short_row = Persons("family_name,given_name,sex\nVelani,Arsen,male\nKarsan,Ana\n");
  ASSERT_FALSE(short_row);
  EXPECT_EQ(short_row.error().field, "persons.csv:3");
  auto long_row = Persons("family_name,given_name\nVelani,Arsen,male\n");
  ASSERT_FALSE(long_row);
  EXPECT_EQ(long_row.error().field, "persons.csv:2: column 3");
}

TEST(RegistryCsv, IdsOutOfRangeAreRefused) {
  for (const char* id : {"9223372036854775807", "0", "-4", "9007199254740992", "7x"}) {
    auto p = Persons(std::string("id,family_name\n") + id + ",Velani\n");
    ASSERT_FALSE(p) << id;
    EXPECT_EQ(p.error().field, "persons.csv:2: id") << id;
    auto r = Relatives(std::string("person,name\n") + id + ",Ana\n");
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(r.error().field, "relatives.csv:2: person") << id;
  }
  auto ok = Relatives("person,name,relationship,consent\n9007199254740991,Ana,mother,none\n");
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ((*ok)[0].Get("person"), "9007199254740991");
}

// The crash of `import identifications` (std::stoll on families.csv's person) starts here: a
// person that is not a register id never leaves the reader as one. The member is read without a
// link (as dvir's exports, which name the missing person M1 there, need), with a warning.
TEST(Families, PersonThatIsNotARegisterIdIsNotKept) {
  auto f = ParseFamilies(
      "family,id,father,mother,sex,role,person\nF1,a,,,male,missing,12\n"
      "F2,b,,,male,missing,abc\nF3,c,,,male,missing,9223372036854775807\n",
      "families.csv");
  ASSERT_TRUE(f) << f.error().ToString();
  ASSERT_EQ(f->families.size(), 3u);
  EXPECT_EQ(f->families[0].members[0].person, "12");
  EXPECT_EQ(f->families[1].members[0].person, "");
  EXPECT_EQ(f->families[2].members[0].person, "");
  EXPECT_TRUE(f->skipped.empty());
  ASSERT_EQ(f->warnings.size(), 2u);
  EXPECT_EQ(f->warnings[0].field, "families.csv:3: person");
  EXPECT_THAT(f->warnings[0].message, HasSubstr("register id"));
  EXPECT_THAT(f->warnings[0].message, HasSubstr("without a link"));
  EXPECT_EQ(f->warnings[1].field, "families.csv:4: person");
  EXPECT_THAT(f->warnings[1].message, HasSubstr("out of range"));
}

// --- frequency database ------------------------------------------------------------------------

TEST(FrequencyTsv, BadNumbersAndWidthsNameTheLine) {
  for (const char* f : {"1e400", "nan", "0.5.1", "inf", ""}) {
    auto db =
        ParseFrequencyTsv(std::string("marker\tallele\tfrequency\nTH01\t6\t") + f + "\n", "q.tsv");
    ASSERT_FALSE(db) << f;
    EXPECT_EQ(db.error().field, "q.tsv:2: frequency") << f;
  }
  auto short_row = ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6\n", "q.tsv");
  ASSERT_FALSE(short_row);
  EXPECT_EQ(short_row.error().field, "q.tsv:2");
  // Extra columns are allowed by FORMATS.md and ignored.
  auto extra = ParseFrequencyTsv("marker\tallele\tfrequency\tsource\nTH01\t6\t1\tlab\n", "q.tsv");
  ASSERT_TRUE(extra) << extra.error().ToString();
}

// --- JSON --------------------------------------------------------------------------------------

std::string KinshipCase(const std::string& theta) {
  return R"({"id":"c1","frequencies":"f.tsv","markers":["TH01"],"theta":)" + theta +
         R"(,
"h1":[{"id":"a","sex":"male"}],"h2":[{"id":"a","sex":"male"}],"genotypes":{}})";
}

// Fuzzing found it: nlohmann's out_of_range for a number beyond double escaped the reader.
TEST(KinshipCaseJson, NumberBeyondDoubleIsAnErrorWithFileAndLine) {
  auto c = ParseCaseFile(KinshipCase("1e400"), "cases/k.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.error().field, "cases/k.json:1");
  EXPECT_THAT(c.error().message, HasSubstr("1e400"));
  ASSERT_TRUE(ParseCaseFile(KinshipCase("0.01"), "cases/k.json"));
}

TEST(KinshipCaseJson, ValuesOfTheWrongTypeNameTheCase) {
  const std::string good = KinshipCase("0.01");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return ParseCaseFile(s, "k.json");
  };
  struct Bad {
    std::string from, to, message;
  } cases[] = {
      {R"("theta":0.01)", R"("theta":"x")", "\"theta\" must be a number"},
      {R"("id":"c1")", R"("id":5)", "\"id\" must be a string"},
      {R"(["TH01"])", R"([1])", "\"markers\" must be a string"},
      {R"("sex":"male"}],"h2")", R"("sex":1}],"h2")", "\"sex\" must be a string"},
      {R"("id":"a","sex":"male"}],"h2")", R"("id":"a","father":[],"sex":"male"}],"h2")",
       "\"father\" must be a string"},
      {R"("genotypes":{})", R"("genotypes":{},"dropout":{"s":"x"})", "must be a number"},
      {R"("genotypes":{})", R"("genotypes":{},"mutation":{"model":3})", "\"model\" must be"},
      {R"("genotypes":{})", R"("genotypes":{},"expected":{"per_marker":{"TH01":"x"}})",
       "must be a number"},
  };
  for (const Bad& b : cases) {
    auto c = with(b.from, b.to);
    ASSERT_FALSE(c) << b.to;
    EXPECT_THAT(c.error().ToString(), HasSubstr("k.json")) << b.to;
    EXPECT_THAT(c.error().message, HasSubstr(b.message)) << b.to << ": " << c.error().ToString();
  }
  auto malformed = ParseCaseFile("{\n\"id\": }", "k.json");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().field, "k.json:2");
}

// Fuzzing found it: {"type":1} made nlohmann's json::value throw a type_error.
TEST(GeoJson, TypeOfTheWrongKindIsAnErrorNamingTheFile) {
  for (const char* bad : {
           R"({"type":1})",
           R"({"type":"FeatureCollection","features":[{"type":1}]})",
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},
              "geometry":{"type":2,"coordinates":[0,0]}}]})",
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},
              "geometry":{"type":"MultiPolygon","coordinates":5}}]})",
           R"({"type":"Feature","properties":{"name":"X"},"geometry":{"type":"Point",
              "coordinates":[1e400,0]}})",
           "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xE9\"}}",
       }) {
    auto f = ParseGeoJson(bad, "sites.geojson");
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_THAT(f.error().ToString(), HasSubstr("sites.geojson")) << bad;
  }
  auto overflow = ParseGeoJson("{\"type\":\"Feature\",\n\"geometry\":[1e400]}", "s.geojson");
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().field, "s.geojson:2");
}

// --- the list of persons sought ----------------------------------------------------------------

registry::ListEntry Entry(int64_t id, std::string family, std::string place) {
  registry::ListEntry e;
  e.id = id;
  e.family_name = std::move(family);
  e.given_name = "Arsen";
  e.sex = "male";
  e.disappearance_place = std::move(place);
  return e;
}

TEST(ListCsv, CanonicalBytesAreUnchangedAndRoundTrip) {
  const std::vector<registry::ListEntry> l = {Entry(1, "Velani, jr.", " Lerin "),
                                              Entry(2, "Say \"Tom\"", "two\r\nlines"),
                                              Entry(3, "Харатян", "")};
  const std::string csv = ListToCsv(l);
  // The rule the list's SHA-256 is taken over: quotes only around a comma, quote, CR or LF.
  EXPECT_EQ(csv,
            "id,family_name,given_name,father_name,other_names,sex,birth,affiliation,unit,"
            "disappearance_date,disappearance_place,capture\n"
            "1,\"Velani, jr.\",Arsen,,,male,,,,, Lerin ,\n"
            "2,\"Say \"\"Tom\"\"\",Arsen,,,male,,,,,\"two\r\nlines\",\n"
            "3,Харатян,Arsen,,,male,,,,,,\n");
  auto back = ListFromCsv(csv);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, l);
}

TEST(ListCsv, BadFilesAreRefusedNamingTheLine) {
  EXPECT_FALSE(ListFromCsv("id,name\n1,x\n"));
  const std::string header =
      "id,family_name,given_name,father_name,other_names,sex,birth,affiliation,unit,"
      "disappearance_date,disappearance_place,capture\n";
  auto id = ListFromCsv(header + "9223372036854775807,A,,,,,,,,,,\n");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().field, "line 2: id");
  auto width = ListFromCsv(header + "1,A,,,\n");
  ASSERT_FALSE(width);
  EXPECT_EQ(width.error().field, "line 2");
  auto latin1 = ListFromCsv(header + "1,\xC9,,,,,,,,,,\n");
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().field, "line 2");
}

}  // namespace
}  // namespace whereabouts::io
