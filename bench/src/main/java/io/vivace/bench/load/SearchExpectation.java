package io.vivace.bench.load;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a search over the sent traces must return, decided by Vivace's TraceQL engine on the regenerated traces:
 * every returned trace is one that was sent and matches the query, and when fewer than {@code limit} come back,
 * exactly that many of the sent traces match.
 */
final class SearchExpectation {
    private final SyntheticTraces generator;
    private final long traces;
    private Map<String, Long> indexByTraceId;

    SearchExpectation(SyntheticTraces generator, long traces) {
        this.generator = generator;
        this.traces = traces;
    }

    /** What is wrong with the trace IDs one search returned; empty when nothing is. */
    List<String> problems(String query, List<String> returnedTraceIds, int limit) {
        SearchEngine engine;
        try {
            engine = new SearchEngine(TraceQL.parse(query));
        } catch (TraceQLParseException e) {
            return List.of("the query does not parse here: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (returnedTraceIds.size() > limit) {
            problems.add(returnedTraceIds.size() + " traces returned, more than the limit " + limit);
        }
        for (String id : returnedTraceIds) {
            Long index = indexByTraceId().get(withoutLeadingZeros(id));
            if (index == null) {
                problems.add("trace " + id + " was not sent by this run");
            } else if (!matches(engine, index)) {
                problems.add("trace " + id + " does not match");
            }
        }
        if (returnedTraceIds.size() < limit) {
            long expected = 0;
            for (long i = 0; i < traces; i++) {
                if (matches(engine, i)) expected++;
            }
            if (expected != returnedTraceIds.size()) {
                problems.add(returnedTraceIds.size() + " traces returned, " + expected + " of the sent traces match");
            }
        }
        return problems;
    }

    private boolean matches(SearchEngine engine, long index) {
        TracesData trace = TracesData.newBuilder()
            .addAllResourceSpans(SyntheticTraces.toRequest(generator.trace(index)).getResourceSpansList())
            .build();
        return engine.evaluate(OtlpTraceData.of(trace)).isPresent();
    }

    private Map<String, Long> indexByTraceId() {
        if (indexByTraceId == null) {
            indexByTraceId = new HashMap<>();
            for (long i = 0; i < traces; i++) indexByTraceId.put(withoutLeadingZeros(generator.traceIdHex(i)), i);
        }
        return indexByTraceId;
    }

    /** Tempo prints trace IDs in search results without leading zeros. */
    private static String withoutLeadingZeros(String hex) {
        int start = 0;
        while (start < hex.length() - 1 && hex.charAt(start) == '0') start++;
        return hex.substring(start).toLowerCase(Locale.ROOT);
    }
}
