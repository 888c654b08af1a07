// The libsodium adapter of the SignatureScheme port (list_signing.h): Ed25519
// (crypto_sign_keypair, crypto_sign_detached, crypto_sign_verify_detached). Secret keys are the
// 64 bytes of libsodium's format (seed and public key), public keys 32 bytes, signatures 64.
#pragma once

#include <memory>

#include "app/list_signing.h"

namespace whereabouts::app {

// The Ed25519 scheme. Initialises libsodium on first use. Thread-safe.
[[nodiscard]] std::unique_ptr<SignatureScheme> MakeEd25519Scheme();

}  // namespace whereabouts::app
