#include "harness/cli/app.h"

int main(int argc, char** argv) { return mmh::cli::run_cli(argc, argv); }
