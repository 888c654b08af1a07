// Files written whole or not at all. The bytes go to a temporary file beside the target
// (`NAME.tmp-PID-N`, in the same directory so that the rename cannot cross file systems), are
// flushed to disk (fsync), and the temporary file is then renamed over the target (and the
// directory flushed). A reader, or a run killed midway, finds the old file or the new one under
// the target's name, never a part of one; a killed run may leave a `NAME.tmp-*` file behind.
//
// Self-contained (POSIX and the standard library), so that any writer of result files (identify's
// outputs, list exports) can use it.
//
// Thread-safety: distinct AtomicFile objects may be used from different threads; one object is
// not safe for concurrent use.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace whereabouts::io {

class AtomicFile {
 public:
  // Creates the temporary file for `path` (with the permissions a new file gets under the umask).
  // REQUIRES: the directory of `path` exists. Errors: kIo naming the path.
  [[nodiscard]] static Result<AtomicFile> Create(const std::string& path);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // Removes the temporary file unless Commit succeeded.
  ~AtomicFile();

  // Appends `data` to the temporary file. Errors: kIo naming the path.
  [[nodiscard]] Status Write(std::string_view data);
  // Flushes the temporary file to disk and closes it; Commit then only renames. Called by Commit
  // when not called before. Errors: kIo naming the path.
  [[nodiscard]] Status Sync();
  // Sync, then renames the temporary file over the target and flushes the directory. After an
  // error the target is unchanged (and the temporary file is removed by the destructor).
  // Errors: kIo naming the path.
  [[nodiscard]] Status Commit();

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& temporary_path() const { return temp_; }

 private:
  AtomicFile(std::string path, std::string temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  void Release();

  std::string path_, temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes `data` to `path` through an AtomicFile: `path` holds either its old contents or all of
// `data`. Errors: kIo naming the path.
[[nodiscard]] Status WriteFileAtomically(const std::string& path, std::string_view data);

}  // namespace whereabouts::io
