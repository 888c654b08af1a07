// SHA-256 (FIPS 180-4, computed by OpenSSL), for the checksums of exported lists and sources.
#pragma once

#include <string>
#include <string_view>

namespace whereabouts::registry {

// Lower-case hex digest of `data`.
[[nodiscard]] std::string Sha256Hex(std::string_view data);

}  // namespace whereabouts::registry
