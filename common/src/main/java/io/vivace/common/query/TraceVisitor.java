package io.vivace.common.query;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.traceql.FetchConditions;

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
