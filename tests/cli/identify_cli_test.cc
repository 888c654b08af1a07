// End-to-end: `whereabouts simulate` then `whereabouts identify`, checked against the truth the
// simulation writes: zero wrong identifications at the default thresholds, the exact number of
// individuals (MNI), every identifiable person identified; outputs as docs/FORMATS.md lists;
// identical results for 1 and 2 threads; bad input exits 2 with one line; bad items are skipped;
// amelogenin and the models of the numbers are reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/cli_runner.h"

namespace whereabouts {
namespace {

using testing::RunCli;
using testing::TempDir;

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A CSV file as rows of named cells (quotes handled; no line breaks inside cells).
std::vector<std::map<std::string, std::string>> ReadCsv(const std::filesystem::path& p) {
  std::istringstream in(Slurp(p));
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (size_t i = 0; i < l.size(); ++i) {
      const char c = l[i];
      if (quoted) {
        if (c == '"' && i + 1 < l.size() && l[i + 1] == '"') {
          cells.back() += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cells.back() += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    return cells;
  };
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto cells = split(line);
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

std::string IdentifyArgs(const std::filesystem::path& scen, const std::filesystem::path& out) {
  const std::string s = scen.string() + "/";
  return "identify --families " + s + "families.csv --references " + s +
         "references.tsv --remains " + s + "remains.csv --remains-alleles " + s +
         "remains-alleles.tsv --frequencies " + s + "frequencies.tsv --out " + out.string();
}

// Writes a simulated scenario into `scen`.
void Simulate(const std::filesystem::path& scen, const std::string& options) {
  const auto sim = RunCli("simulate --out " + scen.string() + " " + options);
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
}

// Runs simulate + identify and checks the results against the truth.
void CheckScenario(const std::string& simulate_options, int expected_persons_min) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  const auto out = tmp.path() / "results";
  ASSERT_NO_FATAL_FAILURE(Simulate(scen, simulate_options));
  auto run = RunCli(IdentifyArgs(scen, out) + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // Truth: sample -> person; person -> (family, missing); families with two missing persons.
  std::map<std::string, std::string> person_of_sample;
  for (const auto& r : ReadCsv(scen / "truth.csv"))
    person_of_sample[r.at("sample")] = r.at("individual");
  std::map<std::string, std::pair<std::string, std::string>> truth_of;
  std::map<std::string, int> missing_in_family;
  for (const auto& r : ReadCsv(scen / "truth-persons.csv")) {
    truth_of[r.at("individual")] = {r.at("family"), r.at("missing")};
    if (r.at("family") != "unrelated") ++missing_in_family[r.at("family")];
  }
  std::set<std::string> persons_with_remains;
  for (const auto& [s, p] : person_of_sample) persons_with_remains.insert(p);
  ASSERT_GE(static_cast<int>(persons_with_remains.size()), expected_persons_min);

  // individuals.csv: every sample once, each individual one person, each person one individual.
  const auto individuals = ReadCsv(out / "individuals.csv");
  EXPECT_EQ(individuals.size(), person_of_sample.size());
  std::map<std::string, std::set<std::string>> persons_of_individual;
  std::map<std::string, std::set<std::string>> individuals_of_person;
  for (const auto& r : individuals) {
    const std::string p = person_of_sample.at(r.at("sample"));
    persons_of_individual[r.at("individual")].insert(p);
    individuals_of_person[p].insert(r.at("individual"));
  }
  for (const auto& [ind, ps] : persons_of_individual)
    EXPECT_EQ(ps.size(), 1u) << ind << " mixes persons";
  for (const auto& [p, inds] : individuals_of_person) EXPECT_EQ(inds.size(), 1u) << p << " split";
  const auto summary = nlohmann::json::parse(Slurp(out / "summary.json"));
  EXPECT_EQ(summary["counts"]["individuals"].get<int>(),
            static_cast<int>(persons_with_remains.size()));
  EXPECT_EQ(summary["counts"]["mni"].get<int>(), static_cast<int>(persons_with_remains.size()));
  for (const char* key :
       {"priors", "thresholds", "models", "software", "skipped", "warnings", "amelogenin"}) {
    EXPECT_TRUE(summary.contains(key)) << key;
  }
  // Which model each number used: exact LRs with the requested model (equal by default), the
  // screen with proportional of the same rate as a filter.
  EXPECT_EQ(summary["models"]["mutation"], "equal(rate=0.005)");
  EXPECT_EQ(summary["models"]["screen_mutation"], "proportional(rate=0.005)");
  EXPECT_TRUE(summary["models"]["screen_is_filter"].get<bool>());
  EXPECT_TRUE(summary["models"]["numbers"].contains("screen_lr"));
  // The simulation types amelogenin truthfully: nothing joined against it, men never women.
  EXPECT_EQ(summary["amelogenin"]["individuals_samples_differ"].get<int>(), 0);
  EXPECT_GT(summary["amelogenin"]["excluded_pairs"].get<std::uint64_t>(), 0u);

  // matches.csv: the true pair's exact LR, per individual.
  std::map<std::string, double> true_lr;
  const auto matches = ReadCsv(out / "matches.csv");
  ASSERT_FALSE(matches.empty());
  for (const char* col : {"individual", "family", "missing", "lr", "log10_lr", "posterior",
                          "markers_compared", "inconsistent_markers", "screen_lr", "sex_check"}) {
    EXPECT_EQ(matches.front().count(col), 1u) << col;
  }
  for (const auto& r : matches) {
    const auto& t = truth_of.at(*persons_of_individual.at(r.at("individual")).begin());
    if (t.first == r.at("family") && t.second == r.at("missing")) {
      true_lr[r.at("individual")] = std::stod(r.at("lr"));
      EXPECT_NE(r.at("sex_check").rfind("excluded", 0), 0u) << "a true pair excluded by sex";
    }
    if (r.at("sex_check").rfind("excluded", 0) == 0) {
      EXPECT_EQ(std::stod(r.at("posterior")), 0.0);
    }
  }

  // identifications.csv: no wrong identification; identifiable persons identified.
  int identified = 0, identifiable = 0, found = 0;
  std::set<std::pair<std::string, std::string>> assigned;
  for (const auto& r : ReadCsv(out / "identifications.csv")) {
    const std::string ind = r.at("individual");
    const auto& t = truth_of.at(*persons_of_individual.at(ind).begin());
    EXPECT_EQ(r.count("sex"), 1u);
    EXPECT_EQ(r.count("sex_check"), 1u);
    if (r.at("decision") != "not identified") {
      EXPECT_NE(r.at("sex_check").rfind("excluded", 0), 0u) << ind;
    }
    if (r.at("decision") == "identified") {
      ++identified;
      EXPECT_EQ(r.at("family"), t.first) << ind << " wrongly identified: " << r.at("reason");
      EXPECT_EQ(r.at("missing"), t.second) << ind << " wrongly identified";
      EXPECT_TRUE(assigned.insert({r.at("family"), r.at("missing")}).second)
          << "two individuals for one person";
    }
    // Identifiable: a missing person whose true LR leaves no doubt (LR >= 1e8 against ~N
    // unrelated candidates of expected LR 1), alone in the family as missing.
    auto it = true_lr.find(ind);
    if (t.first != "unrelated" && it != true_lr.end() && it->second >= 1e8) {
      ++identifiable;
      if (missing_in_family.at(t.first) == 1) {
        EXPECT_EQ(r.at("decision"), "identified")
            << ind << " (LR " << it->second << "): " << r.at("reason");
      } else {
        EXPECT_NE(r.at("decision"), "not identified") << ind << ": " << r.at("reason");
      }
      found += r.at("decision") == "identified" ? 1 : 0;
    }
  }
  EXPECT_GT(identifiable, 0);
  EXPECT_GT(identified, 0);
  EXPECT_EQ(summary["counts"]["identified"].get<int>(), identified);
}

TEST(IdentifyCliTest, SmallScenarioAgainstTruth) {
  CheckScenario(
      "--seed 3 --missing 400 --bag-persons 30 --bags 20 --grave-persons 30 --graves 3 --unrelated "
      "5",
      60);
}

TEST(IdentifyCliTest, DefaultScenarioAgainstTruth) { CheckScenario("--seed 1", 224); }

TEST(IdentifyCliTest, SameResultsForOneAndTwoThreads) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 5 --missing 200 --bag-persons 20 --bags 10 --grave-persons 20 --graves "
               "2 --unrelated 3"));
  ASSERT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "t1") + " --threads 1 --quiet").exit_code, 0);
  ASSERT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "t2") + " --threads 2 --quiet").exit_code, 0);
  for (const char* f : {"individuals.csv", "matches.csv", "identifications.csv"}) {
    EXPECT_EQ(Slurp(tmp.path() / "t1" / f), Slurp(tmp.path() / "t2" / f)) << f;
  }
}

// The joint model through the binary: a scenario with households (families of 2-6 missing persons
// killed together, scored jointly) gives identical matches.csv, identifications.csv,
// candidates.csv and summary.json (but for its timings) with 1 and 2 threads.
TEST(IdentifyCliTest, JointResultsSameForOneAndTwoThreadsWithHouseholds) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 11 --missing 30 --bag-persons 4 --bags 2 --grave-persons 4 --graves 1 "
               "--unrelated 1 --households 6 --household-missing 2,6"));
  ASSERT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "t1") + " --threads 1 --quiet").exit_code, 0);
  ASSERT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "t2") + " --threads 2 --quiet").exit_code, 0);
  for (const char* f :
       {"individuals.csv", "matches.csv", "identifications.csv", "candidates.csv"}) {
    EXPECT_EQ(Slurp(tmp.path() / "t1" / f), Slurp(tmp.path() / "t2" / f)) << f;
  }
  auto summary = [&](const char* dir) {
    auto j = nlohmann::json::parse(Slurp(tmp.path() / dir / "summary.json"));
    j.erase("seconds");
    return j;
  };
  const auto s1 = summary("t1");
  EXPECT_EQ(s1, summary("t2"));
  // The households were scored jointly, and conditioned_on names the other victims of a family.
  EXPECT_GE(s1["work"]["families_scored_jointly"].get<int>(), 6) << s1["work"].dump();
  EXPECT_GT(s1["work"]["assignments_summed"].get<long>(), 0);
  EXPECT_NE(Slurp(tmp.path() / "t1" / "matches.csv").find(" as "), std::string::npos);
}

// Every option of the joint model (issue 9) and the identifications conditioned on enter the run
// id: runs that differ only in one of them never share an id. With --identified the given
// identification is placed (summary.json conditioning, identifications.csv given) and not scored.
TEST(IdentifyCliTest, RunIdDiffersForEveryJointOptionAndTheConditioning) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 4 --missing 10 --bag-persons 2 --bags 1 --grave-persons 2 --graves 1 "
               "--unrelated 0 --households 2 --household-missing 3,3"));
  auto run = [&](const std::string& name, const std::string& options) {
    const auto r = RunCli(IdentifyArgs(scen, tmp.path() / name) + " --quiet " + options);
    EXPECT_EQ(r.exit_code, 0) << options << ": " << r.err;
    return nlohmann::json::parse(Slurp(tmp.path() / name / "summary.json"));
  };
  const auto base = run("base", "");
  // An identification to give: the first identified decision of the base run, by its sample.
  std::map<std::string, std::string> sample_of;
  for (const auto& r : ReadCsv(tmp.path() / "base" / "individuals.csv")) {
    sample_of.emplace(r.at("individual"), r.at("sample"));
  }
  std::string given_individual, given_line;
  for (const auto& r : ReadCsv(tmp.path() / "base" / "identifications.csv")) {
    if (r.at("decision") != "identified") continue;
    given_individual = r.at("individual");
    given_line = sample_of.at(given_individual) + "," + r.at("family") + "," + r.at("missing");
    break;
  }
  ASSERT_FALSE(given_line.empty());
  std::ofstream(tmp.path() / "given.csv") << "individual,family,missing\n" << given_line << "\n";
  std::set<std::string> ids = {base["run"].get<std::string>()};
  const std::vector<std::string> options = {
      "--identified " + (tmp.path() / "given.csv").string(),
      "--amelogenin-y-loss 0.01",
      "--max-inconsistent 2",
      "--max-family-assignments 0",
      "--family-budget 100",
      "--joint-min-posterior 1e-3",
      // 0: every candidate joins; a group too large is split again from the smallest positive bar
      // (a bar of 0 used to be split at 0 again and again, and the run never ended).
      "--joint-min-posterior 0",
  };
  for (size_t k = 0; k < options.size(); ++k) {
    const auto summary = run("o" + std::to_string(k), options[k]);
    EXPECT_TRUE(ids.insert(summary["run"].get<std::string>()).second) << options[k];
    if (k == 0) {
      ASSERT_EQ(summary["conditioning"]["used"].size(), 1u) << summary["conditioning"].dump();
      EXPECT_EQ(summary["conditioning"]["source"], "--identified");
      for (const auto& r : ReadCsv(tmp.path() / "o0" / "identifications.csv")) {
        if (r.at("individual") == summary["conditioning"]["used"][0]["individual"]) {
          EXPECT_EQ(r.at("given"), "yes");
        }
      }
    }
  }
  EXPECT_TRUE(base["conditioning"]["used"].empty());
}

// theta with a stepwise model (the default or a marker's) is refused before any work, naming
// --theta and what to use instead; theta with equal, and stepwise with theta 0, run (issue 9: the
// combination ran for over 12 minutes on 60 individuals without a line of output).
TEST(IdentifyCliTest, ThetaWithStepwiseIsRefusedUpFront) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 2 --missing 20 --bag-persons 4 --bags 2 --grave-persons 4 --graves 1 "
               "--unrelated 1"));
  const std::string models = (tmp.path() / "models.tsv").string();
  std::ofstream(models) << "marker\tmodel\trate\trate2\trange\nTH01\tstepwise\t0.002\t0\t0.1\n";
  for (const std::string& options : {std::string("--theta 0.01 --mutation stepwise"),
                                     "--theta 0.01 --mutation equal --mutation-models " + models}) {
    const auto r = RunCli(IdentifyArgs(scen, tmp.path() / "x") + " --quiet " + options);
    EXPECT_EQ(r.exit_code, 2) << options;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("--theta"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stepwise"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("use theta with equal or proportional"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp.path() / "x" / "summary.json"));
  }
  EXPECT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "e") + " --quiet --theta 0.01").exit_code, 0);
  EXPECT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "s") + " --quiet --mutation stepwise").exit_code,
            0);
}

// The run id comes from the inputs, options and results only: the same input in another folder
// with another thread count gives the same id, another option another id. Outputs are written
// atomically: no temporary file is left, and an existing result file is replaced whole.
TEST(IdentifyCliTest, RunIdIsDeterministicAndOutputsAreReplacedWhole) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 2 --missing 20 --bag-persons 4 --bags 2 --grave-persons 4 --graves 1 "
               "--unrelated 1"));
  const auto t1 = tmp.path() / "t1";
  std::filesystem::create_directories(t1);
  // A longer file of an earlier run under two result names.
  const std::string junk(200000, 'x');
  std::ofstream(t1 / "identifications.csv") << junk;
  std::ofstream(t1 / "candidates.csv") << junk;
  ASSERT_EQ(RunCli(IdentifyArgs(scen, t1) + " --threads 1 --quiet").exit_code, 0);
  ASSERT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "t2") + " --threads 2 --quiet").exit_code, 0);
  auto run_of = [&](const char* dir) {
    return nlohmann::json::parse(Slurp(tmp.path() / dir / "summary.json"))["run"]
        .get<std::string>();
  };
  const std::string run = run_of("t1");
  EXPECT_EQ(run.size(), 64u);
  EXPECT_EQ(run.find_first_not_of("0123456789abcdef"), std::string::npos) << run;
  EXPECT_EQ(run_of("t2"), run);
  ASSERT_EQ(RunCli(IdentifyArgs(scen, tmp.path() / "t3") + " --top-k 5 --quiet").exit_code, 0);
  EXPECT_NE(run_of("t3"), run);

  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(t1))
    names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"individuals.csv", "matches.csv", "identifications.csv",
                                          "candidates.csv", "targets.csv", "summary.json",
                                          "evidence.txt"}));
  for (const char* f : {"identifications.csv", "candidates.csv", "targets.csv", "evidence.txt"}) {
    EXPECT_EQ(Slurp(t1 / f), Slurp(tmp.path() / "t2" / f)) << f;
  }
  EXPECT_EQ(Slurp(t1 / "identifications.csv").find('x' + std::string(100, 'x')), std::string::npos);

  // candidates.csv: identified decisions have their row's candidate, ambiguous ones two or more,
  // best first; targets.csv has every missing person.
  std::map<std::string, std::vector<std::map<std::string, std::string>>> candidates_of;
  for (const auto& r : ReadCsv(t1 / "candidates.csv"))
    candidates_of[r.at("individual")].push_back(r);
  int decided = 0;
  for (const auto& r : ReadCsv(t1 / "identifications.csv")) {
    const auto& c = candidates_of[r.at("individual")];
    if (r.at("decision") == "not identified") continue;
    ++decided;
    ASSERT_GE(c.size(), r.at("decision") == "ambiguous" ? 2u : 1u) << r.at("individual");
    if (r.at("decision") == "identified") {
      EXPECT_EQ(c.size(), 1u);
    }
    EXPECT_EQ(c[0].at("rank"), "1");
    EXPECT_EQ(c[0].at("family"), r.at("family"));
    EXPECT_EQ(c[0].at("missing"), r.at("missing"));
    EXPECT_EQ(c[0].at("lr"), r.at("lr"));
    EXPECT_EQ(c[0].at("posterior"), r.at("posterior"));
  }
  EXPECT_GT(decided, 0);
  const auto summary = nlohmann::json::parse(Slurp(t1 / "summary.json"));
  const auto targets = ReadCsv(t1 / "targets.csv");
  EXPECT_EQ(static_cast<int>(targets.size()), summary["counts"]["missing_persons"].get<int>());
  int screened = 0;
  for (const auto& t : targets) screened += t.at("screen") == "screened" ? 1 : 0;
  EXPECT_EQ(screened, summary["counts"]["missing_persons_tabulated"].get<int>());

  // The engine names its option fields; the command line shows the options.
  const auto bad = RunCli(IdentifyArgs(scen, tmp.path() / "t4") + " --dropout 1.5 --quiet");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--dropout"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("not in range"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "t4" / "summary.json"));
}

TEST(IdentifyCliTest, HelpListsEveryOptionWithDefaults) {
  auto r = RunCli("identify --help");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* opt : {"--families",
                          "--references",
                          "--remains",
                          "--remains-alleles",
                          "--frequencies",
                          "--out",
                          "--dropout",
                          "--mutation",
                          "--mutation-rate",
                          "--theta",
                          "--screen-mutation",
                          "--screen-mutation-rate",
                          "--top-k",
                          "--screen-lr",
                          "--reassociation-lr",
                          "--posterior",
                          "--lr",
                          "--prior-none",
                          "--minimum-frequency",
                          "--threads",
                          "--json",
                          "Amelogenin",
                          "stepwise"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  }
  EXPECT_NE(r.out.find("0.9995"), std::string::npos);
  EXPECT_NE(r.out.find("10000"), std::string::npos);
}

TEST(IdentifyCliTest, UnusableInputExitsTwoWithOneLine) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 2 --missing 20 --bag-persons 4 --bags 2 --grave-persons 4 --graves 1 "
               "--unrelated 1"));
  const std::string sd = scen.string() + "/";
  auto args = [&](const std::string& families) {
    return "identify --families " + families + " --references " + sd + "references.tsv --remains " +
           sd + "remains.csv --remains-alleles " + sd + "remains-alleles.tsv --frequencies " + sd +
           "frequencies.tsv --out " + (tmp.path() / "o").string();
  };
  auto missing = RunCli(args((tmp.path() / "nope.csv").string()));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
  const std::string bad = tmp.Write("bad.csv", "famly,id\nF1,X\n");
  auto header = RunCli(args(bad));
  EXPECT_EQ(header.exit_code, 2);
  EXPECT_NE(header.err.find("bad.csv"), std::string::npos) << header.err;
}

TEST(IdentifyCliTest, BadItemsAreSkippedAndReported) {
  TempDir tmp;
  const auto scen = tmp.path() / "scenario";
  ASSERT_NO_FATAL_FAILURE(
      Simulate(scen,
               "--seed 2 --missing 20 --bag-persons 4 --bags 2 --grave-persons 4 --graves 1 "
               "--unrelated 1"));
  // A family without typed members, a reference whose sample is absent, a remains sample without
  // a profile, a marker absent from the database, a mother whose amelogenin shows Y; a reference
  // with alleles not designated ("-": used, a plus any allele).
  std::string families = Slurp(scen / "families.csv");
  families += "ZZ1,A,,,male,untyped,,\nZZ1,B,,,female,untyped,,\nZZ1,X,A,B,male,missing,,\n";
  families +=
      "ZZ2,A,,,male,reference,NO-SUCH-SAMPLE,\nZZ2,B,,,female,untyped,,\nZZ2,X,A,B,male,missing,,"
      "\n";
  families += "ZZ3,A,,,male,untyped,,\nZZ3,B,,,female,reference,ZZ3-B,\nZZ3,X,A,B,male,missing,,\n";
  families += "ZZ4,A,,,male,reference,ZZ4-A,\nZZ4,B,,,female,untyped,,\nZZ4,X,A,B,male,missing,,\n";
  tmp.Write("families.csv", families);
  const std::string references = Slurp(scen / "references.tsv") +
                                 "ZZ3-B\tTH01\t6\t9.3\nZZ3-B\tFGA\t20\t22\nZZ3-B\tAMEL\tX\tY\n"
                                 "ZZ4-A\tTH01\t6\t-\nZZ4-A\tFGA\t-\t22\nZZ4-A\tAMEL\tX\tY\n";
  tmp.Write("references.tsv", references);
  std::string remains = Slurp(scen / "remains.csv") + "NO-PROFILE,BAG-Z,\n";
  tmp.Write("remains.csv", remains);
  std::string alleles = Slurp(scen / "remains-alleles.tsv") + "RS-001\tNOT_A_MARKER\t7\t8\n";
  tmp.Write("remains-alleles.tsv", alleles);
  const std::string s = scen.string() + "/";
  const std::string t = tmp.path().string() + "/";
  auto r = RunCli("identify --families " + t + "families.csv --references " + t +
                  "references.tsv --remains " + t + "remains.csv --remains-alleles " + t +
                  "remains-alleles.tsv --frequencies " + s + "frequencies.tsv --out " + t +
                  "out --json --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  std::string all;
  for (const auto& item : summary["skipped"])
    all += item["item"].get<std::string>() + ": " + item["reason"].get<std::string>() + "\n";
  EXPECT_NE(all.find("family ZZ1: no typed member"), std::string::npos) << all;
  EXPECT_NE(all.find("family ZZ2, reference A"), std::string::npos) << all;
  EXPECT_NE(all.find("remains sample NO-PROFILE"), std::string::npos) << all;
  EXPECT_NE(all.find("marker NOT_A_MARKER"), std::string::npos) << all;
  EXPECT_NE(all.find("family ZZ3, reference B: amelogenin of sample ZZ3-B shows Y"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find("ZZ4"), std::string::npos) << all;
  EXPECT_GT(summary["counts"]["identified"].get<int>(), 0);
}

// A published-style wide table (alleles as rows, one column per marker, comma-separated, a row N)
// made from the dvir `fire` dataset's TSV gives the same identify outputs as the TSV.
TEST(IdentifyCliTest, WideFrequencyTableGivesTheSameResultsAsOurTsv) {
  const std::string dataset = std::string(WHEREABOUTS_SHARED_DIR) + "/reference/dvi/fire/";
  std::ifstream in(dataset + "frequencies.tsv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> markers;
  std::map<std::string, std::map<std::string, std::string>> cells;  // allele -> marker -> text
  std::vector<std::string> alleles;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string marker, allele, frequency;
    std::getline(ls, marker, '\t');
    std::getline(ls, allele, '\t');
    std::getline(ls, frequency, '\t');
    if (markers.empty() || markers.back() != marker) markers.push_back(marker);
    if (!cells.count(allele)) alleles.push_back(allele);
    cells[allele][marker] = frequency;
  }
  ASSERT_GT(markers.size(), 10u);
  std::string wide = "Allele";
  for (const auto& m : markers) wide += "," + m;
  wide += "\n";
  for (const auto& a : alleles) {
    wide += a;
    for (const auto& m : markers) wide += "," + (cells[a].count(m) ? cells[a][m] : "");
    wide += "\n";
  }
  wide += "N";
  for (size_t i = 0; i < markers.size(); ++i) wide += ",1000";
  wide += "\n";
  // The same table with D3S1358's allele 14 (seen in V1's profile) written as Familias' rest
  // lump in its place: 14 then takes the lump's frequency, which is its own, so every number is
  // the same; the run says so in its warnings.
  const size_t row14 = wide.find("\n14,") + 1;
  ASSERT_NE(row14, 0u);
  ASSERT_EQ(markers.front(), "D3S1358");
  const size_t cell = row14 + 3, cell_end = wide.find(',', cell);
  const std::string f14 = wide.substr(cell, cell_end - cell);
  ASSERT_FALSE(f14.empty());
  std::string rest = wide;
  rest.erase(cell, f14.size());
  const size_t after14 = rest.find('\n', row14) + 1;
  rest.insert(after14, "Rest allele," + f14 + std::string(markers.size() - 1, ',') + "\n");
  TempDir dir;
  {
    std::ofstream(dir.path() / "wide.csv") << wide;
    std::ofstream(dir.path() / "rest.csv") << rest;
  }
  std::ifstream opts(dataset + "options");
  std::string options;
  std::getline(opts, options);
  auto run = [&](const std::string& freq, const std::string& out) {
    return RunCli("identify --families " + dataset + "families.csv --references " + dataset +
                  "references.tsv --remains " + dataset + "remains.csv --remains-alleles " +
                  dataset + "remains-alleles.tsv --frequencies " + freq + " --out " +
                  (dir.path() / out).string() + " " + options);
  };
  auto a = run(dataset + "frequencies.tsv", "tsv");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = run((dir.path() / "wide.csv").string(), "wide");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto r = run((dir.path() / "rest.csv").string(), "rest");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* variant : {"wide", "rest"}) {
    for (const char* f : {"identifications.csv", "matches.csv", "individuals.csv"}) {
      std::ifstream x(dir.path() / "tsv" / f), y(dir.path() / variant / f);
      std::stringstream xs, ys;
      xs << x.rdbuf();
      ys << y.rdbuf();
      EXPECT_FALSE(xs.str().empty()) << f;
      EXPECT_EQ(xs.str(), ys.str()) << variant << " " << f;
    }
  }
  {
    std::ifstream sj(dir.path() / "rest" / "summary.json");
    const std::string text((std::istreambuf_iterator<char>(sj)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("alleles not in the frequency table (14) take the frequency of its rest "
                        "allele"),
              std::string::npos)
        << text;
  }
  // With N given, 5/2N is accepted and recorded.
  auto c =
      RunCli("identify --families " + dataset + "families.csv --references " + dataset +
             "references.tsv --remains " + dataset + "remains.csv --remains-alleles " + dataset +
             "remains-alleles.tsv --frequencies " + (dir.path() / "wide.csv").string() + " --out " +
             (dir.path() / "n").string() + " " + options + " --minimum-frequency 5/2N");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  std::ifstream sj(dir.path() / "n" / "summary.json");
  const auto summary = nlohmann::json::parse(sj);
  EXPECT_NE(summary.dump().find("\"minimum_frequency\":\"5/2N\""), std::string::npos);
}

}  // namespace
}  // namespace whereabouts
