package io.vivace.common.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeOverridesTest {

    static VivaceConfig.Limits defaults(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml).overrides().defaults();
    }

    @Test
    void documentedDefaults() {
        TenantLimits l = TenantLimits.defaults();
        assertEquals(30_000_000L, l.rateLimitBytes());
        assertEquals(30_000_000L, l.burstSizeBytes());
        assertEquals(0, l.maxTracesPerUser());
        assertEquals(2048, l.maxAttributeBytes());
        assertEquals(5_000_000L, l.maxBytesPerTrace());
        assertEquals(Duration.ZERO, l.maxSearchDuration());
        assertEquals(Duration.ZERO, l.blockRetention());
    }

    @Test
    void tenantEntriesChangeOnlyTheKeysTheyNameAndReloadWithoutRestart(@TempDir Path dir) throws Exception {
        VivaceConfig.Limits base = defaults("""
                overrides:
                  defaults:
                    ingestion: {rate_limit_bytes: 1000, burst_size_bytes: 2000}
                    read: {max_search_duration: 24h}
                """);
        Path file = dir.resolve("overrides.yaml");
        Files.writeString(file, """
                overrides:
                  team-a:
                    ingestion: {rate_limit_bytes: 50}
                  "*":
                    global: {max_bytes_per_trace: 1234}
                """);
        RuntimeOverrides o = new RuntimeOverrides(base, Optional.of(file));
        assertEquals(50, o.forTenant("team-a").rateLimitBytes());
        assertEquals(2000, o.forTenant("team-a").burstSizeBytes(), "not named: from defaults");
        assertEquals(Duration.ofHours(24), o.forTenant("team-a").maxSearchDuration());
        assertEquals(1234, o.forTenant("team-a").maxBytesPerTrace(), "wildcard applies under the tenant's entry");
        assertEquals(1000, o.forTenant("team-b").rateLimitBytes());
        assertEquals(1234, o.forTenant("team-b").maxBytesPerTrace());

        assertFalse(o.reload(), "unchanged");
        Files.writeString(file, "overrides:\n  team-b:\n    ingestion: {max_traces_per_user: 3}\n    compaction: {block_retention: 48h}\n");
        assertTrue(o.reload());
        assertEquals(1000, o.forTenant("team-a").rateLimitBytes(), "team-a's entry is gone");
        assertEquals(3, o.forTenant("team-b").maxTracesPerUser());
        assertEquals(Duration.ofHours(48), o.forTenant("team-b").blockRetention());
    }

    @Test
    void brokenFilesAreRefusedByNameAndThePreviousOneStays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("overrides.yaml");
        Files.writeString(file, "overrides:\n  team-a:\n    ingestion: {rate_limit_bytes: 50, burst_size_bytes: 60}\n");
        RuntimeOverrides o = new RuntimeOverrides(VivaceConfig.Limits.defaults(), Optional.of(file));
        Map<String, String> broken = Map.of(
                "overrides:\n  team-a:\n    ingestion: {rate_limt_bytes: 1}\n", "unknown key 'overrides.team-a.ingestion.rate_limt_bytes'",
                "overrides:\n  team-a:\n    ingestion: {rate_limit_bytes: lots}\n", "invalid value for 'overrides.team-a.ingestion.rate_limit_bytes'",
                "overrides:\n  team-a:\n    ingestion: {rate_strategy: global}\n", "rate_strategy must be local",
                "overrides:\n  team-a:\n    global: {max_bytes_per_trace: -1}\n", "must not be negative",
                "overrides:\n  \"bad tenant\": {}\n", "unsupported character",
                "limits: {}\n", "single top-level key 'overrides'");
        for (var b : broken.entrySet()) {
            Files.writeString(file, b.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::reload, b.getKey());
            assertTrue(e.getMessage().contains(b.getValue()), e.getMessage());
            assertEquals(50, o.forTenant("team-a").rateLimitBytes(), "previous file still in force");
        }
        Files.writeString(file, "");
        assertTrue(o.reload());
        assertEquals(30_000_000L, o.forTenant("team-a").rateLimitBytes(), "an empty file means no overrides");
    }

    @Test
    void rateLimiterIsPerTenantRefillsAndFollowsLimitChanges() {
        AtomicLong nanos = new AtomicLong();
        IngestionRateLimiter limiter = new IngestionRateLimiter(nanos::get);
        TenantLimits tight = new TenantLimits(100, 300, 0, 0, 0, Duration.ZERO, 0, 1_000_000, Duration.ZERO);
        assertTrue(limiter.tryAcquire("a", 300, tight).isEmpty(), "the burst");
        String refused = limiter.tryAcquire("a", 50, tight).orElseThrow();
        assertTrue(refused.startsWith("RATE_LIMITED: ingestion rate limit (local: 100 bytes/s"), refused);
        assertTrue(limiter.tryAcquire("b", 300, tight).isEmpty(), "another tenant is unaffected");
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertTrue(limiter.tryAcquire("a", 50, tight).isEmpty(), "refilled 50 bytes in half a second");
        assertTrue(limiter.tryAcquire("a", 1, tight).isPresent());
        assertTrue(limiter.tryAcquire("a", 301, tight).orElseThrow().contains("batch size (301 bytes) exceeds ingestion limit"));
        TenantLimits wider = new TenantLimits(100, 1000, 0, 0, 0, Duration.ZERO, 0, 1_000_000, Duration.ZERO);
        assertTrue(limiter.tryAcquire("a", 1000, wider).isEmpty(), "a changed limit starts from a full bucket");
        TenantLimits unlimited = new TenantLimits(0, 0, 0, 0, 0, Duration.ZERO, 0, 1_000_000, Duration.ZERO);
        assertTrue(limiter.tryAcquire("a", 1_000_000, unlimited).isEmpty());
    }
}
