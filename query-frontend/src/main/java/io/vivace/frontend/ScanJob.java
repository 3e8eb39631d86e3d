package io.vivace.frontend;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SpanFields;

/** What {@link SearchRunner} drives over the sources: a search or a tag query collecting its result. */
interface ScanJob {

    /** A visitor for one scan, keeping traces that overlap the window; it stops the scan once {@link #done()}. */
    default TraceVisitor visitor(TimeWindow window) {
        return new TraceVisitor() {
            @Override
            public boolean visit(TracesData trace) {
                inspect(trace, window);
                return !done();
            }

            @Override
            public FetchConditions fetchConditions() {
                return ScanJob.this.fetchConditions();
            }

            @Override
            public SpanFields spanFields() {
                return ScanJob.this.spanFields();
            }

            @Override
            public boolean visitColumns(ResultTrace trace) {
                inspectColumns(trace, window);
                return !done();
            }

            @Override
            public boolean wantsMore() {
                return !done();
            }

            @Override
            public boolean startBlock(long sizeBytes) {
                blockStarted(sizeBytes);
                jobStarted();
                return !done();
            }

            @Override
            public void endBlock() {
                jobCompleted();
            }
        };
    }

    /** Takes what the job needs from one trace of the scan. */
    void inspect(TracesData trace, TimeWindow window);

    /** What the job reads of traces a block scanner reads from columns ({@link #inspectColumns}); null: OTLP only. */
    default SpanFields spanFields() {
        return null;
    }

    /** Like {@link #inspect} for a whole trace read from the columns {@link #spanFields()} names. */
    default void inspectColumns(ResultTrace trace, TimeWindow window) {
        throw new UnsupportedOperationException("this job reads OTLP traces only");
    }

    /** The conditions a block scanner may test column by column before handing a trace over; null = none. */
    default FetchConditions fetchConditions() {
        return null;
    }

    /** Counts a backend block about to be read. */
    void blockStarted(long sizeBytes);

    /** True when no more data is needed (limit reached, cancelled). */
    boolean done();

    void jobStarted();

    void jobCompleted();
}
