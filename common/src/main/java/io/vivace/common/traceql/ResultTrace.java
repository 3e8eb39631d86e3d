package io.vivace.common.traceql;

import java.util.Map;

/**
 * A whole trace with the trace-level values a search result shows besides the engine's: its time range and, per
 * service, how many spans and errors it has. Implemented over OTLP (recent data) and over block columns.
 */
public interface ResultTrace extends TraceData {

    /** Earliest span start, 0 for a trace without spans. */
    long startNanos();

    /** Latest span end, 0 for a trace without spans. */
    long endNanos();

    @Override
    default long durationNanos() {
        return endNanos() - startNanos();
    }

    /** Spans and error spans per resource {@code service.name} ("" for none). */
    Map<String, ServiceCounts> serviceStats();

    record ServiceCounts(int spans, int errors) {
    }
}
