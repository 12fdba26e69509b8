#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (C++ unit, statistical, determinism and
# validation tests; Python tests that drive the real binary). Exit 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd "${CDPSIM_BUILD_DIR:-build}"
ctest --output-on-failure -j2 --timeout 900
