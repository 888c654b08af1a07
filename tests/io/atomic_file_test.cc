// Atomic result files: a file is replaced whole, an unfinished one leaves the old file and no
// temporary file, a failure names the path.
#include "io/atomic_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/temp_dir.h"

namespace whereabouts::io {
namespace {

std::string Slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Names(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AtomicFileTest, ReplacesAnExistingFileWholeAndLeavesNoTemporaryFile) {
  testing::TempDir dir;
  const std::string path = dir.File("results.csv");
  std::ofstream(path) << std::string(10000, 'x');  // longer than what replaces it
  ASSERT_TRUE(WriteFileAtomically(path, "a,b\n1,2\n").has_value());
  EXPECT_EQ(Slurp(path), "a,b\n1,2\n");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"results.csv"});
}

TEST(AtomicFileTest, TheTargetChangesOnlyAtCommit) {
  testing::TempDir dir;
  const std::string path = dir.File("out.csv");
  std::ofstream(path) << "old\n";
  auto file = AtomicFile::Create(path);
  ASSERT_TRUE(file.has_value()) << file.error().ToString();
  ASSERT_TRUE(file->Write("new ").has_value());
  ASSERT_TRUE(file->Write("contents\n").has_value());
  EXPECT_EQ(Slurp(path), "old\n");
  // The temporary file sits beside the target, named after it.
  const std::string temp = file->temporary_path();
  EXPECT_EQ(std::filesystem::path(temp).parent_path(), dir.path());
  EXPECT_EQ(std::filesystem::path(temp).filename().string().rfind("out.csv.tmp-", 0), 0u) << temp;
  EXPECT_TRUE(std::filesystem::exists(temp));
  ASSERT_TRUE(file->Commit().has_value());
  EXPECT_EQ(Slurp(path), "new contents\n");
  EXPECT_FALSE(std::filesystem::exists(temp));
  EXPECT_FALSE(file->Commit().has_value());  // once only
}

TEST(AtomicFileTest, AnUncommittedFileLeavesTheOldOneAndNothingElse) {
  testing::TempDir dir;
  const std::string path = dir.File("out.csv");
  std::ofstream(path) << "old\n";
  {
    auto file = AtomicFile::Create(path);
    ASSERT_TRUE(file.has_value());
    ASSERT_TRUE(file->Write("half a fi").has_value());
    ASSERT_TRUE(file->Sync().has_value());
  }
  EXPECT_EQ(Slurp(path), "old\n");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFileTest, TwoWritersOfOneTargetUseTwoTemporaryFiles) {
  testing::TempDir dir;
  const std::string path = dir.File("out.csv");
  auto a = AtomicFile::Create(path);
  auto b = AtomicFile::Create(path);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE(a->temporary_path(), b->temporary_path());
  ASSERT_TRUE(a->Write("a\n").has_value());
  ASSERT_TRUE(b->Write("b\n").has_value());
  ASSERT_TRUE(a->Commit().has_value());
  ASSERT_TRUE(b->Commit().has_value());
  EXPECT_EQ(Slurp(path), "b\n");  // the last one wins, whole
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFileTest, AFolderThatDoesNotExistIsAnIoErrorNamingThePath) {
  testing::TempDir dir;
  const std::string path = dir.File("no-such-folder/out.csv");
  auto st = WriteFileAtomically(path, "x");
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::kIo);
  EXPECT_EQ(st.error().field, path);
}

}  // namespace
}  // namespace whereabouts::io
