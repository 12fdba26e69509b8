#!/usr/bin/env bash
# The sanitizer jobs of CI (called by scripts/test.sh; docs/architecture.md, "Tests"):
#   asan: the whole Catch2 suite built with AddressSanitizer and UndefinedBehaviorSanitizer;
#   tsan: the determinism, run-pool, intervention and ensemble tests built with ThreadSanitizer
#         (clang++; oneTBB's headers left uninstrumented like libtbb, and the loops' hand-offs
#         declared in sim/parallel/parallel_over.hpp), after a planted race that it must report.
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
  # clang++ only (CMakeLists.txt): GCC cannot leave oneTBB's inlined headers uninstrumented.
  # Debian's clang-14 (as scripts/fuzz_ci.sh), installed when missing.
  if ! command -v clang++-14 > /dev/null ||
    ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.tsan-x86_64.a" > /dev/null; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      clang-14 libclang-rt-14-dev >&2
  fi
  # A build-tsan configured with another compiler (older versions of this script) starts afresh.
  if [[ -f build-tsan/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' build-tsan/CMakeCache.txt; then
    rm -rf build-tsan
  fi
  cmake -S . -B build-tsan "${common[@]}" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCDPSIM_TSAN=ON >&2
  cmake --build build-tsan -j"$jobs" --target cdpsim_tests >&2
  # tests/sanitizers/tsan.supp says what each suppression is and why it cannot hide our races.
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp"
  # First, the suppressions and annotations must still let a race between two tasks through.
  clang++-14 -std=c++20 -O1 -g -fsanitize=thread \
    -fsanitize-ignorelist="$PWD/tests/sanitizers/tsan_ignorelist.txt" -I. \
    tests/sanitizers/tsan_canary.cpp -o build-tsan/tsan_canary -ltbb
  if build-tsan/tsan_canary > /dev/null 2> build-tsan/tsan_canary.log ||
    ! grep -q "tsan_canary.cpp" build-tsan/tsan_canary.log; then
    echo "sanitizers: tsan: the planted race of tests/sanitizers/tsan_canary.cpp was not reported" >&2
    exit 1
  fi
  build-tsan/tests/cdpsim_tests "[determinism],[ensemble],[interventions],*pool*" --order lex
  echo "sanitizers: tsan: determinism, run pool, intervention and ensemble tests passed" >&2
fi
