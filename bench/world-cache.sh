#!/usr/bin/env bash
# Exact mode on the default trace with the cache of built worlds (simulator/replay/world-cache.ts) found, off, and
# missed (a new cache folder each time, so the run builds its world and writes the file), alternated in one window:
# `bench/world-cache.sh [DIR] [RUNS]`, DIR a checkout with dist/ built and the default trace in traces/ (default: this
# one). Prints per run: which case, total wall (the CLI as a user runs it), the CPU of the CLI and its embedded child
# together (user + sys), the replay's own wall (report.json run.wallDurationMs), the sum of the events' `computeMs`
# (events.jsonl), the digest and the load average. Wrap it in `flock /tmp/sheetsim-heavy.lock`.
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/.." && pwd)}; runs=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
found="$out/found"
(cd "$dir" && SHEETSIM_CACHE_DIR="$found" node bin/sheetsim.js run --mode exact --out "$out/prime" --no-gates >/dev/null)
for i in $(seq 1 "$runs"); do
  for case in found off missed; do
    case $case in
      found) cache=$found ;;
      off) cache=off ;;
      missed) cache="$out/missed-$i" ;;
    esac
    rm -rf "$out/r"
    start=$(date +%s%N)
    digest=$(cd "$dir" && SHEETSIM_CACHE_DIR="$cache" /usr/bin/time -f '%U %S' -o "$out/cpu" node bin/sheetsim.js run --mode exact --out "$out/r" --no-gates | sed -n 's/^digest: //p')
    end=$(date +%s%N)
    cpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$out/cpu")
    read -r replay compute < <(node -e '
      const fs = require("node:fs");
      const dir = process.argv[1];
      const events = fs.readFileSync(`${dir}/events.jsonl`, "utf8").trim().split("\n");
      const compute = events.reduce((sum, line) => sum + JSON.parse(line).computeMs, 0);
      console.log(JSON.parse(fs.readFileSync(`${dir}/report.json`, "utf8")).run.wallDurationMs, Math.round(compute));
    ' "$out/r")
    printf '%s\trun %d\ttotal %d ms\tcpu %s ms\treplay %s ms\tcompute %s ms\tdigest %.8s\tload %s\n' "$case" "$i" $(( (end - start) / 1000000 )) "$cpu" "$replay" "$compute" "$digest" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
