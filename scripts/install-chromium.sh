#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report's browser test
# (tests/report/report_browser_test.cpp). Idempotent and quiet: does nothing
# when `chromium` is already on PATH. Exit status: 0 when chromium is there
# afterwards, 77 (ctest's "skipped") when it cannot be had here.
set -uo pipefail
command -v chromium >/dev/null 2>&1 && exit 0

skip() { echo "install-chromium: $*; the browser test is SKIPPED" >&2; exit 77; }
command -v apt-get >/dev/null 2>&1 || skip "no apt-get on this machine (install Chromium by hand)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || skip "chromium is missing and this user is not root"
  sudo -n true 2>/dev/null || skip "chromium is missing, this user is not root and sudo asks for a password"
  sudo="sudo -n"
fi
# Several tests may start at once: one installer at a time.
exec 9>"${TMPDIR:-/tmp}/mmh-install-chromium.lock"
flock 9 2>/dev/null || true
command -v chromium >/dev/null 2>&1 && exit 0
echo "install-chromium: installing chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
  $sudo apt-get update -qq >/dev/null 2>&1 || skip "apt-get update failed (offline?)"
  $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || skip "apt-get install chromium failed"
fi
command -v chromium >/dev/null 2>&1 || skip "chromium is still not on PATH after installing it"
