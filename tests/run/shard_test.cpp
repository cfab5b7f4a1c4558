// Shards from --shard and from the launchers' environments; shard databases.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "common/error.h"
#include "harness/run/shard.h"

using mmh::run::parse_shard;
using mmh::run::resolve_shard;

namespace {
auto env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}
}  // namespace

TEST_CASE("shard: --shard I/N is parsed and checked", "[run][shard]") {
  const auto s = parse_shard("2/3");
  CHECK(s.index == 2);
  CHECK(s.count == 3);
  CHECK(s.sharded());
  CHECK_FALSE(parse_shard("0/1").sharded());
  for (const char* bad : {"3/3", "-1/3", "1/0", "1", "a/b", "1/3x", "", "/3", "1/"})
    CHECK_THROWS_AS(parse_shard(bad), mmh::Error);
}

TEST_CASE("shard: every position belongs to exactly one shard", "[run][shard]") {
  for (int n : {1, 2, 3, 7}) {
    std::multiset<int> owners;
    for (std::size_t p = 0; p < 100; ++p)
      for (int i = 0; i < n; ++i)
        if (parse_shard(std::to_string(i) + "/" + std::to_string(n)).owns(p)) owners.insert(static_cast<int>(p));
    CHECK(owners.size() == 100);
    CHECK(std::set<int>(owners.begin(), owners.end()).size() == 100);
  }
}

TEST_CASE("shard: torchrun and srun environments select the slice and the GPU", "[run][shard]") {
  const auto torchrun = resolve_shard(std::nullopt, env({{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", "1"}}));
  CHECK(torchrun.index == 3);
  CHECK(torchrun.count == 8);
  CHECK(torchrun.source == "torchrun");
  CHECK(mmh::run::shard_device("cuda", torchrun) == "cuda:1");
  CHECK(mmh::run::shard_device("cuda:0", torchrun) == "cuda:0");  // an explicit device is kept
  CHECK(mmh::run::shard_device("cpu", torchrun) == "cpu");

  const auto slurm =
      resolve_shard(std::nullopt, env({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "6"}, {"SLURM_LOCALID", "2"}}));
  CHECK(slurm.index == 5);
  CHECK(slurm.count == 6);
  CHECK(slurm.source == "slurm");
  CHECK(mmh::run::shard_device("cuda", slurm) == "cuda:2");

  // --shard wins over the environment; a world of one is no shard.
  CHECK(resolve_shard(std::string("1/2"), env({{"RANK", "3"}, {"WORLD_SIZE", "8"}})).count == 2);
  CHECK_FALSE(resolve_shard(std::nullopt, env({{"RANK", "0"}, {"WORLD_SIZE", "1"}})).sharded());
  CHECK_FALSE(resolve_shard(std::nullopt, env({})).sharded());
  // Malformed launcher variables are errors, not silently unsharded runs.
  CHECK_THROWS_AS(resolve_shard(std::nullopt, env({{"RANK", "x"}, {"WORLD_SIZE", "2"}})), mmh::Error);
  CHECK_THROWS_AS(resolve_shard(std::nullopt, env({{"RANK", "2"}, {"WORLD_SIZE", "2"}})), mmh::Error);
}

TEST_CASE("shard: each shard writes its own database file", "[run][shard]") {
  CHECK(mmh::run::shard_database("out/r.sqlite", parse_shard("1/4")) == "out/r.shard-1-of-4.sqlite");
  CHECK(mmh::run::shard_database("r", parse_shard("0/2")) == "r.shard-0-of-2.sqlite");
  CHECK(mmh::run::shard_database("r.sqlite", parse_shard("0/1")) == "r.sqlite");
}
