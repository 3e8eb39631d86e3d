#!/usr/bin/env bash
# Server CPU per ingested span, per thread group, after a warm-up: starts the single binary (data in a temp folder,
# fsync `always`, no rate limit), sends warm-up loads, then a measured load, and prints the CPU time (utime+stime
# from /proc/<pid>/task/*/stat) each group of server threads spent during the measured load, in µs per span.
# The first warm-up load is reported too, as the cold figure (JIT compiling). --warmup-rounds=N sends N warm-up loads
# (default 1) and reports the compiler threads' share of each, so the measured load can be taken once C2 has settled.
#   bench/ingest-cpu.sh [--warmup-traces=N] [--warmup-rounds=N] [--traces=N] [load-tool options...]
# JVM options of the server go in VIVACE_JAVA_OPTS (default: VIVACE_DEFAULT_JAVA_OPTS of bin/java-env.sh), e.g. VIVACE_JAVA_OPTS="-Xmx1g -XX:+UseG1GC".
# VIVACE_JAR runs another build of the server (default app/target/vivace.jar), for before/after comparisons (also in e2e.sh).
# The load tool encodes every request before it starts sending (ENCODE_AHEAD=false: while sending), so that its own
# CPU, on the same two cores, goes to sending; it prints its CPU per span beside the throughput.
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
write_server_config "$work" 13300 14517 14518
start_server "$work" 13300

# Per thread: "group ticks", the group being the thread name with digits and anything after a '/' or ' ' dropped.
thread_ticks() {
  for t in /proc/"$server"/task/*; do
    name=$(tr -d '\n' < "$t/comm" 2>/dev/null) || continue
    ticks=$(awk '{s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13]}' "$t/stat" 2>/dev/null) || continue
    printf '%s\t%s\t%s\n' "${t##*/}" "$(echo "$name" | sed -E 's/wal-writer.*/wal-writer/; s/[#0-9-]+$//')" "$ticks"
  done
}
load() { VIVACE_TARGET="${VIVACE_TARGET:-target}" "$root/bench/load.sh" --endpoint=127.0.0.1:14517 --progress-interval=0 \
  --batch-spans=1000 --concurrency=8 --encode-ahead="${ENCODE_AHEAD:-true}" "${args[@]}" "$@"; }

# CPU per span between two snapshots: a total line, then one line per thread group (or only the compiler share).
report() { # before.tsv after.tsv spans label [brief]
  awk -F'\t' -v hz="$(getconf CLK_TCK)" -v spans="$3" -v label="$4" -v brief="${5:-}" '
    NR == FNR { before[$1] = $3; next }
    { d = $3 - before[$1]; group[$2] += d; total += d; if ($2 ~ /Compiler/) jit += d }
    END {
      printf "%s: spans %d, server CPU %.2f s, %.2f us/span (%.2f without compiler threads)\n", label, spans, total / hz,
        total / hz * 1e6 / spans, (total - jit) / hz * 1e6 / spans
      if (brief == "") for (g in group) if (group[g] > 0) printf "  %6.2f us/span  %s\n", group[g] / hz * 1e6 / spans, g | "sort -nr"
    }' "$1" "$2"
}
acked() { sed -n 's/.* spans_acked=\([0-9]*\).*/\1/p' "$1"; }

# Threads are matched by id; a thread that started during a load counts from zero.
thread_ticks > "$work/start.tsv"
for ((r = 1; r <= rounds; r++)); do
  load --traces="$warmup" --seed=$((r == 1 ? 5 : 100 + r)) > "$work/warmup.txt"
  thread_ticks > "$work/warm$r.tsv"
  if [ "$r" = 1 ]; then
    report "$work/start.tsv" "$work/warm1.tsv" "$(acked "$work/warmup.txt")" "cold (first warm-up load)"
  else
    report "$work/warm$((r - 1)).tsv" "$work/warm$r.tsv" "$(acked "$work/warmup.txt")" "warm-up round $r" brief
  fi
done
if [ -n "${JFR:-}" ]; then
  "$(dirname "$JAVA")/jcmd" "$server" JFR.start name=measured settings=profile jdk.ExecutionSample#period=2ms > /dev/null
fi
thread_ticks > "$work/before.tsv"
load --traces="$traces" --seed=7 | tee "$work/send.txt" | grep -E '^(throughput|client CPU|export latency|errors)' || true
thread_ticks > "$work/after.tsv"
if [ -n "${JFR:-}" ]; then
  "$(dirname "$JAVA")/jcmd" "$server" JFR.stop name=measured filename="$(realpath -m "$JFR")" > /dev/null
fi
report "$work/before.tsv" "$work/after.tsv" "$(acked "$work/send.txt")" "measured"
echo "rss_mb $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
