package io.vivace.common.traceql;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The power-of-two buckets of {@code quantile_over_time} and {@code histogram_over_time} (reference §2.11).
 */
final class Log2Buckets {

    private Log2Buckets() {
    }

    /** The bucket of a value: the smallest power of two ≥ it; -1 for values below 2 (dropped). */
    static long bucket(long value) {
        if (value < 2) {
            return -1;
        }
        long upper = Long.highestOneBit(value - 1) << 1;
        return upper <= 0 ? Long.MAX_VALUE : upper;
    }

    /**
     * The {@code q} quantile of samples counted per bucket upper bound (ascending): find the bucket holding the
     * {@code ceil(q·N)}-th sample (at least the first), then interpolate exponentially between the previous
     * bucket's bound (or half this one's) and this bound. 0 when there are no samples.
     */
    static double quantile(NavigableMap<Double, Long> buckets, double q) {
        long total = buckets.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return 0;
        }
        long wanted = Math.max(1, (long) Math.ceil(q * total));
        List<Map.Entry<Double, Long>> entries = List.copyOf(buckets.entrySet());
        long before = 0;
        int k = 0;
        for (; k < entries.size() - 1; k++) {
            if (before + entries.get(k).getValue() >= wanted) {
                break;
            }
            before += entries.get(k).getValue();
        }
        double fraction = (double) (wanted - before) / entries.get(k).getValue();
        double upper = log2(entries.get(k).getKey());
        double lower = k > 0 ? log2(entries.get(k - 1).getKey()) : upper - 1;
        return Math.pow(2, lower + (upper - lower) * fraction);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
