package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 10_000; v++) h.record(v * 1_000); // 1 µs .. 10 ms
        assertEquals(10_000, h.count());
        assertEquals(10_000_000, h.maxNanos());
        assertClose(5_000_000, h.percentileNanos(0.5));
        assertClose(9_000_000, h.percentileNanos(0.9));
        assertClose(9_900_000, h.percentileNanos(0.99));
        assertEquals(10_000_000, h.percentileNanos(1.0));
    }

    @Test
    void smallValuesAreExactAndEmptyIsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentileNanos(0.99));
        h.record(5);
        h.record(100);
        assertEquals(5, h.percentileNanos(0.5));
        assertEquals(100, h.percentileNanos(0.99));
    }

    @Test
    void bucketsCoverTheWholeRange() {
        assertTrue(LatencyHistogram.index(Long.MAX_VALUE) < (64 - 7) * 128);
        for (long v : new long[] {127, 128, 255, 256, 1_000_000_007L, Long.MAX_VALUE}) {
            long r = LatencyHistogram.representative(LatencyHistogram.index(v));
            assertTrue(Math.abs(r - v) <= v / 128.0, v + " -> " + r);
        }
    }

    private static void assertClose(long expected, long actual) {
        assertTrue(Math.abs(expected - actual) <= expected / 100, expected + " vs " + actual);
    }
}
