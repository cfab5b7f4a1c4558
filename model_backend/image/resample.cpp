// A port of Pillow 9.4's libImaging/Resample.c (8 bits per channel) and, for
// NEAREST, of the affine scale path Image.resize takes (_imaging.c _resize ->
// ImagingTransform -> ImagingScaleAffine). Every arithmetic step keeps
// Pillow's types: float box, double coefficients, 22-bit fixed point ints.
#include <climits>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/error.h"
#include "model_backend/image/image.h"

namespace mmh::image {

namespace {

struct Filter {
  double (*weight)(double x);
  double support;
};

double bilinear_filter(double x) {
  if (x < 0.0) x = -x;
  if (x < 1.0) return 1.0 - x;
  return 0.0;
}

// Keys' cubic convolution with a = -0.5.
double bicubic_filter(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

constexpr Filter kBilinear{bilinear_filter, 1.0};
constexpr Filter kBicubic{bicubic_filter, 2.0};

// 8 bits of result, 2 bits of headroom for the negative lobes and sums > 1.
constexpr int kPrecisionBits = 32 - 8 - 2;

inline std::uint8_t clip8(int value) {
  const int v = value >> kPrecisionBits;  // arithmetic shift, as Pillow's lookup index
  return static_cast<std::uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

// For each output pixel: the first input pixel, the count, and ksize
// fixed-point weights (precompute_coeffs + normalize_coeffs_8bpc).
struct Coefficients {
  int ksize = 0;
  std::vector<int> bounds;  // xmin, count per output pixel
  std::vector<std::int32_t> k;
};

Coefficients precompute_coeffs(int in_size, float in0, float in1, int out_size, const Filter& filter) {
  double scale = static_cast<double>(in1 - in0) / out_size;
  double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = filter.support * filterscale;
  Coefficients c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  if (out_size > INT_MAX / (c.ksize * static_cast<int>(sizeof(double))))
    throw Error("resize: output too large for the resampling coefficients");
  std::vector<double> kk(static_cast<std::size_t>(out_size) * c.ksize, 0.0);
  c.bounds.resize(static_cast<std::size_t>(out_size) * 2);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = in0 + (xx + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    double ww = 0.0;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double* k = &kk[static_cast<std::size_t>(xx) * c.ksize];
    for (int x = 0; x < xmax; ++x) {
      const double w = filter.weight((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (int x = 0; x < xmax; ++x)
      if (ww != 0.0) k[x] /= ww;
    c.bounds[xx * 2 + 0] = xmin;
    c.bounds[xx * 2 + 1] = xmax;
  }
  c.k.resize(kk.size());
  for (std::size_t i = 0; i < kk.size(); ++i)
    c.k[i] = kk[i] < 0 ? static_cast<int>(-0.5 + kk[i] * (1 << kPrecisionBits))
                       : static_cast<int>(0.5 + kk[i] * (1 << kPrecisionBits));
  return c;
}

// Rows [offset, offset + out_height) of `in`, horizontally resampled.
Image resample_horizontal(const Image& in, int offset, int out_height, int out_width, const Coefficients& c) {
  Image out;
  out.width = out_width;
  out.height = out_height;
  out.rgb.resize(static_cast<std::size_t>(out_width) * out_height * 3);
  for (int yy = 0; yy < out_height; ++yy) {
    const std::uint8_t* row = in.rgb.data() + static_cast<std::size_t>(yy + offset) * in.width * 3;
    std::uint8_t* dst = out.rgb.data() + static_cast<std::size_t>(yy) * out_width * 3;
    for (int xx = 0; xx < out_width; ++xx) {
      const int xmin = c.bounds[xx * 2], xmax = c.bounds[xx * 2 + 1];
      const std::int32_t* k = &c.k[static_cast<std::size_t>(xx) * c.ksize];
      int ss0 = 1 << (kPrecisionBits - 1), ss1 = ss0, ss2 = ss0;
      for (int x = 0; x < xmax; ++x) {
        const std::uint8_t* p = row + (x + xmin) * 3;
        ss0 += p[0] * k[x];
        ss1 += p[1] * k[x];
        ss2 += p[2] * k[x];
      }
      dst[xx * 3 + 0] = clip8(ss0);
      dst[xx * 3 + 1] = clip8(ss1);
      dst[xx * 3 + 2] = clip8(ss2);
    }
  }
  return out;
}

// Bounds are relative to the first row of `in`.
Image resample_vertical(const Image& in, int out_height, const Coefficients& c) {
  Image out;
  out.width = in.width;
  out.height = out_height;
  out.rgb.resize(static_cast<std::size_t>(in.width) * out_height * 3);
  const std::size_t stride = static_cast<std::size_t>(in.width) * 3;
  std::vector<std::int32_t> acc;
  for (int yy = 0; yy < out_height; ++yy) {
    const int ymin = c.bounds[yy * 2], ymax = c.bounds[yy * 2 + 1];
    const std::int32_t* k = &c.k[static_cast<std::size_t>(yy) * c.ksize];
    // Row-wise accumulation: the same integer sums as Pillow's per-pixel
    // loop (integer addition is exact), but cache-friendly and vectorisable.
    acc.assign(stride, 1 << (kPrecisionBits - 1));
    for (int y = 0; y < ymax; ++y) {
      const std::uint8_t* src = in.rgb.data() + (y + ymin) * stride;
      const std::int32_t weight = k[y];
      for (std::size_t i = 0; i < stride; ++i) acc[i] += src[i] * weight;
    }
    std::uint8_t* dst = out.rgb.data() + yy * stride;
    for (std::size_t i = 0; i < stride; ++i) dst[i] = clip8(acc[i]);
  }
  return out;
}

// ImagingResampleInner with box = (0, 0, width, height).
Image resample_convolution(const Image& in, int width, int height, const Filter& filter) {
  const bool need_horizontal = width != in.width;
  const bool need_vertical = height != in.height;
  Coefficients vert = precompute_coeffs(in.height, 0.0f, static_cast<float>(in.height), height, filter);
  // Only the source rows the vertical pass reads go through the horizontal one.
  const int ybox_first = vert.bounds[0];
  const int ybox_last = vert.bounds[height * 2 - 2] + vert.bounds[height * 2 - 1];
  Image temp;
  const Image* src = &in;
  if (need_horizontal) {
    const Coefficients horiz = precompute_coeffs(in.width, 0.0f, static_cast<float>(in.width), width, filter);
    for (int i = 0; i < height; ++i) vert.bounds[i * 2] -= ybox_first;
    temp = resample_horizontal(in, ybox_first, ybox_last - ybox_first, width, horiz);
    src = &temp;
  }
  if (need_vertical) return resample_vertical(*src, height, vert);
  return *src;
}

constexpr int coord(double v) { return v < 0.0 ? -1 : static_cast<int>(v); }

// ImagingScaleAffine: a[0] = w_in / w_out, a[4] = h_in / h_out, sampled at
// pixel centres with a running double sum; pixels that map outside stay 0.
Image resample_nearest(const Image& in, int width, int height) {
  const double a0 = static_cast<double>(static_cast<float>(in.width)) / width;
  const double a4 = static_cast<double>(static_cast<float>(in.height)) / height;
  Image out;
  out.width = width;
  out.height = height;
  out.rgb.assign(static_cast<std::size_t>(width) * height * 3, 0);
  std::vector<int> xintab(width, 0);
  int xmin = width, xmax = 0;
  double xo = a0 * 0.5;
  for (int x = 0; x < width; ++x) {
    const int xin = coord(xo);
    if (xin >= 0 && xin < in.width) {
      xmax = x + 1;
      if (x < xmin) xmin = x;
      xintab[x] = xin;
    }
    xo += a0;
  }
  double yo = a4 * 0.5;
  for (int y = 0; y < height; ++y) {
    const int yi = coord(yo);
    if (yi >= 0 && yi < in.height) {
      const std::uint8_t* row = in.rgb.data() + static_cast<std::size_t>(yi) * in.width * 3;
      std::uint8_t* dst = out.rgb.data() + static_cast<std::size_t>(y) * width * 3;
      for (int x = xmin; x < xmax; ++x)
        for (int ch = 0; ch < 3; ++ch) dst[x * 3 + ch] = row[xintab[x] * 3 + ch];
    }
    yo += a4;
  }
  return out;
}

}  // namespace

Resample resample_from_pil(long long value, const std::string& where) {
  switch (value) {
    case 0: return Resample::kNearest;
    case 2: return Resample::kBilinear;
    case 3: return Resample::kBicubic;
    default: break;
  }
  const char* known = value == 1 ? " (LANCZOS)" : value == 4 ? " (BOX)" : value == 5 ? " (HAMMING)" : "";
  throw Error(where, "resample " + std::to_string(value) + known +
                         " is not supported; supported PIL filters: 0 (NEAREST), 2 (BILINEAR), 3 (BICUBIC)");
}

const char* resample_name(Resample filter) {
  switch (filter) {
    case Resample::kNearest: return "NEAREST";
    case Resample::kBilinear: return "BILINEAR";
    case Resample::kBicubic: return "BICUBIC";
  }
  return "?";
}

Image resize(const Image& image, int width, int height, Resample filter) {
  if (width <= 0 || height <= 0)
    throw Error("resize: target size " + std::to_string(width) + "x" + std::to_string(height) + " is not positive");
  if (image.width <= 0 || image.height <= 0 ||
      image.rgb.size() != static_cast<std::size_t>(image.width) * image.height * 3)
    throw Error("resize: the source image is empty or its pixel buffer does not match its size");
  if (static_cast<std::int64_t>(width) * height > kMaxImagePixels)
    throw Error("resize: target size " + std::to_string(width) + "x" + std::to_string(height) +
                " is more than " + std::to_string(kMaxImagePixels) + " pixels");
  // Image.resize returns a copy when nothing changes.
  if (width == image.width && height == image.height) return image;
  switch (filter) {
    case Resample::kNearest: return resample_nearest(image, width, height);
    case Resample::kBilinear: return resample_convolution(image, width, height, kBilinear);
    case Resample::kBicubic: return resample_convolution(image, width, height, kBicubic);
  }
  throw Error("resize: unknown resample filter " + std::to_string(static_cast<int>(filter)));
}

}  // namespace mmh::image
