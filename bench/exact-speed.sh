#!/usr/bin/env bash
# Exact mode's wall time on the default trace, two builds alternated in one window (the box is shared, so compare
# like with like): `bench/exact-speed.sh DIR_A DIR_B [RUNS]`, each DIR a checkout with dist/ built and the default
# trace in traces/. Prints per run: total wall (the CLI as a user runs it), the replay's own wall
# (report.json run.wallDurationMs), the CPU time of the CLI and its embedded child together (user + sys, from
# /usr/bin/time: less swayed by other load on a shared box than wall time), the digest, and the load average. Wrap it
# in `flock /tmp/sheetsim-heavy.lock`. Each checkout runs once untimed first, so its world is in the cache of built
# worlds (README, "Run a load test") as it is for a user's second run; `SHEETSIM_CACHE_DIR=off` times every run
# building its world.
set -euo pipefail
a=${1:?checkout A}; b=${2:?checkout B}; runs=${3:-5}
out=$(mktemp -d)
for dir in "$a" "$b"; do (cd "$dir" && node bin/sheetsim.js run --mode exact --out "$out/prime" --no-gates >/dev/null); done
for i in $(seq 1 "$runs"); do
  for dir in "$a" "$b"; do
    rm -rf "$out/r"
    start=$(date +%s%N)
    digest=$(cd "$dir" && /usr/bin/time -f '%U %S' -o "$out/cpu" node bin/sheetsim.js run --mode exact --out "$out/r" --no-gates | sed -n 's/^digest: //p')
    end=$(date +%s%N)
    cpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$out/cpu")
    replay=$(node -e 'console.log(require(process.argv[1]).run.wallDurationMs)' "$out/r/report.json")
    printf '%s\trun %d\ttotal %d ms\treplay %s ms\tcpu %s ms\tdigest %.8s\tload %s\n' "$dir" "$i" $(( (end - start) / 1000000 )) "$replay" "$cpu" "$digest" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
rm -rf "$out"
