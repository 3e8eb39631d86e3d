#!/usr/bin/env bash
# Server CPU per ingested span, per thread group, after a warm-up: starts the single binary (data in a temp folder,
# fsync `always`, no rate limit), sends a warm-up load, then a measured load, and prints the CPU time (utime+stime
# from /proc/<pid>/task/*/stat) each group of server threads spent during the measured load, in µs per span.
#   bench/ingest-cpu.sh [--warmup-traces=N] [--traces=N] [load-tool options...]
# JVM options of the server go in VIVACE_JAVA_OPTS (default: VIVACE_DEFAULT_JAVA_OPTS of bin/java-env.sh), e.g. VIVACE_JAVA_OPTS="-Xmx1g -XX:+UseG1GC".
# VIVACE_JAR runs another build of the server (default app/target/vivace.jar), for before/after comparisons.
# With JFR=file.jfr the server records a flight recording of the measured load into that file.
# Needs app/target/vivace.jar and bench/target/vivace-bench.jar (mvn -q -pl app,bench -am package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
warmup=10000
traces=40000
args=()
for a in "$@"; do
  case "$a" in
    --warmup-traces=*) warmup="${a#*=}" ;;
    --traces=*) traces="${a#*=}" ;;
    *) args+=("$a") ;;
  esac
done
work="$(mktemp -d /tmp/vivace-cpu.XXXXXX)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/vivace.yaml" <<YAML
server: {http_listen_address: 127.0.0.1, http_listen_port: 13300}
distributor:
  receivers:
    otlp:
      protocols:
        grpc: {endpoint: "127.0.0.1:14517"}
        http: {endpoint: "127.0.0.1:14518"}
overrides:
  defaults:
    ingestion: {rate_limit_bytes: 0}   # measure the server, not the per-tenant rate limit
storage:
  trace:
    local: {path: $work/blocks}
    wal: {path: $work/wal}
YAML
# shellcheck disable=SC2086 # VIVACE_JAVA_OPTS is a list of options
"$JAVA" "${JAVA_FLAGS[@]}" ${VIVACE_JAVA_OPTS:-$VIVACE_DEFAULT_JAVA_OPTS} -jar "${VIVACE_JAR:-$root/app/target/vivace.jar}" -config.file="$work/vivace.yaml" \
  > "$work/server.log" 2>&1 &
server=$!
until curl -sf http://127.0.0.1:13300/ready > /dev/null; do sleep 0.2; done

# Per thread: "group ticks", the group being the thread name with digits and anything after a '/' or ' ' dropped.
thread_ticks() {
  for t in /proc/"$server"/task/*; do
    name=$(tr -d '\n' < "$t/comm" 2>/dev/null) || continue
    ticks=$(awk '{s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13]}' "$t/stat" 2>/dev/null) || continue
    printf '%s\t%s\t%s\n' "${t##*/}" "$(echo "$name" | sed -E 's/wal-writer.*/wal-writer/; s/[#0-9-]+$//')" "$ticks"
  done
}
load() { VIVACE_TARGET="${VIVACE_TARGET:-target}" "$root/bench/load.sh" --endpoint=127.0.0.1:14517 --progress-interval=0 \
  --batch-spans=1000 --concurrency=8 "${args[@]}" "$@"; }

load --traces="$warmup" --seed=5 > "$work/warmup.txt"
if [ -n "${JFR:-}" ]; then
  "$(dirname "$JAVA")/jcmd" "$server" JFR.start name=measured settings=profile jdk.ExecutionSample#period=2ms > /dev/null
fi
thread_ticks > "$work/before.tsv"
load --traces="$traces" --seed=7 | tee "$work/send.txt" | grep -E '^(throughput|export latency|errors)' || true
thread_ticks > "$work/after.tsv"
if [ -n "${JFR:-}" ]; then
  "$(dirname "$JAVA")/jcmd" "$server" JFR.stop name=measured filename="$(realpath -m "$JFR")" > /dev/null
fi
spans=$(sed -n 's/.* spans_acked=\([0-9]*\).*/\1/p' "$work/send.txt")
clk_tck=$(getconf CLK_TCK)
# Threads are matched by id; a thread that started during the run counts from zero.
awk -F'\t' -v hz="$clk_tck" -v spans="$spans" '
  NR == FNR { before[$1] = $3; next }
  { d = $3 - before[$1]; group[$2] += d; total += d }
  END {
    printf "spans %d, server CPU %.2f s, %.2f us/span\n", spans, total / hz, total / hz * 1e6 / spans
    for (g in group) if (group[g] > 0) printf "  %6.2f us/span  %s\n", group[g] / hz * 1e6 / spans, g | "sort -nr"
  }' "$work/before.tsv" "$work/after.tsv"
echo "rss_mb $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
