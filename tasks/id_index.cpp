#include "tasks/id_index.h"

#include <bit>
#include <functional>

#include "common/error.h"

namespace mmh::tasks {

IdIndex::IdIndex(std::vector<std::string_view> ids) : ids_(std::move(ids)) {
  slots_.assign(std::bit_ceil(2 * ids_.size() + 2), npos);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t position = 0; position < ids_.size(); ++position) {
    std::size_t slot = std::hash<std::string_view>{}(ids_[position]) & mask;
    while (slots_[slot] != npos && ids_[slots_[slot]] != ids_[position]) slot = (slot + 1) & mask;
    if (slots_[slot] == npos) {
      slots_[slot] = position;
    } else if (first_duplicate_ == npos) {
      first_duplicate_ = position;
    }
  }
}

std::size_t IdIndex::find(std::string_view id) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = std::hash<std::string_view>{}(id) & mask; slots_[slot] != npos; slot = (slot + 1) & mask)
    if (ids_[slots_[slot]] == id) return slots_[slot];
  return npos;
}

IdIndex unique_index(std::vector<std::string_view> ids, const std::function<std::string(std::size_t)>& where_of,
                     const std::string& what) {
  IdIndex index(std::move(ids));
  if (const auto repeated = index.first_duplicate(); repeated != IdIndex::npos)
    throw Error(where_of(repeated), "duplicate " + what + " " + std::string(index.id(repeated)));
  return index;
}

}  // namespace mmh::tasks
