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
#   SPECS="path/a.json path/b.json" RUNS=1 benches/lint-and-inventory.sh   # other documents
#   OUT=benches/results/other.md benches/lint-and-inventory.sh   # results elsewhere
#
# Needs: cargo, node/npm (peers are installed under benches/.work/), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work
mkdir -p "$work" benches/results
out=${OUT:-benches/results/lint-and-inventory.md}

[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
# cargo builds into $CARGO_TARGET_DIR when it is set
bin=${CARGO_TARGET_DIR:-target}/release/specguard

# GitHub's REST spec from the npm registry; Microsoft Graph from ../shared/specs when present.
specs=("$(benches/github-spec.sh)")
if [ -f ../shared/specs/msgraph-v1.0-3.0.json ]; then specs+=(../shared/specs/msgraph-v1.0-3.0.json); fi
if [ -f ../shared/specs/stripe-3.0.json ]; then specs+=(../shared/specs/stripe-3.0.json); fi
# SPECS="a.json b.json" measures those instead.
if [ -n "${SPECS:-}" ]; then read -r -a specs <<<"$SPECS"; fi

IBM_VERSION=1.38.4
# One install for all peers: a later `npm install X` in this directory removes what an earlier
# one added outside package.json (until 2026-12-04 the IBM install dropped the OWASP ruleset,
# and every Spectral run then failed to load its ruleset instead of linting).
peers=(@redocly/cli@2 @stoplight/spectral-cli@6 @stoplight/spectral-owasp-ruleset@2.0.1 "ibm-openapi-validator@$IBM_VERSION")
if [ ! -x "$work/node_modules/.bin/redocly" ] || [ ! -x "$work/node_modules/.bin/spectral" ] \
  || [ ! -x "$work/node_modules/.bin/lint-openapi" ] \
  || [ ! -f "$work/node_modules/@stoplight/spectral-owasp-ruleset/package.json" ]; then
  (cd "$work" && npm install --silent --no-audit --no-fund "${peers[@]}" >/dev/null)
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
# The rule that stops Spectral on GitHub's spec (its JSONPath filter throws `func is not a
# function`) turned off, so the other OWASP rules can be measured there.
printf 'extends: ["@stoplight/spectral-owasp-ruleset"]\nrules:\n  owasp:api1:2023-no-numeric-ids: off\n' \
  > "$work/.spectral-no-numeric-ids.yaml"
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

# count TOOL LABEL SPEC → "findings | duplicates" from LABEL's JSON report (benches/findings.py:
# a duplicate is the same rule and message on the same source node as an earlier finding).
count() {
  local r
  if r=$(python3 benches/findings.py "$1" "$work/$2.out" "$3" 2>/dev/null); then
    set -- $r
    echo "$1 | $2"
  else
    echo "? | ?"
  fi
}
ratio() { echo "$(echo "scale=1; $1 / $3" | bc)x, CPU $(echo "scale=1; $2 / $4" | bc)x"; }

{
  echo "# Lint and inventory benchmark"
  echo
  echo "Run on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); specguard $(git rev-parse --short HEAD)."
  echo "Command: \`benches/lint-and-inventory.sh\`. Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). specguard and Redocly: the run with the median wall time of $RUNS; the others: one run."
  echo "Duplicates: findings of the same rule, with the same message, on the same node of the source as an earlier one (benches/findings.py)."
  echo
  echo "| spec | tool | wall (s) | CPU (s) | peak MiB | exit | findings | duplicates |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
} > "$out"

for spec in "${specs[@]}"; do
  name=$(basename "$spec")
  read -r w c m rc <<<"$(median sg-inv "$bin" inventory "$spec" --format json)"
  ops=$(python3 -c "import json,sys;print(json.load(open('$work/sg-inv.out'))['summary']['operations'])" 2>/dev/null || echo "?")
  echo "| $name | specguard inventory | $w | $c | $m | $rc | $ops operations | |" >> "$out"
  read -r w c m rc <<<"$(median sg-lint "$bin" lint "$spec" --format json --no-config)"
  echo "| $name | specguard lint (all rules) | $w | $c | $m | $rc | $(count specguard sg-lint "$spec") |" >> "$out"
  sg_w=$w; sg_c=$c
  read -r w c m rc <<<"$(median redocly "$work/node_modules/.bin/redocly" lint "$spec" --config "$work/redocly.yaml" --format json --max-problems 100000)"
  echo "| $name | Redocly CLI (security rules) | $w | $c | $m | $rc | $(count redocly redocly "$spec") |" >> "$out"
  echo "| | *Redocly / specguard: wall $(ratio "$w" "$c" "$sg_w" "$sg_c")* | | | | | | |" >> "$out"
  # IBM openapi-validator, its default (IBM Cloud API) ruleset: errors, warnings, infos, hints.
  if [ -n "${SKIP_IBM:-}" ]; then
    echo "| $name | IBM openapi-validator $IBM_VERSION | - | - | - | - | not run (SKIP_IBM) | |" >> "$out"
  elif [ "$name" = msgraph-v1.0-3.0.json ] && [ -z "${IBM_ALL:-}" ]; then
    echo "| $name | IBM openapi-validator $IBM_VERSION | - | - | - | - | not run (20 MB; IBM_ALL=1 runs it) | |" >> "$out"
  else
    read -r w c m rc <<<"$(measure ibm env -C "$work/ibm" timeout "$ibm_timeout" "$PWD/$work/node_modules/.bin/lint-openapi" --json --no-colors --file-only-refs -r default "$(realpath "$spec")")"
    n=$(count ibm ibm "$spec")
    if [ "$n" = "? | ?" ]; then
      n="no report: $( { grep -m1 'Cause:' "$work/ibm.err" || grep -m1 'ERROR' "$work/ibm.err"; } | sed 's/^\[ERROR\] *//' | cut -c1-100) |"
    fi
    [ "$rc" = 124 ] && n="(timed out after ${ibm_timeout}s) |"
    echo "| $name | IBM openapi-validator $IBM_VERSION (default IBM Cloud ruleset) | $w | $c | $m | $rc | $n |" >> "$out"
    echo "| | *IBM / specguard: wall $(ratio "$w" "$c" "$sg_w" "$sg_c")* | | | | | | |" >> "$out"
  fi
  # Spectral with the OWASP ruleset; where it stops with an error, again without the rule
  # that throws (see .spectral-no-numeric-ids.yaml above).
  if [ "${SPECTRAL_TIMEOUT:-0}" != "0" ]; then
    for ruleset in .spectral.yaml .spectral-no-numeric-ids.yaml; do
      label="Spectral + OWASP ruleset"
      [ "$ruleset" = .spectral.yaml ] || label="$label without owasp:api1:2023-no-numeric-ids"
      read -r w c m rc <<<"$(measure spectral timeout "$SPECTRAL_TIMEOUT" "$work/node_modules/.bin/spectral" lint "$spec" --ruleset "$work/$ruleset" --format json --quiet)"
      case $rc in
        124) n="(timed out after ${SPECTRAL_TIMEOUT}s) |" ;;
        0 | 1) n=$(count spectral spectral "$spec") ;;
        *) n="stops: $(grep -m1 '^Error #1' "$work/spectral.err" | cut -c1-110 | sed 's/|/\\|/g') |" ;;
      esac
      echo "| $name | $label | $w | $c | $m | $rc | $n |" >> "$out"
      case $rc in 0 | 1) echo "| | *Spectral / specguard: wall $(ratio "$w" "$c" "$sg_w" "$sg_c")* | | | | | | |" >> "$out" ;; esac
      case $rc in 0 | 1 | 124) break ;; esac
    done
  fi
done
cat "$out"
