// The key files of signed list versions (docs/registry.md, "Signed list versions"):
//   secret key file  two lines, "whereabouts ed25519 secret key" and the key's 64 bytes in
//                    lower-case hex; written with mode 0600, never over an existing file
//   public key file  JSON {"format": "whereabouts public key 1", "algorithm": "ed25519",
//                    "public_key": HEX, "fingerprint": HEX}: the file handed to the other party
// Errors about a secret key file never quote its content.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace whereabouts::io {

// Lower-case hex of `bytes`. Thread-safe (pure).
[[nodiscard]] std::string HexEncode(std::string_view bytes);
// The bytes of hex text (either case). Errors: kInvalidArgument (odd length, not a hex digit),
// naming `what` and never quoting the text.
[[nodiscard]] Result<std::string> HexDecode(std::string_view hex, const std::string& what);

[[nodiscard]] std::string FormatSecretKeyFile(std::string_view secret_key);
// Errors: kInvalidArgument "not a secret key file" naming `source`, never quoting the text.
[[nodiscard]] Result<std::string> ParseSecretKeyFile(std::string_view text,
                                                     const std::string& source);

[[nodiscard]] std::string FormatPublicKeyFile(std::string_view algorithm,
                                              std::string_view public_key,
                                              std::string_view fingerprint);
// The public key's bytes, from a public key file or from a file holding only the key in hex.
// Errors: kInvalidArgument naming `source` (not a public key file, another algorithm).
[[nodiscard]] Result<std::string> ParsePublicKeyFile(std::string_view text,
                                                     const std::string& source);

// Creates `path` with `mode` (e.g. 0600) and writes `text`; refuses an existing file.
// Errors: kAlreadyExists, kIo, naming the path.
[[nodiscard]] Status WriteNewFile(const std::string& path, std::string_view text, unsigned mode);

}  // namespace whereabouts::io
