# Sourced by the bench scripts (needs $root and bin/java-env.sh sourced): the single binary on loopback ports with
# its data in a work folder, fsync `always` (the default), no per-tenant rate limit (measure the server, not the limit).

# write_server_config WORK HTTP_PORT OTLP_GRPC_PORT OTLP_HTTP_PORT
write_server_config() {
  cat > "$1/vivace.yaml" <<YAML
server: {http_listen_address: 127.0.0.1, http_listen_port: $2}
distributor:
  receivers:
    otlp:
      protocols:
        grpc: {endpoint: "127.0.0.1:$3"}
        http: {endpoint: "127.0.0.1:$4"}
overrides:
  defaults:
    ingestion: {rate_limit_bytes: 0}
storage:
  trace:
    local: {path: $1/blocks}
    wal: {path: $1/wal}
YAML
}

# start_server WORK HTTP_PORT: starts VIVACE_JAR (default app/target/vivace.jar) with VIVACE_JAVA_OPTS (default
# VIVACE_DEFAULT_JAVA_OPTS), logs to WORK/server.log, sets $server to its pid and returns once it is ready.
start_server() {
  # shellcheck disable=SC2086 # the JVM options are a list
  "$JAVA" "${JAVA_FLAGS[@]}" ${VIVACE_JAVA_OPTS:-$VIVACE_DEFAULT_JAVA_OPTS} -jar "${VIVACE_JAR:-$root/app/target/vivace.jar}" \
    -config.file="$1/vivace.yaml" > "$1/server.log" 2>&1 &
  server=$!
  until curl -sf "http://127.0.0.1:$2/ready" > /dev/null; do sleep 0.2; done
}
