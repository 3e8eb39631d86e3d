package io.vivace.frontend;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.proto.tempopb.SearchMetrics;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import io.vivace.common.block.ColumnTraceData;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SpanFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one running search: the results found so far (merged by trace ID), Tempo's search metrics, and
 * the traces changed since the last streamed diff. Sources scan through {@link #visitor}; the scan stops once
 * {@code limit} traces are found or the search is cancelled. Thread-safe.
 */
final class SearchCollector implements ScanJob {

    private final SearchQuery query;
    private final Runnable onProgress;
    private final Map<String, TraceSearchMetadata> traces = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final SearchMetrics.Builder metrics = SearchMetrics.newBuilder();
    private volatile boolean cancelled;

    SearchCollector(SearchQuery query, Runnable onProgress) {
        this.query = query;
        this.onProgress = onProgress;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public synchronized boolean done() {
        return cancelled || traces.size() >= query.limit();
    }

    @Override
    public FetchConditions fetchConditions() {
        return query.matcher().fetchConditions();
    }

    @Override
    public synchronized void blockStarted(long sizeBytes) {
        metrics.setTotalBlocks(metrics.getTotalBlocks() + 1).setTotalBlockBytes(metrics.getTotalBlockBytes() + sizeBytes);
    }

    @Override
    public synchronized void jobStarted() {
        metrics.setTotalJobs(metrics.getTotalJobs() + 1);
    }

    @Override
    public void jobCompleted() {
        synchronized (this) {
            metrics.setCompletedJobs(metrics.getCompletedJobs() + 1);
        }
        onProgress.run();
    }

    @Override
    public SpanFields spanFields() {
        return query.matcher().spanFields();
    }

    @Override
    public void inspect(TracesData data, TimeWindow window) {
        inspect(OtlpTraceData.of(data), data.getSerializedSize(), window);
    }

    @Override
    public void inspectColumns(ResultTrace trace, TimeWindow window) {
        inspect(trace, trace instanceof ColumnTraceData columns ? columns.readBytes() : 0, window);
    }

    /** @param bytes what the trace cost to read: its OTLP size, or the bytes read from a block's columns for it */
    private void inspect(ResultTrace trace, long bytes, TimeWindow window) {
        synchronized (this) {
            metrics.setInspectedTraces(metrics.getInspectedTraces() + 1)
                    .setInspectedBytes(metrics.getInspectedBytes() + bytes)
                    .setInspectedSpans(metrics.getInspectedSpans() + trace.spans().size());
        }
        if (trace.spans().isEmpty() || !window.overlaps(trace.startNanos(), trace.endNanos())
                || !query.durationAccepted(trace.durationNanos())) {
            return;
        }
        Optional<List<MatchedSpanset>> match = query.matcher().match(trace);
        if (match.isEmpty()) {
            return;
        }
        TraceSearchMetadata found = SearchResults.metadata(trace, match.get(), query.spansPerSpanset());
        synchronized (this) {
            TraceSearchMetadata known = traces.get(found.getTraceID());
            if (known == null && traces.size() >= query.limit()) {
                return;
            }
            TraceSearchMetadata merged = known == null ? found : SearchResults.merge(known, found);
            if (!merged.equals(known)) {
                traces.put(found.getTraceID(), merged);
                changed.add(found.getTraceID());
            }
        }
    }

    /** The traces new or changed since the previous diff, with the metrics so far (a streamed partial result). */
    synchronized SearchResponse diff() {
        List<TraceSearchMetadata> out = new ArrayList<>();
        for (String id : changed) {
            out.add(traces.get(id));
        }
        changed.clear();
        return SearchResponse.newBuilder().addAllTraces(out).setMetrics(metrics.build()).build();
    }

    /** The complete result: at most {@code limit} traces, newest start first. */
    synchronized SearchResponse result() {
        changed.clear();
        List<TraceSearchMetadata> out = new ArrayList<>(traces.values());
        out.sort(Comparator.comparingLong(TraceSearchMetadata::getStartTimeUnixNano).reversed());
        return SearchResponse.newBuilder()
                .addAllTraces(out.subList(0, Math.min(out.size(), query.limit())))
                .setMetrics(metrics.build())
                .build();
    }
}
