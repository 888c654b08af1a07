// A bulk import streams its file: the memory it takes does not grow with the file beyond the
// database's own page cache (64 MiB). The whole file in memory (its text, its table of cells and
// its events, as before) would take about three times the file's size.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

TEST(MemoryCliTest, ABulkImportTakesBoundedMemory) {
  TempDir dir;
  const std::string filler(400, 'x');
  {
    std::ofstream csv(dir.File("big.csv"));
    csv << "family_name,given_name,sex,birth_date,affiliation,disappearance_date,circumstances\n";
    for (int i = 0; i < 200000; ++i) {
      csv << "Fam" << i << ",Given" << i % 97 << ",male,1970-01-" << (10 + i % 19)
          << ",serviceman,1993-04-02," << filler << "\n";
    }
  }
  const auto file_mib = static_cast<long>(std::filesystem::file_size(dir.File("big.csv")) >> 20);
  ASSERT_GT(file_mib, 80);
  const RunResult r = Wb(dir, "import persons big.csv --batch 2000");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "imported 200000 persons")) << r.out;
  rusage usage{};
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &usage), 0);
  const long peak_mib = usage.ru_maxrss / 1024;  // the largest child: the import (KiB on Linux)
  // The database's page cache (64 MiB) and the program; not the file's size three times over.
  EXPECT_LT(peak_mib, file_mib + 100) << "peak " << peak_mib << " MiB for a " << file_mib
                                      << " MiB file";
}

}  // namespace
}  // namespace whereabouts::testing
