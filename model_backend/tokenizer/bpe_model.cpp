#include "model_backend/tokenizer/bpe_model.h"

#include <cstdio>
#include <queue>

#include "common/error.h"
#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

constexpr std::uint64_t kEmptyKey = ~0ull;
constexpr std::size_t kMaxCacheEntries = 200000;
constexpr std::size_t kMaxCachedWordBytes = 256;

std::uint64_t mix(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  return k;
}

}  // namespace

void BpeModel::MergeTable::build(const std::vector<std::pair<std::uint64_t, MergeTarget>>& entries) {
  std::size_t capacity = 16;
  while (capacity < entries.size() * 2) capacity <<= 1;
  keys.assign(capacity, kEmptyKey);
  values.assign(capacity, {0, 0});
  mask = capacity - 1;
  for (const auto& [key, value] : entries) {
    std::uint64_t slot = mix(key) & mask;
    while (keys[slot] != kEmptyKey && keys[slot] != key) slot = (slot + 1) & mask;
    keys[slot] = key;  // a repeated merge keeps the later rank, as tokenizers' HashMap collect does
    values[slot] = value;
  }
}

const BpeModel::MergeTarget* BpeModel::MergeTable::find(std::uint64_t key) const {
  if (keys.empty()) return nullptr;
  for (std::uint64_t slot = mix(key) & mask;; slot = (slot + 1) & mask) {
    if (keys[slot] == key) return &values[slot];
    if (keys[slot] == kEmptyKey) return nullptr;
  }
}

BpeModel::BpeModel(std::unordered_map<std::string, std::int32_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
                   const std::string& where)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  std::int32_t max_id = -1;
  for (const auto& [token, id] : vocab_) {
    if (id < 0) throw Error(where, "model.vocab: token id " + std::to_string(id) + " is negative");
    max_id = std::max(max_id, id);
  }
  by_id_.assign(static_cast<std::size_t>(max_id + 1), nullptr);
  for (const auto& [token, id] : vocab_) by_id_[static_cast<std::size_t>(id)] = &token;

  const auto id_of = [&](const std::string& token, std::size_t rank) {
    const auto it = vocab_.find(token);
    if (it == vocab_.end())
      throw Error(where, "model.merges[" + std::to_string(rank) + "]: \"" + token + "\" is not in the vocab");
    return it->second;
  };
  const std::string& prefix = options_.continuing_subword_prefix;
  std::vector<std::pair<std::uint64_t, MergeTarget>> entries;
  entries.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    const std::string merged =
        left + (!prefix.empty() && right.compare(0, prefix.size(), prefix) == 0 ? right.substr(prefix.size()) : right);
    entries.push_back({pair_key(id_of(left, rank), id_of(right, rank)),
                       {static_cast<std::int32_t>(rank), id_of(merged, rank)}});
  }
  merges_.build(entries);

  if (options_.unk_token) {
    const auto it = vocab_.find(*options_.unk_token);
    if (it == vocab_.end()) throw Error(where, "model.unk_token \"" + *options_.unk_token + "\" is not in the vocab");
    unk_id_ = it->second;
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    const auto it = vocab_.find(name);
    byte_ids_[b] = it == vocab_.end() ? -1 : it->second;
  }
}

std::optional<std::int32_t> BpeModel::token_to_id(std::string_view token) const {
  const auto it = vocab_.find(std::string(token));
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= by_id_.size()) return nullptr;
  return by_id_[static_cast<std::size_t>(id)];
}

void BpeModel::tokenize(std::string_view word, std::vector<std::int32_t>& out) const {
  if (word.empty()) return;
  if (options_.ignore_merges) {
    if (const auto it = vocab_.find(std::string(word)); it != vocab_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  const bool cacheable = word.size() <= kMaxCachedWordBytes;
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (const auto it = cache_.find(std::string(word)); it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<std::int32_t> ids;
  merge_word(word, ids);
  out.insert(out.end(), ids.begin(), ids.end());
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCacheEntries) cache_.clear();
    cache_.emplace(std::string(word), std::move(ids));
  }
}

void BpeModel::merge_word(std::string_view word, std::vector<std::int32_t>& out) const {
  struct Symbol {
    std::int32_t id;
    std::int32_t prev, next;
    bool removed;
  };
  std::vector<Symbol> symbols;
  symbols.reserve(word.size());
  const auto add = [&](std::int32_t id) {
    const auto index = static_cast<std::int32_t>(symbols.size());
    if (!symbols.empty()) symbols.back().next = index;
    symbols.push_back({id, index - 1, -1, false});
  };

  // Initial symbols: one per character (tokenizers' BPE::merge_word).
  std::int32_t pending_unk = -1;  // an unk not yet added (fuse_unk grows it)
  std::string piece;
  for (std::size_t pos = 0; pos < word.size();) {
    const std::size_t begin = pos;
    pos += utf8::sequence_length(static_cast<unsigned char>(word[pos]));
    piece.assign(word.substr(begin, pos - begin));
    if (begin > 0) piece.insert(0, options_.continuing_subword_prefix);
    if (pos >= word.size()) piece += options_.end_of_word_suffix;
    if (const auto it = vocab_.find(piece); it != vocab_.end()) {
      if (pending_unk >= 0) add(pending_unk), pending_unk = -1;
      add(it->second);
      continue;
    }
    if (options_.byte_fallback) {
      bool all = true;
      for (unsigned char b : piece) all = all && byte_ids_[b] >= 0;
      if (all) {
        // tokenizers does not flush a pending unk here either.
        for (unsigned char b : piece) add(byte_ids_[b]);
        continue;
      }
    }
    if (unk_id_) {
      if (pending_unk >= 0 && !options_.fuse_unk) add(pending_unk);
      pending_unk = *unk_id_;
    }
  }
  if (pending_unk >= 0) add(pending_unk);

  struct Candidate {
    std::int32_t rank, pos, id;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
  for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
    if (const MergeTarget* m = merges_.find(pair_key(symbols[i].id, symbols[i + 1].id)))
      queue.push({m->rank, static_cast<std::int32_t>(i), m->id});

  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[static_cast<std::size_t>(top.pos)];
    if (left.removed || left.next < 0) continue;
    Symbol& right = symbols[static_cast<std::size_t>(left.next)];
    const MergeTarget* current = merges_.find(pair_key(left.id, right.id));
    if (!current || current->id != top.id) continue;  // stale entry
    left.id = top.id;
    right.removed = true;
    left.next = right.next;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
    if (left.prev >= 0) {
      const Symbol& prev = symbols[static_cast<std::size_t>(left.prev)];
      if (const MergeTarget* m = merges_.find(pair_key(prev.id, left.id))) queue.push({m->rank, left.prev, m->id});
    }
    if (left.next >= 0) {
      const Symbol& next = symbols[static_cast<std::size_t>(left.next)];
      if (const MergeTarget* m = merges_.find(pair_key(left.id, next.id))) queue.push({m->rank, top.pos, m->id});
    }
  }
  for (const Symbol& s : symbols)
    if (!s.removed) out.push_back(s.id);
}

}  // namespace mmh::tokenizer
