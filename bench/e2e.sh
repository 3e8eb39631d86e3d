#!/usr/bin/env bash
# End-to-end figures of the single binary on this machine: ingest spans/s and server CPU per span over OTLP gRPC,
# heap and RSS after the load, trace-by-ID latency from live data, then (after a graceful restart, which flushes
# everything into blocks) from blocks on local disk. Everything stays on loopback; data goes to a temp folder.
#   bench/e2e.sh [load-tool options...]     e.g. bench/e2e.sh --traces=100000 --concurrency=8
# Last, the default TraceQL search shapes over those blocks (SEARCH_REPEATS requests each, default 10; 0 skips them).
# The load tool encodes every request before it starts sending (ENCODE_AHEAD=false: while sending).
# VIVACE_BENCH_PORT_OFFSET=N adds N to the server's fixed ports (13200, 14317, 14318).
# VERIFY_BY_ID=0 skips both trace-by-ID passes (for large search datasets).
# Needs app/target/vivace.jar and bench/target/vivace-bench.jar (mvn -q -pl app,bench -am package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
work="$(mktemp -d /tmp/vivace-e2e.XXXXXX)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
source "$root/bench/server.sh"
port_offset="${VIVACE_BENCH_PORT_OFFSET:-0}"   # lets two engineers run the benchmark at once
http_port=$((13200 + port_offset)); grpc_port=$((14317 + port_offset))
write_server_config "$work" "$http_port" "$grpc_port" $((grpc_port + 1))
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
heap_mb() { curl -s http://127.0.0.1:$http_port/metrics | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%.0f", s / 1048576}'; }
load() { VIVACE_TARGET="${VIVACE_TARGET:-target}" "$root/bench/load.sh" --endpoint=127.0.0.1:$grpc_port \
  --query-endpoint=http://127.0.0.1:$http_port --progress-interval=0 "$@"; }

start_server "$work" "$http_port"
before=$(cpu_ticks "$server")
load --mode=send --encode-ahead="${ENCODE_AHEAD:-true}" "$@" | tee "$work/send.txt"
after=$(cpu_ticks "$server")
spans=$(sed -n 's/.* spans_acked=\([0-9]*\).*/\1/p' "$work/send.txt")
echo "SUMMARY server_cpu_seconds=$(( (after - before) / clk_tck )) cpu_us_per_span=$(awk -v t=$((after - before)) -v h="$clk_tck" -v s="$spans" 'BEGIN {printf "%.2f", t / h * 1e6 / s}') rss_mb=$(rss_mb "$server") heap_used_mb=$(heap_mb)"
verify_args=$(sed -n 's/^verify with: *//p' "$work/send.txt")
if [ "${VERIFY_BY_ID:-1}" = 1 ]; then
  echo "--- trace by ID from live data (memory, head blocks) ---"
  load $verify_args --concurrency=1 | grep -E '^(trace-by-id|result|SUMMARY)'
fi
kill -TERM "$server"; wait "$server" || true
start_server "$work" "$http_port"
if [ "${VERIFY_BY_ID:-1}" = 1 ]; then
  echo "--- trace by ID from flushed blocks on local disk, after a restart ---"
  load $verify_args --concurrency=1 | grep -E '^(trace-by-id|result|SUMMARY)'
fi
if [ "${SEARCH_REPEATS:-10}" -gt 0 ]; then
  echo "--- TraceQL search over the flushed blocks, limit 20, one request at a time ---"
  load ${verify_args/--mode=verify/--mode=search} --search-repeats="${SEARCH_REPEATS:-10}" --concurrency=1 \
    | grep -vE '^(searching|SUMMARY)'
fi
echo "blocks: $(find "$work/blocks" -name meta.json | wc -l), data bytes: $(find "$work/blocks" -name data.parquet -printf '%s\n' | awk '{s += $1} END {print s}')"
