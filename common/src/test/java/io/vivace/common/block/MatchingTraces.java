package io.vivace.common.block;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.TraceData;
import io.vivace.common.traceql.TraceQLQuery;
import java.util.Set;
import java.util.TreeSet;

/** The IDs of the traces the engine matches, whichever way the scan hands them over (OTLP or columns). */
final class MatchingTraces implements TraceVisitor {
    private final SearchEngine engine;
    private final TraceQLQuery query;
    final Set<String> ids = new TreeSet<>();

    MatchingTraces(SearchEngine engine, TraceQLQuery query) {
        this.engine = engine;
        this.query = query;
    }

    @Override
    public FetchConditions fetchConditions() {
        return query.fetchConditions();
    }

    @Override
    public SpanFields spanFields() {
        return SpanFields.of(query);
    }

    @Override
    public boolean visit(TracesData trace) {
        return add(OtlpTraceData.of(trace));
    }

    @Override
    public boolean visitColumns(ResultTrace trace) {
        return add(trace);
    }

    private boolean add(TraceData trace) {
        if (engine.evaluate(trace).isPresent()) {
            ids.add(trace.traceId());
        }
        return true;
    }
}
