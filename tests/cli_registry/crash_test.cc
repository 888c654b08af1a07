// kill -9 during a bulk import (or the demo) loses no committed record, leaves the database
// consistent, and running the same command again completes it with every row exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_registry/cli_util.h"
#include "registry/geometry.h"
#include "registry/registry.h"
#include "store/sqlite_store.h"

namespace whereabouts::testing {
namespace {

// Runs whereabouts `args` with stdout on a pipe and kills it (SIGKILL) once it has printed
// "committed N" with N >= `kill_after` (or, with kill_after 0, after `delay_us`). Returns the last
// N printed, or -1 when the command ended before it could be killed.
long RunAndKill(const std::vector<std::string>& args, long kill_after, useconds_t delay_us = 0) {
  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(pipe_fd[1], STDOUT_FILENO);
    close(pipe_fd[0]);
    close(pipe_fd[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("whereabouts"));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(WHEREABOUTS_BINARY, argv.data());
    _exit(127);
  }
  close(pipe_fd[1]);
  FILE* out = fdopen(pipe_fd[0], "r");
  long last_committed = 0;
  if (kill_after > 0) {
    char line[256];
    while (std::fgets(line, sizeof line, out) != nullptr) {
      long n = 0;
      if (std::sscanf(line, "committed %ld", &n) == 1) last_committed = n;
      if (last_committed >= kill_after) break;
    }
  } else {
    usleep(delay_us);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  std::fclose(out);
  return WIFSIGNALED(status) ? last_committed : -1;
}

TEST(CrashTest, KillDuringBulkImportLosesNoCommittedBatchAndARerunCompletesIt) {
  TempDir dir;
  const int kRows = 200000;
  const int kBatch = 1000;
  {
    std::ofstream csv(dir.File("persons.csv"));
    csv << "family_name,given_name,sex,birth_date,affiliation,disappearance_date\n";
    for (int i = 0; i < kRows; ++i) {
      csv << "Fam" << i << ",Given" << i % 97 << ",male,1970-01-" << (10 + i % 19)
          << ",serviceman,1993-04-02\n";
    }
  }
  const std::string db = dir.File("crash.db");
  const std::string csv = dir.File("persons.csv");
  const long last_committed = RunAndKill(
      {"import", "persons", csv, "--db", db, "--batch", std::to_string(kBatch)}, 5 * kBatch);
  ASSERT_GE(last_committed, 5 * kBatch) << "the import finished before it could be killed";
  long count = 0;
  {
    auto store = store::SqliteStore::Open(db);
    ASSERT_TRUE(store) << store.error().ToString();
    ASSERT_TRUE((*store)->CheckIntegrity());
    auto persons = (*store)->Persons(std::nullopt);
    ASSERT_TRUE(persons);
    count = static_cast<long>(persons->size());
    EXPECT_GE(count, last_committed);  // nothing promised was lost
    EXPECT_LT(count, kRows);           // it was killed part way
    EXPECT_EQ(count % kBatch, 0);      // no half batch
    // Persons are the first `count` rows, in order, with their events.
    EXPECT_EQ(persons->back().family_name, "Fam" + std::to_string(count - 1));
    registry::EventQuery q;
    q.include_persons = true;
    auto events = (*store)->Events(q);
    ASSERT_TRUE(events);
    EXPECT_EQ(static_cast<long>(events->size()), count);
  }
  // The same import again: the committed batches are skipped, the rest imported, once each.
  const RunResult again =
      Wb(dir, "import persons persons.csv --db crash.db --batch " + std::to_string(kBatch));
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "skipped rows 1..1000: committed by an earlier run")) << again.out;
  EXPECT_TRUE(Has(again.out, "imported " + std::to_string(kRows - count) + " persons"))
      << again.out;
  auto store = store::SqliteStore::Open(db);
  ASSERT_TRUE(store);
  auto persons = (*store)->Persons(std::nullopt);
  ASSERT_TRUE(persons);
  ASSERT_EQ(static_cast<long>(persons->size()), kRows);
  std::set<std::string> names;
  for (const auto& p : *persons) names.insert(p.family_name);
  EXPECT_EQ(static_cast<long>(names.size()), kRows);  // each row exactly once
  // And a third run imports nothing.
  const RunResult third =
      Wb(dir, "import persons persons.csv --db crash.db --batch " + std::to_string(kBatch));
  ASSERT_EQ(third.rc, 0) << third.err;
  EXPECT_TRUE(Has(third.out, "imported 0 persons")) << third.out;
}

TEST(CrashTest, KillDuringRelativesImportThenRerunKeepsEachRowOnce) {
  TempDir dir;
  const int kRows = 60000;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani --db r.db").rc, 0);
  {
    std::ofstream csv(dir.File("relatives.csv"));
    csv << "person,name,relationship,sample,consent\n";
    for (int i = 0; i < kRows; ++i) {
      csv << "1,Relative " << i << ",sibling,REF-" << i << ",identification\n";
    }
  }
  const long last_committed = RunAndKill({"import", "relatives", dir.File("relatives.csv"), "--db",
                                          dir.File("r.db"), "--batch", "500"},
                                         2000);
  ASSERT_GE(last_committed, 2000) << "the import finished before it could be killed";
  const RunResult again = Wb(dir, "import relatives relatives.csv --db r.db --batch 500");
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "committed by an earlier run")) << again.out;
  auto store = store::SqliteStore::Open(dir.File("r.db"));
  ASSERT_TRUE(store);
  registry::EventQuery q;
  q.kind = registry::EntityKind::kRelative;
  auto events = (*store)->Events(q);
  ASSERT_TRUE(events);
  ASSERT_EQ(static_cast<long>(events->size()), kRows);
  std::set<std::string> names;
  for (const auto& e : *events) names.insert(std::string(e.Get("name")));
  EXPECT_EQ(static_cast<long>(names.size()), kRows);
}

// Profiles: a register with many samples, an allele table for all of them; the import is killed
// at several moments (or finishes first), then run again: every sample has exactly one profile.
TEST(CrashTest, KillDuringProfileImportThenRerunRecordsEachProfileOnce) {
  TempDir dir;
  const int kSamples = 3000;
  std::ofstream(dir.File("p.csv")) << "family_name\nVelani\n";
  ASSERT_EQ(Wb(dir, "import persons p.csv").rc, 0);  // creates the register
  {
    // The remains and their samples, written through the register (a dated history is not
    // needed: the clock's dates are fine).
    auto store = store::SqliteStore::Open(dir.File("whereabouts.db"));
    ASSERT_TRUE(store);
    registry::PlanarGeometry geo;
    registry::FixedClock clock(*registry::Date::Parse("2026-01-01"));
    registry::Registry reg(**store, geo, clock);
    std::vector<registry::Event> batch;
    registry::Event bag;
    bag.kind = registry::EntityKind::kRemains;
    bag.type = "remains.recovered";
    bag.actor = "test";
    bag.payload = {{"label", "HB-1"}, {"holder", "Lab"}};
    batch.push_back(bag);
    for (int i = 0; i < kSamples; ++i) {
      registry::Event e;
      e.kind = registry::EntityKind::kRemains;
      e.entity_id = 1;
      e.type = "remains.sampled";
      e.actor = "test";
      e.payload = {{"sample", "S-" + std::to_string(i)}};
      batch.push_back(e);
    }
    auto stored = reg.RecordBatch(std::move(batch));
    ASSERT_TRUE(stored) << stored.error().ToString();
  }
  {
    std::ofstream t(dir.File("alleles.tsv"));
    t << "Sample Name\tMarker\tAllele 1\tAllele 2\n";
    const char* markers[] = {"D3S1358", "VWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11"};
    for (int i = 0; i < kSamples; ++i) {
      for (const char* m : markers) {
        t << "S-" << i << "\t" << m << "\t" << 10 + i % 5 << "\t" << 11 + i % 7 << "\n";
      }
    }
  }
  for (useconds_t delay : {30000u, 120000u, 300000u}) {
    RunAndKill({"remains", "profile", "import", dir.File("alleles.tsv"), "--db",
                dir.File("whereabouts.db")},
               0, delay);
  }
  const RunResult again = Wb(dir, "remains profile import alleles.tsv");
  ASSERT_EQ(again.rc, 0) << again.err;
  auto store = store::SqliteStore::Open(dir.File("whereabouts.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->CheckIntegrity());
  registry::EventQuery q;
  q.kind = registry::EntityKind::kRemains;
  auto events = (*store)->Events(q);
  ASSERT_TRUE(events);
  std::map<std::string, int> profiles;
  for (const auto& e : *events) {
    if (e.type == "remains.profile_recorded") ++profiles[std::string(e.Get("sample"))];
  }
  EXPECT_EQ(static_cast<int>(profiles.size()), kSamples);
  for (const auto& [sample, n] : profiles) EXPECT_EQ(n, 1) << sample;
}

// Identifications: many decisions of one run; killed at several moments, then run again: each
// (individual, person) proposed exactly once.
TEST(CrashTest, KillDuringIdentificationsImportThenRerunProposesEachOnce) {
  TempDir dir;
  const int kPersons = 3000;
  {
    std::ofstream p(dir.File("p.csv"));
    p << "family_name\n";
    for (int i = 0; i < kPersons; ++i) p << "Fam" << i << "\n";
    std::ofstream f(dir.File("families.csv"));
    f << "family,id,father,mother,sex,role,sample,person\n";
    std::ofstream d(dir.File("identifications.csv"));
    d << "individual,family,missing,lr,posterior,decision,reason\n";
    for (int i = 0; i < kPersons; ++i) {
      f << "F" << i << ",MP,,,male,missing,," << i + 1 << "\n";
      d << "I" << i << ",F" << i << ",MP,1e9,0.9999,identified,\n";
    }
    std::ofstream(dir.File("summary.json")) << "{\"run\": \"run-crash\"}\n";
  }
  ASSERT_EQ(Wb(dir, "import persons p.csv").rc, 0);
  for (useconds_t delay : {30000u, 150000u, 400000u}) {
    RunAndKill({"import", "identifications", dir.File("identifications.csv"), "--families",
                dir.File("families.csv"), "--db", dir.File("whereabouts.db")},
               0, delay);
  }
  const RunResult again =
      Wb(dir, "import identifications identifications.csv --families families.csv");
  ASSERT_EQ(again.rc, 0) << again.err;
  auto store = store::SqliteStore::Open(dir.File("whereabouts.db"));
  ASSERT_TRUE(store);
  registry::EventQuery q;
  q.kind = registry::EntityKind::kPerson;
  auto events = (*store)->Events(q);
  ASSERT_TRUE(events);
  std::map<std::pair<std::string, int64_t>, int> proposed;
  std::set<std::string> proposal_ids;
  for (const auto& e : *events) {
    if (e.type != "person.identification_proposed") continue;
    ++proposed[{std::string(e.Get("individual")), e.entity_id}];
    EXPECT_TRUE(proposal_ids.insert(std::string(e.Get("proposal"))).second) << e.Get("proposal");
  }
  EXPECT_EQ(static_cast<int>(proposed.size()), kPersons);
  for (const auto& [key, n] : proposed) EXPECT_EQ(n, 1) << key.first;
}

// A demo killed at random moments leaves no register behind (it is built in a temporary file and
// renamed when complete), so the next demo runs without --force.
TEST(CrashTest, AKilledDemoLeavesNothingThatBlocksTheNext) {
  TempDir dir;
  for (useconds_t delay : {20000u, 150000u, 400000u}) {
    RunAndKill({"demo", "--db", dir.File("demo.db")}, 0, delay);
    if (std::filesystem::exists(dir.File("demo.db"))) {
      // It finished before the kill: then it is a whole register.
      const RunResult f = Wb(dir, "report figures --db demo.db --format csv");
      ASSERT_EQ(f.rc, 0) << f.err;
      EXPECT_EQ(FiguresCsv(f.out)["missing"], 3890);
      std::filesystem::remove(dir.File("demo.db"));
    }
  }
  const RunResult r = Wb(dir, "demo --db demo.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --db demo.db --format csv").out)["missing"], 3890);
  // The next demo also cleared what the killed ones left.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find("demo-tmp"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace whereabouts::testing
