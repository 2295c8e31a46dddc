#!/usr/bin/env bash
# A fresh isolate's first request on two revisions, alternated: first-request-profile.ts run in a
# worktree of each (node_modules linked), ROUNDS times, SAMPLES profiles a side each round, printing
# each round's active ms per first request (the profiler's own cost is in it: compare, do not quote
# as row 6 or 8). For judging a change whose effect row 8's spread hides. Set PROFILE_MINIFY=1 to
# profile the bundle as deployed, and judge on that: unminified, the same change can look far larger
# (docs/benchmarks.md, thirteenth pass).
#   bench/proposals/first-request-ab.sh 7197262 HEAD row8:planworst 2 3
#   bench/proposals/first-request-ab.sh HEAD~1 HEAD '/scopes?path=/rest/api/3/issue/ABC-1&method=GET'
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
before="$1"; after="$2"; path="$3"; rounds="${4:-2}"; samples="${5:-3}"
work="$(mktemp -d /tmp/scope-first-ab-XXXXXX)"
cleanup() {
  git -C "$root" worktree remove --force "$work/before" >/dev/null 2>&1 || true
  git -C "$root" worktree remove --force "$work/after" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for side in before after; do
  git -C "$root" worktree add -q --detach "$work/$side" "${!side}"
  ln -s "$root/node_modules" "$work/$side/node_modules"
done
# Both sides profile with this tree's tool (the before side's may predate row8: names) and its bench
# entry (before dcfce83 that entry logged through wrangler dev's console, 4-5 ms more on a 4xx first
# request); each builds the app of its own tree.
for side in before after; do
  cp "$root/bench/proposals/first-request-profile.ts" "$work/$side/bench/proposals/first-request-profile.ts"
  cp "$root/bench/http-worker.ts" "$work/$side/bench/http-worker.ts"
done
export SCOPE_BENCH_SHARED_DOCS="${SCOPE_BENCH_SHARED_DOCS:-$(cd "$root/.." && pwd)/shared/atlassian-docs}"
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    line=$(cd "$work/$side" && npx tsx bench/proposals/first-request-profile.ts "$path" "$samples" 250 2>/dev/null | grep "active per first request")
    echo "round $round $side (${!side}): ${line#*: }"
  done
done
