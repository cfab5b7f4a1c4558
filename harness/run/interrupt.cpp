#include "harness/run/interrupt.h"

#include <csignal>
#include <unistd.h>

namespace mmh::run {
namespace {

volatile std::sig_atomic_t g_requested = 0;
struct sigaction g_previous_int, g_previous_term;

void on_signal(int signal) {
  if (g_requested) {
    // Second signal: stop now, with the conventional status.
    _exit(128 + signal);
  }
  g_requested = 1;
  static const char note[] = "\nmmharness: stopping after the current batch (signal again to stop at once)\n";
  [[maybe_unused]] auto written = write(STDERR_FILENO, note, sizeof note - 1);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_requested = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

bool interrupt_requested() { return g_requested != 0; }

}  // namespace mmh::run
