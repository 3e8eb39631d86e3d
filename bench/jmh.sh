#!/usr/bin/env bash
# Runs the JMH benchmarks with a JDK 21+, e.g. bench/jmh.sh SyntheticExport   (JMH options: bench/jmh.sh -h)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/java-env.sh"
# The build output folder (bench/target unless VIVACE_TARGET names another one, as for -Dvivace.target=...).
BENCH_TARGET="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/${VIVACE_TARGET:-target}"
if [ ! -f "$BENCH_TARGET/vivace-bench.jar" ]; then
  echo "$BENCH_TARGET/vivace-bench.jar not found; build it first: mvn -q -pl bench -am package -DskipTests" >&2
  exit 2
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec "$JAVA" "${JAVA_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$BENCH_TARGET/vivace-bench.jar:$BENCH_TARGET/lib/*" \
  org.openjdk.jmh.Main "$@"
