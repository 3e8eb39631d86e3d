package io.vivace.common.limits;

import io.vivace.common.config.VivaceConfig;
import java.time.Duration;

/**
 * One tenant's limits in force (0 = unlimited; for block retention, 0 = the compactor's global retention). The
 * distributor and ingester enforce the ingestion limits, the query-frontend the read limits, the compactor the
 * block retention.
 */
public record TenantLimits(
        long rateLimitBytes,
        long burstSizeBytes,
        int maxTracesPerUser,
        int maxAttributeBytes,
        long maxBytesPerTrace,
        Duration maxSearchDuration,
        int maxResultLimit,
        long maxBytesPerTagValuesQuery,
        Duration blockRetention) {

    public static TenantLimits from(VivaceConfig.Limits l) {
        return new TenantLimits(l.ingestion().rateLimitBytes(), l.ingestion().burstSizeBytes(), l.ingestion().maxTracesPerUser(),
                l.ingestion().maxAttributeBytes(), l.global().maxBytesPerTrace(), l.read().maxSearchDuration(),
                l.read().maxResultLimit(), l.read().maxBytesPerTagValuesQuery(), l.compaction().blockRetention());
    }

    /** The documented defaults of {@code overrides.defaults}. */
    public static TenantLimits defaults() {
        return from(VivaceConfig.Limits.defaults());
    }
}
