#include "app/sodium_signatures.h"

#include <sodium.h>

namespace whereabouts::app {
namespace {

bool SodiumReady() {
  static const int rc = sodium_init();
  return rc >= 0;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

class Ed25519Scheme final : public SignatureScheme {
 public:
  std::string Name() const override { return "ed25519"; }

  Result<KeyPair> GenerateKeyPair() const override {
    if (!SodiumReady())
      return MakeError(ErrorCode::kInternal, "libsodium could not be initialised");
    KeyPair kp;
    kp.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    kp.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    if (crypto_sign_keypair(reinterpret_cast<unsigned char*>(kp.public_key.data()),
                            reinterpret_cast<unsigned char*>(kp.secret_key.data())) != 0) {
      return MakeError(ErrorCode::kInternal, "the key pair could not be generated");
    }
    return kp;
  }

  Result<std::string> PublicKeyOf(std::string_view secret_key) const override {
    if (!SodiumReady())
      return MakeError(ErrorCode::kInternal, "libsodium could not be initialised");
    if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
      return MakeError(ErrorCode::kInvalidArgument, "not an Ed25519 secret key (wrong length)");
    }
    std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
    if (crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(pk.data()),
                                     Bytes(secret_key)) != 0) {
      return MakeError(ErrorCode::kInvalidArgument, "not an Ed25519 secret key");
    }
    return pk;
  }

  Result<std::string> Sign(std::string_view message, std::string_view secret_key) const override {
    if (!SodiumReady())
      return MakeError(ErrorCode::kInternal, "libsodium could not be initialised");
    if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
      return MakeError(ErrorCode::kInvalidArgument, "not an Ed25519 secret key (wrong length)");
    }
    std::string sig(crypto_sign_BYTES, '\0');
    if (crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, Bytes(message),
                             message.size(), Bytes(secret_key)) != 0) {
      return MakeError(ErrorCode::kInternal, "the statement could not be signed");
    }
    return sig;
  }

  bool Verify(std::string_view message, std::string_view signature,
              std::string_view public_key) const override {
    if (!SodiumReady()) return false;
    if (signature.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES) {
      return false;
    }
    return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                       Bytes(public_key)) == 0;
  }
};

}  // namespace

std::unique_ptr<SignatureScheme> MakeEd25519Scheme() { return std::make_unique<Ed25519Scheme>(); }

}  // namespace whereabouts::app
