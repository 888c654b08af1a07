// `list verify` and `list diff` check a CSV as well as a JSON export against the register's
// recorded versions, through the real binary: a changed, a removed and an added row are found in
// either format, and unchanged files pass.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

class ListFilesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"Velani --given-name Tomas", "Morsa --given-name Lina", "Tulan --given-name Arben"}) {
      ASSERT_EQ(Wb(dir_, std::string("person add --family-name ") + name).rc, 0);
    }
    ASSERT_EQ(Wb(dir_, "list export --out lists").rc, 0);  // version 1: three persons
    ASSERT_EQ(Wb(dir_, "person update 2 --set given_name=Lena").rc, 0);
    ASSERT_EQ(Wb(dir_, "list export --out lists").rc, 0);  // version 2
    csv_ = Slurp(dir_.File("lists/persons-sought-v1.csv"));
    json_ = Slurp(dir_.File("lists/persons-sought-v1.json"));
    ASSERT_TRUE(Has(csv_, "Lina")) << csv_;
  }
  // Writes `text` as FOLDER/NAME (the folder created).
  std::string Put(const std::string& folder, const std::string& name, const std::string& text) {
    std::filesystem::create_directories(dir_.File(folder));
    const std::string path = folder + "/" + name;
    std::ofstream(dir_.File(path), std::ios::binary | std::ios::trunc) << text;
    return path;
  }
  // The CSV with one row changed, the last row removed, a row added.
  std::string Changed() const {
    std::string c = csv_;
    c.replace(c.find("Lina"), 4, "Lora");  // a name no version has
    return c;
  }
  std::string Removed() const {
    std::string c = csv_;
    c.erase(c.rfind('\n', c.size() - 2) + 1);
    return c;
  }
  std::string Added() const { return csv_ + "9,Kaltra,Ilir,,,,,,,,,\n"; }
  // The SHA-256 of `text` (by sha256sum, not by our code).
  std::string Sha(const std::string& text) {
    const std::string file = Put("sums", "text", text);
    const std::string cmd = "sha256sum '" + dir_.File(file) + "' > '" + dir_.File("sums/sum") + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return Slurp(dir_.File("sums/sum")).substr(0, 64);
  }
  TempDir dir_;
  std::string csv_, json_;
};

TEST_F(ListFilesCliTest, ACsvAloneIsCheckedAgainstTheRegistersVersions) {
  // Unchanged: the version its name gives, or found by its bytes under another name.
  std::string path = Put("alone", "persons-sought-v1.csv", csv_);
  RunResult r = Wb(dir_, "list verify " + path + " --db whereabouts.db");
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "ok     register: the CSV is the register's list version 1")) << r.out;
  path = Put("alone", "from-the-icrc.csv", csv_);
  r = Wb(dir_, "list verify " + path + " --db whereabouts.db");
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "the register's list version 1")) << r.out;
  // Without the register nothing states its sha256: bad input, not "valid".
  r = Wb(dir_, "list verify " + path);
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "give --db REGISTER")) << r.err;
  // A changed, a removed and an added row.
  const struct {
    std::string text;
    std::string entries;
  } cases[] = {
      {Changed(), "the CSV has 3"}, {Removed(), "the CSV has 2"}, {Added(), "the CSV has 4"}};
  for (const auto& c : cases) {
    path = Put("alone", "persons-sought-v1.csv", c.text);
    r = Wb(dir_, "list verify " + path + " --db whereabouts.db");
    EXPECT_EQ(r.rc, 1) << c.entries << ": " << r.out;
    EXPECT_TRUE(Has(r.err, "content differs from the register's list version 1")) << r.err;
    EXPECT_TRUE(Has(r.err, "3 entries; " + c.entries)) << r.err;
    EXPECT_TRUE(Has(r.out, "list version 1: INVALID")) << r.out;
    // Under another name: none of the register's versions.
    path = Put("alone", "from-the-icrc.csv", c.text);
    r = Wb(dir_, "list verify " + path + " --db whereabouts.db");
    EXPECT_EQ(r.rc, 1) << r.out;
    EXPECT_TRUE(Has(r.err, "is none of the register's 2 list versions")) << r.err;
  }
  // The signature travels in the JSON: a CSV alone is not signed.
  ASSERT_EQ(Wb(dir_, "key generate --out keys").rc, 0);
  path = Put("alone", "persons-sought-v1.csv", csv_);
  r = Wb(dir_, "list verify " + path +
                   " --db whereabouts.db --public-key "
                   "keys/list-signing.public.json");
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "not signed")) << r.err;
}

TEST_F(ListFilesCliTest, AJsonWithItsCsvIsCheckedAgainstTheRegistersVersions) {
  // Unchanged.
  RunResult r = Wb(dir_, "list verify lists/persons-sought-v1.json --db whereabouts.db");
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
  // The CSV changed beside its JSON: the stated sha256 differs.
  for (const std::string& text : {Changed(), Removed(), Added()}) {
    Put("pair", "persons-sought-v1.json", json_);
    const std::string path = Put("pair", "persons-sought-v1.csv", text);
    r = Wb(dir_, "list verify " + path + " --db whereabouts.db");
    EXPECT_EQ(r.rc, 1) << r.out;
    EXPECT_TRUE(Has(r.err, "content changed")) << r.err;
  }
  // Both files changed alike, the JSON's sha256 recomputed: the register's version differs.
  const std::string changed = Changed();
  const std::string new_sha = Sha(changed);
  std::string json = json_;
  json.replace(json.find("Lina"), 4, "Lora");
  const size_t at = json.find("\"sha256\": \"") + 11;
  json.replace(at, 64, new_sha);
  Put("forged", "persons-sought-v1.json", json);
  Put("forged", "persons-sought-v1.csv", changed);
  r = Wb(dir_, "list verify forged/persons-sought-v1.json");
  EXPECT_EQ(r.rc, 0) << "consistent in itself: " << r.out << r.err;
  r = Wb(dir_, "list verify forged/persons-sought-v1.json --db whereabouts.db");
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "content differs from the register's list version 1")) << r.err;
}

TEST_F(ListFilesCliTest, DiffChecksCsvAndJsonAgainstTheRegister) {
  // Unchanged files of either format: diffed, each named as the register's version.
  for (const char* ext : {".csv", ".json"}) {
    const std::string a = std::string("lists/persons-sought-v1") + ext;
    const std::string b = std::string("lists/persons-sought-v2") + ext;
    RunResult r = Wb(dir_, "list diff " + a + " " + b + " --db whereabouts.db");
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_TRUE(Has(r.out, "0 added, 0 removed, 1 changed")) << r.out;
    EXPECT_TRUE(Has(r.out, a + " is the register's list version 1")) << r.out;
    EXPECT_TRUE(Has(r.out, b + " is the register's list version 2")) << r.out;
  }
  for (const std::string& text : {Changed(), Removed(), Added()}) {
    // A CSV beside its JSON: refused without the register, from the sha256 the JSON states.
    Put("pair", "persons-sought-v1.json", json_);
    std::string path = Put("pair", "persons-sought-v1.csv", text);
    RunResult r = Wb(dir_, "list diff " + path + " lists/persons-sought-v2.csv");
    EXPECT_EQ(r.rc, 2) << r.out;
    EXPECT_TRUE(OneErrorLine(r)) << r.err;
    EXPECT_TRUE(Has(r.err, "the CSV's bytes do not match the sha256 its JSON states")) << r.err;
    // A CSV alone: not checked without the register (said so), refused with it.
    path = Put("alone", "persons-sought-v1.csv", text);
    r = Wb(dir_, "list diff " + path + " lists/persons-sought-v2.csv");
    EXPECT_EQ(r.rc, 0) << r.err;
    EXPECT_TRUE(Has(r.out, path + ": not checked")) << r.out;
    r = Wb(dir_, "list diff " + path + " lists/persons-sought-v2.csv --db whereabouts.db");
    EXPECT_EQ(r.rc, 2) << r.out;
    EXPECT_TRUE(OneErrorLine(r)) << r.err;
    EXPECT_TRUE(Has(r.err, "content differs from the register's list version 1")) << r.err;
    EXPECT_TRUE(Has(r.err, path)) << r.err;
  }
  // A JSON whose entries changed (sha256 left): refused as before; with the sha256 recomputed
  // (consistent in itself) only the register tells.
  std::string json = json_;
  json.replace(json.find("Lina"), 4, "Lora");
  Put("tampered", "persons-sought-v1.json", json);
  RunResult r = Wb(dir_, "list diff tampered/persons-sought-v1.json lists/persons-sought-v2.json");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "do not match the file's sha256")) << r.err;
  const size_t at = json.find("\"sha256\": \"") + 11;
  json.replace(at, 64, Sha(Changed()));
  Put("tampered", "persons-sought-v1.json", json);
  r = Wb(dir_, "list diff tampered/persons-sought-v1.json lists/persons-sought-v2.json");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "given_name: 'Lora' -> 'Lena'")) << r.out;
  r = Wb(dir_,
         "list diff tampered/persons-sought-v1.json lists/persons-sought-v2.json --db "
         "whereabouts.db");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(Has(r.err, "content differs from the register's list version 1")) << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
