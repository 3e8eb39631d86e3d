package io.vivace.frontend;

import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.MatchedSpanset;
import java.util.List;
import java.util.Optional;

/** Decides whether a trace is a search result and with which spansets (none for the old tag search). */
interface TraceMatcher {

    Optional<List<MatchedSpanset>> match(OtlpTraceData trace);

    /** What block scans may use to skip traces that cannot match; null: every trace is inspected. */
    default FetchConditions fetchConditions() {
        return null;
    }
}
