package io.vivace.common.limits;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tempo's local ingestion rate limit: one token bucket per tenant over encoded request bytes, refilled at
 * {@code rate_limit_bytes} per second up to {@code burst_size_bytes}. A change of the tenant's limits (overrides
 * file) applies from the next request on, starting from a full bucket of the new size. Rate 0 = unlimited.
 */
public final class IngestionRateLimiter {

    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public IngestionRateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Takes {@code bytes} from the tenant's bucket; empty if admitted, else the refusal message (Tempo's wording). */
    public Optional<String> tryAcquire(String tenant, long bytes, TenantLimits limits) {
        long rate = limits.rateLimitBytes();
        if (rate <= 0) {
            return Optional.empty();
        }
        long burst = limits.burstSizeBytes();
        Bucket b = buckets.computeIfAbsent(tenant, t -> new Bucket(rate, burst, nanoTime.getAsLong()));
        synchronized (b) {
            long now = nanoTime.getAsLong();
            if (b.rate != rate || b.burst != burst) {
                b.rate = rate;
                b.burst = burst;
                b.tokens = burst;
            }
            b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * rate);
            b.lastNanos = now;
            if (bytes <= b.tokens) {
                b.tokens -= bytes;
                return Optional.empty();
            }
        }
        String limit = "(local: " + rate + " bytes/s, global: 0 bytes/s, burst: " + burst + " bytes)";
        if (bytes > burst) {
            return Optional.of("RATE_LIMITED: batch size (" + bytes + " bytes) exceeds ingestion limit " + limit + " while adding " + bytes
                    + " bytes for user " + tenant + ". consider reducing batch size or increasing rate limit.");
        }
        return Optional.of("RATE_LIMITED: ingestion rate limit " + limit + " exceeded while adding " + bytes + " bytes for user " + tenant
                + ". consider increasing the limit or reducing ingestion rate.");
    }

    private static final class Bucket {
        long rate;
        long burst;
        double tokens;
        long lastNanos;

        Bucket(long rate, long burst, long lastNanos) {
            this.rate = rate;
            this.burst = burst;
            this.tokens = burst;
            this.lastNanos = lastNanos;
        }
    }
}
