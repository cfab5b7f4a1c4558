#include "harness/run/runner.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "common/build_info.h"
#include "common/content_hash.h"
#include "common/error.h"
#include "harness/run/interrupt.h"
#include "harness/run/scoring.h"
#include "prompts/builder.h"
#include "tasks/postprocess.h"
#include "tasks/score_samples.h"

namespace mmh::run {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// One (task, shots, trial) of the run, with this shard's samples and their demonstrations decided.
struct PlannedSample {
  std::size_t position;                 // in the evaluation's full order (all shards)
  const tasks::TaskSample* sample;
  std::vector<std::size_t> demos;       // pool positions, after any truncation
};

struct Evaluation {
  const tasks::TaskData* data;
  int shots, trial;
  std::uint64_t trial_seed;
  int max_new_tokens;
  std::size_t total = 0;                // samples in the evaluation over all shards
  std::vector<PlannedSample> samples;   // this shard's, in position order
  store::EvaluationStart spec;
  std::string label;                    // "vqav2 4-shot", for progress and errors
};

int max_new_tokens_of(const RunOptions& o, const tasks::TaskInfo& task) {
  return o.max_new_tokens.value_or(task.max_new_tokens);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

std::string owner_id() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// Whether "host:pid" is a live mmharness process on this host (a run a killed process left is not).
bool owner_alive(const std::string& owner) {
  const auto colon = owner.rfind(':');
  if (colon == std::string::npos) return false;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  if (owner.substr(0, colon) != host) return false;
  const std::string pid = owner.substr(colon + 1);
  if (pid == std::to_string(getpid())) return false;
  std::ifstream cmdline("/proc/" + pid + "/cmdline");
  std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  return text.find("mmharness") != std::string::npos;
}

// The prompt of a planned sample, rendered the model family's way.
backend::GenerationRequest render(const Evaluation& e, const PlannedSample& p, const prompts::PromptOptions& options,
                                  const backend::Model& model, std::vector<std::string>* demo_keys = nullptr) {
  const prompts::BuiltPrompt built = prompts::render_prompt(*e.data, *p.sample, p.demos, options);
  if (demo_keys) *demo_keys = built.demo_keys;
  return model.render(built.prompt);
}

prompts::PromptOptions prompt_options(const RunOptions& o, const Evaluation& e) {
  return {prompts::find_template_set(o.template_id), e.shots, o.demos, e.trial_seed, false};
}

// Decides every sample's demonstrations and checks, before anything is
// generated, that each prompt fits the context and its images exist.
void plan_samples(const RunOptions& o, const backend::Model& model, Evaluation& e, std::set<fs::path>& seen_images) {
  const auto& info = model.info();
  const auto options = prompt_options(o, e);
  const auto order = tasks::limited_subset(*e.data, o.limit ? o.limit : e.data->eval.samples.size(), o.seed);
  e.total = order.size();
  for (std::size_t position = 0; position < order.size(); ++position) {
    if (!o.shard.owns(position)) continue;
    PlannedSample p{position, &e.data->eval.samples[order[position]], {}};
    if (e.shots > 0) p.demos = prompts::pick_demos(*e.data, *p.sample, e.shots, e.trial_seed, o.demos);
    for (;;) {
      const auto request = render(e, p, options, model);
      const int length = model.expanded_length(request);
      if (length + e.max_new_tokens <= info.context_length) {
        for (const auto& image : request.images) {
          if (!seen_images.insert(image).second) continue;
          std::error_code ec;
          if (!fs::is_regular_file(image, ec))
            throw Error(image.string(), "image missing (used by sample " + p.sample->key + " of " + e.label + ")");
        }
        break;
      }
      if (!o.truncate_demos || p.demos.empty())
        throw Error(e.label + ", sample " + p.sample->key,
                    "the prompt takes " + std::to_string(length) + " positions + " +
                        std::to_string(e.max_new_tokens) + " new tokens, more than the context length " +
                        std::to_string(info.context_length) + " of " + info.path.string() +
                        (p.demos.empty() ? "" : "; use fewer --shots or --truncate-demos"));
      p.demos.erase(p.demos.begin());  // the demonstration farthest from the query goes first
    }
    e.samples.push_back(std::move(p));
  }
}

std::vector<Evaluation> plan(const RunOptions& o, const RunInputs& in) {
  const auto* templates = prompts::find_template_set(o.template_id);
  if (!templates)
    throw Error("--template", "unknown template set '" + o.template_id + "' (known: " + prompts::known_template_ids() + ")");
  std::vector<Evaluation> out;
  std::set<fs::path> seen_images;
  for (const auto& data : in.data) {
    for (int shots : o.shots) {
      // Zero-shot prompts do not depend on the demonstration draw: one trial.
      const int trials = shots == 0 ? 1 : o.trials;
      for (int trial = 0; trial < trials; ++trial) {
        Evaluation e{&data, shots, trial, prompts::trial_seed(o.seed, trial), max_new_tokens_of(o, *data.task)};
        e.label = data.task->id + " " + std::to_string(shots) + "-shot" +
                  (trials > 1 ? " trial " + std::to_string(trial) : "");
        plan_samples(o, *in.model, e, seen_images);
        e.spec = {data.task->id, data.eval.split, shots, trial, templates->id, templates->hash,
                  static_cast<std::int64_t>(e.samples.size()), data.task->postprocess};
        out.push_back(std::move(e));
      }
    }
  }
  return out;
}

// Image file digests, read once per process.
class ImageDigests {
 public:
  std::uint64_t of(const fs::path& path) {
    auto [it, inserted] = digests_.try_emplace(path, 0);
    if (inserted) {
      try {
        it->second = hash_file(path);
      } catch (...) {
        digests_.erase(it);
        throw;
      }
    }
    return it->second;
  }

 private:
  std::map<fs::path, std::uint64_t> digests_;
};

struct Outcome {
  std::optional<backend::Generation> generation;
  std::string error;
};

// Generates with out-of-memory recovery (the batch again at half size, down
// to 1) and isolates bad input: when a batch fails on an input error, each
// request runs alone and only the failing ones are marked failed.
std::vector<Outcome> generate(backend::Model& model, const std::vector<backend::GenerationRequest>& requests,
                              backend::GenerateOptions options, int& batch_size) {
  for (;;) {
    options.batch_size = batch_size;
    try {
      auto generations = model.generate(requests, options);
      std::vector<Outcome> out;
      for (auto& g : generations) out.push_back({std::move(g), {}});
      return out;
    } catch (const OutOfMemoryError& e) {
      if (batch_size <= 1)
        throw Error(std::string(e.what()) +
                    " (already at batch size 1: use --dtype bf16, fewer --shots, or a device with more memory)");
      batch_size = std::max(1, batch_size / 2);
      std::fprintf(stderr, "mmharness: warning: %s; retrying at batch size %d\n", e.what(), batch_size);
    } catch (const Error& e) {
      if (requests.size() == 1) return {{std::nullopt, e.what()}};
      std::vector<Outcome> out;
      for (const auto& request : requests) {
        auto one = generate(model, {request}, options, batch_size);
        out.push_back(std::move(one.front()));
      }
      return out;
    }
  }
}

class RunExecutor {
 public:
  RunExecutor(const RunOptions& o, const RunInputs& in, store::ResultsStore& store)
      : o_(o), in_(in), store_(store), batch_size_(std::max(1, o.batch_size)) {}

  RunOutcome execute(std::vector<Evaluation>& evaluations) {
    start_or_resume(evaluations);
    InterruptGuard signals;
    try {
      for (auto& e : evaluations) {
        if (!run_evaluation(e)) {
          store_.end_run(outcome_.run_id, store::Status::kInterrupted);
          outcome_.interrupted = true;
          outcome_.final_batch_size = batch_size_;
          return outcome_;
        }
      }
      store_.end_run(outcome_.run_id, store::Status::kCompleted);
    } catch (...) {
      mark_failed();
      throw;
    }
    outcome_.final_batch_size = batch_size_;
    return outcome_;
  }

 private:
  void start_or_resume(const std::vector<Evaluation>& evaluations) {
    const std::string fingerprint = run_fingerprint(o_, in_);
    const std::string owner = owner_id();
    if (!o_.new_run) {
      if (auto previous = store_.find_unfinished_run(fingerprint, o_.shard.index, o_.shard.count)) {
        if (previous->status == "running" && owner_alive(previous->owner))
          throw Error(store_.path().string(), "run " + std::to_string(previous->id) +
                                                  " with these settings is being written by process " +
                                                  previous->owner + "; wait for it, or pass --new-run");
        outcome_.run_id = previous->id;
        outcome_.resumed = true;
        store_.reopen_run(previous->id, owner,
                          {{"owner", owner}, {"device", in_.device_description}, {"argv", o_.argv},
                           {"batch_size", o_.batch_size}, {"at", utc_now()}});
        for (const auto& e : evaluations)
          if (auto row = store_.find_evaluation(previous->id, e.spec))
            outcome_.samples_already_stored += store_.sample_keys(row->id).size();
        return;
      }
    }
    store::RunStart run;
    run.name = o_.name;
    run.argv = o_.argv;
    run.harness_version = harness_version();
    run.git_revision = git_revision();
    run.host = owner.substr(0, owner.rfind(':'));
    run.device = in_.device_description;
    run.seeds = seeds(evaluations);
    run.settings = settings();
    run.fingerprint = fingerprint;
    run.shard_index = o_.shard.index;
    run.shard_count = o_.shard.count;
    run.owner = owner;
    const auto& info = in_.model->info();
    const auto model_id = store_.add_model({fs::absolute(o_.model_dir).lexically_normal().string(), info.family,
                                            in_.model_digest, o_.dtype});
    outcome_.run_id = store_.begin_run(model_id, run);
  }

  nlohmann::json seeds(const std::vector<Evaluation>& evaluations) const {
    nlohmann::json trials = nlohmann::json::object();
    for (const auto& e : evaluations) trials[std::to_string(e.trial)] = e.trial_seed;
    return {{"seed", o_.seed}, {"limit", o_.seed}, {"bootstrap", o_.seed}, {"trial_demonstrations", trials}};
  }

  nlohmann::json settings() const {
    const auto* templates = prompts::find_template_set(o_.template_id);
    nlohmann::json tasks = nlohmann::json::object();
    for (const auto& d : in_.data)
      tasks[d.task->id] = {{"split", d.eval.split},
                           {"demo_split", d.demos.split},
                           {"max_new_tokens", max_new_tokens_of(o_, *d.task)},
                           {"postprocess", d.task->postprocess},
                           {"metric", d.task->headline_metric}};
    nlohmann::json s = in_.provenance;
    s["tasks"] = tasks;
    s["shots"] = o_.shots;
    s["trials"] = o_.trials;
    s["limit"] = o_.limit;
    s["template"] = {{"id", templates->id}, {"hash", templates->hash}};
    s["demos"] = prompts::demo_mode_name(o_.demos);
    s["truncate_demos"] = o_.truncate_demos;
    s["decoding"] = {{"strategy", "greedy"}, {"stop_at_eos", true}, {"batch_size", o_.batch_size}};
    s["response_cache"] = o_.use_cache;
    s["bootstrap"] = {{"replicates", o_.bootstrap}, {"level", 0.95}};
    s["shard"] = {{"index", o_.shard.index}, {"count", o_.shard.count}, {"source", o_.shard.source}};
    return s;
  }

  // Returns false when interrupted.
  bool run_evaluation(Evaluation& e) {
    const auto start = Clock::now();
    std::int64_t id = 0;
    double previous_seconds = 0;
    std::set<std::string> done;
    if (auto row = outcome_.resumed ? store_.find_evaluation(outcome_.run_id, e.spec) : std::nullopt) {
      id = row->id;
      previous_seconds = row->wall_seconds;
      if (row->status == "completed") return true;
      store_.reopen_evaluation(id);
      for (auto& key : store_.sample_keys(id)) done.insert(std::move(key));
    } else {
      id = store_.begin_evaluation(outcome_.run_id, e.spec);
    }

    Progress progress(e.label + (o_.shard.sharded() ? " [shard " + std::to_string(o_.shard.index) + "/" +
                                                          std::to_string(o_.shard.count) + "]"
                                                    : ""),
                      e.samples.size(), done.size(), o_.progress);
    // Batches are fixed slices of the planned order, so an interrupted and a
    // resumed run commit the same batches as an uninterrupted one.
    const std::size_t batch = static_cast<std::size_t>(std::max(1, o_.batch_size));
    for (std::size_t at = 0; at < e.samples.size(); at += batch) {
      std::vector<const PlannedSample*> todo;
      for (std::size_t i = at; i < std::min(e.samples.size(), at + batch); ++i)
        if (!done.count(e.samples[i].sample->key)) todo.push_back(&e.samples[i]);
      if (todo.empty()) continue;
      if (interrupt_requested()) {
        store_.end_evaluation(id, store::Status::kInterrupted, previous_seconds + seconds_since(start));
        return false;
      }
      const auto [stored, cached] = run_batch(e, id, todo);
      progress.advance(stored, cached);
    }
    progress.finish();
    const auto& task = *e.data->task;
    score_evaluation(store_, id, task, {o_.bootstrap, o_.seed});
    store_.end_evaluation(id, store::Status::kCompleted, previous_seconds + seconds_since(start));
    return true;
  }

  std::pair<std::size_t, std::size_t> run_batch(const Evaluation& e, std::int64_t evaluation_id,
                                                const std::vector<const PlannedSample*>& todo) {
    const auto options = prompt_options(o_, e);
    std::vector<store::SampleResult> results(todo.size());
    std::vector<backend::GenerationRequest> requests;
    std::vector<std::size_t> to_generate;
    for (std::size_t i = 0; i < todo.size(); ++i) {
      const PlannedSample& p = *todo[i];
      store::SampleResult& r = results[i];
      r.key = p.sample->key;
      r.position = static_cast<std::int64_t>(p.position);
      r.ground_truth = tasks::ground_truth_json(*p.sample);
      r.query = {{"question", p.sample->question}, {"images", nlohmann::json::array()}};
      for (const auto& image : p.sample->images)
        r.query["images"].push_back({{"key", image.key}, {"path", fs::absolute(image.path).lexically_normal().string()}});
      auto request = render(e, p, options, *in_.model, &r.demo_keys);
      try {
        DigestBuilder prompt;
        prompt.add("mmh-prompt-v1").add(request.text);
        for (const auto& image : request.images) prompt.add(images_.of(image));
        r.prompt_hash = "xxh64:" + prompt.hex();
      } catch (const Error& error) {  // an image that cannot be read is this sample's failure
        r.failed = true;
        r.error = error.what();
        continue;
      }
      r.response_key = "xxh64:" + DigestBuilder()
                                      .add("mmh-response-v1")
                                      .add(in_.model_digest)
                                      .add(o_.dtype)
                                      .add(r.prompt_hash)
                                      .add(static_cast<std::uint64_t>(e.max_new_tokens))
                                      .add("greedy, stop at eos")
                                      .hex();
      if (o_.use_cache) {
        if (auto hit = store_.find_response(r.response_key)) {
          r.raw_output = hit->raw_output;
          r.stop_reason = hit->stop_reason;
          r.new_tokens = hit->new_tokens;
          r.cached = true;
          continue;
        }
      }
      to_generate.push_back(i);
      requests.push_back(std::move(request));
    }

    if (!requests.empty()) {
      backend::GenerateOptions generate_options;
      generate_options.max_new_tokens = e.max_new_tokens;
      generate_options.batch_size = batch_size_;
      const auto start = Clock::now();
      auto outcomes = generate(*in_.model, requests, generate_options, batch_size_);
      const double latency_ms = 1000 * seconds_since(start) / static_cast<double>(requests.size());
      for (std::size_t j = 0; j < outcomes.size(); ++j) {
        store::SampleResult& r = results[to_generate[j]];
        if (!outcomes[j].generation) {
          r.failed = true;
          r.error = outcomes[j].error;
          r.response_key.clear();
          continue;
        }
        r.raw_output = outcomes[j].generation->text;
        r.stop_reason = outcomes[j].generation->stop_reason;
        r.new_tokens = static_cast<std::int64_t>(outcomes[j].generation->generated_ids.size());
        r.latency_ms = latency_ms;
      }
    }
    std::size_t cached = 0;
    for (auto& r : results) {
      if (!r.failed) r.prediction = tasks::postprocess(e.data->task->postprocess, r.raw_output);
      if (r.failed) {
        ++outcome_.failed;
        std::fprintf(stderr, "mmharness: warning: %s, sample %s failed: %s\n", e.label.c_str(), r.key.c_str(),
                     r.error.c_str());
      } else if (r.cached) {
        ++cached;
      } else {
        ++outcome_.generated;
      }
    }
    outcome_.cached += cached;
    store_.add_samples(evaluation_id, results);
    return {results.size(), cached};
  }

  void mark_failed() noexcept {
    try {
      if (outcome_.run_id) store_.end_run(outcome_.run_id, store::Status::kFailed);
    } catch (...) {  // the store itself may be what failed; the original error is what matters
    }
  }

  const RunOptions& o_;
  const RunInputs& in_;
  store::ResultsStore& store_;
  int batch_size_;
  ImageDigests images_;
  RunOutcome outcome_;
};

}  // namespace

std::string run_fingerprint(const RunOptions& o, const RunInputs& in) {
  const auto* templates = prompts::find_template_set(o.template_id);
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& d : in.data) {
    // The evaluated samples and their ground truth, and the demonstration pool: a changed data root never resumes.
    DigestBuilder eval, pool;
    for (const auto& s : d.eval.samples) eval.add(s.key).add(tasks::ground_truth_json(s).dump());
    for (const auto& s : d.demos.samples) pool.add(s.key).add(s.demo_answer);
    tasks.push_back({{"id", d.task->id},
                     {"split", d.eval.split},
                     {"samples", eval.hex()},
                     {"demo_split", d.demos.split},
                     {"pool", pool.hex()},
                     {"max_new_tokens", max_new_tokens_of(o, *d.task)},
                     {"postprocess", d.task->postprocess}});
  }
  const std::string device_kind = o.device.rfind("cuda", 0) == 0 ? "cuda" : o.device;
  const nlohmann::json defining = {{"format", 1},
                                   {"harness", harness_version()},
                                   {"model", in.model_digest},
                                   {"dtype", o.dtype},
                                   {"device", device_kind},
                                   {"tasks", tasks},
                                   {"shots", o.shots},
                                   {"trials", o.trials},
                                   {"seed", o.seed},
                                   {"limit", o.limit},
                                   {"template", templates ? templates->hash : o.template_id},
                                   {"demos", prompts::demo_mode_name(o.demos)},
                                   {"truncate_demos", o.truncate_demos},
                                   {"bootstrap", o.bootstrap}};
  return "xxh64:" + DigestBuilder().add(defining.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)).hex();
}

RunOutcome execute_run(const RunOptions& options, const RunInputs& inputs, store::ResultsStore& store) {
  if (!inputs.model) throw Error("run", "no model");
  if (inputs.data.size() != options.tasks.size()) throw Error("run", "task data does not match --tasks");
  auto evaluations = plan(options, inputs);
  return RunExecutor(options, inputs, store).execute(evaluations);
}

std::string shell_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

}  // namespace mmh::run
