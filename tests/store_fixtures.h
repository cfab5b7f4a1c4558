#pragma once
// Small helpers to fill a results store the way a run will.
#include <string>

#include "common/build_info.h"
#include "harness/store/results_store.h"

namespace mmh::test {

inline store::Model tiny_model(const std::string& path = "/models/llava-tiny") {
  return {path, "llava", "sha256:0123abcd", "fp32"};
}

inline store::RunStart tiny_run(const std::string& name = "baseline") {
  store::RunStart run;
  run.name = name;
  run.argv = {"mmharness", "run", "--model", "/models/llava-tiny", "--tasks", "coco"};
  run.harness_version = harness_version();
  run.git_revision = git_revision();
  run.host = "testhost";
  run.device = "cpu";
  run.seeds = {{"demos", 1234}};
  run.settings = {{"template", "fewshot"}};
  return run;
}

inline store::EvaluationStart tiny_evaluation(const std::string& task = "coco", int shots = 0) {
  return {task, "test", shots, 0, "fewshot", "sha256:feed", 3, "caption"};
}

inline store::SampleResult tiny_sample(const std::string& key, double cider = 1.0) {
  store::SampleResult s;
  s.key = key;
  s.demo_keys = {"d1", "d2"};
  s.prompt_hash = "sha256:" + key;
  s.raw_output = "A cat sitting on a mat.";
  s.prediction = "a cat sitting on a mat";
  s.scores = {{"CIDEr", cider}};
  s.latency_ms = 12.5;
  return s;
}

}  // namespace mmh::test
