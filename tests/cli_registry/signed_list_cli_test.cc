// Signed list versions and spreadsheet-safe CSV exports through the real binary: `key generate`,
// `list export --key`, `list verify` (with only the public key, and against the register).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli_util.h"

namespace whereabouts::testing {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(SignedListCliTest, KeyGenerateWritesASecretFile0600AndAPublicKey) {
  TempDir dir;
  RunResult r = Wb(dir, "key generate --out keys");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string secret = dir.File("keys/list-signing.secret");
  const std::string pub = dir.File("keys/list-signing.public.json");
  EXPECT_EQ(ModeOf(secret), 0600u);
  const std::string secret_text = Slurp(secret);
  const std::string secret_hex = secret_text.substr(secret_text.find('\n') + 1, 128);
  EXPECT_EQ(secret_hex.size(), 128u);
  EXPECT_FALSE(Has(r.out, secret_hex)) << "the secret key is never printed";
  EXPECT_FALSE(Has(r.err, secret_hex));
  EXPECT_TRUE(Has(Slurp(pub), "\"algorithm\": \"ed25519\"")) << Slurp(pub);
  EXPECT_TRUE(Has(r.out, "fingerprint ")) << r.out;
  // A key is never overwritten.
  r = Wb(dir, "key generate --out keys");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(Slurp(secret), secret_text);
  // --secret and --public name the files.
  r = Wb(dir, "key generate --secret s.key --public p.json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(ModeOf(dir.File("s.key")), 0600u);
  EXPECT_EQ(Wb(dir, "key generate").rc, 2);
}

class SignedListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Wb(dir_, "person add --family-name Velani --given-name Tomas").rc, 0);
    ASSERT_EQ(Wb(dir_, "person add --family-name Morsa --given-name Lina").rc, 0);
    ASSERT_EQ(Wb(dir_, "key generate --out keys").rc, 0);
    ASSERT_EQ(Wb(dir_, "key generate --out other").rc, 0);
    RunResult r = Wb(dir_, "list export --out lists --key keys/list-signing.secret");
    ASSERT_EQ(r.rc, 0) << r.err;
    ASSERT_TRUE(Has(r.out, "signed with the key ")) << r.out;
  }
  std::string Copy(const std::string& to) {
    std::filesystem::create_directories(dir_.File(to));
    for (const char* ext : {".csv", ".json"}) {
      std::filesystem::copy_file(dir_.File(std::string("lists/persons-sought-v1") + ext),
                                 dir_.File(to + "/persons-sought-v1" + ext));
    }
    return to + "/persons-sought-v1";
  }
  TempDir dir_;
};

TEST_F(SignedListTest, ASignedListVerifiesWithThePublicKeyAlone) {
  const std::string json = Slurp(dir_.File("lists/persons-sought-v1.json"));
  EXPECT_TRUE(Has(json, "\"signature\"")) << json;
  EXPECT_TRUE(Has(json, "\"chain_head\"")) << json;
  EXPECT_TRUE(Has(json, "\"public_key_fingerprint\"")) << json;
  // The other party: the two files and the public key, no register.
  TempDir other;
  for (const char* f : {"persons-sought-v1.csv", "persons-sought-v1.json"}) {
    std::filesystem::copy_file(dir_.File(std::string("lists/") + f), other.File(f));
  }
  std::filesystem::copy_file(dir_.File("keys/list-signing.public.json"), other.File("pub.json"));
  RunResult r = Wb(other, "list verify persons-sought-v1.json --public-key pub.json");
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "list version 1: valid")) << r.out;
  EXPECT_TRUE(Has(r.out, "ok     signature")) << r.out;
  // The CSV named instead of the JSON reads the same pair.
  EXPECT_EQ(Wb(other, "list verify persons-sought-v1.csv --public-key pub.json").rc, 0);
  // With the register as well.
  r = Wb(dir_,
         "list verify lists/persons-sought-v1.json --public-key keys/list-signing.public.json"
         " --db whereabouts.db");
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "ok     register")) << r.out;
}

TEST_F(SignedListTest, ACsvAlteredAfterSigningFails) {
  const std::string base = Copy("altered");
  std::string csv = Slurp(dir_.File(base + ".csv"));
  csv.replace(csv.find("Lina"), 4, "Lena");
  std::ofstream(dir_.File(base + ".csv"), std::ios::trunc) << csv;
  RunResult r =
      Wb(dir_, "list verify " + base + ".json --public-key keys/list-signing.public.json");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "content changed")) << r.err;
}

TEST_F(SignedListTest, AlteredJsonEntriesOrStatementFail) {
  // The JSON's entries changed, the CSV left alone: content changed.
  std::string base = Copy("entries");
  std::string json = Slurp(dir_.File(base + ".json"));
  json.replace(json.find("Lina"), 4, "Lena");
  std::ofstream(dir_.File(base + ".json"), std::ios::trunc) << json;
  RunResult r =
      Wb(dir_, "list verify " + base + ".json --public-key keys/list-signing.public.json");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "content changed")) << r.err;
  // Both files changed consistently, sha256 recomputed: the signature no longer matches.
  base = Copy("resigned");
  std::string csv = Slurp(dir_.File(base + ".csv"));
  const std::string sha_before = [&] {
    const std::string j = Slurp(dir_.File(base + ".json"));
    const size_t at = j.find("\"sha256\": \"") + 11;
    return j.substr(at, 64);
  }();
  csv.replace(csv.find("Lina"), 4, "Lena");
  std::ofstream(dir_.File(base + ".csv"), std::ios::trunc) << csv;
  json = Slurp(dir_.File(base + ".json"));
  json.replace(json.find("Lina"), 4, "Lena");
  // The new sha256 of the altered CSV, written into the JSON.
  const std::string sha_after = [&] {
    const std::string cmd =
        "sha256sum '" + dir_.File(base + ".csv") + "' > '" + dir_.File("sum") + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return Slurp(dir_.File("sum")).substr(0, 64);
  }();
  json.replace(json.find(sha_before), 64, sha_after);
  std::ofstream(dir_.File(base + ".json"), std::ios::trunc) << json;
  r = Wb(dir_, "list verify " + base + ".json --public-key keys/list-signing.public.json");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "ok     content")) << r.out;
  EXPECT_TRUE(Has(r.err, "signature invalid")) << r.err;
}

TEST_F(SignedListTest, AnotherKeyFails) {
  // Verified with a key that did not sign it.
  RunResult r = Wb(dir_,
                   "list verify lists/persons-sought-v1.json --public-key "
                   "other/list-signing.public.json");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "wrong key")) << r.err;
  // Signed by another key that claims the commission's fingerprint: the signature is invalid.
  ASSERT_EQ(Wb(dir_, "list export --out forged --key other/list-signing.secret").rc, 0);
  std::string forged = Slurp(dir_.File("forged/persons-sought-v2.json"));
  const std::string commission = [&] {
    const std::string p = Slurp(dir_.File("keys/list-signing.public.json"));
    const size_t at = p.find("\"fingerprint\": \"") + 16;
    return p.substr(at, 64);
  }();
  const size_t at = forged.find("\"public_key_fingerprint\": \"") + 27;
  forged.replace(at, 64, commission);
  std::ofstream(dir_.File("forged/persons-sought-v2.json"), std::ios::trunc) << forged;
  r = Wb(dir_,
         "list verify forged/persons-sought-v2.json --public-key "
         "keys/list-signing.public.json");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "signature invalid")) << r.err;
}

TEST_F(SignedListTest, AgainstTheRegister) {
  // A version the register does not have.
  TempDir other;
  ASSERT_EQ(Wb(other, "person add --family-name Tulan").rc, 0);
  RunResult r = Wb(other, "list verify '" + dir_.File("lists/persons-sought-v1.json") +
                              "' --db "
                              "whereabouts.db");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "unknown version")) << r.err;
  // Version 1 of another register, whose content differs.
  ASSERT_EQ(Wb(other, "list export --out lists").rc, 0);
  r = Wb(other, "list verify '" + dir_.File("lists/persons-sought-v1.json") +
                    "' --db "
                    "whereabouts.db");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "content differs from the register's list version 1")) << r.err;
  // Bad input: no such file, a bad public key file.
  EXPECT_EQ(Wb(dir_, "list verify lists/none.json").rc, 2);
  std::ofstream(dir_.File("bad.pub")) << "not a key\n";
  EXPECT_EQ(Wb(dir_, "list verify lists/persons-sought-v1.json --public-key bad.pub").rc, 2);
  // An unsigned export checked with a key: not signed.
  ASSERT_EQ(Wb(dir_, "list export --out plain").rc, 0);
  r = Wb(dir_,
         "list verify plain/persons-sought-v2.json --public-key "
         "keys/list-signing.public.json");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "not signed")) << r.err;
}

TEST_F(SignedListTest, ABadKeyRecordsNoVersion) {
  std::ofstream(dir_.File("bad.secret")) << "whereabouts ed25519 secret key\nzz\n";
  RunResult r = Wb(dir_, "list export --out lists --key bad.secret");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_FALSE(Has(r.err, "zz"));
  r = Wb(dir_, "list versions");
  EXPECT_FALSE(Has(r.out, "v2")) << r.out;
}

TEST(SpreadsheetCliTest, InjectionCellsAreNeutralisedInEveryExport) {
  TempDir dir;
  ASSERT_EQ(Wb(dir,
               "person add --family-name '=HYPERLINK(\"http://x\",\"y\")' --given-name '+1'"
               " --father-name '@SUM(1,2)'")
                .rc,
            0);
  ASSERT_EQ(Wb(dir, "person add --family-name Morsa --given-name=-").rc, 0);
  RunResult r = Wb(dir, "person list --format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,\"'@SUM(1,2)\""))
      << r.out;
  EXPECT_TRUE(Has(r.out, ",Morsa,-,")) << r.out;
  r = Wb(dir, "report figures --format csv --show missing");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\n1,'") || Has(r.out, "\n1,\"'")) << r.out;
  ASSERT_EQ(Wb(dir, "list export --out lists").rc, 0);
  const std::string csv = Slurp(dir.File("lists/persons-sought-v1.csv"));
  EXPECT_TRUE(Has(csv, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,\"'@SUM(1,2)\"")) << csv;
  // Our own readers read the neutralised files back exactly.
  ASSERT_EQ(Wb(dir, "list export --out lists").rc, 0);
  r = Wb(dir, "list diff lists/persons-sought-v1.csv lists/persons-sought-v2.json");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "0 added, 0 removed, 0 changed")) << r.out;
  r = Wb(dir, "list verify lists/persons-sought-v1.json --db whereabouts.db");
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
