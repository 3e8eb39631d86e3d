#!/usr/bin/env bash
# Runs the end-to-end load tool with a JDK 21+, e.g. bench/load.sh --traces=10000 --mode=both
# Options: bench/load.sh --help, or docs/load-tool.md. Extra JVM options go in JAVA_OPTS.
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
  io.vivace.bench.load.LoadTool "$@"
