#pragma once
// SIGINT (Ctrl-C) and SIGTERM (what Slurm and torchrun send first) ask the
// run to stop after the batch in flight is committed; a second signal ends the
// process at once (what is committed stays committed).
namespace mmh::run {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the handlers
  ~InterruptGuard();  // restores the previous ones
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

bool interrupt_requested();

}  // namespace mmh::run
