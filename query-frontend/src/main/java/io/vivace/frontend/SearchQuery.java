package io.vivace.frontend;

import io.vivace.common.query.TimeWindow;

/**
 * A validated search: what matches, how many traces and spans per spanset to return, and the windows read in recent
 * data and in backend blocks (the same when the caller gave a range).
 */
record SearchQuery(TraceMatcher matcher, int limit, int spansPerSpanset, long minDurationNanos, long maxDurationNanos,
                   QueryRange range) {

    boolean durationAccepted(long durationNanos) {
        return durationNanos >= minDurationNanos && (maxDurationNanos == 0 || durationNanos <= maxDurationNanos);
    }

    /** The time range of a search or tag query, split into what recent data and backend blocks are asked for. */
    record QueryRange(TimeWindow recent, TimeWindow blocks) {
    }
}
