#!/usr/bin/env bash
# Measure a proposed patch without touching the working tree: two copies of the project (tracked
# and untracked files, node_modules linked), the patch applied to the second, then the chosen rows
# run alternately in each copy, REPEATS times, each run with its peers in the same process.
#   bench/proposals/compare.sh /tmp/change.patch 1 3           (PATCH is relative to the root, or absolute)
#   bench/proposals/compare.sh "a.patch b.patch" 1,4 3      (several patches, applied in order)
# Prints, per row, the ratio to its peer (or the time) of every run before and after, and the medians.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
patches="$1"; rows="${2:-1}"; repeats="${3:-3}"; base_patches="${BASE_PATCHES:-}"
work="$(mktemp -d /tmp/scope-compare-XXXXXX)"
trap 'rm -rf "$work"' EXIT
# A patch path is taken as given when absolute, else relative to the project root.
path_of() { case "$1" in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
for side in before after; do
  mkdir -p "$work/$side"
  (cd "$root" && git ls-files -co --exclude-standard -z | grep -zv '^docs/benchmarks.md$' | xargs -0 cp --parents -t "$work/$side")
  ln -s "$root/node_modules" "$work/$side/node_modules"
  for patch in $base_patches; do (cd "$work/$side" && git apply "$(path_of "$patch")"); done
done
for patch in $patches; do (cd "$work/after" && git apply "$(path_of "$patch")"); done
export SCOPE_BENCH_SHARED_DOCS="${SCOPE_BENCH_SHARED_DOCS:-$(cd "$root/.." && pwd)/shared/atlassian-docs}"
for i in $(seq 1 "$repeats"); do
  for side in before after; do
    echo "run $i: $side" >&2
    (cd "$work/$side" && npx tsx bench/run.ts --only "$rows" --no-write --json "$work/$side-$i.json" > "$work/$side-$i.log" 2>&1) || { cat "$work/$side-$i.log" >&2; exit 1; }
  done
done
node "$root/bench/proposals/summarize.mjs" "$work" "$repeats"
