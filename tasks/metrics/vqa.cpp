#include "tasks/metrics/vqa.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "tasks/metrics/vqa_normalize.h"

namespace mmh::metrics {
namespace {

// How the official script rounds what it stores (per question, per type, overall).
enum class OfficialRounding {
  kPython2,  // vqaEval.py under Python 2.7: round(x, 2), exact halves away from zero
  kPython3,  // VizWiz API under Python 3: round(x, 2), exact halves to even
  kNone,     // MMF TextVQAAccuracyEvaluator: a plain mean, never rounded
};
constexpr int kDigits = 2;  // VQAEval(n=2)

// Python 2.7's round (floatobject.c _Py_double_round): correctly rounded, but a value exactly halfway between two
// multiples of 10^-digits (2-valuation == -digits-1) goes away from zero.
double python2_round(double x, int digits) {
  if (!std::isfinite(x) || x == 0.0) return x;
  int exponent = 0;
  double mantissa = std::frexp(x, &exponent);
  while (mantissa != std::floor(mantissa)) {
    mantissa *= 2.0;
    --exponent;
  }
  if (exponent == -digits - 1) return python_round(std::nextafter(x, std::copysign(INFINITY, x)), digits);
  return python_round(x, digits);
}

double apply_rounding(double x, OfficialRounding rounding) {
  switch (rounding) {
    case OfficialRounding::kPython2: return python2_round(x, kDigits);
    case OfficialRounding::kPython3: return python_round(x, kDigits);
    case OfficialRounding::kNone: break;
  }
  return x;
}

OfficialRounding official_rounding(VqaTask task) {
  switch (task) {
    case VqaTask::kVqaV2:
    case VqaTask::kOkVqa: return OfficialRounding::kPython2;
    case VqaTask::kVizWiz: return OfficialRounding::kPython3;
    case VqaTask::kTextVqa: break;
  }
  return OfficialRounding::kNone;
}

// round(100*float(sum(accs))/len(accs), n) with a left-to-right sum, as vqaEval.py's setAccuracy (and mean_over).
double percent_of_mean(const std::vector<double>& accuracies, OfficialRounding rounding) {
  if (accuracies.empty()) return 0.0;
  double sum = 0;
  for (double a : accuracies) sum += a;
  return apply_rounding(100.0 * sum / static_cast<double>(accuracies.size()), rounding);
}

void set_corpus_function(MetricScore& score, std::vector<double> accuracies, OfficialRounding rounding) {
  set_mean_corpus(score, std::move(accuracies), 100.0, [rounding](double x) { return apply_rounding(x, rounding); });
}

// vqaEval.py: for each GT answer i, min(1, #{j != i : gt_j == pred} / 3), summed in annotation order, over M.
// Leaving out by position is what dict inequality does with VQA's unique answer_ids, and what VizWiz and MMF do.
double leave_one_out(const std::vector<char>& matches) {
  int total = 0;
  for (char m : matches) total += m;
  double sum = 0;
  for (char m : matches) sum += std::min(1.0, static_cast<double>(total - m) / 3.0);
  return sum / static_cast<double>(matches.size());
}

// Scores one question at a time with reusable buffers; one per thread.
class QuestionScorer {
 public:
  explicit QuestionScorer(VqaTask task) : task_(task) {}

  double accuracy(const VqaSample& sample, std::string_view prediction) {
    matches_.assign(sample.answers.size(), 0);
    switch (task_) {
      case VqaTask::kVqaV2:
      case VqaTask::kOkVqa: match_vqa(sample, prediction); break;
      case VqaTask::kTextVqa: match_textvqa(sample, prediction); break;
      case VqaTask::kVizWiz: match_vizwiz(sample, prediction); break;
    }
    return leave_one_out(matches_);
  }

 private:
  // vqaEval.py evaluate(): clean everything; only if the cleaned GT answers are not all identical, normalize GT and
  // prediction with processPunctuation + processDigitArticle.
  void match_vqa(const VqaSample& sample, std::string_view prediction) {
    const auto& answers = sample.answers;
    cleaned_.resize(std::max(cleaned_.size(), answers.size()));
    for (std::size_t i = 0; i < answers.size(); ++i) clean_answer(answers[i], cleaned_[i], PyDialect::kPython2);
    clean_answer(prediction, prediction_, PyDialect::kPython2);
    const bool unanimous = std::all_of(cleaned_.begin(), cleaned_.begin() + static_cast<std::ptrdiff_t>(answers.size()),
                                       [&](const std::string& a) { return a == cleaned_[0]; });
    if (unanimous) {
      for (std::size_t i = 0; i < answers.size(); ++i) matches_[i] = cleaned_[i] == prediction_;
      return;
    }
    normalize_vqa(prediction_, normalized_prediction_);
    for (std::size_t i = 0; i < answers.size(); ++i) {
      if (copy_earlier_match(cleaned_, i)) continue;
      normalize_vqa(cleaned_[i], scratch_);
      matches_[i] = scratch_ == normalized_prediction_;
    }
  }

  // MMF TextVQAAccuracyEvaluator: EvalAIAnswerProcessor on every GT answer and on the prediction.
  void match_textvqa(const VqaSample& sample, std::string_view prediction) {
    evalai_normalize(prediction, normalized_prediction_);
    for (std::size_t i = 0; i < sample.answers.size(); ++i) {
      if (copy_earlier_match(sample.answers, i)) continue;
      evalai_normalize(sample.answers[i], scratch_);
      matches_[i] = scratch_ == normalized_prediction_;
    }
  }

  // VizWiz API vqaEval.py: the prediction is normalized, the GT answers are compared as stored.
  void match_vizwiz(const VqaSample& sample, std::string_view prediction) {
    vizwiz_normalize_prediction(prediction, normalized_prediction_);
    for (std::size_t i = 0; i < sample.answers.size(); ++i) matches_[i] = sample.answers[i] == normalized_prediction_;
  }

  void normalize_vqa(const std::string& cleaned, std::string& out) {
    process_punctuation(cleaned, punctuated_, CommaRule::kVqa, PyDialect::kPython2);
    process_digit_article(punctuated_, out, ContractionTable::kVqa, PyDialect::kPython2);
  }

  // Normalization is a function of the text: an answer repeated earlier in the list matches iff that one did.
  bool copy_earlier_match(const std::vector<std::string>& answers, std::size_t i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (answers[j] == answers[i]) {
        matches_[i] = matches_[j];
        return true;
      }
    }
    return false;
  }

  VqaTask task_;
  std::vector<char> matches_;
  std::vector<std::string> cleaned_;
  std::string prediction_, normalized_prediction_, punctuated_, scratch_;
};

// Per-question values repeat a handful of numbers; formatting each through printf is the expensive part.
class CachedRounding {
 public:
  explicit CachedRounding(OfficialRounding rounding) : rounding_(rounding) {}
  double operator()(double x) {
    const auto [it, inserted] = cache_.try_emplace(x, 0.0);
    if (inserted) it->second = apply_rounding(x, rounding_);
    return it->second;
  }

 private:
  OfficialRounding rounding_;
  std::unordered_map<double, double> cache_;
};

void score_range(VqaTask task, std::span<const VqaSample> samples, std::span<const std::string> predictions,
                 std::size_t begin, std::size_t end, std::vector<double>& accuracies, std::vector<double>& stored) {
  QuestionScorer scorer(task);
  CachedRounding round_stored(official_rounding(task));
  for (std::size_t i = begin; i < end; ++i) {
    accuracies[i] = scorer.accuracy(samples[i], predictions[i]);
    stored[i] = round_stored(100.0 * accuracies[i]);  // evalQA[qid] = round(100*acc, n)
  }
}

// Questions are independent; large runs are split over the cores. Results do not depend on the split.
void score_all(VqaTask task, std::span<const VqaSample> samples, std::span<const std::string> predictions,
               std::vector<double>& accuracies, std::vector<double>& stored) {
  constexpr std::size_t kMinPerThread = 8192;
  const std::size_t n = samples.size();
  const std::size_t threads =
      std::clamp<std::size_t>(std::min<std::size_t>(std::thread::hardware_concurrency(), n / kMinPerThread), 1, 16);
  if (threads == 1) return score_range(task, samples, predictions, 0, n, accuracies, stored);
  std::vector<std::thread> workers;
  std::vector<std::exception_ptr> errors(threads);
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        score_range(task, samples, predictions, n * t / threads, n * (t + 1) / threads, accuracies, stored);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

void add_breakdown(MetricResult& result, const std::string& group, const std::map<std::string, std::vector<double>>& by,
                   OfficialRounding rounding) {
  for (const auto& [key, values] : by) result.breakdown[group + "/" + key] = percent_of_mean(values, rounding);
}

}  // namespace

MetricResult vqa_accuracy(VqaTask task, std::span<const VqaSample> samples, std::span<const std::string> predictions,
                          const VqaOptions& options) {
  require_aligned("vqa_accuracy", samples.size(), predictions.size());
  // open_flamingo's OKVQAStemmer needs nltk's averaged-perceptron POS tagger, WordNet and `inflection`; without that
  // model it cannot be reproduced exactly, and an approximation would not be the number papers report.
  if (task == VqaTask::kOkVqa && options.okvqa_stem_prediction) throw Error("--okvqa-stem-prediction is not supported");
  for (const auto& sample : samples)
    if (sample.answers.empty()) throw Error("vqa_accuracy: question " + sample.question_id + " has no answers");

  const OfficialRounding rounding = official_rounding(task);
  std::vector<double> accuracies(samples.size()), stored(samples.size());
  score_all(task, samples, predictions, accuracies, stored);

  MetricResult result;
  const bool per_question_type = task == VqaTask::kVqaV2 || task == VqaTask::kOkVqa;
  std::map<std::string, std::vector<double>> by_answer_type, by_question_type;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    // Empty types (TextVQA has none) are left out rather than reported under an empty key.
    if (!samples[i].answer_type.empty()) by_answer_type[samples[i].answer_type].push_back(accuracies[i]);
    if (per_question_type && !samples[i].question_type.empty())
      by_question_type[samples[i].question_type].push_back(accuracies[i]);
  }
  add_breakdown(result, "perAnswerType", by_answer_type, rounding);
  add_breakdown(result, "perQuestionType", by_question_type, rounding);

  MetricScore score;
  score.name = "accuracy";
  score.corpus = percent_of_mean(accuracies, rounding);
  score.per_sample = std::move(stored);
  set_corpus_function(score, std::move(accuracies), rounding);
  result.scores.push_back(std::move(score));
  return result;
}

}  // namespace mmh::metrics
