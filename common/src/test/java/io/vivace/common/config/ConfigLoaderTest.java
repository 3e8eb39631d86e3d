package io.vivace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("B2_KEY", "secret", "PORT", "3300",
            "B2_KEY_ID", "004a1b2c3d", "B2_APPLICATION_KEY", "K004-application-key")::get);

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
    void blockCachesAreSizedInBytes() {
        VivaceConfig.Cache defaults = loader.parse("").storage().trace().cache();
        assertEquals(new VivaceConfig.Cache(64L << 20, 64L << 20, 256L << 20, 1L << 20), defaults);
        VivaceConfig.Cache set = loader.parse("""
                storage:
                  trace:
                    cache:
                      bloom_bytes: 1000
                      parquet_footer_bytes: 2000
                      parquet_page_bytes: 0
                      parquet_page_max_read_bytes: 4096
                """).storage().trace().cache();
        assertEquals(new VivaceConfig.Cache(1000L, 2000L, 0L, 4096L), set);
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("storage:\n  trace:\n    cache:\n      bloom_bytes: -1\n"));
        assertTrue(e.getMessage().contains("storage.trace.cache"), e.getMessage());
    }

    @Test
    void compactionZstdLevelDefaultsToSixAndIsRead() {
        assertEquals(6, loader.parse("").compactor().compaction().zstdLevel());
        assertEquals(9, loader.parse("compactor:\n  compaction:\n    zstd_level: 9\n").compactor().compaction().zstdLevel());
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("compactor:\n  compaction:\n    zstd_level: 0\n"));
        assertTrue(e.getMessage().contains("compactor.compaction.zstd_level"), e.getMessage());
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

    @Test
    void s3SectionReadsTempoKeys() {
        VivaceConfig.S3 s3 = loader.parse("""
                storage:
                  trace:
                    backend: s3
                    s3:
                      bucket: vivace-traces
                      prefix: prod
                      endpoint: s3.us-west-004.backblazeb2.com
                      region: us-west-004
                      access_key: ${B2_KEY_ID}
                      secret_key: ${B2_APPLICATION_KEY}
                      insecure: false
                      forcepathstyle: true
                      part_size: 8388608
                      max_retries: 2
                      api_call_timeout: 2m
                      api_call_attempt_timeout: 20s
                      request_checksum_calculation: when_supported
                      response_checksum_validation: when_supported
                """).storage().trace().s3();
        assertEquals(new VivaceConfig.S3("vivace-traces", "prod", "s3.us-west-004.backblazeb2.com", "us-west-004",
                "004a1b2c3d", "K004-application-key", "", false, true, 8L << 20, 2, Duration.ofMinutes(2),
                Duration.ofSeconds(20), "when_supported", "when_supported"), s3);
    }

    @Test
    void s3DefaultsAreDocumented() {
        VivaceConfig c = loader.parse("storage:\n  trace:\n    backend: s3\n    s3:\n      bucket: traces\n");
        VivaceConfig.S3 s3 = c.storage().trace().s3();
        assertEquals("s3", c.storage().trace().backend());
        assertEquals("./vivace-data/blocks", c.storage().trace().local().path(), "the other components keep their defaults");
        assertEquals("traces", s3.bucket());
        assertEquals("", s3.prefix());
        assertEquals("", s3.endpoint());
        assertEquals("us-east-1", s3.region());
        assertEquals("", s3.accessKey());
        assertEquals("", s3.secretKey());
        assertFalse(s3.insecure());
        assertFalse(s3.forcepathstyle());
        assertEquals(16L << 20, s3.partSize());
        assertEquals(5, s3.maxRetries());
        assertEquals(Duration.ofMinutes(5), s3.apiCallTimeout());
        assertEquals(Duration.ofMinutes(1), s3.apiCallAttemptTimeout());
        assertEquals("when_required", s3.requestChecksumCalculation());
        assertEquals("when_required", s3.responseChecksumValidation());
    }

    @Test
    void unknownS3KeyIsRefusedWithItsPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("storage:\n  trace:\n    s3:\n      bukket: traces\n"));
        assertEquals("unknown configuration key 'storage.trace.s3.bukket'", e.getMessage());
    }

    @Test
    void effectiveConfigNeverShowsS3Secrets() {
        VivaceConfig c = loader.parse("""
                storage:
                  trace:
                    s3:
                      bucket: traces
                      access_key: ${B2_KEY_ID}
                      secret_key: ${B2_APPLICATION_KEY}
                      session_token: session-secret
                """);
        String yaml = loader.toYaml(c);
        assertTrue(yaml.contains("access_key: \"004a1b2c3d\""), yaml);
        assertFalse(yaml.contains("K004-application-key"), yaml);
        assertFalse(yaml.contains("session-secret"), yaml);
        assertFalse(c.storage().trace().s3().toString().contains("K004-application-key"));
        assertEquals("traces", loader.parse(yaml).storage().trace().s3().bucket(), "still loadable");
    }
}
