package io.vivace.frontend;

import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.TraceMatch;
import io.vivace.common.traceql.TraceQLQuery;
import java.util.List;
import java.util.Optional;

/** A TraceQL search query as a matcher. */
record TraceQlMatcher(SearchEngine engine, FetchConditions fetchConditions, SpanFields spanFields) implements TraceMatcher {

    static TraceQlMatcher of(TraceQLQuery query) {
        return new TraceQlMatcher(new SearchEngine(query), query.fetchConditions(), SpanFields.of(query));
    }

    @Override
    public Optional<List<MatchedSpanset>> match(ResultTrace trace) {
        return engine.evaluate(trace).map(TraceMatch::spansets);
    }
}
