# The two commands the README names. Each does all its own set-up:
# system packages (scripts/install-deps.sh), configure, build.
#
#   make demo    build, then run mmharness on its embedded default
#   make test    build, then run the whole test suite through ctest
#
# GPU build against a pip torch's LibTorch:
#   make test MMH_TORCH_PREFIX="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')"

BUILD_DIR        ?= build
BUILD_TYPE       ?= Release
MMH_TORCH_PREFIX ?=
export MMH_TORCH_PREFIX

CMAKE_ARGS := -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
ifneq ($(MMH_TORCH_PREFIX),)
CMAKE_ARGS += -DCMAKE_PREFIX_PATH=$(MMH_TORCH_PREFIX)
endif

.PHONY: demo test build deps clean

demo: build
	$(BUILD_DIR)/mmharness --version
	$(BUILD_DIR)/mmharness tasks

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --parallel 2

build: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake -S . -B $(BUILD_DIR) $(CMAKE_ARGS)
	cmake --build $(BUILD_DIR)

deps:
	@scripts/install-deps.sh

clean:
	rm -rf $(BUILD_DIR)

.PHONY: bench
bench: build
	$(BUILD_DIR)/bench/bench_blas_matmul 1024 20
	$(BUILD_DIR)/bench/bench_store_write 20000 32
	$(BUILD_DIR)/bench/bench_score $(BUILD_DIR)/mmharness 5
	$(BUILD_DIR)/bench/bench_load $(BUILD_DIR)/mmharness 3
	$(BUILD_DIR)/bench/bench_gen ../shared/refdata/models/llava-tiny-a/images ../shared/refdata/models/llava-tiny-a --size small --batch 8
