// JPEG through libjpeg-turbo with the settings Pillow 9.4's JpegDecode.c
// uses: it changes none of libjpeg's decompression defaults, so the DCT is
// JDCT_ISLOW, fancy upsampling and block smoothing are on, and Debian's
// python3-pil links this same libjpeg62-turbo. Modes, as JpegImagePlugin sets them:
//   1 component  -> L, replicated to RGB
//   3 components -> RGB (libjpeg converts YCbCr; Adobe transform 0 stays RGB)
//   4 components -> CMYK with rawmode "CMYK;I" (Pillow always assumes Adobe's
//                   inverted CMYK; libjpeg turns YCCK into CMYK first), then
//                   convert("RGB") with Pillow's cmyk2rgb.
// No EXIF orientation is applied (Image.open/convert do not).
//
// Errors longjmp out of libjpeg; warnings are ignored as Pillow ignores
// them, except the premature end of data, which Pillow reports as
// "image file is truncated" (without LOAD_TRUNCATED_IMAGES) and so do we.
#include <cstdio>
// jpeglib.h needs FILE and size_t first.
#include <jerror.h>
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "model_backend/image/decode_internal.h"

namespace mmh::image::detail {

namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  cinfo->err->format_message(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void on_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  if (cinfo->err->msg_code == JWRN_JPEG_EOF) on_error_exit(cinfo);
  cinfo->err->num_warnings++;
}

struct DecompressGuard {
  jpeg_decompress_struct cinfo;
  bool created = false;
  ~DecompressGuard() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
};

// Pillow's MULDIV255 and cmyk2rgb, applied to the inverted ("CMYK;I") samples.
inline std::uint8_t cmyk_channel(int ink, int nk) {
  const int tmp = ink * nk + 128;
  const int v = nk - (((tmp >> 8) + tmp) >> 8);
  return static_cast<std::uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

// Everything libjpeg may longjmp out of runs here; as in decode_png.cpp, the
// objects with destructors belong to the caller, which the jump does not
// unwind. Returns false (err.message set) when libjpeg reported an error.
bool read_jpeg(ErrorManager& err, DecompressGuard& guard, const std::uint8_t* data, std::size_t size, Image& image,
               std::vector<std::uint8_t>& row, const std::string& name) {
  if (setjmp(err.jump)) return false;

  jpeg_create_decompress(&guard.cinfo);
  guard.created = true;
  jpeg_mem_src(&guard.cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&guard.cinfo, TRUE);

  jpeg_decompress_struct& cinfo = guard.cinfo;
  const int components = cinfo.num_components;
  if (components == 1) {
    cinfo.out_color_space = JCS_GRAYSCALE;
  } else if (components == 3) {
    cinfo.out_color_space = JCS_RGB;
  } else if (components == 4) {
    cinfo.out_color_space = JCS_CMYK;
  } else {
    throw Error(name, "JPEG with " + std::to_string(components) +
                          " components is not supported (Pillow handles 1, 3 or 4 layers)");
  }
  image = allocate_checked(cinfo.image_width, cinfo.image_height, name, "JPEG");
  // libjpeg's defaults, which Pillow keeps; written out so they cannot drift.
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.do_fancy_upsampling = TRUE;
  cinfo.do_block_smoothing = TRUE;
  cinfo.scale_num = cinfo.scale_denom = 1;

  jpeg_start_decompress(&cinfo);
  row.resize(std::size_t(cinfo.output_width) * cinfo.output_components);
  while (cinfo.output_scanline < cinfo.output_height) {
    const int y = static_cast<int>(cinfo.output_scanline);
    JSAMPROW rows[1] = {row.data()};
    if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) throw Error(name, "JPEG decoder produced no scanline");
    std::uint8_t* out = image.rgb.data() + std::size_t(y) * image.width * 3;
    const std::uint8_t* in = row.data();
    if (components == 1) {
      for (int x = 0; x < image.width; ++x, out += 3) out[0] = out[1] = out[2] = in[x];
    } else if (components == 3) {
      std::memcpy(out, in, std::size_t(image.width) * 3);
    } else {
      for (int x = 0; x < image.width; ++x, out += 3, in += 4) {
        const int nk = in[3];  // 255 - ink K, ink K = 255 - stored
        out[0] = cmyk_channel(255 - in[0], nk);
        out[1] = cmyk_channel(255 - in[1], nk);
        out[2] = cmyk_channel(255 - in[2], nk);
      }
    }
  }
  // Not jpeg_finish_decompress: trailing data after the last scan is not
  // read, as Pillow stops once it has every scanline.
  return true;
}

}  // namespace

Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name) {
  ErrorManager err;
  DecompressGuard guard;
  Image image;
  std::vector<std::uint8_t> row;
  guard.cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.emit_message = on_emit_message;
  err.message[0] = '\0';
  if (!read_jpeg(err, guard, data, size, image, row, name))
    throw Error(name, std::string("corrupt or truncated JPEG: ") + err.message);
  return image;
}

}  // namespace mmh::image::detail
