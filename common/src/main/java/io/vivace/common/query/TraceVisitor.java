package io.vivace.common.query;

import io.opentelemetry.proto.trace.v1.TracesData;

/** Receives the traces a {@link TraceScanSource} reads, and tells it when to stop (limit reached, cancelled). */
public interface TraceVisitor {

    /**
     * One trace, combined from every part the source holds (a source never hands the same trace twice).
     * Returns false to stop the scan.
     */
    boolean visit(TracesData trace);

    /** A backend block is about to be read; returns false to stop the scan before it. */
    default boolean startBlock(long sizeBytes) {
        return true;
    }

    /** The block started last has been read completely. */
    default void endBlock() {
    }
}
