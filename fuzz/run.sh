#!/usr/bin/env bash
# Run fuzz targets the way fuzz/README.md describes, and summarise each run.
#
#   fuzz/run.sh [-t SECONDS] [-j JOBS] [TARGET...]     (default: every target, 3600 s, 1 job)
#
# Builds the targets (release + ASan; SKIP_BUILD=1 uses the existing build), then runs them
# JOBS at a time at `nice 19`, each for SECONDS, from corpus/<target> (kept between runs) and
# seeds/<target>, with the flags the README explains (`-timeout=300`: libFuzzer's timeout is
# wall time, and the generator targets compile automata that take 100x longer under ASan).
# Logs go to logs/<target>.log. At the end, per target: inputs run, final coverage, and the
# edges gained over the last sixth and the last half of the run (how close to a plateau),
# and every crash, timeout or slow input found, each replayed alone so that a wall-clock
# artifact of a busy machine is not read as a hang. Exit status 1 when an input this run wrote
# still fails when replayed alone.
set -euo pipefail
cd "$(dirname "$0")"

seconds=3600 jobs=1
while getopts "t:j:" o; do
  case $o in
    t) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: $0 [-t SECONDS] [-j JOBS] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^specguard-fuzz$')
fi

export RUSTC_BOOTSTRAP=1
if [ -z "${SKIP_BUILD:-}" ]; then
  for t in "${targets[@]}"; do cargo fuzz build -O "$t"; done
fi
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs

run() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  # Leak checking off: the loader's thread pool outlives each input (see the README).
  ASAN_OPTIONS=detect_leaks=0 nice -n 19 "$bin/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=300 -max_len=16384 \
    "corpus/$t" "seeds/$t" > "logs/$t.log" 2>&1 || true
}

stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
running=0
for t in "${targets[@]}"; do
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

crashed=0
for t in "${targets[@]}"; do
  python3 - "logs/$t.log" "$t" <<'PY'
import re, sys
log, target = sys.argv[1], sys.argv[2]
pts = []
for line in open(log, errors="replace"):
    m = re.match(r"#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)", line)
    if m:
        pts.append(tuple(int(x) for x in m.groups()))
if not pts:
    print(f"{target}: no progress lines in {log}")
    sys.exit(0)
n, cov, ft = pts[-1]
def at(x):
    seen = [p for p in pts if p[0] <= x]
    return seen[-1] if seen else pts[0]
sixth, half = at(n * 5 // 6), at(n // 2)
print(f"{target}: {n} inputs, {cov} edges / {ft} features; last sixth +{cov - sixth[1]} edges "
      f"({100 * (cov - sixth[1]) / cov:.2f} %), last half +{cov - half[1]}")
PY
  # What this run wrote (older files in artifacts/ are earlier runs' findings).
  while IFS= read -r a; do
    start=$EPOCHREALTIME
    rc=0
    ASAN_OPTIONS=detect_leaks=0 "$bin/$t" -timeout=300 -rss_limit_mb=4096 "$a" > /dev/null 2>&1 || rc=$?
    echo "  $(basename "$a"): replayed alone in $(echo "$EPOCHREALTIME - $start" | bc) s, exit $rc"
    [ "$rc" = 0 ] || crashed=1
  done < <(find "artifacts/$t" -type f -newer "$stamp")
done
exit "$crashed"
