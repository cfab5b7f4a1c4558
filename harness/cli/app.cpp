#include "harness/cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/error.h"

namespace mmh::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{"mmharness: benchmark evaluation harness for multimodal LLMs", "mmharness"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success, 1 a check failed, 2 usage or input error.");
  add_version_flag(app);
  add_runs_command(app);
  add_show_command(app);
  add_tasks_command(app);
  add_score_command(app);
  add_prompt_command(app);
  add_tokenize_command(app);
  add_generate_command(app);

  try {
    app.parse(argc, argv);
    return kExitOk;
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
