#!/usr/bin/env bash
# Every output format of `specguard lint` (and of `inventory`) on large real specs: wall time,
# CPU time and peak memory of one run each (GNU time), with the output's size. A format whose
# cost grows with findings x file size shows up here: until 7e18ac9, `--format full` did not end
# on MS Graph's minified spec and `--format sarif` took 6 s on GitHub's.
#
#   benches/formats.sh                 # GitHub's REST spec (npm @octokit/openapi), MS Graph, Stripe
#   SKIP_BUILD=1 benches/formats.sh    # an existing release build
#   TIMEOUT=60 benches/formats.sh      # give up on a run after 60 s (default 300)
#
# Needs: cargo, npm (GitHub's spec is fetched once), /usr/bin/time. MS Graph and Stripe are read
# from ../shared/specs when present. Results: benches/results/formats.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work
mkdir -p "$work" benches/results
out=benches/results/formats.md
timeout_s=${TIMEOUT:-300}

[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
bin=${CARGO_TARGET_DIR:-target}/release/specguard

specs=("$(benches/github-spec.sh)")
for s in ../shared/specs/msgraph-v1.0-3.0.json ../shared/specs/stripe-3.0.json; do
  [ -f "$s" ] && specs+=("$s")
done

# measure LABEL CMD... → "wall cpu peak_MiB exit bytes"
measure() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/$label.time" timeout "$timeout_s" "$@" \
    > "$work/$label.out" 2> /dev/null || rc=$?
  local e u s m
  read -r e u s m < <(tail -1 "$work/$label.time")
  printf '%.2f %.2f %d %d %d' "$e" "$(echo "$u + $s" | bc)" "$((m / 1024))" "$rc" \
    "$(wc -c < "$work/$label.out")"
  rm -f "$work/$label.out" "$work/$label.time"
}

{
  echo "# Output formats on large specs"
  echo
  echo "Run on $(date -u +%F), $(nproc) cores; specguard $(git rev-parse --short HEAD)."
  echo "Command: \`benches/formats.sh\` (one run per row; exit 1 = findings, 124 = gave up after ${timeout_s} s)."
  echo
  echo "| spec | command | wall (s) | CPU (s) | peak MiB | exit | output bytes |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  for spec in "${specs[@]}"; do
    name=$(basename "$spec" .json)
    for format in full concise json sarif github junit; do
      read -r w c m rc b <<<"$(measure "fmt-$name-$format" "$bin" lint "$spec" --no-config --format "$format")"
      echo "| $name | \`lint --format $format\` | $w | $c | $m | $rc | $b |"
    done
    for format in table json csv markdown; do
      read -r w c m rc b <<<"$(measure "inv-$name-$format" "$bin" inventory "$spec" --format "$format")"
      echo "| $name | \`inventory --format $format\` | $w | $c | $m | $rc | $b |"
    done
  done
} > "$out"
cat "$out"
