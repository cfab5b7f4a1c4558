#include "harness/cli/app.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "common/error.h"

namespace mmh::cli {
namespace {
std::vector<std::string> g_command_line;
int g_exit_code = kExitOk;
}  // namespace

const std::vector<std::string>& command_line() { return g_command_line; }
void set_exit_code(int code) { g_exit_code = code; }

int run_cli(int argc, char** argv) {
  g_command_line.assign(argv + std::min(argc, 1), argv + argc);
  g_exit_code = kExitOk;
  CLI::App app{"mmharness: benchmark evaluation harness for multimodal LLMs", "mmharness"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success, 1 a check failed, 2 usage or input error, 130 a run interrupted (resumable).");
  add_version_flag(app);
  add_runs_command(app);
  add_show_command(app);
  add_tasks_command(app);
  add_score_command(app);
  add_prompt_command(app);
  add_tokenize_command(app);
  add_generate_command(app);
  add_demo_setup_command(app);
  add_run_command(app);
  add_merge_command(app);
  add_report_command(app);
  add_gate_command(app);

  try {
    app.parse(argc, argv);
    return g_exit_code;
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mmharness: error: " << e.what() << "\nRun 'mmharness --help' for usage.\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << "mmharness: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "mmharness: error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace mmh::cli
