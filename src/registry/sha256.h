// SHA-256 (FIPS 180-4, computed by OpenSSL), for the checksums of exported lists and sources.
#pragma once

#include <string>
#include <string_view>

namespace whereabouts::registry {

// Lower-case hex digest of `data`.
[[nodiscard]] std::string Sha256Hex(std::string_view data);

// The same digest over data given in pieces (a file read block by block).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view data);
  // Lower-case hex digest of everything given; call once, last.
  [[nodiscard]] std::string HexDigest();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace whereabouts::registry
