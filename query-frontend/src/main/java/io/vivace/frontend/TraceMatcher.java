package io.vivace.frontend;

import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SpanFields;
import java.util.List;
import java.util.Optional;

/** Decides whether a trace is a search result and with which spansets (none for the old tag search). */
interface TraceMatcher {

    /** @param trace an {@code OtlpTraceData}, or a trace with what {@link #spanFields()} names when that is not null */
    Optional<List<MatchedSpanset>> match(ResultTrace trace);

    /** What block scans may use to skip traces that cannot match; null: every trace is inspected. */
    default FetchConditions fetchConditions() {
        return null;
    }

    /** What the matcher reads of a trace when block scans may hand it traces read from columns; null: OTLP only. */
    default SpanFields spanFields() {
        return null;
    }
}
