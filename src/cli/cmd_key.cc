// `whereabouts key generate`: the commission's Ed25519 key pair that signs list versions
// (`list export --key`). The secret key file is written with mode 0600 and never printed; the
// public key file is what the other party needs to check a list (`list verify --public-key`).
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "app/list_signing.h"
#include "app/sodium_signatures.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/key_files.h"

namespace whereabouts::cli {
namespace {

struct GenerateOptions {
  std::string out;
  std::string secret;
  std::string public_key;
};

Status RunGenerate(const GenerateOptions& opt) {
  std::string secret_path = opt.secret;
  std::string public_path = opt.public_key;
  if (!opt.out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(opt.out, ec);
    if (ec) return MakeError(ErrorCode::kIo, "cannot create the folder", opt.out);
    const auto dir = std::filesystem::path(opt.out);
    if (secret_path.empty()) secret_path = (dir / "list-signing.secret").string();
    if (public_path.empty()) public_path = (dir / "list-signing.public.json").string();
  }
  if (secret_path.empty() || public_path.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "give --out DIR, or both --secret FILE and --public FILE", "key generate");
  }
  const auto scheme = app::MakeEd25519Scheme();
  WB_ASSIGN_OR_RETURN(const app::KeyPair kp, scheme->GenerateKeyPair());
  const std::string fingerprint = app::KeyFingerprint(kp.public_key);
  // The public file first: a secret key without its public key would be of no use.
  WB_RETURN_IF_ERROR(io::WriteNewFile(
      public_path, io::FormatPublicKeyFile(scheme->Name(), kp.public_key, fingerprint), 0644));
  if (auto s = io::WriteNewFile(secret_path, io::FormatSecretKeyFile(kp.secret_key), 0600); !s) {
    std::error_code ec;
    std::filesystem::remove(public_path, ec);
    return s;
  }
  fmt::print("wrote the secret key to {} (mode 0600: keep it with the commission)\n", secret_path);
  fmt::print("wrote the public key to {} (hand it to the other party)\n", public_path);
  fmt::print("fingerprint {}\n", fingerprint);
  return {};
}

}  // namespace

void RegisterKey(CLI::App& root, int& exit_code) {
  CLI::App* key = root.add_subcommand("key", "the commission's key that signs list versions");
  key->require_subcommand(1);
  auto opt = std::make_shared<GenerateOptions>();
  CLI::App* cmd = key->add_subcommand(
      "generate", "create an Ed25519 key pair (secret key mode 0600, public key as JSON)");
  cmd->add_option("--out", opt->out, "folder for list-signing.secret and list-signing.public.json");
  cmd->add_option("--secret", opt->secret, "the secret key file to create");
  cmd->add_option("--public", opt->public_key, "the public key file to create");
  SetCallback(cmd, exit_code, [opt] { return RunGenerate(*opt); });
}

}  // namespace whereabouts::cli
