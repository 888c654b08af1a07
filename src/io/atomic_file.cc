#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace whereabouts::io {
namespace {

std::atomic<unsigned> temp_counter{0};

Error IoError(const std::string& path, const std::string& what, int err) {
  return Error{ErrorCode::kIo, what + ": " + std::strerror(err), path};
}

}  // namespace

Result<AtomicFile> AtomicFile::Create(const std::string& path) {
  // O_EXCL: never write into a file someone else is writing (another process, a stale one).
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const std::string temp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                             std::to_string(temp_counter.fetch_add(1));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return AtomicFile(path, temp, fd);
    if (errno != EEXIST)
      return tl::unexpected(IoError(path, "cannot create a temporary file", errno));
  }
  return MakeError(ErrorCode::kIo, "cannot create a temporary file: too many exist", path);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::move(other.temp_)),
      fd_(other.fd_),
      committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;  // nothing left for the moved-from object to remove
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    Release();
    path_ = std::move(other.path_);
    temp_ = std::move(other.temp_);
    fd_ = other.fd_;
    committed_ = other.committed_;
    other.fd_ = -1;
    other.committed_ = true;
  }
  return *this;
}

AtomicFile::~AtomicFile() { Release(); }

void AtomicFile::Release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  committed_ = true;
}

Status AtomicFile::Write(std::string_view data) {
  if (fd_ < 0) return MakeError(ErrorCode::kIo, "write after the file was closed", path_);
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(IoError(path_, "cannot write", errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status AtomicFile::Sync() {
  if (fd_ < 0) return {};
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return tl::unexpected(IoError(path_, "cannot flush to disk", err));
  }
  if (::close(fd) != 0) return tl::unexpected(IoError(path_, "cannot close", errno));
  return {};
}

Status AtomicFile::Commit() {
  if (committed_) return MakeError(ErrorCode::kIo, "already committed", path_);
  WB_RETURN_IF_ERROR(Sync());
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    return tl::unexpected(IoError(path_, "cannot replace the file", errno));
  }
  committed_ = true;
  // The rename is durable once the directory is flushed.
  std::string dir = std::filesystem::path(path_).parent_path().string();
  if (dir.empty()) dir = ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return tl::unexpected(IoError(path_, "cannot open its folder to flush it", errno));
  const int rc = ::fsync(dfd);
  const int err = errno;
  ::close(dfd);
  if (rc != 0) return tl::unexpected(IoError(path_, "cannot flush its folder to disk", err));
  return {};
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  WB_ASSIGN_OR_RETURN(AtomicFile file, AtomicFile::Create(path));
  WB_RETURN_IF_ERROR(file.Write(data));
  return file.Commit();
}

}  // namespace whereabouts::io
