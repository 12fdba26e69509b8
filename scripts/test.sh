#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (C++ unit, statistical, determinism and
# validation tests; Python tests that drive the real binary). Exit 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The MPI-enabled binary, for tests/cli/test_ensemble_mpi.py (mpirun -n 2 on loopback).
cmake -S . -B build-mpi -G Ninja -DCMAKE_BUILD_TYPE=Release -DCDPSIM_MPI=ON \
  -DCDPSIM_BUILD_TESTS=OFF -DCDPSIM_BUILD_BENCH=OFF >&2
cmake --build build-mpi -j"$(nproc)" --target cdpsim >&2
export CDPSIM_MPI_BIN="$PWD/build-mpi/app/cdpsim"
cd "${CDPSIM_BUILD_DIR:-build}"
ctest --output-on-failure -j2 --timeout 900
cd - > /dev/null
# A bounded fuzz run of the scenario reader (about 3,000 mutated scenarios; tests/fuzz/README.md
# says how to run it for hours). The seed changes daily so CI explores new cases over time.
timeout 600 /usr/bin/python3 tests/fuzz/fuzz_scenarios.py --bin "${CDPSIM_BUILD_DIR:-build}/app/cdpsim" \
  --seconds 90 --seed "$(date +%j)"
# The in-process libFuzzer target of the same reader, 60 s (tests/fuzz/README.md).
bash scripts/fuzz_ci.sh
# The Catch2 suite under ASan and UBSan.
bash scripts/sanitizers.sh asan
# The determinism, run-pool, intervention and ensemble tests under TSan (clang++; about 3 min of
# build on 2 cores, 15 s of run), after a planted race it must report (scripts/sanitizers.sh).
bash scripts/sanitizers.sh tsan
