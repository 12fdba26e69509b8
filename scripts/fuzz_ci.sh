#!/usr/bin/env bash
# A bounded libFuzzer run of the scenario reader for CI (tests/fuzz/README.md): installs clang and
# libFuzzer's runtime from Debian if missing (and the libraries cdpsim configures with), builds
# only tests/fuzz/fuzz_scenario_reader in build-fuzz (clang, -DCDPSIM_FUZZ=ON), then fuzzes it for
# 60 s on one core from tests/fuzz/corpus with tests/fuzz/toml.dict. Exit 0 only if the fuzzer
# found nothing: a crash, sanitizer report, escaped exception, failed round trip, timeout or
# out-of-memory leaves the input in build-fuzz/fuzz-artifacts/ and fails the script.
#
#   bash scripts/fuzz_ci.sh                                # CI: 60 s, seed = day of the year
#   CDPSIM_FUZZ_SECONDS=3600 bash scripts/fuzz_ci.sh       # an hour
#   CDPSIM_FUZZ_SEED=7 bash scripts/fuzz_ci.sh             # a fixed seed
#   CDPSIM_FUZZ_ARGS="-max_len=65536" bash scripts/fuzz_ci.sh   # more libFuzzer flags (last wins)
#
# Builds and runs under `nice -n 10` with at most 2 compile jobs (CDPSIM_FUZZ_JOBS): the machine
# is shared. Needs root (or sudo) only when something must be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_BUDGET="${CDPSIM_FUZZ_SECONDS:-60}"
SEED="${CDPSIM_FUZZ_SEED:-$((10#$(date +%j)))}"
BUILD_DIR="${CDPSIM_FUZZ_BUILD_DIR:-build-fuzz}"
JOBS="${CDPSIM_FUZZ_JOBS:-2}"
read -r -a EXTRA_ARGS <<< "${CDPSIM_FUZZ_ARGS:-}"

PACKAGES=(
  clang-14 libclang-rt-14-dev cmake ninja-build
  libeigen3-dev libtbb-dev libhdf5-dev libcli11-dev libtomlplusplus-dev librandom123-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz_ci: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

start=$(date +%s)
nice -n 10 cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCDPSIM_FUZZ=ON \
  -DCDPSIM_BUILD_TESTS=OFF -DCDPSIM_BUILD_BENCH=OFF -DCDPSIM_MPI=OFF >&2
nice -n 10 cmake --build "$BUILD_DIR" -j"$JOBS" --target fuzz_scenario_reader >&2
built=$(date +%s)

# New inputs go to a fresh folder (the checked-in corpus is only read); findings to artifacts/.
work="$BUILD_DIR/fuzz-corpus"
artifacts="$BUILD_DIR/fuzz-artifacts"
log="$BUILD_DIR/fuzz.log"
rm -rf "$work" "$artifacts"
mkdir -p "$work" "$artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
rc=0
nice -n 10 "$BUILD_DIR/tests/fuzz/fuzz_scenario_reader" -max_total_time="$SECONDS_BUDGET" \
  -seed="$SEED" -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz/toml.dict \
  -artifact_prefix="$artifacts/" -print_final_stats=1 ${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"} "$work" tests/fuzz/corpus \
  > "$log" 2>&1 || rc=$?
done_at=$(date +%s)

if ((rc != 0)) || [ -n "$(ls -A "$artifacts")" ]; then
  tail -n 80 "$log" >&2
  echo "fuzz_ci: FAILED (exit $rc, seed $SEED): the fuzzer found an input the reader mishandles:" >&2
  ls -l "$artifacts" >&2
  echo "fuzz_ci: reproduce with $BUILD_DIR/tests/fuzz/fuzz_scenario_reader $artifacts/FILE;" \
    "minimise with -minimize_crash=1 -runs=10000, then add it to tests/fuzz/regressions/" >&2
  exit 1
fi
grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb))' \
  "$log" >&2 || true
echo "fuzz_ci: no crash in ${SECONDS_BUDGET} s of libFuzzer (seed $SEED); build $((built - start)) s," \
  "total $((done_at - start)) s; log in $log" >&2
