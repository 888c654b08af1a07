// Many writers on one SQLite register at once (real processes): every write is kept, no id is
// taken twice, the rules hold, the event chain stays intact. The same on PostgreSQL is in
// postgres_cli_test.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "cli_registry/concurrency_util.h"

namespace whereabouts::testing {
namespace {

// The id in "registered person N" (or -1).
long RegisteredId(const std::string& out, const std::string& what) {
  const std::string prefix = "registered " + what + " ";
  const size_t at = out.find(prefix);
  if (at == std::string::npos) return -1;
  return std::stol(out.substr(at + prefix.size()));
}

TEST(ConcurrencyCliTest, SixteenWritersAddingPersonsAllSucceedWithUniqueIds) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name First").rc, 0);  // the register exists
  std::vector<std::string> cmds;
  for (int i = 0; i < 16; ++i)
    cmds.push_back("person add --family-name Writer" + std::to_string(i));
  const auto results = WbConcurrently(dir, cmds);
  std::set<long> ids;
  for (const RunResult& r : results) {
    EXPECT_EQ(r.rc, 0) << r.err;
    const long id = RegisteredId(r.out, "person");
    EXPECT_GT(id, 1) << r.out;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 16u);  // no id taken twice
  const RunResult list = Wb(dir, "person list --format csv");
  ASSERT_EQ(list.rc, 0) << list.err;
  for (int i = 0; i < 16; ++i) EXPECT_TRUE(Has(list.out, "Writer" + std::to_string(i) + ",")) << i;
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv").out)["missing"], 17);
  const RunResult chain = Wb(dir, "report chain");
  EXPECT_EQ(chain.rc, 0) << chain.err;
  EXPECT_TRUE(Has(chain.out, "17 events")) << chain.out;
}

// Persons, sites, remains with samples and custody transfers, incidents and list exports at once:
// each kind of write that takes an id or depends on earlier records.
TEST(ConcurrencyCliTest, MixedWritersKeepEveryWriteAndTheRules) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "remains add --label B-1 --kind bag --holder Lab").rc, 0);
  std::vector<std::string> cmds;
  for (int i = 0; i < 4; ++i) cmds.push_back("person add --family-name P" + std::to_string(i));
  for (int i = 0; i < 4; ++i) {
    cmds.push_back("site add --name S" + std::to_string(i) + " --kind grave --lon 21." +
                   std::to_string(i) + " --lat 44.1");
  }
  // Four hand-overs of the same bag from the lab: the rule (only the holder hands over) lets
  // exactly one through, whatever the order.
  for (int i = 0; i < 4; ++i) {
    cmds.push_back("custody transfer 1 --from Lab --to Holder" + std::to_string(i));
  }
  for (int i = 0; i < 2; ++i) cmds.push_back("incident add --place Village" + std::to_string(i));
  for (int i = 0; i < 2; ++i) cmds.push_back("list export --out lists");
  const auto results = WbConcurrently(dir, cmds);
  int transfers = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (cmds[i].rfind("custody", 0) == 0) {
      if (results[i].rc == 0) {
        ++transfers;
      } else {
        EXPECT_EQ(results[i].rc, 2) << results[i].err;
        EXPECT_TRUE(OneErrorLine(results[i])) << results[i].err;
      }
      continue;
    }
    EXPECT_EQ(results[i].rc, 0) << cmds[i] << ": " << results[i].err;
  }
  EXPECT_EQ(transfers, 1);
  const RunResult chain = Wb(dir, "report chain");
  EXPECT_EQ(chain.rc, 0) << chain.err;
  // 1 remains + 4 persons + 4 sites + 1 transfer + 2 incidents + 2 list versions.
  EXPECT_TRUE(Has(chain.out, "14 events")) << chain.out;
  const RunResult persons = Wb(dir, "person list --format csv");
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Has(persons.out, "P" + std::to_string(i))) << i;
  // Two list versions, 1 and 2, each with its own files.
  EXPECT_TRUE(std::filesystem::exists(dir.File("lists/persons-sought-v1.csv")));
  EXPECT_TRUE(std::filesystem::exists(dir.File("lists/persons-sought-v2.csv")));
  const RunResult history = Wb(dir, "custody history 1");
  int holders = 0;
  for (int i = 0; i < 4; ++i) holders += Has(history.out, "Holder" + std::to_string(i)) ? 1 : 0;
  EXPECT_EQ(holders, 1) << history.out;
}

// The version read with `person show` is what an edit is based on: after someone else's change the
// edit is refused (exit 3) and nothing is written.
TEST(ConcurrencyCliTest, AStaleEditIsRefusedAsAConflict) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  RunResult shown = Wb(dir, "person show 1 --json");
  ASSERT_EQ(shown.rc, 0);
  const size_t at = shown.out.find("\"version\": ");
  ASSERT_NE(at, std::string::npos) << shown.out;
  const long version = std::stol(shown.out.substr(at + 11));
  // A colleague corrects the record meanwhile.
  ASSERT_EQ(Wb(dir, "person update 1 --set given_name=Tomas").rc, 0);
  RunResult r =
      Wb(dir, "person update 1 --set given_name=Toma --expect-version " + std::to_string(version));
  EXPECT_EQ(r.rc, 3);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "person 1 was changed by someone else since version")) << r.err;
  EXPECT_TRUE(Has(Wb(dir, "person show 1 --json").out, "\"given_name\": \"Tomas\""));
  // Based on the current version, it goes through.
  shown = Wb(dir, "person show 1 --json");
  const long now = std::stol(shown.out.substr(shown.out.find("\"version\": ") + 11));
  r = Wb(dir, "person update 1 --set given_name=Toma --expect-version " + std::to_string(now));
  EXPECT_EQ(r.rc, 0) << r.err;
}

// A retried command with the same idempotency key records nothing twice.
TEST(ConcurrencyCliTest, ARetryWithTheSameKeyRecordsNothingTwice) {
  TempDir dir;
  RunResult a = Wb(dir, "person add --family-name Velani --idempotency-key form-7f3a");
  ASSERT_EQ(a.rc, 0) << a.err;
  RunResult b = Wb(dir, "person add --family-name Velani --idempotency-key form-7f3a");
  ASSERT_EQ(b.rc, 0) << b.err;
  EXPECT_EQ(a.out, b.out);  // the same person, reported again
  EXPECT_TRUE(Has(Wb(dir, "report chain").out, "1 events"));
  EXPECT_EQ(Wb(dir, "person add --family-name Velani --idempotency-key form-8b1c").rc, 0);
  EXPECT_TRUE(Has(Wb(dir, "report chain").out, "2 events"));
}

// An incident link naming one unknown person records none of the links.
TEST(ConcurrencyCliTest, IncidentLinksAreAllOrNothing) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  ASSERT_EQ(Wb(dir, "incident add --place Village").rc, 0);
  RunResult r = Wb(dir, "incident link 1 --person 1 --person 99");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(Wb(dir, "report chain").out, "2 events"));
  r = Wb(dir, "incident add --place Town --person 1 --person 99");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(Wb(dir, "report chain").out, "2 events"));  // no half-recorded incident
  EXPECT_EQ(Wb(dir, "incident link 1 --person 1").rc, 0);
}

// Proposals take their ids inside the write: 12 proposed at once get 12 different ids.
TEST(ConcurrencyCliTest, ConcurrentProposalsGetDistinctIds) {
  TempDir dir;
  std::ofstream p(dir.File("p.csv"));
  p << "family_name\n";
  for (int i = 0; i < 12; ++i) p << "Fam" << i << "\n";
  p.close();
  ASSERT_EQ(Wb(dir, "import persons p.csv").rc, 0);
  std::vector<std::string> cmds;
  for (int i = 1; i <= 12; ++i) {
    cmds.push_back("identification propose " + std::to_string(i) +
                   " --date 2024-05-05 --remains B-" + std::to_string(i) +
                   " --by lab --reason \"DNA report\"");
  }
  const auto results = WbConcurrently(dir, cmds);
  std::set<std::string> ids;
  for (const RunResult& r : results) {
    ASSERT_EQ(r.rc, 0) << r.err;
    const size_t at = r.out.find("proposal ");
    ASSERT_NE(at, std::string::npos) << r.out;
    ids.insert(r.out.substr(at, r.out.find(' ', at + 9) - at));
  }
  EXPECT_EQ(ids.size(), 12u);
  const RunResult list = Wb(dir, "identification list --status proposed --json");
  for (int i = 1; i <= 12; ++i) {
    EXPECT_TRUE(Has(list.out, "\"proposal\": " + std::to_string(i) + ",")) << i << list.out;
  }
}

// A case officer types a name in Latin; the register holds it in Cyrillic and Armenian too.
TEST(PersonSearchCliTest, FindsANameInAnyScriptOnePageAtATime) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Харатян --given-name Анна").rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Խարատյան --given-name Գոհար").rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Kharatian --given-name Arman").rc, 0);
  RunResult r = Wb(dir, "person search Kharatyan --json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\"family_name\": \"Харатян\"")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"family_name\": \"Խարատյան\"")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"family_name\": \"Kharatian\"")) << r.out;
  EXPECT_FALSE(Has(r.out, "Velani")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"next_after\": 0")) << r.out;
  // Two per page: the first page says where the next begins.
  r = Wb(dir, "person search Kharatyan --limit 2");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "more: person search ... --after 3")) << r.out;
  r = Wb(dir, "person search Kharatyan --limit 2 --after 3");
  EXPECT_TRUE(Has(r.out, "Kharatian Arman")) << r.out;
  EXPECT_FALSE(Has(r.out, "more:")) << r.out;
  r = Wb(dir, "person search Kharatyan --limit 0");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
