// DelimitedChunkReader: a file read a chunk of rows at a time gives the rows, cells and line
// numbers that DelimitedTable::Read gives for the whole file, whatever the chunk size; errors
// name the file's own lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/delimited.h"
#include "registry/sha256.h"

namespace whereabouts::io {
namespace {

std::string Write(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const char* kText =
    "\n"
    "family_name,given_name,circumstances\r\n"
    "Velani,Tomas,\"seen at the\nbridge, then\r\ntaken away\"\r\n"
    "\n"
    "Morsa,Lina,\n"
    "\"Say \"\"Tom\"\"\",Ilo,\"a \"\"quoted\"\"\nline\"\n"
    "Tarn,,last row without newline";

TEST(DelimitedChunkReaderTest, ChunksGiveTheRowsAndLinesOfTheWholeFile) {
  const std::string path = Write("wb-chunks-ok.csv", kText);
  auto whole = DelimitedTable::Read(path);
  ASSERT_TRUE(whole) << whole.error().ToString();
  ASSERT_EQ(whole->rows().size(), 4u);
  for (size_t max_rows : {1u, 2u, 3u, 100u}) {
    auto reader = DelimitedChunkReader::Open(path);
    ASSERT_TRUE(reader);
    std::vector<DelimitedRow> rows;
    int chunks = 0;
    while (true) {
      auto chunk = (*reader)->Next(max_rows);
      ASSERT_TRUE(chunk) << chunk.error().ToString();
      if (!*chunk) break;
      ++chunks;
      EXPECT_EQ((*chunk)->header(), whole->header());
      EXPECT_LE((*chunk)->rows().size(), max_rows);
      for (const auto& r : (*chunk)->rows()) rows.push_back(r);
    }
    EXPECT_EQ(chunks, static_cast<int>((4 + max_rows - 1) / max_rows)) << max_rows;
    ASSERT_EQ(rows.size(), whole->rows().size()) << max_rows;
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].line, whole->rows()[i].line) << max_rows << " row " << i;
      EXPECT_EQ(rows[i].cells, whole->rows()[i].cells) << max_rows << " row " << i;
    }
  }
  std::filesystem::remove(path);
}

// The first error of a chunked read (3 rows a chunk), or an error; for a file of 10 good rows
// followed by `tail`.
Error FirstChunkError(const std::string& name, const std::string& tail) {
  std::string text = "family_name,given_name\n";
  for (int i = 0; i < 10; ++i) text += "F" + std::to_string(i) + ",G\n";  // lines 2..11
  text += tail;
  const std::string path = Write(name, text);
  auto reader = DelimitedChunkReader::Open(path);
  std::filesystem::remove(path);
  if (!reader) return reader.error();
  while (true) {
    auto chunk = (*reader)->Next(3);
    if (!chunk) return chunk.error();
    if (!*chunk) return Error{ErrorCode::kInternal, "no error", ""};
  }
}

TEST(DelimitedChunkReaderTest, ErrorsInALaterChunkNameTheFilesLine) {
  // Line 12 in the fourth chunk: a row of the wrong width.
  Error short_row = FirstChunkError("wb-chunks-short.csv", "short\nF10,G\n");
  EXPECT_NE(short_row.ToString().find("wb-chunks-short.csv:12"), std::string::npos)
      << short_row.ToString();
  // Line 14, fifth chunk: a Latin-1 byte.
  Error latin1 = FirstChunkError("wb-chunks-latin1.csv", "F10,G\nF11,G\nbad,\xE9t\xE9\n");
  EXPECT_NE(latin1.ToString().find("wb-chunks-latin1.csv:14"), std::string::npos)
      << latin1.ToString();
  EXPECT_NE(latin1.ToString().find("not UTF-8"), std::string::npos);
  // An unterminated quote that runs to the end: named at the line it opens (13).
  Error quote = FirstChunkError("wb-chunks-quote.csv", "F10,G\nF11,\"open\nand on\n");
  EXPECT_NE(quote.ToString().find("wb-chunks-quote.csv:13"), std::string::npos)
      << quote.ToString();
}

TEST(DelimitedChunkReaderTest, AHeaderOnlyFileIsOneEmptyChunk) {
  const std::string path = Write("wb-chunks-header.csv", "family_name,given_name\n");
  auto reader = DelimitedChunkReader::Open(path);
  ASSERT_TRUE(reader);
  auto first = (*reader)->Next(10);
  ASSERT_TRUE(first && *first);
  EXPECT_TRUE((*first)->rows().empty());
  EXPECT_EQ((*first)->Column("given_name"), 1);
  auto end = (*reader)->Next(10);
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
  std::filesystem::remove(path);
}

TEST(DelimitedChunkReaderTest, TheFilesShaIsTheShaOfItsBytes) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "row " + std::to_string(i) + "\n";  // > 1 block
  const std::string path = Write("wb-chunks-sha.csv", text);
  auto sha = Sha256OfFile(path);
  ASSERT_TRUE(sha);
  EXPECT_EQ(*sha, registry::Sha256Hex(text));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace whereabouts::io
