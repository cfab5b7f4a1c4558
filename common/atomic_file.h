#pragma once
// An output file that appears complete or not at all: it is written next to
// its destination under a temporary name and renamed over it on commit(), so
// an interrupted or failed report never leaves half a page (or clobbers the
// previous one).
#include <filesystem>
#include <fstream>
#include <string_view>

namespace mmh {

class AtomicFile {
 public:
  // mmh::Error naming `path` when its folder is missing or not writable.
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  const std::filesystem::path& path() const { return path_; }
  // Closes, checks and renames the temporary file to the destination.
  void commit();

 private:
  std::filesystem::path path_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

// Replaces `path` with `content` through an AtomicFile.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace mmh
