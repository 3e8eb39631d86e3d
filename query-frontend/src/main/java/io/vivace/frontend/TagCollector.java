package io.vivace.frontend;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.proto.tempopb.MetadataMetrics;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.OtlpTraceData.OtlpSpan;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.traceql.MatchedSpan;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.SpanData;
import io.vivace.common.traceql.TraceMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the spans of the traces in range (only the spans a {@code q} filter selects, when there is one) and hands
 * each to a {@link TagSink} that gathers tag names or values. Tag queries read everything in range. Thread-safe.
 */
final class TagCollector implements ScanJob {

    /** Gathers names or values from spans. Called under the collector's lock. */
    interface TagSink {
        void add(OtlpTraceData trace, OtlpSpan span);

        /** True once the sink holds as many bytes as a tag query may gather; the scan then stops. */
        boolean full();
    }

    private final TagQuery query;
    private final TagSink sink;
    private final MetadataMetrics.Builder metrics = MetadataMetrics.newBuilder();
    private volatile boolean cancelled;

    TagCollector(TagQuery query, TagSink sink) {
        this.query = query;
        this.sink = sink;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public synchronized boolean done() {
        return cancelled || sink.full();
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
    public synchronized void jobCompleted() {
        metrics.setCompletedJobs(metrics.getCompletedJobs() + 1);
    }

    synchronized MetadataMetrics metrics() {
        return metrics.build();
    }

    @Override
    public void inspect(TracesData data, TimeWindow window) {
        OtlpTraceData trace = OtlpTraceData.of(data);
        if (trace.spans().isEmpty() || !window.overlaps(trace.startNanos(), trace.endNanos())) {
            countBytes(data);
            return;
        }
        List<OtlpSpan> spans;
        if (query.filter() == null) {
            spans = trace.spans();
        } else {
            Optional<TraceMatch> match = query.filter().evaluate(trace);
            if (match.isEmpty()) {
                countBytes(data);
                return;
            }
            spans = new ArrayList<>();
            for (MatchedSpanset set : match.get().spansets()) {
                for (MatchedSpan m : set.spans()) {
                    SpanData span = m.span();
                    spans.add((OtlpSpan) span);
                }
            }
        }
        synchronized (this) {
            metrics.setInspectedBytes(metrics.getInspectedBytes() + data.getSerializedSize());
            for (OtlpSpan span : spans) {
                sink.add(trace, span);
            }
        }
    }

    private synchronized void countBytes(TracesData data) {
        metrics.setInspectedBytes(metrics.getInspectedBytes() + data.getSerializedSize());
    }
}
