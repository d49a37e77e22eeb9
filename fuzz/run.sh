#!/usr/bin/env bash
# Runs the libFuzzer targets of a fuzz build (-DAIRLOCK_FUZZ=ON) for a fixed time each, a few at a
# time, starting from the checked-in seed corpus and regressions (never written to: new inputs go
# to a scratch folder). Prints one line per target from libFuzzer's final statistics; exits 1 when
# a target crashed, leaked, ran out of memory or timed out, naming the input it saved.
#
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]       (default: every folder of fuzz/corpus/)
#
# Environment: FUZZ_JOBS (targets at once, default 2), FUZZ_WORK (scratch folder, kept, default a
# new temporary one, removed when nothing failed), FUZZ_FLAGS (more libFuzzer flags).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 2 ]; then
  echo "usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$here"/corpus/*/; do targets+=("$(basename "$d")"); done
fi
keep_work=${FUZZ_WORK:+yes}
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/airlock-fuzz.XXXXXX")}
mkdir -p "$work"

run_one() {  # target: runs it, writes $work/<target>.log and $work/<target>.status
  local t=$1 bin="$build/bin/fuzz_$1"
  local args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 -print_final_stats=1
              -artifact_prefix="$work/$t-")
  [ -f "$here/dict/$t.dict" ] && args+=(-dict="$here/dict/$t.dict")
  local inputs=("$here/corpus/$t")
  [ -d "$here/regressions/$t" ] && inputs+=("$here/regressions/$t")
  mkdir -p "$work/corpus-$t"
  if [ ! -x "$bin" ]; then
    echo "no $bin: build $build first" >"$work/$t.log"
    echo 2 >"$work/$t.status"
    return
  fi
  local rc=0
  # shellcheck disable=SC2086
  "$bin" "${args[@]}" ${FUZZ_FLAGS:-} "$work/corpus-$t" "${inputs[@]}" >"$work/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$t.status"
}

# FUZZ_JOBS targets at once.
jobs=${FUZZ_JOBS:-2}
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=0
for t in "${targets[@]}"; do
  log="$work/$t.log"
  status=$(cat "$work/$t.status" 2>/dev/null || echo 2)
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "$work/corpus-$t" -type f | wc -l)
  line="fuzz_$t: $(stat number_of_executed_units) execs in ${seconds} s ($(stat average_exec_per_sec)/s), cov ${cov:-?}, ${corpus} new inputs, peak $(stat peak_rss_mb) MB"
  if [ "$status" = 0 ]; then
    echo "$line: ok"
  else
    failed=1
    echo "$line: FAILED (exit $status)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |artifact_prefix|Test unit written|  )' "$log" | head -20 | sed 's/^/    /'
  fi
done
if [ "$failed" = 1 ]; then
  echo "fuzz: logs and crashing inputs in $work (add each input to fuzz/regressions/<target>/ with its fix)"
  exit 1
fi
[ -n "$keep_work" ] || rm -rf "$work"
