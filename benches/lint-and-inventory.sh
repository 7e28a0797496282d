#!/usr/bin/env bash
# Load + inventory and lint of large real specs, beside Redocly CLI and Spectral (OWASP ruleset)
# measured in the same run. Wall time and peak memory by GNU time; results in benches/results/.
#
#   benches/lint-and-inventory.sh            # GitHub's REST spec (npm @octokit/openapi) and MS Graph
#   SPECTRAL_TIMEOUT=900 benches/lint-and-inventory.sh
#
# Needs: cargo, node/npm (peers are installed under benches/.work/), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work
mkdir -p "$work" benches/results
out="benches/results/lint-and-inventory.md"

[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
bin=target/release/specguard

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

# measure LABEL CMD... → "seconds peak_MiB exit"
measure() {
  local label=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/mem" "$@" > "$work/$label.out" 2> "$work/$label.err" || rc=$?
  t1=$(date +%s.%N)
  local mem; mem=$(tail -1 "$work/mem" | tr -dc '0-9')
  printf '%.2f %d %d' "$(echo "$t1 - $t0" | bc)" "$(( ${mem:-0} / 1024 ))" "$rc"
}

{
  echo "# Lint and inventory benchmark"
  echo
  echo "Run on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); specguard $(git rev-parse --short HEAD)."
  echo "Command: \`benches/lint-and-inventory.sh\`. Wall time (s) / peak RSS (MiB) / exit code."
  echo
  echo "| spec | tool | time (s) | peak MiB | exit | findings |"
  echo "|---|---|---:|---:|---:|---:|"
} > "$out"

for spec in "${specs[@]}"; do
  name=$(basename "$spec")
  read -r s m rc <<<"$(measure sg-inv "$bin" inventory "$spec" --format json)"
  ops=$(python3 -c "import json,sys;print(json.load(open('$work/sg-inv.out'))['summary']['operations'])" 2>/dev/null || echo "?")
  echo "| $name | specguard inventory | $s | $m | $rc | $ops operations |" >> "$out"
  read -r s m rc <<<"$(measure sg-lint "$bin" lint "$spec" --format json --no-config)"
  n=$(python3 -c "import json;print(len(json.load(open('$work/sg-lint.out'))['findings']))" 2>/dev/null || echo "?")
  echo "| $name | specguard lint (all rules) | $s | $m | $rc | $n |" >> "$out"
  sg_lint=$s
  read -r s m rc <<<"$(measure redocly "$work/node_modules/.bin/redocly" lint "$spec" --config "$work/redocly.yaml" --format json)"
  n=$(python3 -c "import json;print(len(json.load(open('$work/redocly.out')).get('problems',[])))" 2>/dev/null || echo "?")
  echo "| $name | Redocly CLI (security rules) | $s | $m | $rc | $n |" >> "$out"
  ratio=$(echo "scale=1; $s / $sg_lint" | bc)
  echo "| | *specguard lint is ${ratio}x faster than Redocly* | | | | |" >> "$out"
  if [ "${SPECTRAL_TIMEOUT:-0}" != "0" ]; then
    read -r s m rc <<<"$(measure spectral timeout "$SPECTRAL_TIMEOUT" "$work/node_modules/.bin/spectral" lint "$spec" --ruleset "$work/.spectral.yaml" --format json --quiet)"
    echo "| $name | Spectral + OWASP ruleset | $s | $m | $rc | (exit 124 = timed out) |" >> "$out"
  fi
done
cat "$out"
