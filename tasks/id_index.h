#pragma once
// Sample ids -> positions, for the hot paths of the official-file readers
// (200,000 VQAv2 questions): one flat open-addressing table of positions, no
// node per id. Keys are views into strings the caller keeps alive and unchanged.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mmh::tasks {

class IdIndex {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  explicit IdIndex(std::vector<std::string_view> ids);

  std::size_t size() const { return ids_.size(); }
  std::string_view id(std::size_t position) const { return ids_[position]; }
  // The position of `id`, or npos.
  std::size_t find(std::string_view id) const;
  // The first position whose id repeats an earlier one, or npos.
  std::size_t first_duplicate() const { return first_duplicate_; }

 private:
  std::vector<std::string_view> ids_;
  std::vector<std::size_t> slots_;  // npos or a position; size a power of two, at most half full
  std::size_t first_duplicate_ = npos;
};

// The index of `ids`, whose strings the caller keeps; a repeated id is an
// mmh::Error at where_of(its position): "duplicate <what> <id>".
IdIndex unique_index(std::vector<std::string_view> ids, const std::function<std::string(std::size_t)>& where_of,
                     const std::string& what);

// Views of every element's `key` member (TaskSample::key, VqaSample::question_id, ...).
template <class T, class Key>
std::vector<std::string_view> key_views(const std::vector<T>& items, Key T::*key) {
  std::vector<std::string_view> views;
  views.reserve(items.size());
  for (const T& item : items) views.push_back(item.*key);
  return views;
}

}  // namespace mmh::tasks
