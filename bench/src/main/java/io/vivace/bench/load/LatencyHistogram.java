package io.vivace.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A thread-safe log-linear histogram of nanosecond latencies: exact below 128 ns, then 128 buckets per power of
 * two, so any percentile is within 0.8% of the true value. The maximum is exact.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB_COUNT;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts.incrementAndGet(index(v));
        total.incrementAndGet();
        max.accumulateAndGet(v, Math::max);
    }

    long count() {
        return total.get();
    }

    long maxNanos() {
        return max.get();
    }

    /** The latency at quantile {@code q} in [0, 1], or 0 when nothing was recorded. */
    long percentileNanos(double q) {
        long n = total.get();
        if (n == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * n));
        if (rank >= n) return max.get();
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) return Math.min(representative(i), max.get());
        }
        return max.get();
    }

    static int index(long v) {
        if (v < SUB_COUNT) return (int) v;
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int shift = exponent - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB_COUNT;
        return (shift + 1) * SUB_COUNT + sub;
    }

    /** The middle of bucket {@code i}. */
    static long representative(int i) {
        if (i < SUB_COUNT) return i;
        int shift = i / SUB_COUNT - 1;
        long low = (long) (i % SUB_COUNT + SUB_COUNT) << shift;
        return low + ((1L << shift) - 1) / 2;
    }
}
