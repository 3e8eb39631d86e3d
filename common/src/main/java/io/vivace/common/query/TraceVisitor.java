package io.vivace.common.query;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SpanFields;

/** Receives the traces a {@link TraceScanSource} reads, and tells it when to stop (limit reached, cancelled). */
public interface TraceVisitor {

    /**
     * One trace, combined from every part the source holds (a source never hands the same trace twice).
     * Returns false to stop the scan.
     */
    boolean visit(TracesData trace);

    /**
     * What a source may use to skip traces that cannot match (decision 0102): it may still hand over traces that do
     * not match, never drop one that does. Null (the default): every trace is wanted.
     */
    default FetchConditions fetchConditions() {
        return null;
    }

    /**
     * What the visitor reads of a trace when it takes traces read from only those columns of a block
     * ({@link #visitColumns}); null (the default): it takes OTLP traces only. A source may then hand over any whole
     * trace either way.
     */
    default SpanFields spanFields() {
        return null;
    }

    /**
     * One whole trace with what {@link #spanFields()} names (only called when that is not null). Returns false to
     * stop the scan.
     */
    default boolean visitColumns(ResultTrace trace) {
        throw new UnsupportedOperationException("this visitor takes OTLP traces only");
    }

    /**
     * False once no more traces are wanted (limit reached, request cancelled). A source that skips many traces
     * without calling {@link #visit} checks it in between, so a cancelled search stops reading.
     */
    default boolean wantsMore() {
        return true;
    }

    /** A backend block is about to be read; returns false to stop the scan before it. */
    default boolean startBlock(long sizeBytes) {
        return true;
    }

    /** The block started last has been read completely. */
    default void endBlock() {
    }
}
