package io.vivace.common.query;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Something that holds parts of traces and can find them by ID: the ingester's recent data, or backend blocks. */
public interface TraceByIdSource {

    /**
     * Returns every part of the trace this source holds (possibly several, possibly overlapping), empty when none.
     * {@code startSeconds}/{@code endSeconds} of 0 mean unbounded; they only narrow which blocks are read.
     */
    CompletableFuture<List<TracesData>> findTraceById(String tenant, TraceId id, long startSeconds, long endSeconds);
}
