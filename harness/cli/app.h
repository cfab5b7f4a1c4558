#pragma once
// The mmharness command line. Each subcommand lives in its own cmd_*.cpp and
// registers itself on the CLI11 app; run_cli parses, dispatches and maps every
// error to one line on stderr and an exit code (0 ok, 1 check failed, 2 usage
// or input error).
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace mmh::cli {

int run_cli(int argc, char** argv);

// The arguments after the program name, as given (stored with a run as its provenance).
const std::vector<std::string>& command_line();
// A command that ends without an error but not with success (an interrupted run) sets its exit code here.
void set_exit_code(int code);

// Registration hooks, one per cmd_*.cpp.
void add_version_flag(CLI::App& app);
void add_runs_command(CLI::App& app);
void add_show_command(CLI::App& app);
void add_tasks_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_prompt_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_demo_setup_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_merge_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_gate_command(CLI::App& app);

// The default results database, in the working directory.
inline constexpr const char* kDefaultDatabase = "mmharness.sqlite";

}  // namespace mmh::cli
