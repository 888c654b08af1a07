// Signed versions of the list of persons sought: the commission signs each exported version with
// its key (Ed25519), and the other party, holding only the public key and the files, checks that
// the list is the one the commission exported and was not altered; with the register at hand the
// commission also checks a file against the version it recorded.
//
// What is signed is a canonical statement (ListStatementText): the CSV format's name, the list
// version, the SHA-256 of the CSV's bytes and, when the export states one, the register's event
// chain head at the version (seq and hash). The signature is detached: it travels in the JSON
// export beside the statement's fields, with the fingerprint of the public key.
//
// Crypto is behind a port (SignatureScheme): the adapter is Ed25519 of libsodium
// (sodium_signatures.h); the register's domain stays pure. Key bytes never appear in messages.
// Thread-safety: the functions are pure given the scheme and the store passed in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/lists.h"
#include "common/result.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// A key pair as raw bytes (the formats of the scheme).
struct KeyPair {
  std::string secret_key;
  std::string public_key;
};

// The port: a signature scheme. Implementations are thread-safe.
class SignatureScheme {
 public:
  virtual ~SignatureScheme() = default;
  // Its name as files state it ("ed25519").
  [[nodiscard]] virtual std::string Name() const = 0;
  // A fresh key pair from the system's random source. Errors: kInternal.
  [[nodiscard]] virtual Result<KeyPair> GenerateKeyPair() const = 0;
  // The public key of a secret key. Errors: kInvalidArgument when it is not one of this scheme's.
  [[nodiscard]] virtual Result<std::string> PublicKeyOf(std::string_view secret_key) const = 0;
  // The detached signature of `message`. Errors: kInvalidArgument for a malformed secret key.
  [[nodiscard]] virtual Result<std::string> Sign(std::string_view message,
                                                 std::string_view secret_key) const = 0;
  // True when `signature` is one of `message` by the holder of `public_key`.
  [[nodiscard]] virtual bool Verify(std::string_view message, std::string_view signature,
                                    std::string_view public_key) const = 0;
};

// The fingerprint that names a public key: lower-case hex SHA-256 of its bytes.
[[nodiscard]] std::string KeyFingerprint(std::string_view public_key);

// The register's event chain head at a list version: the list.exported event's seq and hash.
struct ListChainHead {
  int64_t seq = 0;
  std::string hash;
};

// What a signature of a list version states.
struct ListStatement {
  std::string format;  // the CSV format's name (io::kListCsvFormat)
  int64_t version = 0;
  std::string sha256;  // of the CSV's bytes, lower-case hex
  std::optional<ListChainHead> chain_head;
};

// The canonical bytes that are signed: "whereabouts signed list\n" then "format: ...\n",
// "version: N\n", "sha256: ...\n" and, when stated, "chain_head: SEQ HASH\n". Thread-safe (pure).
[[nodiscard]] std::string ListStatementText(const ListStatement& s);

// A detached signature with what names its key.
struct ListSignature {
  std::string algorithm;               // the scheme's Name()
  std::string public_key_fingerprint;  // KeyFingerprint of the signer's public key
  std::string value;                   // the signature's bytes
};

// Signs `statement` with `secret_key`. Errors: those of the scheme (a malformed key), without the
// key's bytes.
[[nodiscard]] Result<ListSignature> SignListStatement(const SignatureScheme& scheme,
                                                      std::string_view secret_key,
                                                      const ListStatement& statement);

// The chain head at list version `version` as the register recorded it (the list.exported
// event). Errors: kNotFound "unknown list version N"; those of the store.
[[nodiscard]] Result<ListChainHead> ListVersionHead(registry::RegistryStore& store,
                                                    int64_t version);

// A signed export as its files gave it.
struct SignedListFile {
  std::string name;  // how to name the file in messages
  std::string csv;   // the CSV file's bytes
  // The entries the JSON states, and the format that renders them to the CSV's bytes (nullopt
  // when the caller has no JSON entries to compare).
  std::optional<std::vector<registry::ListEntry>> json_entries;
  ListCsv to_csv;                          // required with json_entries
  ListStatement statement;                 // as the JSON states it
  std::optional<ListSignature> signature;  // nullopt: the export is not signed
  // The CSV came without its JSON: nothing states its sha256 or carries its signature, and
  // statement.version is the version its name gives (0: none). It is checked against the
  // register only (a store is then required).
  bool csv_only = false;
  size_t csv_entries = 0;  // csv_only: the CSV's entries (for messages)
};

// What failed, one value per kind of failure.
enum class ListProblem {
  kContentChanged,       // the CSV's bytes (or the JSON's entries) do not match the stated sha256
  kNotSigned,            // a public key was given but the export carries no signature
  kWrongKey,             // signed by another key than the one given
  kSignatureInvalid,     // the signature does not match the statement under the key
  kUnknownVersion,       // the register has no such list version
  kDiffersFromRegister,  // the register recorded another sha256 (or chain head) for the version
};

// One check made and its outcome.
struct ListCheck {
  std::string what;  // "content", "signature", "register"
  bool ok = false;
  std::optional<ListProblem> problem;  // set when !ok
  std::string detail;                  // for people; no key bytes, no personal data
};

struct VerifyListResult {
  std::vector<ListCheck> checks;
  [[nodiscard]] bool Valid() const {
    for (const auto& c : checks) {
      if (!c.ok) return false;
    }
    return true;
  }
};

struct VerifyListRequest {
  const SignedListFile* file = nullptr;      // required
  const SignatureScheme* scheme = nullptr;   // required with public_key
  std::optional<std::string> public_key;     // nullopt: the signature is not checked
  registry::RegistryStore* store = nullptr;  // nullptr: the register is not consulted
};

// Checks the content against the stated sha256, the signature against the public key (when
// given) and the version against the register (when given); a CSV without its JSON (csv_only)
// only against the register: its bytes must be the register's version its name gives, else one
// of the register's versions (kUnknownVersion when none has its sha256), and with a public key it
// is "not signed". Every check that applies is made
// and reported; the result is valid when all passed. Errors: only those of the store, and
// kInternal for a request that lacks what it requires; kInvalidArgument for a csv_only file
// without a store.
[[nodiscard]] Result<VerifyListResult> VerifySignedList(const VerifyListRequest& request);

}  // namespace whereabouts::app
