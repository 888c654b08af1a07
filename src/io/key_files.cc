#include "io/key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace whereabouts::io {
namespace {

constexpr std::string_view kSecretHeader = "whereabouts ed25519 secret key";
constexpr const char* kPublicFormat = "whereabouts public key 1";

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex, const std::string& what) {
  if (hex.size() % 2 != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "not hex (odd number of digits)", what);
  }
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return MakeError(ErrorCode::kInvalidArgument, "not hex", what);
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string FormatSecretKeyFile(std::string_view secret_key) {
  return std::string(kSecretHeader) + "\n" + HexEncode(secret_key) + "\n";
}

Result<std::string> ParseSecretKeyFile(std::string_view text, const std::string& source) {
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos || Trim(text.substr(0, nl)) != kSecretHeader) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a secret key file (made by `whereabouts key generate`)", source);
  }
  auto key = HexDecode(Trim(text.substr(nl + 1)), source);
  if (!key || key->size() != 64) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a secret key file (the key is not 64 bytes of hex)", source);
  }
  return key;
}

std::string FormatPublicKeyFile(std::string_view algorithm, std::string_view public_key,
                                std::string_view fingerprint) {
  nlohmann::ordered_json j;
  j["format"] = kPublicFormat;
  j["algorithm"] = algorithm;
  j["public_key"] = HexEncode(public_key);
  j["fingerprint"] = fingerprint;
  return j.dump(2) + "\n";
}

Result<std::string> ParsePublicKeyFile(std::string_view text, const std::string& source) {
  const std::string_view t = Trim(text);
  std::string hex;
  if (!t.empty() && t.front() == '{') {
    try {
      const auto j = nlohmann::json::parse(t);
      if (j.value("format", "") != kPublicFormat) {
        return MakeError(ErrorCode::kInvalidArgument, "not a public key file (format differs)",
                         source);
      }
      if (j.value("algorithm", "") != "ed25519") {
        return MakeError(ErrorCode::kInvalidArgument, "the public key is not an ed25519 key",
                         source);
      }
      hex = j.at("public_key").get<std::string>();
    } catch (const std::exception&) {
      return MakeError(ErrorCode::kInvalidArgument, "not a public key file (bad JSON)", source);
    }
  } else {
    hex = std::string(t);
  }
  auto key = HexDecode(hex, source);
  if (!key || key->size() != 32) {
    return MakeError(ErrorCode::kInvalidArgument, "not a public key (expected 32 bytes of hex)",
                     source);
  }
  return key;
}

Status WriteNewFile(const std::string& path, std::string_view text, unsigned mode) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    if (errno == EEXIST) {
      return MakeError(ErrorCode::kAlreadyExists, "the file exists: a key is never overwritten",
                       path);
    }
    return MakeError(ErrorCode::kIo, std::string("cannot create the file: ") + std::strerror(errno),
                     path);
  }
  // The mode asked for exactly, whatever the umask.
  bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return MakeError(ErrorCode::kIo, "writing failed", path);
  }
  return {};
}

}  // namespace whereabouts::io
