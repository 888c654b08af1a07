// End-to-end tests of `whereabouts user` and `whereabouts audit`, driving the real binary on a
// temporary register: the password read from standard input (never an option), the account list,
// tokens shown once, and `audit verify` exit codes on an intact and a tampered trail.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(UserCliTest, AddListTokenRestrictAndVerify) {
  TempDir dir;
  WriteFile(dir.File("pw"), "correct horse battery\n");
  RunResult r = Wb(dir, "user add ana --role dna_analyst --db r.db --by root < pw");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "added account ana (dna_analyst)\n");
  r = Wb(dir, "user add ana --role auditor --db r.db < pw");
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  // A short password, and none at all.
  WriteFile(dir.File("short"), "short\n");
  r = Wb(dir, "user add bo --role auditor --db r.db < short");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("at least 12 characters"), std::string::npos) << r.err;
  r = Wb(dir, "user add bo --role auditor --db r.db < /dev/null");
  EXPECT_EQ(r.rc, 2);
  // There is no password option.
  r = Wb(dir, "user add bo --role auditor --db r.db --password 'correct horse battery'");
  EXPECT_NE(r.rc, 0);
  r = Wb(dir, "user add bo --role wizard --db r.db < pw");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("unknown role"), std::string::npos) << r.err;
  ASSERT_EQ(Wb(dir, "user add bo --role auditor --db r.db < pw").rc, 0);

  r = Wb(dir, "user list --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("name\trole\tdisabled\tlocked\tcreated\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("ana\tdna_analyst\tno\tno\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bo\tauditor\tno\tno\t"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("argon2"), std::string::npos);

  r = Wb(dir, "user token add ana --name lab --scope read_genetic --scope read_persons --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(r.out.size(), 65u) << r.out;
  const std::string secret = r.out.substr(0, 64);
  r = Wb(dir, "user token add bo --name x --scope read_genetic --db r.db");
  EXPECT_EQ(r.rc, 2) << r.err;  // an auditor may not read genetic data
  r = Wb(dir, "user token list --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1\tana\tlab\tread_genetic,read_persons\t"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  ASSERT_EQ(Wb(dir, "user token revoke 1 --db r.db").rc, 0);
  EXPECT_EQ(Wb(dir, "user token revoke 7 --db r.db").rc, 2);

  ASSERT_EQ(Wb(dir, "person add --family-name Petrosyan --sex male --db r.db").rc, 0);
  r = Wb(dir, "user restrict 1 --staff ana,bo --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "restricted person 1 to ana, bo\n");
  EXPECT_EQ(Wb(dir, "user restrict 1 --staff nobody --db r.db").rc, 2);
  r = Wb(dir, "user restrict 1 --staff '' --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "lifted the restriction of person 1\n");

  WriteFile(dir.File("pw2"), "another long password\n");
  ASSERT_EQ(Wb(dir, "user password ana --db r.db < pw2").rc, 0);
  ASSERT_EQ(Wb(dir, "user disable bo --db r.db").rc, 0);
  r = Wb(dir, "user list --db r.db");
  EXPECT_NE(r.out.find("bo\tauditor\tyes\tno\t"), std::string::npos) << r.out;
  EXPECT_EQ(Wb(dir, "user disable nobody --db r.db").rc, 2);

  r = Wb(dir, "audit list --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\troot\taccount.add\taccount ana (dna_analyst)\tcli\tok\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\tcli:"), std::string::npos) << r.out;  // no --by: the OS user
  EXPECT_NE(r.out.find("\ttoken.revoke\ttoken 1\tcli\tok\n"), std::string::npos) << r.out;
  r = Wb(dir, "audit list --from 2 --limit 1 --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("seq\tat\tactor\taction\trecords\taddress\toutcome\n2\t", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
  EXPECT_EQ(Wb(dir, "audit list --limit 0 --db r.db").rc, 2);

  r = Wb(dir, "audit verify --db r.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "audit trail: 8 records, intact\n");

  // Behind the program's back: drop the trigger, edit record 2.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("r.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_append_only_update; "
                         "UPDATE audit SET actor = 'someone else' WHERE seq = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  r = Wb(dir, "audit verify --db r.db");
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_EQ(r.out, "audit trail: 8 records; record 2 was edited\n");
}

TEST(UserCliTest, CommandsOnAMissingRegisterFail) {
  TempDir dir;
  const RunResult r = Wb(dir, "user list --db none.db");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_EQ(Wb(dir, "audit verify --db none.db").rc, 2);
}

}  // namespace
}  // namespace whereabouts::testing
