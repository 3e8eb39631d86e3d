package io.vivace.common.traceql;

import java.util.List;

/**
 * One trace (or the fragment of it held by one block or ingester) as the engine sees it. Storage implements this
 * over its own representation; only {@link #traceId()} and {@link #spans()} are required, the trace-level
 * intrinsics have defaults computed from the spans that a store with summary columns should override.
 */
public interface TraceData {

    /** The trace ID as lowercase hex (leading zeros allowed; {@code trace:id} compares without them). */
    String traceId();

    /** All spans of the trace; the order is kept in results. */
    List<? extends SpanData> spans();

    /** {@code traceDuration}: latest span end minus earliest span start, in nanoseconds. */
    default long durationNanos() {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (SpanData s : spans()) {
            start = Math.min(start, s.startUnixNanos());
            end = Math.max(end, s.startUnixNanos() + s.durationNanos());
        }
        return end >= start ? end - start : 0;
    }

    /** The root span (first span without a parent), or null when it was not received. */
    default SpanData rootSpan() {
        for (SpanData s : spans()) {
            if (s.parentSpanId() == null || s.parentSpanId().isEmpty()) {
                return s;
            }
        }
        return null;
    }

    /** {@code rootName}; null when the root span was not received. */
    default String rootSpanName() {
        SpanData root = rootSpan();
        return root == null ? null : root.name();
    }

    /** {@code rootServiceName}; null when the root span was not received. */
    default String rootServiceName() {
        SpanData root = rootSpan();
        return root == null ? null : root.serviceName();
    }
}
