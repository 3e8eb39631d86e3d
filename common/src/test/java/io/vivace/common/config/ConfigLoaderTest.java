package io.vivace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("B2_KEY", "secret", "PORT", "3300")::get);

    @Test
    void emptyFileGivesDocumentedDefaults() {
        VivaceConfig c = loader.parse("");
        assertEquals("all", c.target());
        assertFalse(c.multitenancyEnabled());
        assertEquals(3200, c.server().httpListenPort());
        assertEquals("0.0.0.0:4317", c.distributor().receivers().otlp().protocols().grpc().endpoint());
        assertEquals(Duration.ofSeconds(10), c.ingester().traceIdlePeriod());
        assertEquals(Duration.ofMinutes(30), c.ingester().maxBlockDuration());
        assertEquals("local", c.storage().trace().backend());
        assertEquals("always", c.storage().trace().wal().fsync());
    }

    @Test
    void readsTempoShapedKeysWithGoDurationsAndEnv() {
        VivaceConfig c = loader.parse("""
                multitenancy_enabled: true
                server:
                  http_listen_port: ${PORT}
                distributor:
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: 127.0.0.1:14317
                ingester:
                  trace_idle_period: 1h30m
                  max_block_bytes: 1000
                storage:
                  trace:
                    backend: local
                    local:
                      path: /data/${MISSING:-blocks}
                    wal:
                      path: /wal/${B2_KEY}
                """);
        assertTrue(c.multitenancyEnabled());
        assertEquals(3300, c.server().httpListenPort());
        assertEquals("127.0.0.1:14317", c.distributor().receivers().otlp().protocols().grpc().endpoint());
        assertEquals(Duration.ofMinutes(90), c.ingester().traceIdlePeriod());
        assertEquals(1000L, c.ingester().maxBlockBytes());
        assertEquals("/data/blocks", c.storage().trace().local().path());
        assertEquals("/wal/secret", c.storage().trace().wal().path());
        assertEquals("0.0.0.0:4318", c.distributor().receivers().otlp().protocols().http().endpoint(), "untouched default");
    }

    @Test
    void unknownKeyIsRefusedWithItsPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("ingester:\n  trace_idle_perod: 10s\n"));
        assertEquals("unknown configuration key 'ingester.trace_idle_perod'", e.getMessage());
    }

    @Test
    void badDurationNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("ingester:\n  max_block_duration: soon\n"));
        assertTrue(e.getMessage().startsWith("invalid value for 'ingester.max_block_duration'"), e.getMessage());
    }

    @Test
    void unsetEnvironmentVariableIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("storage:\n  trace:\n    local:\n      path: ${NOPE}\n"));
        assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
    }

    @Test
    void effectiveConfigRendersBackToLoadableYaml() {
        VivaceConfig c = loader.parse("ingester:\n  trace_idle_period: 5s\n");
        assertEquals(c, loader.parse(loader.toYaml(c)));
    }
}
