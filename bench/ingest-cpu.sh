#!/usr/bin/env bash
# Server CPU per ingested span, per thread group, after a warm-up: starts the single binary (data in a temp folder,
# fsync `always`, no rate limit), sends warm-up loads, then a measured load, and prints the CPU time (utime+stime
# from /proc/<pid>/task/*/stat) each group of server threads (and of the load tool's threads) spent during the
# measured load, in µs per span, and the server's RSS at the end. The first warm-up load is the cold figure (JIT
# compiling). --warmup-rounds=N sends N warm-up loads (default 1) and reports the compiler threads' share of each, so
# the measured load can be taken once C2 has settled, in the server and in the load tool.
#   bench/ingest-cpu.sh [--warmup-traces=N] [--warmup-rounds=N] [--traces=N] [load-tool options...]
# JVM options of the server go in VIVACE_JAVA_OPTS (default: VIVACE_DEFAULT_JAVA_OPTS of bin/java-env.sh), e.g. VIVACE_JAVA_OPTS="-Xmx1g -XX:+UseG1GC".
# VIVACE_JAR runs another build of the server (default app/target/vivace.jar), for before/after comparisons (also in e2e.sh).
# The load tool encodes every request before it starts sending (ENCODE_AHEAD=false: while sending), so that its own
# CPU, on the same two cores, goes to sending; it prints its CPU per span beside the throughput.
# VIVACE_BENCH_PORT_OFFSET=N adds N to the server's fixed ports (13300, 14517, 14518).
# With JFR=file.jfr the server records a flight recording of the measured load into that file.
# Needs app/target/vivace.jar and bench/target/vivace-bench.jar (mvn -q -pl app,bench -am package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
warmup=10000
rounds=1
traces=40000
args=()
for a in "$@"; do
  case "$a" in
    --warmup-traces=*) warmup="${a#*=}" ;;
    --warmup-rounds=*) rounds="${a#*=}" ;;
    --traces=*) traces="${a#*=}" ;;
    *) args+=("$a") ;;
  esac
done
work="$(mktemp -d /tmp/vivace-cpu.XXXXXX)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
source "$root/bench/server.sh"
port_offset="${VIVACE_BENCH_PORT_OFFSET:-0}"   # lets two engineers run the benchmark at once
http_port=$((13300 + port_offset)); grpc_port=$((14517 + port_offset))
write_server_config "$work" "$http_port" "$grpc_port" $((grpc_port + 1))
start_server "$work" "$http_port"

# One load-tool JVM sends the warm-up loads and then the measured one, so that its own JIT has settled too by then;
# it reads the server's CPU by thread group from /proc/<pid>/task/*/stat around every load (--server-pid).
VIVACE_TARGET="${VIVACE_TARGET:-target}" "$root/bench/load.sh" --endpoint=127.0.0.1:"$grpc_port" --progress-interval=0 \
  --batch-spans=1000 --concurrency=8 --encode-ahead="${ENCODE_AHEAD:-true}" --server-pid="$server" \
  --warmup-rounds="$rounds" --warmup-traces="$warmup" --traces="$traces" --seed=7 ${JFR:+--server-jfr="$JFR"} "${args[@]}" |
  grep -Ev '^(encoded ahead|sending|verify with|=== send)' || true
