// `verify --head`: events cut from the end of the history together with their projection rows
// leave a chain that still verifies; a chain head kept outside the register (printed by a report,
// stated by a list version or the figures' JSON) finds the cut. Through the real binary, the cut
// made behind the program's back with the append-only triggers dropped.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <regex>
#include <string>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

struct Head {
  long seq = 0;
  std::string hash;
};

// The head `verify` prints ("head event #N, hash H").
Head HeadOf(const RunResult& verify) {
  std::smatch m;
  Head h;
  if (std::regex_search(verify.out, m, std::regex("head event #(\\d+), hash ([0-9a-f]{64})"))) {
    h.seq = std::stol(m[1].str());
    h.hash = m[2].str();
  }
  return h;
}

class VerifyAnchorCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Ok("person add --family-name Velani --sex male --born 1970-02-02");
    Ok("person add --family-name Morsa --sex female --born 1975-02-02");
    Ok("person update 2 --set given_name=Ana --reason 'birth certificate'");
    kept_ = Verified();
    ASSERT_EQ(kept_.seq, 3);
    // A list version: its JSON states the chain head at the version (event 4).
    Ok("list export --out lists");
    // Then a new person and remains: the events that will be cut.
    Ok("person add --family-name Tulan --sex male");
    Ok("remains add --label B-1 --holder Lab --recovered 2015-01-01");
    last_ = Verified();
    ASSERT_EQ(last_.seq, 6);
  }
  void Ok(const std::string& args) {
    const RunResult r = Wb(dir_, args);
    ASSERT_EQ(r.rc, 0) << args << ": " << r.err;
  }
  Head Verified() {
    const RunResult v = Wb(dir_, "verify");
    EXPECT_EQ(v.rc, 0) << v.err;
    return HeadOf(v);
  }
  // Runs SQL on the register behind the program's back.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("whereabouts.db").c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    EXPECT_EQ(rc, SQLITE_OK) << (msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
  }
  // Cuts every event after `seq` with its chain row, its entity and its projection rows (the
  // events cut create their entities, so no earlier projection row needs mending).
  void CutAfter(long seq) {
    const std::string s = std::to_string(seq);
    Tamper(
        "PRAGMA foreign_keys = OFF; "
        "DROP TRIGGER events_append_only_delete; "
        "DROP TRIGGER event_chain_append_only_delete; "
        "DELETE FROM person_versions WHERE seq > " +
        s +
        "; "
        "DELETE FROM person_facts WHERE seq > " +
        s +
        "; "
        "DELETE FROM entities WHERE (kind, id) IN (SELECT kind, entity_id FROM events WHERE "
        "seq > " +
        s +
        "); "
        "DELETE FROM event_chain WHERE seq > " +
        s +
        "; "
        "DELETE FROM events WHERE seq > " +
        s);
  }
  TempDir dir_;
  Head kept_, last_;
};

TEST_F(VerifyAnchorCliTest, AnAnchorAtOrBeforeTheHeadIsInTheChain) {
  RunResult r = Wb(dir_, "verify --head " + last_.hash);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "event #6 of the chain (the anchor's chain had 6 events; 0 recorded "
                  "after it)"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "the register is intact")) << r.out;
  r = Wb(dir_, "verify --head 3:" + kept_.hash + " --head lists/persons-sought-v1.json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "event #3 of the chain (the anchor's chain had 3 events; 3 recorded "
                  "after it)"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "anchor lists/persons-sought-v1.json: event #4 of the chain")) << r.out;
  // Bad anchors are bad input: nothing is checked.
  for (const char* bad : {"abc", "0:aa", "x:" /* no hash */, "missing.json"}) {
    r = Wb(dir_, std::string("verify --head ") + bad);
    EXPECT_EQ(r.rc, 2) << bad << ": " << r.out;
    EXPECT_TRUE(OneErrorLine(r)) << r.err;
  }
}

TEST_F(VerifyAnchorCliTest, EventsCutFromTheEndAreFoundOnlyAgainstAnAnchor) {
  const std::string figures_json = Wb(dir_, "report figures --format json").out;
  std::ofstream(dir_.File("figures.json")) << figures_json;
  CutAfter(4);
  // The blind spot: without an anchor the shortened register verifies.
  RunResult r = Wb(dir_, "verify");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "head event #4")) << r.out;
  EXPECT_TRUE(Has(r.out, "projections: 6 rows")) << r.out;  // persons 1 and 2 only
  // The head a report printed before the cut finds it, by hash alone ...
  r = Wb(dir_, "verify --head " + last_.hash);
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "no event of the register has the anchor's chain hash " + last_.hash))
      << r.err;
  EXPECT_TRUE(Has(r.err, "events were cut from the end (the register's chain ends at event #4"))
      << r.err;
  EXPECT_FALSE(Has(r.out, "intact\n")) << r.out;
  // ... with its event number, saying how many are missing ...
  r = Wb(dir_, "verify --head 6:" + last_.hash);
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "the anchor names event #6, but the register's chain ends at event #4"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "2 events are missing from the end")) << r.err;
  // ... and from the figures' JSON, which states the head it was computed from.
  r = Wb(dir_, "verify --head figures.json");
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "2 events are missing from the end")) << r.err;
  // An anchor from before the cut still holds: the history up to it is the same.
  r = Wb(dir_, "verify --head lists/persons-sought-v1.json");
  EXPECT_EQ(r.rc, 0) << r.err;
  // A rewritten event at the anchor's number: named.
  r = Wb(dir_, "verify --head 3:" + last_.hash);
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "event #3 of the register has the chain hash " + kept_.hash)) << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
