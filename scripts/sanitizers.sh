#!/usr/bin/env bash
# The sanitizer jobs of CI (called by scripts/test.sh; docs/architecture.md, "Tests"):
#   asan: the whole Catch2 suite built with AddressSanitizer and UndefinedBehaviorSanitizer;
#   tsan: the determinism, run-pool and ensemble tests, and a 2-thread ensemble and comparison
#         through the binary, built with ThreadSanitizer.
# Each builds only what it runs, at -O1 (fast to build, fast enough to run). Any report fails.
# Usage: scripts/sanitizers.sh [asan|tsan|all]
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-all}"
jobs="$(nproc)"
common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g"
  -DCDPSIM_BUILD_BENCH=OFF)

if [[ "$job" == asan || "$job" == all ]]; then
  cmake -S . -B build-asan "${common[@]}" -DCDPSIM_SANITIZE=ON >&2
  cmake --build build-asan -j"$jobs" --target cdpsim_tests >&2
  # halt_on_error: a UBSan finding fails the job instead of scrolling by.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    build-asan/tests/cdpsim_tests --order lex
  echo "sanitizers: asan+ubsan: the Catch2 suite passed" >&2
fi

if [[ "$job" == tsan || "$job" == all ]]; then
  cmake -S . -B build-tsan "${common[@]}" -DCDPSIM_TSAN=ON >&2
  cmake --build build-tsan -j"$jobs" --target cdpsim_tests cdpsim >&2
  # oneTBB's own library is not instrumented: reports whose frames are all inside it are its
  # internal synchronisation, not ours (tests/sanitizers/tsan.supp says which).
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp"
  build-tsan/tests/cdpsim_tests "[determinism],[ensemble],[interventions],*pool*" --order lex
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cat > "$tmp/small.toml" <<'TOML'
extends = "PASSERELLES"
[simulation]
weeks = 60
[population]
potential_members = 1500
TOML
  sed -i "s|PASSERELLES|$PWD/scenarios/passerelles.toml|" "$tmp/small.toml"
  build-tsan/app/cdpsim ensemble "$tmp/small.toml" --replicates 4 --threads 2 -q \
    --sweep levers.animation=0.3,0.7 -o "$tmp/ens.h5"
  build-tsan/app/cdpsim compare "$tmp/small.toml" "$tmp/small.toml" --replicates 3 --threads 2 \
    -q -o "$tmp/cmp" > /dev/null
  echo "sanitizers: tsan: determinism, run pool, ensemble and compare passed" >&2
fi
