// The checkpoint digest follows the content of what the model is built from.
#include <catch2/catch.hpp>

#include <fstream>

#include "common/error.h"
#include "harness/run/model_digest.h"
#include "run/run_fixture.h"

namespace fs = std::filesystem;

TEST_CASE("model digest: a copy has the same digest, a changed weight another", "[run][digest]") {
  const mmh::test::RunFixture f;
  const auto original = mmh::run::checkpoint_digest(f.model, "");
  CHECK(original.digest.rfind("xxh64:", 0) == 0);
  CHECK(std::find(original.files.begin(), original.files.end(), "model.safetensors") != original.files.end());
  CHECK(std::find(original.files.begin(), original.files.end(), "tokenizer.json") != original.files.end());

  const fs::path copy = f.dir / "copy";
  fs::copy(f.model, copy, fs::copy_options::recursive);
  CHECK(mmh::run::checkpoint_digest(copy, "").digest == original.digest);

  // Files the model is not built from do not matter.
  mmh::test::write_file(copy / "trainer_state.json", "{\"step\": 1}");
  mmh::test::write_file(copy / "README.md", "notes");
  CHECK(mmh::run::checkpoint_digest(copy, "").digest == original.digest);

  // One weight byte (past the header) does.
  {
    std::fstream weights(copy / "model.safetensors", std::ios::in | std::ios::out | std::ios::binary);
    weights.seekp(static_cast<std::streamoff>(fs::file_size(copy / "model.safetensors") - 3));
    weights.put('\x7f');
  }
  CHECK(mmh::run::checkpoint_digest(copy, "").digest != original.digest);

  // So does the tokenizer.
  fs::copy(f.model, f.dir / "copy2", fs::copy_options::recursive);
  mmh::test::write_file(f.dir / "copy2" / "tokenizer_config.json", "{}");
  CHECK(mmh::run::checkpoint_digest(f.dir / "copy2", "").digest != original.digest);

  CHECK_THROWS_AS(mmh::run::checkpoint_digest(f.dir / "missing", ""), mmh::Error);
}
