// kill -9 during a bulk import loses no committed record and leaves the database consistent.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "cli_registry/cli_util.h"
#include "store/sqlite_store.h"

namespace whereabouts::testing {
namespace {

TEST(CrashTest, KillDuringBulkImportLosesNoCommittedBatch) {
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
  int pipe_fd[2];
  ASSERT_EQ(pipe(pipe_fd), 0);
  const std::string db = dir.File("crash.db");
  const std::string csv = dir.File("persons.csv");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(pipe_fd[1], STDOUT_FILENO);
    close(pipe_fd[0]);
    close(pipe_fd[1]);
    const std::string batch = std::to_string(kBatch);
    execl(WHEREABOUTS_BINARY, "whereabouts", "import", "persons", csv.c_str(), "--db", db.c_str(),
          "--batch", batch.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fd[1]);
  FILE* out = fdopen(pipe_fd[0], "r");
  ASSERT_NE(out, nullptr);
  long last_committed = 0;
  char line[256];
  // Kill once a few batches are durable, while the import is still running.
  while (std::fgets(line, sizeof line, out) != nullptr) {
    long n = 0;
    if (std::sscanf(line, "committed %ld", &n) == 1) last_committed = n;
    if (last_committed >= 5 * kBatch) break;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  std::fclose(out);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import finished before it could be killed";
  ASSERT_GE(last_committed, 5 * kBatch);

  auto store = store::SqliteStore::Open(db);
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->CheckIntegrity());
  auto persons = (*store)->Persons(std::nullopt);
  ASSERT_TRUE(persons);
  const long count = static_cast<long>(persons->size());
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

}  // namespace
}  // namespace whereabouts::testing
