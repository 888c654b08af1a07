// Conditioning on the register (issue 9, point 3), through the real binary: `identify --db` places
// the identifications confirmed in the register as typed members of their family's pedigree for
// everything that follows, names them in summary.json, in the run recorded in the register, in
// matches.csv / identifications.csv (conditioned_on, given) and in the reason of each decision
// they conditioned; the individual and the person identified are not proposed again; a revoked
// identification is not used; --identified is refused with --db.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_registry/cli_util.h"
#include "cli_registry/dna_case.h"
#include "registry/store_port.h"
#include "store/sqlite_store.h"

namespace whereabouts::testing {
namespace {

// A CSV file as rows of named cells (quoted cells with commas; no line breaks inside cells).
std::vector<std::map<std::string, std::string>> ReadCsv(const std::string& path) {
  std::istringstream in(Slurp(path));
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// The individual of run `out` that holds `sample` (individuals.csv).
std::string IndividualOf(const TempDir& dir, const std::string& out, const std::string& sample) {
  for (const auto& r : ReadCsv(dir.File(out + "/individuals.csv"))) {
    if (r.at("sample") == sample) return r.at("individual");
  }
  return "";
}

// The row of `file` (identifications.csv, matches.csv) for `individual` (and `missing` if given).
std::map<std::string, std::string> RowOf(const TempDir& dir, const std::string& file,
                                         const std::string& individual,
                                         const std::string& missing = "") {
  for (const auto& r : ReadCsv(dir.File(file))) {
    if (r.at("individual") == individual && (missing.empty() || r.at("missing") == missing)) {
      return r;
    }
  }
  return {};
}

// The payload of the source.identify_run event of run `run`.
std::map<std::string, std::string> RunRecord(const TempDir& dir, const std::string& run) {
  auto store = store::SqliteStore::Open(dir.File("whereabouts.db"));
  if (!store) return {};
  registry::EventQuery q;
  q.kind = registry::EntityKind::kSource;
  q.payload_equals = std::make_pair(std::string("run"), run);
  auto events = (*store)->Events(q);
  if (!events) return {};
  for (const auto& e : *events) {
    if (e.type == "source.identify_run") return {e.payload.begin(), e.payload.end()};
  }
  return {};
}

// A father and his son missing (persons 1 and 2), the father's wife (the son's mother) typed as
// the reference. The son's body was identified by documents and confirmed; the father's remains
// are then identifiable only with the son's remains in the pedigree: against the wife alone they
// carry no evidence (she is not related to him).
TEST(ConditioningCliTest, RunOnRegisterConditionsOnConfirmedNotOnRevokedIdentifications) {
  TempDir dir;
  auto ok = [&](const std::string& args) {
    RunResult r = Wb(dir, args);
    EXPECT_EQ(r.rc, 0) << args << "\n" << r.err;
    return r;
  };
  std::ofstream(dir.File("refs.tsv")) << kAlleleHeader << AlleleRows("REF-W", 2, 3, "X");
  std::ofstream(dir.File("remains.tsv"))
      << kAlleleHeader << AlleleRows("RS-F", 0, 1, "X\tY") << AlleleRows("RS-S", 0, 2, "X\tY");
  ok("person add --family-name Velani --given-name Tomas --sex male");
  ok("person add --family-name Velani --given-name Ilir --sex male");
  ok("person relative-add 1 --name 'Velani Mara' --relationship spouse --sample REF-W");
  ok("person relative-add 1 --name 'Velani Ilir' --relationship son --missing-person 2");
  ok("remains add --label G-1 --kind body --holder Lab");
  ok("remains sample 1 --sample RS-F");
  ok("remains add --label G-2 --kind body --holder Lab");
  ok("remains sample 2 --sample RS-S");
  ok("reference profile import refs.tsv");
  ok("remains profile import remains.tsv");
  ok("identification propose 2 --remains G-2 --by clerk --reason 'identity card on the body'");
  ok("identification confirm 1 --by reviewer --reason 'card and photo agree'");

  // A file of identifications is not a confirmation: refused with --db, nothing written.
  std::ofstream(dir.File("given.csv")) << "individual,family,missing\nRS-S,F1,R2\n";
  RunResult r = Wb(dir, "identify --db whereabouts.db --out x --quiet --identified given.csv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "--identified")) << r.err;
  EXPECT_TRUE(Has(r.err, "identifications confirmed in the register")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("x")));

  // The run conditions on the son (relative 2 of person 1 is member R2 of family F1).
  r = ok("identify --db whereabouts.db --out c1 --quiet --by lab --reason 'DNA run'");
  EXPECT_TRUE(Has(r.out, "conditioned on:  1 identifications given")) << r.out;
  const auto summary = nlohmann::json::parse(Slurp(dir.File("c1/summary.json")));
  const auto& used = summary["conditioning"]["used"];
  ASSERT_EQ(used.size(), 1u) << summary["conditioning"].dump();
  const std::string son = IndividualOf(dir, "c1", "RS-S");
  const std::string father = IndividualOf(dir, "c1", "RS-F");
  ASSERT_FALSE(son.empty());
  ASSERT_FALSE(father.empty());
  EXPECT_EQ(used[0]["individual"], son);
  EXPECT_EQ(used[0]["family"], "F1");
  EXPECT_EQ(used[0]["missing"], "R2");
  EXPECT_EQ(used[0]["sample"], "RS-S");
  EXPECT_EQ(used[0]["proposal"], 1);
  EXPECT_EQ(used[0]["person"], 2);
  EXPECT_TRUE(summary["conditioning"]["not_used"].empty());
  // The son: given, not scored again; the father: identified, conditioned on the son.
  auto row = RowOf(dir, "c1/identifications.csv", son);
  EXPECT_EQ(row["given"], "yes");
  EXPECT_EQ(row["missing"], "R2");
  row = RowOf(dir, "c1/identifications.csv", father);
  EXPECT_EQ(row["decision"], "identified") << row["reason"];
  EXPECT_EQ(row["family"], "F1");
  EXPECT_EQ(row["missing"], "M");
  EXPECT_TRUE(Has(row["conditioned_on"], son + " as R2 (given)")) << row["conditioned_on"];
  EXPECT_TRUE(Has(row["reason"],
                  "conditioned on the register's confirmed identification of person 2 "
                  "(proposal 1, sample RS-S) as R2 in family F1"))
      << row["reason"];
  row = RowOf(dir, "c1/matches.csv", father, "M");
  EXPECT_TRUE(Has(row["conditioned_on"], son + " as R2 (given)")) << row["conditioned_on"];
  for (const auto& m : ReadCsv(dir.File("c1/matches.csv"))) {
    EXPECT_NE(m.at("individual"), son) << "the identified individual was scored again";
    EXPECT_NE(m.at("missing"), "R2") << "the identified person was sought again";
  }
  // Only the father is proposed; the son keeps his one (confirmed) proposal.
  EXPECT_EQ(summary["register"]["proposed"], 1);
  r = ok("identification list --json");
  const auto proposals = nlohmann::json::parse(r.out);
  int of_father = 0, of_son = 0;
  for (const auto& p : proposals) {
    of_father += p["person"] == 1 ? 1 : 0;
    of_son += p["person"] == 2 ? 1 : 0;
  }
  EXPECT_EQ(of_father, 1) << r.out;
  EXPECT_EQ(of_son, 1) << r.out;
  // The run recorded in the register names its conditioning, also in its options.
  const std::string run1 = summary["run"];
  auto record = RunRecord(dir, run1);
  EXPECT_TRUE(Has(record["conditioned_on"], "proposal 1: person 2 as F1/R2, sample RS-S"))
      << record["conditioned_on"];
  EXPECT_TRUE(Has(record["options"], "identified RS-S F1 R2\n")) << record["options"];

  // On the register the run id covers the decisions, not the result files: an option of the joint
  // model that leaves the decisions as they are still gives another id.
  for (const char* option : {"--max-family-assignments 0", "--joint-min-posterior 1e-3",
                             "--amelogenin-y-loss 0.05", "--max-inconsistent 3"}) {
    r = ok(
        std::string("identify --db whereabouts.db --out c1b --quiet --by lab --reason 'DNA run' ") +
        option);
    const auto other = nlohmann::json::parse(Slurp(dir.File("c1b/summary.json")));
    EXPECT_NE(other["run"], run1) << option;
    EXPECT_TRUE(Has(RunRecord(dir, other["run"])["options"], "identified RS-S F1 R2\n"));
  }

  // Revoked: the son is sought again and nothing is conditioned on.
  ok("identification revoke 1 --by reviewer --reason 'second DNA test excludes him'");
  r =
      ok("identify --db whereabouts.db --out c2 --quiet --by lab --reason 'DNA run after the "
         "revocation'");
  EXPECT_FALSE(Has(r.out, "conditioned on:")) << r.out;
  const auto summary2 = nlohmann::json::parse(Slurp(dir.File("c2/summary.json")));
  EXPECT_TRUE(summary2["conditioning"]["used"].empty()) << summary2["conditioning"].dump();
  EXPECT_EQ(summary2["conditioning"]["given"], 0);
  const std::string son2 = IndividualOf(dir, "c2", "RS-S");
  EXPECT_NE(RowOf(dir, "c2/identifications.csv", son2)["given"], "yes");
  for (const auto& m : ReadCsv(dir.File("c2/matches.csv"))) {
    EXPECT_FALSE(Has(m.at("conditioned_on"), "(given)")) << m.at("conditioned_on");
  }
  EXPECT_NE(summary2["run"], run1);
  record = RunRecord(dir, summary2["run"]);
  EXPECT_FALSE(record.empty());
  EXPECT_EQ(record.count("conditioned_on"), 0u);
  EXPECT_FALSE(Has(record["options"], "identified ")) << record["options"];
}

}  // namespace
}  // namespace whereabouts::testing
