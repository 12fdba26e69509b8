#!/usr/bin/env bash
# Quick start: set up, build, and run the default scenario (Passerelles 2018-2022).
# Writes out/passerelles.h5 (replacing an earlier quick-start file) and prints a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
"${CDPSIM_BUILD_DIR:-build}/app/cdpsim" run scenarios/passerelles.toml -o out/passerelles.h5 --force
