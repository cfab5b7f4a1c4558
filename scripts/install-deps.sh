#!/usr/bin/env bash
# Installs the Debian 12 packages mmharness builds with. Idempotent and silent
# when everything is already there, so `make demo` / `make test` can call it
# on every invocation.
#
#   MMH_TORCH_PREFIX=DIR  building against a pip torch's LibTorch (GPU): skip libtorch-dev
#   MMH_SKIP_DEPS=1       skip the check entirely (offline machines set up by hand)
set -euo pipefail
[ "${MMH_SKIP_DEPS:-0}" = 1 ] && exit 0

packages=(
  g++ cmake ninja-build make git sqlite3
  nlohmann-json3-dev libcli11-dev libsqlite3-dev catch2
  libsentencepiece-dev libpcre2-dev libjpeg62-turbo-dev libpng-dev libsimdjson-dev
  # Debian's LibTorch does fp32 matmul through libblas.so.3; the OpenMP build of
  # OpenBLAS is ~35x faster than the reference BLAS and shares LibTorch's OpenMP
  # pool. The build links it explicitly (see cmake/OpenBlasOpenMP.cmake).
  libopenblas0-openmp
)
[ -z "${MMH_TORCH_PREFIX:-}" ] && packages+=(libtorch-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: missing packages (${missing[*]}) and not root; install them or run as root" >&2; exit 2; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
