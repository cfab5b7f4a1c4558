#pragma once
// Version and source revision baked in at build time (cmake/BuildInfo.cmake).

namespace mmh {
const char* harness_version();  // "0.1.0"
const char* git_revision();     // `git describe --always --dirty`, or "unknown"
}  // namespace mmh
