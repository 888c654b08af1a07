// End-to-end tests of the register's DNA work through the real binary, on SQLite and on
// PostgreSQL (backend_cli.h): families with their relatives as pedigrees, reference
// profiles, unique labels and sample ids, `identify --db`, `export dna`, and the DNA rules at
// confirmation (consent, DNA sex against the register's sex, unknown register ids).
#include <gtest/gtest.h>

#include <fstream>

#include "cli_registry/backend_cli.h"
#include "cli_registry/dna_case.h"

namespace whereabouts::testing {
namespace {

class DnaRegisterCliTest : public BackendCliTest {};
WB_INSTANTIATE_ON_BOTH_BACKENDS(DnaRegisterCliTest);

TEST_P(DnaRegisterCliTest, WholeCaseFromRegisterToFigures) { RunDnaCase(dir_, db_); }

// A woman of the register is not confirmed from remains whose DNA shows Y, unless the reviewer
// overrides the check explicitly with a reason, which is recorded.
TEST_P(DnaRegisterCliTest, WomanFromRemainsShowingYRefusedUnlessOverridden) {
  ASSERT_EQ(Wb("person add --family-name Morsa --given-name Ana --sex female").rc, 0);
  ASSERT_EQ(Wb("remains add --label B-9 --kind body --holder Lab").rc, 0);
  ASSERT_EQ(Wb("remains sample 1 --sample Y-1").rc, 0);
  std::ofstream(dir_.File("y.tsv")) << kAlleleHeader << AlleleRows("Y-1", 0, 2, "X\tY");
  ASSERT_EQ(Wb("remains profile import y.tsv").rc, 0);
  RunResult r =
      Wb("identification propose 1 --date 2024-05-05 --remains B-9 --by lab --reason "
         "'identity card found with the body'");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb("identification confirm 1 --by reviewer --reason 'card and photo agree'");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "person 1 is registered female, but sample Y-1 of remains B-9 shows Y"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "--override-sex-check")) << r.err;
  EXPECT_TRUE(Has(Wb("person show 1 --json").out, "\"status\": \"open\""));
  r =
      Wb("identification confirm 1 --override-sex-check --by reviewer --reason 'sex recorded "
         "wrongly by the office; birth certificate says male'");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb("person show 1 --history");
  EXPECT_TRUE(Has(r.out, "sex_check_overridden")) << r.out;
  EXPECT_TRUE(Has(Wb("person show 1 --json").out, "\"status\": \"identified\""));
}

// An identification from a bag of commingled remains of the register is counted as such, not
// under "other"; one from a grave of the register under that grave.
TEST_P(DnaRegisterCliTest, IdentificationsFromCommingledBagsAndGravesAreCountedByTheirSource) {
  Ok("site add --name 'Field grave' --kind mass_grave --lon 21.3 --lat 44.2");
  Ok("remains add --label B-7 --kind bag --commingled --holder Lab");
  Ok("remains add --label G-1 --kind body --site 1 --holder Lab");
  Ok("person add --family-name Velani --sex male");
  Ok("person add --family-name Morsa --sex male");
  Ok("identification propose 1 --date 2024-05-05 --remains B-7 --by lab --reason 'DNA report'");
  Ok("identification propose 2 --date 2024-05-05 --remains G-1 --site 1 --by lab --reason "
     "'DNA report'");
  for (const char* id : {"1", "2"}) {
    Ok(std::string("identification confirm ") + id + " --by reviewer --reason 'report checked'");
  }
  const auto f = FiguresCsv(Wb("report figures --format csv").out);
  EXPECT_EQ(f.at("identified"), 2);
  EXPECT_EQ(f.at("identified.by_source.commingled"), 1);
  EXPECT_EQ(f.at("identified.by_source.graves"), 1);
  EXPECT_EQ(f.at("identified.by_source.graves.1"), 1);
  EXPECT_EQ(f.at("identified.by_source.other"), 0);
}

// A register id that names no person is reported as such, not as a case that is not open.
TEST_P(DnaRegisterCliTest, UnknownRegisterIdIsReportedAsUnknown) {
  ASSERT_EQ(Wb("person add --family-name Velani").rc, 0);
  std::ofstream(dir_.File("families.csv")) << "family,id,father,mother,sex,role,sample,person\n"
                                              "F1,MP,,,male,missing,,99\n";
  std::ofstream(dir_.File("identifications.csv"))
      << "individual,family,missing,lr,posterior,decision,reason\n"
         "I1,F1,MP,1e9,0.9999,identified,\n";
  RunResult r = Wb("import identifications identifications.csv --families families.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "proposed 0 identifications")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "1 with a register id the register does not have, 0 whose case is not "
                  "open"))
      << r.out;
}

// A DNA proposal imported from a laboratory's run is not confirmed while no relative who gave a
// reference sample consents to identification.
TEST_P(DnaRegisterCliTest, ConfirmationRefusedWhileTheFamilysConsentIsNone) {
  ASSERT_EQ(Wb("person add --family-name Velani --sex male").rc, 0);
  ASSERT_EQ(Wb("person relative-add 1 --name 'Velani Mara' --relationship mother --sample "
               "REF-1 --consent none")
                .rc,
            0);
  std::ofstream(dir_.File("families.csv")) << "family,id,father,mother,sex,role,sample,person\n"
                                              "F1,MP,,,male,missing,,1\n";
  std::ofstream(dir_.File("identifications.csv"))
      << "individual,family,missing,lr,posterior,decision,reason\n"
         "I1,F1,MP,1e9,0.9999,identified,\n";
  RunResult r = Wb("import identifications identifications.csv --families families.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb("identification confirm 1 --by reviewer --reason 'report checked'");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(Has(r.err, "consents to identification")) << r.err;
  // Withdrawn after being given: the same.
  ASSERT_EQ(Wb("person relative-consent 1 --consent identification --reason 'form signed'").rc, 0);
  ASSERT_EQ(Wb("person relative-consent 1 --consent none --reason 'withdrawn by letter'").rc, 0);
  r = Wb("identification confirm 1 --by reviewer --reason 'report checked'");
  EXPECT_EQ(r.rc, 2) << r.out;
  ASSERT_EQ(Wb("person relative-consent 1 --consent identification --reason 'given again'").rc, 0);
  r = Wb("identification confirm 1 --by reviewer --reason 'report checked'");
  EXPECT_EQ(r.rc, 0) << r.err;
}

// Relationships become pedigrees: siblings share untyped parents, an uncle hangs from untyped
// grandparents, a relative with recorded parents is placed by them.
TEST_P(DnaRegisterCliTest, RelationshipsAndParentsBecomeAPedigree) {
  ASSERT_EQ(Wb("person add --family-name Velani --sex female").rc, 0);
  ASSERT_EQ(Wb("person relative-add 1 --name A --relationship 'full sister'").rc, 0);
  ASSERT_EQ(Wb("person relative-add 1 --name B --relationship paternal_uncle").rc, 0);
  ASSERT_EQ(Wb("person relative-add 1 --name C --relationship spouse").rc, 0);
  ASSERT_EQ(Wb("person relative-add 1 --name D --relationship other --sex male "
               "--father relative:3 --mother person:1")
                .rc,
            0);
  RunResult r = Wb("person relative-add 1 --name E --relationship other --father relative:9");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "is not another relative of person 1")) << r.err;
  r = Wb("person relative-add 1 --name E --relationship father --sex female");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "contradicts the relationship father")) << r.err;
  r = Wb("person family 1");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "F1,M,M~father,M~mother,female,missing,,1")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,R1,M~father,M~mother,female,untyped,,")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,R2,M~father~father,M~father~mother,male,untyped,,")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,M~father,M~father~father,M~father~mother,male,untyped,,")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,R4,R3,M,male,untyped,,")) << r.out;
  // A record of the relative's place changes the pedigree.
  ASSERT_EQ(Wb("person relative-pedigree 1 --relationship maternal_half_sister").rc, 0);
  r = Wb("person family 1");
  EXPECT_TRUE(Has(r.out, "F1,R1,R1~father,M~mother,female,untyped,,")) << r.out;
}

}  // namespace
}  // namespace whereabouts::testing
