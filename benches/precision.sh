#!/usr/bin/env bash
# Findings per rule per real spec (../shared/specs), to judge each rule's precision.
# Writes benches/results/precision.md. Usage: benches/precision.sh [SPEC...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
bin=$PWD/target/release/specguard
mkdir -p benches/.work/precision benches/results
if [ $# -gt 0 ]; then specs=("$@"); else
  specs=()
  for f in ../shared/specs/github-api.github.com-3.0.json ../shared/specs/stripe-3.0.json \
           ../shared/specs/public/digitalocean/specification/DigitalOcean-public.v2.yaml \
           ../shared/specs/public/openai/openapi.yaml ../shared/specs/kubernetes-3.0.json \
           ../shared/specs/public/oxide/nexus.json ../shared/specs/train-travel-3.1.json \
           ../shared/specs/petstore-secure.yaml ../shared/specs/vulnerable/crapi/crapi-openapi-spec.json \
           ../shared/specs/vulnerable/vampi/openapi3.yml ../shared/specs/vulnerable/juice-shop/swagger.yml \
           examples/specs/secure-petstore.yaml examples/specs/vulnerable-shop.yaml; do
    [ -f "$f" ] && specs+=("$f")
  done
fi
i=0
for s in "${specs[@]}"; do
  "$bin" lint "$s" --format json --no-config --fail-on never > "benches/.work/precision/$i.json" 2>/dev/null || true
  i=$((i+1))
done
python3 - "${specs[@]}" > benches/results/precision.md <<'PY'
import json, sys, collections, subprocess
specs = sys.argv[1:]
counts = {}
ops = {}
for i, s in enumerate(specs):
    d = json.load(open(f"benches/.work/precision/{i}.json"))
    c = collections.Counter(f["rule"] for f in d["findings"])
    counts[s] = c
rules = json.loads(subprocess.run(["target/release/specguard", "rules", "--format", "json"], capture_output=True, text=True).stdout)["rules"]
short = [s.split("/")[-1].replace(".json", "").replace(".yaml", "").replace(".yml", "")[:18] for s in specs]
print("# Findings per rule per spec\n")
print("Command: `benches/precision.sh` (every rule, default severities, no configuration). Specs:",
      ", ".join(f"`{s}`" for s in specs), "\n")
print("| rule | sev | " + " | ".join(short) + " |")
print("|---|---|" + "---:|" * len(specs))
for r in rules:
    row = [str(counts[s].get(r["name"], 0) or "") for s in specs]
    print(f"| {r['name']} | {r['severity']} | " + " | ".join(row) + " |")
tot = []
for s in specs:
    d = json.load(open(f"benches/.work/precision/{specs.index(s)}.json"))["summary"]
    tot.append(f"{d['errors']}/{d['warnings']}/{d['info']}")
print("| **errors/warnings/info** | | " + " | ".join(tot) + " |")
PY
cat benches/results/precision.md | tail -5
