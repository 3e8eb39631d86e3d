package io.vivace.common.query;

import java.time.Instant;

/** An inclusive time range in unix nanoseconds; a search reads the traces and blocks that overlap it. */
public record TimeWindow(long startNanos, long endNanos) {

    public static final TimeWindow ALL = new TimeWindow(Long.MIN_VALUE, Long.MAX_VALUE);

    public static TimeWindow ofSeconds(long startSeconds, long endSeconds) {
        return new TimeWindow(startSeconds * 1_000_000_000L, endSeconds * 1_000_000_000L);
    }

    public boolean overlaps(long start, long end) {
        return start <= endNanos && end >= startNanos;
    }

    /** Block times are whole seconds, so the block's last second counts in full. */
    public boolean overlaps(Instant blockStart, Instant blockEnd) {
        long start = blockStart.getEpochSecond() * 1_000_000_000L;
        long end = blockEnd.getEpochSecond() * 1_000_000_000L + 999_999_999L;
        return overlaps(start, end);
    }
}
