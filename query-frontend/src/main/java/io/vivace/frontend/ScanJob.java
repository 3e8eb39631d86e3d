package io.vivace.frontend;

import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceVisitor;

/** What {@link SearchRunner} drives over the sources: a search or a tag query collecting its result. */
interface ScanJob {

    /** A visitor for one scan, keeping traces that overlap the window. */
    TraceVisitor visitor(TimeWindow window);

    /** True when no more data is needed (limit reached, cancelled). */
    boolean done();

    void jobStarted();

    void jobCompleted();
}
