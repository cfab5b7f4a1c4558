#pragma once
// Shared by the format decoders; not part of the public API.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model_backend/image/image.h"

namespace mmh::image::detail {

Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name);
Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name);

// Refuses a zero side or more than kMaxImagePixels, before anything is
// allocated; returns the image with its pixel buffer sized.
Image allocate_checked(std::int64_t width, std::int64_t height, const std::string& name, const char* format);

}  // namespace mmh::image::detail
