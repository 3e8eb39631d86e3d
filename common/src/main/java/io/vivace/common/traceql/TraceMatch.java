package io.vivace.common.traceql;

import java.util.List;

/** A trace that matched a search query, with the spansets the pipeline produced for it (never empty). */
public record TraceMatch(TraceData trace, List<MatchedSpanset> spansets) {

    public TraceMatch {
        spansets = List.copyOf(spansets);
    }
}
