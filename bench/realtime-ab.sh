#!/usr/bin/env bash
# Two builds of the realtime replayer through the CLI, alternated A, B, A, B… so both see the same box (this VM's
# speed drifts by 2–4× over minutes, so only pairs compare): `bench/realtime-ab.sh DIR_A DIR_B TRACE [RUNS]`, each
# DIR a checkout with dist/ built, TRACE a dense trace (`npx tsx bench/dense-trace.ts OUT RATE SECONDS`). A trivial
# HTTP server (answers `{"ok":true}` at once) runs pinned to core 1, each CLI run pinned to core 0; per run it prints
# the whole-run p99 and max lateness, the p99 response time (report.json, first second included), the achieved rate,
# the replayer's own health (run.replayer: busy and saturated shares, loop delay p99, send-lag p99, the bottleneck
# verdict) and the load average. Extra environment for B only: AB_ENV_B="NAME=value …" (for trying a flag on one side).
# Wrap it in `flock /tmp/sheetsim-heavy.lock`.
set -euo pipefail
a=${1:?checkout A}; b=${2:?checkout B}; trace=${3:?dense trace}; runs=${4:-5}
trace=$(realpath "$trace")
out=$(mktemp -d)
cat > "$out/server.cjs" <<'EOF'
const s = require('node:http').createServer((req, res) => {
  req.resume();
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
});
s.keepAliveTimeout = 60_000;
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
EOF
taskset -c 1 node "$out/server.cjs" > "$out/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 1 50); do [ -s "$out/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$out/port")"
for i in $(seq 1 "$runs"); do
  for side in A B; do
    if [ "$side" = A ]; then dir=$a; extra=(); else dir=$b; read -r -a extra <<< "${AB_ENV_B:-}"; fi
    rm -rf "$out/r"
    (cd "$dir" && env "${extra[@]}" taskset -c 0 node bin/sheetsim.js run --trace "$trace" --target "$url" --out "$out/r" --no-gates > /dev/null 2>&1)
    node -e '
      const r = require(process.argv[1]); const t = r.totals;
      console.log([process.argv[2], `run ${process.argv[3]}`, `lateness p99 ${t.lateness.p99.toFixed(1)} ms`, `max ${t.lateness.max.toFixed(1)} ms`,
        `response p99 ${t.responseTime.p99.toFixed(1)} ms`, `achieved ${Math.round((t.requests * 1000) / r.run.wallDurationMs)}/s`,
        `replayer busy ${r.run.replayer?.eventLoopUtilization ?? "?"} saturated ${r.run.replayer?.saturatedShare ?? "?"} loop p99 ${r.run.replayer?.eventLoopDelayP99Ms} ms send lag p99 ${r.run.replayer?.sendLagP99Ms ?? "?"} ms bottleneck ${r.run.replayer?.bottleneck}`,
        `load ${process.argv[4]}`].join("\t"));
    ' "$out/r/report.json" "$side" "$i" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
