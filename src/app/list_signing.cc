#include "app/list_signing.h"

#include "registry/sha256.h"

namespace whereabouts::app {

std::string KeyFingerprint(std::string_view public_key) { return registry::Sha256Hex(public_key); }

std::string ListStatementText(const ListStatement& s) {
  std::string out = "whereabouts signed list\n";
  out += "format: " + s.format + "\n";
  out += "version: " + std::to_string(s.version) + "\n";
  out += "sha256: " + s.sha256 + "\n";
  if (s.chain_head) {
    out += "chain_head: " + std::to_string(s.chain_head->seq) + " " + s.chain_head->hash + "\n";
  }
  return out;
}

Result<ListSignature> SignListStatement(const SignatureScheme& scheme, std::string_view secret_key,
                                        const ListStatement& statement) {
  WB_ASSIGN_OR_RETURN(const std::string public_key, scheme.PublicKeyOf(secret_key));
  ListSignature sig;
  sig.algorithm = scheme.Name();
  sig.public_key_fingerprint = KeyFingerprint(public_key);
  WB_ASSIGN_OR_RETURN(sig.value, scheme.Sign(ListStatementText(statement), secret_key));
  return sig;
}

Result<ListChainHead> ListVersionHead(registry::RegistryStore& store, int64_t version) {
  registry::EventQuery q;
  q.kind = registry::EntityKind::kList;
  q.entity_id = version;
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Event> events, store.Events(q));
  for (const registry::Event& e : events) {
    if (e.type == "list.exported") return ListChainHead{e.seq, e.hash};
  }
  return MakeError(ErrorCode::kNotFound, "unknown list version " + std::to_string(version));
}

namespace {

ListCheck Passed(std::string what, std::string detail) {
  return ListCheck{std::move(what), true, std::nullopt, std::move(detail)};
}
ListCheck Failed(std::string what, ListProblem problem, std::string detail) {
  return ListCheck{std::move(what), false, problem, std::move(detail)};
}

// A CSV without its JSON, against the register's recorded versions.
Result<ListCheck> CheckLoneCsv(registry::RegistryStore& store, const SignedListFile& f) {
  const std::string sha = registry::Sha256Hex(f.csv);
  WB_ASSIGN_OR_RETURN(const std::vector<ListVersionInfo> all, ListVersions(store));
  const int64_t version = f.statement.version;
  if (version > 0) {
    const std::string v = std::to_string(version);
    for (const ListVersionInfo& i : all) {
      if (i.version != version) continue;
      if (i.sha256 == sha) {
        return Passed("register",
                      "the CSV is the register's list version " + v + " (sha256 " + sha + ")");
      }
      return Failed("register", ListProblem::kDiffersFromRegister,
                    "content differs from the register's list version " + v + " (sha256 " +
                        i.sha256 + ", " + std::to_string(i.count) + " entries; the CSV has " +
                        std::to_string(f.csv_entries) + ", sha256 " + sha +
                        "): a row was changed, removed or added");
    }
    return Failed("register", ListProblem::kUnknownVersion,
                  "unknown version: the register has no list version " + v);
  }
  for (const ListVersionInfo& i : all) {
    if (i.sha256 == sha) {
      return Passed("register", "the CSV is the register's list version " +
                                    std::to_string(i.version) + " (sha256 " + sha + ")");
    }
  }
  return Failed("register", ListProblem::kUnknownVersion,
                "unknown version: the CSV (sha256 " + sha + ") is none of the register's " +
                    std::to_string(all.size()) + " list versions");
}

ListCheck CheckContent(const SignedListFile& f) {
  if (registry::Sha256Hex(f.csv) != f.statement.sha256) {
    return Failed("content", ListProblem::kContentChanged,
                  "content changed: the CSV's bytes do not match the stated sha256");
  }
  if (f.json_entries && f.to_csv(*f.json_entries) != f.csv) {
    return Failed("content", ListProblem::kContentChanged,
                  "content changed: the JSON's entries differ from the CSV");
  }
  return Passed("content", "the CSV matches the stated sha256 " + f.statement.sha256);
}

ListCheck CheckSignature(const SignatureScheme& scheme, const SignedListFile& f,
                         const std::string& public_key) {
  if (!f.signature) {
    return Failed("signature", ListProblem::kNotSigned, "not signed: the export has no signature");
  }
  const ListSignature& sig = *f.signature;
  const std::string given = KeyFingerprint(public_key);
  if (sig.algorithm != scheme.Name()) {
    return Failed(
        "signature", ListProblem::kSignatureInvalid,
        "signature invalid: algorithm '" + sig.algorithm + "', expected " + scheme.Name());
  }
  if (sig.public_key_fingerprint != given) {
    return Failed("signature", ListProblem::kWrongKey,
                  "wrong key: signed by the key with fingerprint " + sig.public_key_fingerprint +
                      ", not by the given key " + given);
  }
  if (!scheme.Verify(ListStatementText(f.statement), sig.value, public_key)) {
    return Failed("signature", ListProblem::kSignatureInvalid,
                  "signature invalid: the signature does not match the version, sha256 and chain "
                  "head stated under the key " +
                      given);
  }
  return Passed("signature", "signed with the key " + given);
}

Result<ListCheck> CheckRegister(registry::RegistryStore& store, const SignedListFile& f) {
  const int64_t version = f.statement.version;
  const std::string v = std::to_string(version);
  WB_ASSIGN_OR_RETURN(const std::vector<ListVersionInfo> all, ListVersions(store));
  const ListVersionInfo* info = nullptr;
  for (const auto& i : all) {
    if (i.version == version) info = &i;
  }
  if (!info) {
    return Failed("register", ListProblem::kUnknownVersion,
                  "unknown version: the register has no list version " + v);
  }
  if (info->sha256 != f.statement.sha256) {
    return Failed(
        "register", ListProblem::kDiffersFromRegister,
        "content differs from the register's list version " + v + " (sha256 " + info->sha256 + ")");
  }
  if (f.statement.chain_head) {
    auto head = ListVersionHead(store, version);
    if (!head) return tl::unexpected(head.error());
    if (head->seq != f.statement.chain_head->seq || head->hash != f.statement.chain_head->hash) {
      return Failed("register", ListProblem::kDiffersFromRegister,
                    "the chain head differs from the register's at list version " + v +
                        " (event #" + std::to_string(head->seq) + ")");
    }
  }
  return Passed("register", "the register's list version " + v + " has this sha256");
}

}  // namespace

Result<VerifyListResult> VerifySignedList(const VerifyListRequest& req) {
  if (!req.file) return MakeError(ErrorCode::kInternal, "no list file given");
  if (req.public_key && !req.scheme) return MakeError(ErrorCode::kInternal, "no scheme given");
  if (req.file->json_entries && !req.file->to_csv) {
    return MakeError(ErrorCode::kInternal, "no list format given", "to_csv");
  }
  VerifyListResult res;
  if (req.file->csv_only) {
    if (!req.store) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a CSV without its JSON states no sha256: it is checked against the "
                       "register only",
                       req.file->name);
    }
    if (req.public_key) {
      res.checks.push_back(Failed("signature", ListProblem::kNotSigned,
                                  "not signed: a CSV alone carries no signature (it is in the "
                                  "JSON of the version)"));
    }
    WB_ASSIGN_OR_RETURN(ListCheck c, CheckLoneCsv(*req.store, *req.file));
    res.checks.push_back(std::move(c));
    return res;
  }
  res.checks.push_back(CheckContent(*req.file));
  if (req.public_key) res.checks.push_back(CheckSignature(*req.scheme, *req.file, *req.public_key));
  if (req.store) {
    WB_ASSIGN_OR_RETURN(ListCheck c, CheckRegister(*req.store, *req.file));
    res.checks.push_back(std::move(c));
  }
  return res;
}

}  // namespace whereabouts::app
