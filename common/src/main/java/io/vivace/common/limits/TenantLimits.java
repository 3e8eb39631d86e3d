package io.vivace.common.limits;

import io.vivace.common.config.VivaceConfig;
import java.time.Duration;

/**
 * One tenant's limits in force (0 = unlimited). Search limits and block retention are carried for the search and
 * compaction code that will enforce them; nothing enforces them yet.
 */
public record TenantLimits(
        long rateLimitBytes,
        long burstSizeBytes,
        int maxTracesPerUser,
        int maxAttributeBytes,
        long maxBytesPerTrace,
        Duration maxSearchDuration,
        int maxResultLimit,
        Duration blockRetention) {

    public static TenantLimits from(VivaceConfig.Limits l) {
        return new TenantLimits(l.ingestion().rateLimitBytes(), l.ingestion().burstSizeBytes(), l.ingestion().maxTracesPerUser(),
                l.ingestion().maxAttributeBytes(), l.global().maxBytesPerTrace(), l.read().maxSearchDuration(),
                l.read().maxResultLimit(), l.compaction().blockRetention());
    }

    /** The documented defaults of {@code overrides.defaults}. */
    public static TenantLimits defaults() {
        return from(VivaceConfig.Limits.defaults());
    }
}
