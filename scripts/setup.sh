#!/usr/bin/env bash
# Installs what cdpsim needs from Debian's packages (only what is missing) and builds it in
# Release. Idempotent; used by quickstart.sh and test.sh. Needs root (or sudo) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libeigen3-dev libtbb-dev libhdf5-dev hdf5-tools libcli11-dev catch2 libtomlplusplus-dev
  librandom123-dev libbenchmark-dev libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf
  python3-matplotlib python3-scipy python3-pytest python3-sklearn
  pybind11-dev python3-pybind11
  libcpp-httplib-dev nlohmann-json3-dev libjs-chart.js chromium chromium-driver python3-selenium
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

BUILD_DIR="${CDPSIM_BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$BUILD_DIR" -j"$(nproc)" >&2
