#include "tasks/metrics/mmmu.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string_view>

#include "common/error.h"
#include "tasks/metrics/mmmu_parse.h"
#include "tasks/metrics/python_random.h"

namespace mmh::metrics {

namespace {

// mmmu/utils/data_utils.py: CAT_SHORT2LONG values, in its order (the order main_eval_only.py and
// main_parse_and_eval.py evaluate subjects in, hence the order of the instance-weighted sum).
constexpr std::array<std::string_view, 30> kSubjects = {
    "Accounting",       "Agriculture", "Architecture_and_Engineering",
    "Art",              "Art_Theory",  "Basic_Medical_Science",
    "Biology",          "Chemistry",   "Clinical_Medicine",
    "Computer_Science", "Design",      "Diagnostics_and_Laboratory_Medicine",
    "Economics",        "Electronics", "Energy_and_Power",
    "Finance",          "Geography",   "History",
    "Literature",       "Manage",      "Marketing",
    "Materials",        "Math",        "Mechanical_Engineering",
    "Music",            "Pharmacy",    "Physics",
    "Psychology",       "Public_Health", "Sociology"};

struct Domain {
  std::string_view name;
  std::vector<std::string_view> subjects;  // DOMAIN_CAT2SUB_CAT order
};

const std::vector<Domain>& domains() {
  static const std::vector<Domain> table = {
      {"Art and Design", {"Art", "Art_Theory", "Design", "Music"}},
      {"Business", {"Accounting", "Economics", "Finance", "Manage", "Marketing"}},
      {"Science", {"Biology", "Chemistry", "Geography", "Math", "Physics"}},
      {"Health and Medicine",
       {"Basic_Medical_Science", "Clinical_Medicine", "Diagnostics_and_Laboratory_Medicine", "Pharmacy",
        "Public_Health"}},
      {"Humanities and Social Science", {"History", "Literature", "Sociology", "Psychology"}},
      {"Tech and Engineering",
       {"Agriculture", "Architecture_and_Engineering", "Computer_Science", "Electronics", "Energy_and_Power",
        "Materials", "Mechanical_Engineering"}},
  };
  return table;
}

// "_".join(id.split("_")[1:-1]): "validation_Art_Theory_12" -> "Art_Theory".
std::string subject_of(std::string_view id) {
  const auto first = id.find('_');
  const auto last = id.rfind('_');
  if (first == std::string_view::npos || first == last) return "";
  return std::string(id.substr(first + 1, last - first - 1));
}

struct Tally {
  std::size_t correct = 0, count = 0;
};

// calculate_ins_level_acc: sum of acc * num_example over subjects (acc = correct / num, as evaluate() returns it),
// divided by the total. In floating point this need not equal total_correct / total, so it is computed the same way.
double instance_level_accuracy(const std::vector<Tally>& tallies) {
  double weighted = 0;
  std::size_t total = 0;
  for (const auto& t : tallies) {
    if (t.count == 0) continue;
    const double acc = static_cast<double>(t.correct) / static_cast<double>(t.count);
    weighted += acc * static_cast<double>(t.count);
    total += t.count;
  }
  return total == 0 ? 0.0 : weighted / static_cast<double>(total);
}

// Subjects in evaluation order: the 30 official ones, then any others (ids outside MMMU's naming) by name.
std::vector<std::string> subject_order(std::span<const MmmuSample> samples) {
  std::vector<std::string> order(kSubjects.begin(), kSubjects.end());
  std::vector<std::string> extra;
  for (const auto& s : samples) {
    const std::string subject = subject_of(s.id);
    if (std::find(order.begin(), order.end(), subject) == order.end() &&
        std::find(extra.begin(), extra.end(), subject) == extra.end())
      extra.push_back(subject);
  }
  std::sort(extra.begin(), extra.end());
  order.insert(order.end(), extra.begin(), extra.end());
  return order;
}

bool judge(const MmmuSample& sample, const std::string& response, MmmuInput input, PythonRandom& rng,
           bool* fell_back) {
  if (sample.question_type == "multiple-choice") {
    if (input == MmmuInput::kPredictions) return eval_multi_choice(sample.answers, response);  // used as given
    return eval_multi_choice(sample.answers, parse_multi_choice_response(response, sample.options, rng, fell_back));
  }
  return eval_open(sample.answers, parse_open_response(response));  // both scripts parse open answers
}

}  // namespace

MetricResult mmmu_accuracy(std::span<const MmmuSample> samples, std::span<const std::string> responses,
                           MmmuInput input) {
  require_aligned("mmmu_accuracy", samples.size(), responses.size());

  const std::vector<std::string> order = subject_order(samples);
  std::map<std::string, std::size_t> subject_index;
  for (std::size_t i = 0; i < order.size(); ++i) subject_index.emplace(order[i], i);

  PythonRandom rng(42);  // eval_utils.py: random.seed(42) at import, one stream for the whole run
  std::size_t fallbacks = 0;
  std::vector<double> per_sample(samples.size());
  std::vector<std::size_t> sample_subject(samples.size());
  std::vector<Tally> tallies(order.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    bool fell_back = false;
    const bool correct = judge(samples[i], responses[i], input, rng, &fell_back);
    fallbacks += fell_back ? 1 : 0;
    per_sample[i] = correct ? 1.0 : 0.0;
    sample_subject[i] = subject_index.at(subject_of(samples[i].id));
    tallies[sample_subject[i]].correct += correct ? 1 : 0;
    tallies[sample_subject[i]].count += 1;
  }

  MetricResult result;
  for (std::size_t s = 0; s < order.size(); ++s)
    if (tallies[s].count > 0)
      result.breakdown["subject/" + order[s]] =
          static_cast<double>(tallies[s].correct) / static_cast<double>(tallies[s].count);
  for (const auto& domain : domains()) {
    std::vector<Tally> in_domain;
    for (auto subject : domain.subjects) in_domain.push_back(tallies[subject_index.at(std::string(subject))]);
    const bool present = std::any_of(in_domain.begin(), in_domain.end(), [](const Tally& t) { return t.count > 0; });
    if (present) result.breakdown["domain/" + std::string(domain.name)] = instance_level_accuracy(in_domain);
  }

  MetricScore accuracy;
  accuracy.name = "accuracy";
  accuracy.corpus = instance_level_accuracy(tallies);
  accuracy.per_sample = per_sample;
  // Not mean_over: the official corpus value is the subject-weighted sum above, which can differ from
  // correct / total in the last bit; a resample is scored the same way so that 0..n-1 gives the corpus value.
  auto shared = std::make_shared<const std::pair<std::vector<double>, std::vector<std::size_t>>>(
      std::move(per_sample), std::move(sample_subject));
  const std::size_t subject_count = order.size();
  accuracy.corpus_over = [shared, subject_count](std::span<const std::size_t> indices) {
    std::vector<Tally> resampled(subject_count);
    for (std::size_t i : indices) {
      resampled[shared->second[i]].correct += shared->first[i] > 0 ? 1 : 0;
      resampled[shared->second[i]].count += 1;
    }
    return instance_level_accuracy(resampled);
  };
  result.scores.push_back(std::move(accuracy));
  result.notes["random_fallbacks"] = fallbacks;
  return result;
}

}  // namespace mmh::metrics
