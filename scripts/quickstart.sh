#!/usr/bin/env bash
# Quick start: set up, build, and run the default scenario (Passerelles 2018-2022).
# Writes out/passerelles.h5 (replacing an earlier quick-start file), prints a summary, and writes
# its figures (out/figures/) and report (out/passerelles-report.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
"${CDPSIM_BUILD_DIR:-build}/app/cdpsim" run scenarios/passerelles.toml -o out/passerelles.h5 --force
# The figures (PNG and SVG) and a self-contained HTML report of that run.
"${CDPSIM_BUILD_DIR:-build}/app/cdpsim" plot out/passerelles.h5 -o out/figures --force
"${CDPSIM_BUILD_DIR:-build}/app/cdpsim" report out/passerelles.h5 -o out/passerelles-report.html --force
