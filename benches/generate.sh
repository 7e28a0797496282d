#!/usr/bin/env bash
# Server generation at GitHub scale: `specguard generate` beside openapi-generator's rust-axum
# and openapi-to-rust, measured in the same run on GitHub's REST API (npm @octokit/openapi) and
# the secure petstore (examples/specs/secure-petstore.yaml). Wall time, CPU time (user + system)
# and peak RSS by GNU time (for cargo, the largest rustc). Then `cargo check` of each generated
# crate (does it build, how long, how much memory), and `cargo clippy -- -D warnings` of the
# crate specguard generated from GitHub's spec. Results and commands: benches/results/generate.md.
#
#   benches/generate.sh                    # everything (about an hour on 2 cores)
#   BUILD_TIMEOUT=600 benches/generate.sh  # give up on a peer's `cargo check` after 600 s
#   SKIP_CLIPPY=1 benches/generate.sh      # no clippy run on the GitHub crate
#   SKIP_OTR=1 benches/generate.sh         # without openapi-to-rust (its install takes a while)
#   SKIP_OAG=1 benches/generate.sh         # without openapi-generator (its GitHub run takes 5 GB)
#
# Needs: cargo, npm, python3 (venv), Java 17 (openapi-generator), /usr/bin/time, bc. Peers and
# the spec are installed under benches/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/benches/.work
gen=$work/gen
mkdir -p "$work" "$gen" benches/results
out=benches/results/generate.md
build_timeout=${BUILD_TIMEOUT:-1800}

OAG_VERSION=7.26.0          # openapi-generator-cli on PyPI (bundles the jar)
OTR_VERSION=${OTR_VERSION:-} # openapi-to-rust on crates.io (empty: newest)

[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked -q -p specguard-cli
# cargo builds into $CARGO_TARGET_DIR when it is set
bin=${CARGO_TARGET_DIR:-$root/target}/release/specguard

# GitHub's REST API, as published on the npm registry.
github=$work/package/generated/api.github.com.json
if [ ! -f "$github" ]; then
  (cd "$work" && npm pack --silent @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz)
fi
petstore=$root/examples/specs/secure-petstore.yaml

# Peers.
if [ -z "${SKIP_OAG:-}" ] && [ ! -x "$work/venv/bin/openapi-generator-cli" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check "openapi-generator-cli==$OAG_VERSION"
fi
oag=$work/venv/bin/openapi-generator-cli
if [ -z "${SKIP_OTR:-}" ] && [ ! -x "$work/cargo/bin/openapi-to-rust" ]; then
  cargo install --quiet openapi-to-rust ${OTR_VERSION:+--version "$OTR_VERSION"} --root "$work/cargo"
fi
otr=$work/cargo/bin/openapi-to-rust

# measure LABEL CMD... → "wall_seconds cpu_seconds peak_MiB exit" (CPU = user + system of the
# command and the children it waited for: steadier than wall time on a shared machine); output
# in $work/LABEL.out/.err
measure() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/$label.mem" "$@" > "$work/$label.out" 2> "$work/$label.err" || rc=$?
  local e u sy mem
  read -r e u sy mem < <(tail -1 "$work/$label.mem")
  printf '%.2f %.2f %d %d' "${e:-0}" "$(echo "${u:-0} + ${sy:-0}" | bc)" "$(( ${mem:-0} / 1024 ))" "$rc"
}

# A generated crate outside the workspace: its own [workspace], the workspace's lock file.
standalone() {
  local dir=$1
  grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >> "$dir/Cargo.toml"
  [ -f "$dir/Cargo.lock" ] || cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

# check LABEL DIR → "seconds peak_MiB exit" of `cargo check` (deps already built for specguard).
# The crate itself is cleaned first: incremental artifacts of an earlier run would make a
# re-check of an identical module look several times faster.
check() {
  local label=$1 dir=$2
  standalone "$dir"
  local pkg
  pkg=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -n1)
  CARGO_TARGET_DIR="$work/target-$label" cargo clean --quiet -p "$pkg" --manifest-path "$dir/Cargo.toml" 2>/dev/null || true
  measure "$label" env CARGO_TARGET_DIR="$work/target-$label" timeout "$build_timeout" \
    cargo check --quiet --manifest-path "$dir/Cargo.toml"
}

# openapi-to-rust is configured by a TOML file; `[server]` (Axum) takes the operations to
# host: every "METHOD /path" of the spec. No client (`enable_async_client = false`). This writes
# the configuration; the measured command is `openapi-to-rust generate --config` in $dir.
otr_config() {
  local spec=$1 dir=$2 name=$3
  rm -rf "$dir"; mkdir -p "$dir/src"
  local ops
  ops=$(python3 - "$spec" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    d = json.loads(text)
except ValueError:
    import re
    # YAML petstore: "  /path:" lines followed by "    get:" lines
    d = {"paths": {}}
    path = None
    for line in text.splitlines():
        m = re.match(r"^  (/\S*):\s*$", line)
        if m:
            path = m.group(1); d["paths"][path] = {}; continue
        m = re.match(r"^    (get|put|post|delete|patch|head|options|trace):\s*$", line)
        if m and path:
            d["paths"][path][m.group(1)] = {}
print(", ".join('"%s %s"' % (m.upper(), p) for p, item in d["paths"].items()
                for m in item if m in ("get","put","post","delete","patch","head","options","trace")))
PY
)
  cat > "$dir/openapi-to-rust.toml" <<TOML
[generator]
spec_path = "$spec"
output_dir = "$dir/src/gen"
module_name = "$name"

[features]
enable_async_client = false

[server]
framework = "axum"
operations = [$ops]

[server.validation]
enabled = true
TOML
}

# Write what has been measured so far (called after generation and again at the end, so an
# interrupted run still leaves its figures).
builds=()
clippy_line="not run yet"
write_results() {
  ops=$(python3 -c "import json;d=json.load(open('$github'));print(sum(1 for p in d['paths'].values() for m in p if m in ('get','put','post','delete','patch','head','options','trace')))")
  {
    echo "# Server generation benchmark"
    echo
    echo "Run on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); specguard $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- generator runtime cli || echo ' + uncommitted changes')."
    echo "Command: \`benches/generate.sh\`. GitHub: \`@octokit/openapi@23.0.2\` \`generated/api.github.com.json\` ($ops operations, $(du -h "$github" | cut -f1)); petstore: \`examples/specs/secure-petstore.yaml\`."
    echo "Targets for specguard on GitHub's spec: generation under 1 s and 300 MiB; \`cargo check\` under 3 min and 3 GiB."
    echo
    echo "## Generation (wall time, peak RSS)"
    echo
    echo "| spec | tool | wall (s) | CPU (s) | peak MiB | exit | output |"
    echo "|---|---|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Commands (\`\$spec\` is either file, \`\$out\` a fresh directory):"
    echo
    echo '```sh'
    echo "target/release/specguard generate \$spec -o \$out --allow-unauthenticated --force --runtime-path runtime"
    echo "openapi-generator-cli generate -g rust-axum -i \$spec -o \$out --skip-validate-spec   # pip install openapi-generator-cli==$OAG_VERSION (Java 17)"
    echo "openapi-to-rust generate --config openapi-to-rust.toml   # spec_path, output_dir, module_name; cargo install openapi-to-rust"
    echo '```'
    echo
    echo "## Does the generated code build? (\`cargo check\`, dependencies prebuilt)"
    echo
    echo "| spec | crate | wall (s) | CPU (s) | peak MiB | result |"
    echo "|---|---|---:|---:|---:|---|"
    printf '%s\n' "${builds[@]}"
    echo
    echo "\`cargo clippy -- -D warnings\` on specguard's GitHub crate: $clippy_line."
    echo
    echo "Each crate is checked outside the workspace (an empty \`[workspace]\` table is appended to its"
    echo "Cargo.toml) with \`CARGO_TARGET_DIR=benches/.work/target-<tool>-check cargo check\`; the"
    echo "dependencies are built first by checking the petstore crate in the same target directory."
    echo "openapi-to-rust writes modules, not a crate: the script wraps them in a library crate with"
    echo "the dependencies it lists in its REQUIRED_DEPS.toml. When it refuses a spec (it stops at the first"
    echo "operation it cannot generate), the script drops that operation from \`[server].operations\` and"
    echo "retries (\`benches/otr/drop-refused.py\`); the operations dropped are listed in"
    echo "\`benches/.work/otr-<spec>-dropped.txt\`."
  } > "$out.tmp"
  # Keep the hand-written sections (from "## What each tool enforces" on) of an earlier run.
  if [ -f "$out" ] && grep -q '^## What each tool enforces' "$out"; then
    echo >> "$out.tmp"
    sed -n '/^## What each tool enforces/,$p' "$out" >> "$out.tmp"
  fi
  mv "$out.tmp" "$out"
}

rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"); }

for spec in "$github" "$petstore"; do
  case $spec in *github*) name=github ;; *) name=petstore ;; esac

  # specguard (release build): the generated module, the scaffold, and cargo check of it.
  d=$gen/specguard-$name; rm -rf "$d"
  read -r s c m rc <<<"$(measure sg-$name "$bin" generate "$spec" -o "$d" --allow-unauthenticated --force --runtime-path "$root/runtime" --crate-name "sg-$name")"
  lines=$( [ -f "$d/src/api.rs" ] && wc -l < "$d/src/api.rs" || echo 0)
  row "$name" "specguard generate --allow-unauthenticated" "$s" "$c" "$m" "$rc" "$lines lines (src/api.rs)"
  sg_s=$s

  # openapi-generator rust-axum.
  d=$gen/oag-$name; rm -rf "$d"
  if [ -n "${SKIP_OAG:-}" ]; then
    row "$name" "openapi-generator $OAG_VERSION rust-axum" - - - - "not run (SKIP_OAG)"
  else
    read -r s c m rc <<<"$(measure oag-$name "$oag" generate -g rust-axum -i "$spec" -o "$d" --skip-validate-spec --additional-properties=packageName=oag_$name)"
    lines=$(find "$d" -name '*.rs' -print0 2>/dev/null | xargs -0 cat 2>/dev/null | wc -l)
    row "$name" "openapi-generator $OAG_VERSION rust-axum" "$s" "$c" "$m" "$rc" "$lines lines (*.rs)"
    ratio=$(echo "scale=1; $s / $sg_s" | bc)
    rows+=("| | *specguard generates ${ratio}x faster than openapi-generator (wall)* | | | | | |")
  fi

  # openapi-to-rust.
  [ -z "${SKIP_OTR:-}" ] || { row "$name" "openapi-to-rust" - - - - "not run (SKIP_OTR)"; continue; }
  d=$gen/otr-$name
  otr_config "$spec" "$d" "otr_$name"
  read -r s c m rc <<<"$(measure otr-$name env -C "$d" "$otr" generate --config openapi-to-rust.toml)"
  lines=$(find "$d/src" -name '*.rs' -print0 2>/dev/null | xargs -0 cat 2>/dev/null | wc -l)
  otr_version=$("$otr" --version 2>/dev/null | awk '{print $2}')
  if [ "$rc" = 0 ]; then
    row "$name" "openapi-to-rust $otr_version" "$s" "$c" "$m" "$rc" "$lines lines (*.rs)"
  else
    why=$(grep -m1 -oE 'Code generation failed: .*' "$work/otr-$name.err" | cut -c1-160 | sed 's/|/\\|/g')
    row "$name" "openapi-to-rust $otr_version" "$s" "$c" "$m" "$rc" "refused: $why"
    # It stops at the first operation it cannot generate: drop that one and retry (each
    # retry is one more full run), then measure the run that succeeds.
    dropped=()
    for _ in $(seq 1 40); do
      rm -rf "$d/src/gen"
      (cd "$d" && "$otr" generate --config openapi-to-rust.toml) > "$work/otr-retry.out" 2> "$work/otr-retry.err" && break
      mapfile -t more < <(python3 benches/otr/drop-refused.py "$d/openapi-to-rust.toml" "$spec" "$work/otr-retry.err" || true)
      [ "${#more[@]}" -gt 0 ] || break
      dropped+=("${more[@]}")
    done
    printf '%s\n' "${dropped[@]}" > "$work/otr-$name-dropped.txt"
    rm -rf "$d/src/gen"
    read -r s c m rc <<<"$(measure otr-$name env -C "$d" "$otr" generate --config openapi-to-rust.toml)"
    lines=$(find "$d/src" -name '*.rs' -print0 2>/dev/null | xargs -0 cat 2>/dev/null | wc -l)
    row "$name" "openapi-to-rust $otr_version without the ${#dropped[@]} operations it refuses" "$s" "$c" "$m" "$rc" "$lines lines (*.rs)"
  fi
  ratio=$(echo "scale=1; $s / $sg_s" | bc)
  rows+=("| | *openapi-to-rust / specguard: ${ratio}x the wall time* | | | | | |")
done

write_results

# Build checks. specguard's crates depend on the runtime and tokio: build those once first (a
# petstore check), so that the GitHub figure is the generated crate's own cost.
brow() { builds+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
warm() { # the first check of a target dir builds the dependencies: not what is measured
  local label=$1 dir=$2
  standalone "$dir"
  CARGO_TARGET_DIR="$work/target-$label" cargo check --quiet --manifest-path "$dir/Cargo.toml" >/dev/null 2>&1 || true
}
for name in petstore github; do
  d=$gen/specguard-$name
  [ -f "$d/src/api.rs" ] || { brow "$name" "specguard" "-" "-" "-" "not generated"; continue; }
  warm sg-check "$gen/specguard-petstore"
  read -r s c m rc <<<"$(check sg-check "$d")"
  brow "$name" "specguard (cargo check)" "$s" "$c" "$m" "$( [ "$rc" = 0 ] && echo builds || echo "fails (exit $rc)")"
done
for name in petstore github; do
  for tool in ${SKIP_OAG:+skip}oag ${SKIP_OTR:+skip}otr; do
    case $tool in skip*) continue ;; esac
    d=$gen/$tool-$name
    label="$tool-check-$name"
    if [ "$tool" = otr ]; then
      # openapi-to-rust writes modules, not a crate: wrap them in one.
      [ -d "$d/src" ] || { brow "$name" "openapi-to-rust" "-" "-" "-" "not generated"; continue; }
      if [ ! -f "$d/Cargo.toml" ]; then
        # The dependencies are the ones openapi-to-rust writes for its output (REQUIRED_DEPS.toml).
        deps=$(find "$d" -name REQUIRED_DEPS.toml | head -n1)
        { printf '[package]\nname = "otr-%s"\nversion = "0.1.0"\nedition = "2024"\n[lib]\npath = "src/gen/mod.rs"\n' "$name"
          if [ -n "$deps" ]; then grep -v '^#' "$deps"; fi
        } > "$d/Cargo.toml"
        rm -f "$d/Cargo.lock"
      fi
      pretty="openapi-to-rust"
    else
      [ -f "$d/Cargo.toml" ] || { brow "$name" "openapi-generator rust-axum" "-" "-" "-" "not generated"; continue; }
      pretty="openapi-generator rust-axum"
      rm -f "$d/Cargo.lock"
    fi
    warm "$tool-check" "$gen/$tool-petstore"  # dependencies built, so every row is the crate alone
    read -r s c m rc <<<"$(check "$tool-check" "$d")"
    case $rc in 0) v=builds ;; 124) v="gave up after ${build_timeout} s" ;; *) v="fails (exit $rc): $(grep -m1 -E '^error' "$work/$tool-check.err" | cut -c1-100)" ;; esac
    brow "$name" "$pretty (cargo check)" "$s" "$c" "$m" "$v"
  done
done
clippy_line="not run (SKIP_CLIPPY)"
write_results
if [ -z "${SKIP_CLIPPY:-}" ] && [ -f "$gen/specguard-github/src/api.rs" ]; then
  read -r s c m rc <<<"$(measure sg-clippy env CARGO_TARGET_DIR="$work/target-sg-check" cargo clippy --quiet --manifest-path "$gen/specguard-github/Cargo.toml" -- -D warnings)"
  clippy_line="$s s wall, $c s CPU, $m MiB peak, $( [ "$rc" = 0 ] && echo "passes" || echo "fails (exit $rc): $(grep -m1 -E '^(error|warning)' "$work/sg-clippy.err" | cut -c1-120)")"
fi

write_results
cat "$out"
