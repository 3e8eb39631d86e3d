package io.vivace.common.traceql;

/**
 * The time window of a metrics query in unix nanoseconds. A range query ({@code query_range}) splits
 * {@code (start, end]} into right-closed intervals of {@code step}, after aligning start down and end up to
 * multiples of the step (the frontend's extra step before start is its own business); an instant query
 * ({@code query}) is one interval {@code [start, end]}, both ends included.
 */
public record MetricsRequest(long startNanos, long endNanos, long stepNanos, boolean instant) {

    public MetricsRequest {
        if (endNanos <= startNanos) {
            throw new IllegalArgumentException("end must be after start");
        }
        if (!instant && stepNanos <= 0) {
            throw new IllegalArgumentException("step must be positive");
        }
    }

    public static MetricsRequest range(long startNanos, long endNanos, long stepNanos) {
        return new MetricsRequest(startNanos, endNanos, stepNanos, false);
    }

    public static MetricsRequest instant(long startNanos, long endNanos) {
        return new MetricsRequest(startNanos, endNanos, endNanos - startNanos, true);
    }

    long alignedStart() {
        return instant ? startNanos : Math.floorDiv(startNanos, stepNanos) * stepNanos;
    }

    long alignedEnd() {
        return instant ? endNanos : -Math.floorDiv(-endNanos, stepNanos) * stepNanos;
    }

    int intervals() {
        return instant ? 1 : (int) ((alignedEnd() - alignedStart()) / stepNanos);
    }

    /** The interval a span starting at {@code t} falls in, or -1 when outside the window. */
    int interval(long t) {
        if (instant) {
            return t >= startNanos && t <= endNanos ? 0 : -1;
        }
        long start = alignedStart();
        if (t <= start || t > alignedEnd()) {
            return -1;
        }
        return (int) ((t - start - 1) / stepNanos);
    }

    /** Sample timestamps: each interval's right edge ({@code end} for an instant query). */
    long[] timestamps() {
        long[] out = new long[intervals()];
        for (int i = 0; i < out.length; i++) {
            out[i] = instant ? endNanos : alignedStart() + (i + 1) * stepNanos;
        }
        return out;
    }

    /** Seconds covered by one interval ({@code rate()} divides by this). */
    double intervalSeconds() {
        return (instant ? endNanos - startNanos : stepNanos) / 1e9;
    }
}
