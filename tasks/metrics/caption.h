#pragma once
// COCO caption evaluation (pycocoevalcap): PTBTokenizer, BLEU-1..4, ROUGE-L,
// CIDEr-D. Used by coco, nocaps and textcaps. METEOR and SPICE need Java
// resources and are not computed. Spec: ../shared/refdata/metrics/caption_spec.md.
#include <string>
#include <string_view>
#include <vector>

#include "tasks/metrics/metric.h"

namespace mmh::metrics {

struct CaptionSample {
  std::string id;                       // image id
  std::vector<std::string> references;  // raw reference captions
  std::string prediction;               // raw candidate caption
};

// The official tokenization step (PTBTokenizer + the wrapper's punctuation
// removal): the tokens of one caption, space-joined.
std::string ptb_tokenize(std::string_view caption);

// Scores "Bleu_1".."Bleu_4", "ROUGE_L", "CIDEr" on the official 0..1 (CIDEr 0..10) scale.
// Headline (scores[0]) is CIDEr.
MetricResult caption_metrics(std::span<const CaptionSample> samples);

}  // namespace mmh::metrics
