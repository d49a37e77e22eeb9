#!/usr/bin/env bash
# airlock's one entry point on a fresh Debian 12 machine (run as root, or with sudo available):
#
#   packaging/setup.sh demo   install what is missing, build, and run the embedded example:
#                             build a bundle from manifests/ against a local index, install it offline
#   packaging/setup.sh test   install what is missing, build, run every test (ctest), then the same
#                             tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then
#                             each libFuzzer target of fuzz/ (clang) for AIRLOCK_FUZZ_SECONDS (8)
#   packaging/setup.sh build  install what is missing and build (build/bin/airlock-{build,install})
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
# ctest runs one test more than there are cores: a few integration tests mostly wait (throttled
# nginx, retry delays, a stalled connection: test_fetch uses ~5% of a core for ~45 s), and with
# -j <cores> such a test holds a core idle. AIRLOCK_TEST_JOBS overrides.
test_jobs=${AIRLOCK_TEST_JOBS:-$((jobs + 1))}

# Debian packages the build, the tests and the benchmarks use.
packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libarchive-dev libssl-dev libcli11-dev libtomlplusplus-dev
  libsimdjson-dev nlohmann-json3-dev libyaml-cpp-dev libzstd-dev libgtest-dev
  python3 python3-venv python3-pip nginx-light minisign aria2 curl zstd util-linux clang-format ccache
  conda-package-handling tmux
  # the fuzz build (fuzz/, -DAIRLOCK_FUZZ=ON): clang with libFuzzer and the sanitizer runtimes
  clang
  # the static installer links Debian's .a files of libarchive's own dependencies; the packages
  # (cpack) get man pages from help2man; tests read `file`; the progress display test drives tmux
  nettle-dev liblzma-dev libbz2-dev zlib1g-dev help2man dpkg-dev file
)

install_missing() {
  # One dpkg-query for all of them (one a package took ~2 s); a package dpkg does not know prints
  # nothing, so whatever is not listed as installed is missing.
  local installed missing=()
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
    awk '$NF == "installed" && $(NF-1) == "ok" {print $1}') || true
  for p in "${packages[@]}"; do
    grep -qxF "$p" <<<"$installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

configure_and_build() {  # dir, extra cmake args...
  local dir=$1
  shift
  # ccache makes the second configuration (the sanitizer build) and repeated runs cheap; CCACHE_BASEDIR
  # lets checkouts at different paths share it.
  CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" cmake -S "$root" -B "$root/$dir" -G Ninja \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
  CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" cmake --build "$root/$dir" -j "$jobs"
}

# `timed WHAT command...`: runs the command, then prints how long it took (setup.sh test ends with
# the list: where CI's 15 minutes go).
times=()
timed() {
  local what=$1 start=$SECONDS
  shift
  "$@"
  times+=("$(printf '%-30s %4d s' "$what" $((SECONDS - start)))")
}

case "${1:-}" in
  build)
    install_missing
    configure_and_build build
    ;;
  demo)
    install_missing
    configure_and_build build
    exec "${PYTHON:-python3}" "$root/tests/support/demo.py" --build-dir "$root/build"
    ;;
  test)
    timed "install check" install_missing
    timed "plain: configure + build" configure_and_build build
    timed "plain: ctest -j $test_jobs" ctest --test-dir "$root/build" --output-on-failure -j "$test_jobs" --timeout 900
    cat "$root/build/reliability/summary.txt" 2>/dev/null || true
    echo "setup: tests again under ASan+UBSan"
    timed "asan: configure + build" configure_and_build build-asan -DAIRLOCK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      timed "asan: ctest -j $test_jobs" ctest --test-dir "$root/build-asan" --output-on-failure -j "$test_jobs" --timeout 900
    cat "$root/build-asan/reliability/summary.txt" 2>/dev/null || true
    # The corpus and every regression already ran above (ctest fuzz_replay_*); here each target
    # mutates them for a few seconds, two at a time, from a fixed seed: the same tree tries the
    # same inputs in every run, so a failure here is reproducible (the long random-seed runs are
    # done with fuzz/run.sh, see the README).
    echo "setup: fuzz targets under libFuzzer, ${AIRLOCK_FUZZ_SECONDS:-8} s each"
    CC=clang CXX=clang++ timed "fuzz: configure + build" configure_and_build build-fuzz -DAIRLOCK_FUZZ=ON
    FUZZ_JOBS="$jobs" FUZZ_FLAGS="-seed=1 -runs=30000 ${FUZZ_FLAGS:-}" \
      timed "fuzz: run the targets" "$root/fuzz/run.sh" "$root/build-fuzz" "${AIRLOCK_FUZZ_SECONDS:-8}"
    echo "setup: done in $SECONDS s ($(nproc 2>/dev/null || echo '?') cores, load average now $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
    printf '  %s\n' "${times[@]}"
    ;;
  *)
    echo "usage: packaging/setup.sh demo|test|build" >&2
    exit 2
    ;;
esac
