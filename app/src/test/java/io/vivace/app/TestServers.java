package io.vivace.app;

import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import java.nio.file.Path;

/** Configurations for servers started by tests: loopback, ephemeral ports, data in a test folder. */
final class TestServers {

    private TestServers() {
    }

    static String yaml(Path dir, boolean multitenancy, String extra) {
        return """
                multitenancy_enabled: %s
                server:
                  http_listen_address: 127.0.0.1
                  http_listen_port: 0
                distributor:
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: 127.0.0.1:0
                          max_recv_msg_size_mib: 4
                        http:
                          endpoint: 127.0.0.1:0
                          max_request_body_size: 4194304
                storage:
                  trace:
                    backend: local
                    local:
                      path: %s
                    wal:
                      path: %s
                    blocklist_poll: 1h
                ingester:
                  flush_check_period: 1h
                %s
                """.formatted(multitenancy, dir.resolve("blocks"), dir.resolve("wal"), extra);
    }

    /** Like {@link #yaml} with the blocks in the bucket that {@code s3Section} (a {@code storage.trace.s3} block) names. */
    static String s3Yaml(Path dir, String s3Section, String extra) {
        return yaml(dir, false, extra).replace("    backend: local\n", "    backend: s3\n" + s3Section);
    }

    static VivaceConfig config(Path dir, boolean multitenancy) {
        return new ConfigLoader().parse(yaml(dir, multitenancy, ""));
    }
}
