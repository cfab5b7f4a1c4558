// mmharness merge: one run from the databases of a sharded run, with corpus
// metrics over all samples (harness/run/merge.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "harness/cli/app.h"
#include "harness/run/merge.h"

namespace mmh::cli {

void add_merge_command(CLI::App& app) {
  struct Options {
    std::string into;
    std::vector<std::string> shards;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("merge", "Combine the shard databases of a sharded run into one run");
  cmd->add_option("--into", o->into, "Database to add the merged run to (created if missing)")->required();
  cmd->add_option("shards", o->shards, "Shard databases (DB.shard-I-of-N.sqlite), all N of them")->required();
  cmd->callback([o] {
    std::vector<std::filesystem::path> files(o->shards.begin(), o->shards.end());
    std::vector<std::string> argv = {"mmharness"};
    for (const auto& arg : command_line()) argv.push_back(arg);
    const auto outcome = run::merge_shards(o->into, files, argv);
    std::cout << "merged " << outcome.shards << " shards: " << outcome.evaluations << " evaluations, "
              << outcome.samples << " samples -> run " << outcome.run_id << " in " << o->into
              << "\n(see: mmharness show " << outcome.run_id << " --db " << o->into << ")\n";
  });
}

}  // namespace mmh::cli
