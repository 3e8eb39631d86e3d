# Sourced by bin/vivace, bench/load.sh and bench/jmh.sh. Sets JAVA to a JDK 21+ java binary and JAVA_FLAGS to the flags that keep it quiet:
# $JAVA_HOME when it is 21+, else the newest JDK under /usr/lib/jvm, else `java` on the PATH when it is 21+.

java_major() { # prints the feature version of the java binary $1 (8 for 1.8)
  local v
  v="$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
  v="${v#1.}"
  echo "${v%%[.+-]*}"
}

find_java() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major="$(java_major "$JAVA_HOME/bin/java")"
    if [ "${major:-0}" -ge 21 ]; then JAVA="$JAVA_HOME/bin/java"; JAVA_MAJOR="$major"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major="$(java_major "$candidate")"
    if [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ "$best_major" -ge 21 ]; then JAVA="$best"; JAVA_MAJOR="$best_major"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    major="$(java_major java)"
    if [ "${major:-0}" -ge 21 ]; then JAVA="java"; JAVA_MAJOR="$major"; return 0; fi
  fi
  echo "no JDK 21 or newer found: set JAVA_HOME to one" >&2
  return 1
}

find_java || exit 2
JAVA_FLAGS=(--enable-native-access=ALL-UNNAMED)
# JDK 24+ warns about sun.misc.Unsafe in netty/Armeria; JDK 17-23 would refuse this flag.
if [ "$JAVA_MAJOR" -ge 24 ]; then JAVA_FLAGS+=(--sun-misc-unsafe-memory-access=allow); fi
# JVM options of the Vivace server when VIVACE_JAVA_OPTS is not set (bin/vivace, bench/e2e.sh, bench/ingest-cpu.sh):
# Parallel GC spends less CPU per ingested span than G1 (docs/decisions/0601-parallel-gc-default.md).
# MetaspaceSize: the server holds ~43 MB of class metadata after start-up and its first exports; at the default
# threshold (~21 MB) that cost two full collections ("Metadata GC Threshold") while starting (docs/decisions/0604-metaspace-size-default.md).
VIVACE_DEFAULT_JAVA_OPTS="-Xmx1g -XX:+UseParallelGC -XX:MetaspaceSize=128m"
