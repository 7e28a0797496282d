#!/usr/bin/env bash
# Load + inventory and lint of large real specs, beside Redocly CLI, IBM openapi-validator and
# Spectral (OWASP ruleset) measured in the same run. Wall time, CPU time and peak memory by GNU
# time; results in benches/results/.
#
#   benches/lint-and-inventory.sh            # GitHub's REST spec (npm @octokit/openapi), MS Graph, Stripe
#   SPECTRAL_TIMEOUT=900 benches/lint-and-inventory.sh
#   IBM_ALL=1 benches/lint-and-inventory.sh  # IBM openapi-validator on MS Graph too (skipped: 20 MB)
#   SKIP_BUILD=1 CARGO_TARGET_DIR=/elsewhere benches/lint-and-inventory.sh  # an existing build
#   SKIP_IBM=1 benches/lint-and-inventory.sh  # without IBM openapi-validator (minutes per spec)
#
# Needs: cargo, node/npm (peers are installed under benches/.work/), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work
mkdir -p "$work" benches/results
out="benches/results/lint-and-inventory.md"

[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
# cargo builds into $CARGO_TARGET_DIR when it is set
bin=${CARGO_TARGET_DIR:-target}/release/specguard

# GitHub's REST spec from the npm registry; Microsoft Graph from ../shared/specs when present.
if [ ! -f "$work/github.json" ]; then
  (cd "$work" && npm pack --silent @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz \
    && cp package/generated/api.github.com.json github.json && rm -rf package octokit-openapi-*.tgz)
fi
specs=("$work/github.json")
if [ -f ../shared/specs/msgraph-v1.0-3.0.json ]; then specs+=(../shared/specs/msgraph-v1.0-3.0.json); fi
if [ -f ../shared/specs/stripe-3.0.json ]; then specs+=(../shared/specs/stripe-3.0.json); fi

if [ ! -x "$work/node_modules/.bin/redocly" ]; then
  (cd "$work" && npm install --silent --no-audit --no-fund @redocly/cli@2 @stoplight/spectral-cli@6 @stoplight/spectral-owasp-ruleset@2.0.1 >/dev/null)
fi
cat > "$work/redocly.yaml" <<'YAML'
rules:
  security-defined: error
  security-scopes-defined: error
  operation-4xx-response: error
  no-unsafe-markdown: error
  no-empty-servers: error
  no-server-example.com: error
  no-undefined-server-variable: error
YAML
printf 'extends: ["@stoplight/spectral-owasp-ruleset"]\n' > "$work/.spectral.yaml"
IBM_VERSION=1.38.4
if [ ! -x "$work/node_modules/.bin/lint-openapi" ]; then
  (cd "$work" && npm install --silent --no-audit --no-fund "ibm-openapi-validator@$IBM_VERSION" >/dev/null)
fi
# lint-openapi picks up a .spectral.yaml near its working directory (the OWASP one above):
# `-r default` forces its own ruleset.
mkdir -p "$work/ibm"
ibm_timeout=${IBM_TIMEOUT:-900}

# measure LABEL CMD... → "wall_seconds cpu_seconds peak_MiB exit" (CPU = user + system: less
# sensitive than wall time to other load on the machine). Wall time from the shell's
# microsecond clock: GNU time's is in hundredths, a tenth of a 0.1 s run.
measure() {
  local label=$1; shift
  local rc=0 t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%e %U %S %M' -o "$work/mem" "$@" > "$work/$label.out" 2> "$work/$label.err" || rc=$?
  t1=$EPOCHREALTIME
  local e u s m
  read -r e u s m < <(tail -1 "$work/mem")
  printf '%.3f %.2f %d %d' "$(echo "$t1 - $t0" | bc)" "$(echo "$u + $s" | bc)" "$(( ${m:-0} / 1024 ))" "$rc"
}

# median LABEL CMD... → measure's fields for the run with the median wall time of $RUNS runs
# (default 5): one run of a 0.1 s command on a shared machine varies by ±30 %.
RUNS=${RUNS:-5}
median() {
  local label=$1; shift
  local rows=() i
  for ((i = 0; i < RUNS; i++)); do
    rows+=("$(measure "$label" "$@")")
  done
  printf '%s\n' "${rows[@]}" | sort -n -k1,1 | sed -n "$(( (RUNS + 1) / 2 ))p"
}

{
  echo "# Lint and inventory benchmark"
  echo
  echo "Run on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); specguard $(git rev-parse --short HEAD)."
  echo "Command: \`benches/lint-and-inventory.sh\`. Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). specguard and Redocly: the run with the median wall time of $RUNS; the others: one run."
  echo
  echo "| spec | tool | wall (s) | CPU (s) | peak MiB | exit | findings |"
  echo "|---|---|---:|---:|---:|---:|---:|"
} > "$out"

for spec in "${specs[@]}"; do
  name=$(basename "$spec")
  read -r w c m rc <<<"$(median sg-inv "$bin" inventory "$spec" --format json)"
  ops=$(python3 -c "import json,sys;print(json.load(open('$work/sg-inv.out'))['summary']['operations'])" 2>/dev/null || echo "?")
  echo "| $name | specguard inventory | $w | $c | $m | $rc | $ops operations |" >> "$out"
  read -r w c m rc <<<"$(median sg-lint "$bin" lint "$spec" --format json --no-config)"
  n=$(python3 -c "import json;print(len(json.load(open('$work/sg-lint.out'))['findings']))" 2>/dev/null || echo "?")
  echo "| $name | specguard lint (all rules) | $w | $c | $m | $rc | $n |" >> "$out"
  sg_w=$w; sg_c=$c
  # Redocly's --format json is its own shape; count problems from its "totals".
  read -r w c m rc <<<"$(median redocly "$work/node_modules/.bin/redocly" lint "$spec" --config "$work/redocly.yaml" --format json --max-problems 100000)"
  n=$(python3 -c "import json;d=json.load(open('$work/redocly.out'));t=d.get('totals',{});print(t.get('errors',0)+t.get('warnings',0))" 2>/dev/null || echo "?")
  echo "| $name | Redocly CLI (security rules) | $w | $c | $m | $rc | $n |" >> "$out"
  echo "| | *Redocly / specguard: wall $(echo "scale=1; $w / $sg_w" | bc)x, CPU $(echo "scale=1; $c / $sg_c" | bc)x* | | | | | |" >> "$out"
  # IBM openapi-validator, its default (IBM Cloud API) ruleset; findings = errors + warnings +
  # infos + hints of its JSON summary.
  if [ -n "${SKIP_IBM:-}" ]; then
    echo "| $name | IBM openapi-validator $IBM_VERSION | - | - | - | - | not run (SKIP_IBM) |" >> "$out"
  elif [ "$name" = msgraph-v1.0-3.0.json ] && [ -z "${IBM_ALL:-}" ]; then
    echo "| $name | IBM openapi-validator $IBM_VERSION | - | - | - | - | not run (20 MB; IBM_ALL=1 runs it) |" >> "$out"
  else
    read -r w c m rc <<<"$(measure ibm env -C "$work/ibm" timeout "$ibm_timeout" "$PWD/$work/node_modules/.bin/lint-openapi" --json --no-colors --file-only-refs -r default "$(realpath "$spec")")"
    n=$(python3 -c "import json;d=json.load(open('$work/ibm.out'));print(sum(d[k]['summary']['total'] for k in ('error','warning','info','hint')))" 2>/dev/null \
      || echo "no report: $( { grep -m1 'Cause:' "$work/ibm.err" || grep -m1 'ERROR' "$work/ibm.err"; } | sed 's/^\[ERROR\] *//' | cut -c1-100)")
    [ "$rc" = 124 ] && n="(timed out after ${ibm_timeout}s)"
    echo "| $name | IBM openapi-validator $IBM_VERSION (default IBM Cloud ruleset) | $w | $c | $m | $rc | $n |" >> "$out"
    echo "| | *IBM / specguard: wall $(echo "scale=1; $w / $sg_w" | bc)x, CPU $(echo "scale=1; $c / $sg_c" | bc)x* | | | | | |" >> "$out"
  fi
  if [ "${SPECTRAL_TIMEOUT:-0}" != "0" ]; then
    read -r w c m rc <<<"$(measure spectral timeout "$SPECTRAL_TIMEOUT" "$work/node_modules/.bin/spectral" lint "$spec" --ruleset "$work/.spectral.yaml" --format json --quiet)"
    echo "| $name | Spectral + OWASP ruleset | $w | $c | $m | $rc | (exit 124 = timed out after ${SPECTRAL_TIMEOUT}s) |" >> "$out"
  fi
done
cat "$out"
