#pragma once
// Image features by content: a demonstration image that appears in many
// prompts goes through the vision tower and connector once. The key is
// (model, preprocessing fingerprint, hash of the image file's bytes), so a
// renamed copy hits and an edited file misses. Least recently used entries
// are dropped beyond a byte budget.
#include <ATen/ATen.h>

#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mmh::backend::engine {

// FNV-1a, 64-bit, over the file bytes plus their length.
inline std::uint64_t content_hash(const std::uint8_t* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
  return (h ^ size) * 1099511628211ull;
}

class FeatureCache {
 public:
  explicit FeatureCache(std::int64_t budget_bytes) : budget_(budget_bytes) {}

  // The cached features, or an undefined tensor.
  at::Tensor find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      ++misses_;
      return {};
    }
    ++hits_;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void insert(const std::string& key, const at::Tensor& features) {
    if (index_.count(key)) return;
    order_.emplace_front(key, features);
    index_[key] = order_.begin();
    bytes_ += features.numel() * features.element_size();
    while (bytes_ > budget_ && order_.size() > 1) {
      const auto& [old_key, old] = order_.back();
      bytes_ -= old.numel() * old.element_size();
      index_.erase(old_key);
      order_.pop_back();
    }
  }

  std::int64_t hits() const { return hits_; }
  std::int64_t misses() const { return misses_; }

 private:
  using Entry = std::pair<std::string, at::Tensor>;
  std::int64_t budget_, bytes_ = 0, hits_ = 0, misses_ = 0;
  std::list<Entry> order_;
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace mmh::backend::engine
