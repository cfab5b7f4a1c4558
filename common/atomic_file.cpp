#include "common/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace mmh {

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  if (std::filesystem::is_directory(path_)) throw Error(path_.string(), "is a directory, not a file");
  temp_ = path_;
  temp_ += ".tmp-" + std::to_string(getpid());
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw Error(path_.string(), std::string("cannot be written here: ") + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

void AtomicFile::commit() {
  out_.close();
  if (!out_) throw Error(path_.string(), "write failed (disk full?)");
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) throw Error(path_.string(), "cannot replace the file: " + ec.message());
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  AtomicFile file(path);
  file.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  file.commit();
}

}  // namespace mmh
