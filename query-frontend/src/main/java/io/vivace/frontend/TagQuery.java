package io.vivace.frontend;

import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLParseException;
import io.vivace.common.traceql.TraceQLQuery;

/** A validated tag-name or tag-value query: an optional TraceQL span filter, a result cap and the range. */
record TagQuery(SearchEngine filter, int limit, SearchQuery.QueryRange range) {

    /** Tempo ignores a {@code q} that does not parse and returns the unfiltered list; so does this. */
    static SearchEngine filter(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        try {
            TraceQLQuery query = TraceQL.parse(q);
            return query.isMetrics() ? null : new SearchEngine(query);
        } catch (TraceQLParseException e) {
            return null;
        }
    }

    static int limit(String value) throws BadRequestException {
        return value == null || value.isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, QueryParameters.uint32("limit", value));
    }
}
