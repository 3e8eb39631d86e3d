package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: parse or fail, run a search on a trace and describe the result compactly. */
final class Queries {

    private Queries() {
    }

    static TraceQLQuery parse(String query) {
        try {
            return TraceQL.parse(query);
        } catch (TraceQLParseException e) {
            return fail("expected " + query + " to parse, got: " + e.getMessage());
        }
    }

    static TraceQLParseException parseError(String query) {
        try {
            TraceQLQuery q = TraceQL.parse(query);
            return fail("expected " + query + " to be rejected, parsed as " + q);
        } catch (TraceQLParseException e) {
            return e;
        }
    }

    /** Each output spanset as its sorted span labels joined by commas, the list sorted; empty = no match. */
    static List<String> run(String query, TraceData trace) {
        return new SearchEngine(parse(query)).evaluate(trace)
                .map(m -> m.spansets().stream().map(Queries::labels).sorted().toList())
                .orElse(List.of());
    }

    static String labels(MatchedSpanset s) {
        return s.spans().stream().map(span -> ((TestSpan) span.span()).label).sorted().collect(Collectors.joining(","));
    }

    /** Spansets as {@code "S1,S2 {by(span.foo)=Bar, count()=2}"} sorted. */
    static List<String> runWithAttributes(String query, TraceData trace) {
        List<String> out = new ArrayList<>();
        new SearchEngine(parse(query)).evaluate(trace).ifPresent(m -> m.spansets()
                .forEach(s -> out.add(labels(s) + " " + s.attributes())));
        out.sort(null);
        return out;
    }
}
