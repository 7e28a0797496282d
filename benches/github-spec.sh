#!/usr/bin/env bash
# Fetch GitHub's REST spec (npm @octokit/openapi, generated/api.github.com.json) into
# benches/.work/github.json once, and print its path. Used by the benchmark scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
work=benches/.work
mkdir -p "$work"
if [ ! -f "$work/github.json" ]; then
  (cd "$work" && npm pack --silent @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz \
    && cp package/generated/api.github.com.json github.json && rm -rf package octokit-openapi-*.tgz)
fi
echo "$work/github.json"
