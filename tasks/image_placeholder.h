#pragma once
// MMMU's "<image N>" placeholders, found the same way by the loader (which
// images a question needs) and the prompt builder (where they go).
#include <cstddef>
#include <optional>
#include <string_view>

namespace mmh::tasks {

struct ImagePlaceholder {
  std::size_t at = 0;      // offset of '<'
  std::size_t length = 0;  // through '>'
  int number = 0;          // N
};

// The first "<image N>" (N: 1 to 3 digits) at or after `from`; anything else
// that starts with "<image " is text.
inline std::optional<ImagePlaceholder> next_image_placeholder(std::string_view text, std::size_t from = 0) {
  constexpr std::string_view kOpen = "<image ";
  for (std::size_t at = text.find(kOpen, from); at != std::string_view::npos; at = text.find(kOpen, at + 1)) {
    std::size_t end = at + kOpen.size();
    int number = 0;
    while (end < text.size() && end - at - kOpen.size() < 3 && text[end] >= '0' && text[end] <= '9')
      number = number * 10 + (text[end++] - '0');
    if (end > at + kOpen.size() && end < text.size() && text[end] == '>') return ImagePlaceholder{at, end + 1 - at, number};
  }
  return std::nullopt;
}

}  // namespace mmh::tasks
