package io.vivace.frontend;

import io.vivace.common.config.GoDuration;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLParseException;
import io.vivace.common.traceql.TraceQLQuery;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Validates {@code /api/search} parameters with Tempo's rules and messages (reference api.md §2.6). */
final class SearchQueryParser {

    static final int DEFAULT_LIMIT = 20;
    static final long MAX_LIMIT = 262_144;
    static final int DEFAULT_SPANS_PER_SPANSET = 3;
    static final long MAX_SPANS_PER_SPANSET = 100;
    static final int MAX_QUERY_BYTES = 128 * 1024;
    private static final Set<String> RESERVED = Set.of("q", "tags", "start", "end", "limit", "spss", "minDuration",
            "maxDuration", "since", "skip_ast_transformations");

    private final QueryParameters parameters;

    SearchQueryParser(QueryParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * {@code param} reads one query parameter (null when absent); {@code names} lists all present. The range and the
     * limit are checked against {@code limits}, the read limits of the query's tenants.
     */
    SearchQuery parse(Function<String, String> param, Iterable<String> names, ReadLimits limits) throws BadRequestException {
        String q = param.apply("q");
        String tags = param.apply("tags");
        boolean hasQ = q != null && !q.isEmpty();
        boolean hasTags = tags != null && !tags.isEmpty();
        if (hasQ && hasTags) {
            throw new BadRequestException("invalid request: can't specify tags and q in the same query");
        }
        TraceMatcher matcher;
        if (hasQ) {
            matcher = TraceQlMatcher.of(traceQl(q));
        } else if (hasTags) {
            matcher = new TagsMatcher(LogfmtTags.parse(tags));
        } else {
            Map<String, String> legacy = new LinkedHashMap<>();
            if (param.apply("start") == null && param.apply("end") == null) {
                for (String name : names) {
                    if (!RESERVED.contains(name)) {
                        legacy.put(name, param.apply(name));
                    }
                }
            }
            matcher = new TagsMatcher(legacy);
        }
        long minNanos = duration("minDuration", param.apply("minDuration"));
        long maxNanos = duration("maxDuration", param.apply("maxDuration"));
        if (maxNanos != 0 && maxNanos < minNanos) {
            throw new BadRequestException("invalid maxDuration: must be greater than minDuration");
        }
        int limit = limit(param.apply("limit"), limits);
        int spss = spansPerSpanset(param.apply("spss"));
        return new SearchQuery(matcher, limit, spss, minNanos, maxNanos, parameters.range(param.apply("start"), param.apply("end"), limits));
    }

    static TraceQLQuery traceQl(String q) throws BadRequestException {
        if (q.length() > MAX_QUERY_BYTES) {
            throw new BadRequestException("TraceQL expression exceeds the configured maximum size of " + MAX_QUERY_BYTES
                    + " bytes, consider reducing its size");
        }
        TraceQLQuery query;
        try {
            query = TraceQL.parse(q);
        } catch (TraceQLParseException e) {
            throw new BadRequestException("invalid TraceQL query: " + e.getMessage());
        }
        if (query.isMetrics()) {
            throw new BadRequestException("invalid TraceQL query: a metrics query cannot be used for search; use /api/metrics/query_range");
        }
        return query;
    }

    /**
     * A limit above the tenant's maximum is refused with Tempo's message rather than clamped, so a caller never
     * mistakes a cut-off list for the complete answer; without a limit the default applies, lowered to the maximum.
     */
    static int limit(String value, ReadLimits limits) throws BadRequestException {
        if (value == null || value.isEmpty()) {
            return (int) Math.min(DEFAULT_LIMIT, limits.maxResults());
        }
        long limit = QueryParameters.uint32("limit", value);
        if (limit == 0) {
            throw new BadRequestException("invalid limit: must be a positive number");
        }
        if (limit > limits.maxResults()) {
            throw new BadRequestException("limit " + limit + " exceeds max limit " + limits.maxResults() + " ("
                    + limits.maxResultsSource() + ")");
        }
        return (int) limit;
    }

    static int spansPerSpanset(String value) throws BadRequestException {
        if (value == null || value.isEmpty()) {
            return DEFAULT_SPANS_PER_SPANSET;
        }
        long spss = QueryParameters.uint32("spss", value);
        if (spss > MAX_SPANS_PER_SPANSET) {
            throw new BadRequestException("spans per span set exceeds " + MAX_SPANS_PER_SPANSET + ". received " + spss);
        }
        return (int) spss;
    }

    private static long duration(String name, String value) throws BadRequestException {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            // Tempo keeps whole milliseconds.
            return GoDuration.parse(value).toMillis() * 1_000_000L;
        } catch (RuntimeException e) {
            throw new BadRequestException("invalid " + name + ": time: invalid duration \"" + value + "\"");
        }
    }
}
