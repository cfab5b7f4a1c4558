# The two commands the README names. Each does all its own set-up:
# system packages (scripts/install-deps.sh), configure, build.
#
#   make demo    build mmharness, write the demo data and model, then run all
#                nine tasks at 0 and 4 shots on CPU and print the table
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

.PHONY: demo test build build-cli configure deps clean

DEMO_DIR ?= $(BUILD_DIR)/demo

# The demo model has random weights: its scores are near zero by construction.
# The demo shows the whole pipeline on real formats, not a model's quality.
demo: build-cli
	$(BUILD_DIR)/mmharness --version
	$(BUILD_DIR)/mmharness demo-setup --out $(DEMO_DIR)
	$(BUILD_DIR)/mmharness run --model $(DEMO_DIR)/model --data-root $(DEMO_DIR)/data --tasks all --shots 0,4 \
	    --db $(DEMO_DIR)/results.sqlite --name demo
	@echo "Demo model: a small LLaVA-1.5-layout checkpoint with RANDOM weights (scores near zero by construction)."
	@echo "Results: $(DEMO_DIR)/results.sqlite (mmharness runs --db $(DEMO_DIR)/results.sqlite)"

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --parallel 2

build: configure
	cmake --build $(BUILD_DIR)

# Only the executable and its plugins (what the demo needs), not the tests and benchmarks.
build-cli: configure
	cmake --build $(BUILD_DIR) --target mmharness

configure: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake -S . -B $(BUILD_DIR) $(CMAKE_ARGS)

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
	$(BUILD_DIR)/bench/bench_run $(BUILD_DIR)/mmharness $(BUILD_DIR)/bench-run 12
	$(BUILD_DIR)/bench/bench_report 214354 3
	$(BUILD_DIR)/bench/bench_gen ../shared/refdata/models/llava-tiny-a/images ../shared/refdata/models/llava-tiny-a --size small --batch 8
