package io.vivace.frontend;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vivace.common.proto.tempopb.ServiceStats;
import io.vivace.common.proto.tempopb.Span;
import io.vivace.common.proto.tempopb.SpanSet;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import io.vivace.common.traceql.LoadedAttribute;
import io.vivace.common.traceql.MatchedSpan;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds Tempo's {@code TraceSearchMetadata} for a matched trace, and merges two of the same trace. */
final class SearchResults {

    static final String ROOT_NOT_RECEIVED = "<root span not yet received>";

    private SearchResults() {
    }

    static TraceSearchMetadata metadata(ResultTrace trace, List<MatchedSpanset> spansets, int spansPerSpanset) {
        TraceSearchMetadata.Builder out = TraceSearchMetadata.newBuilder()
                .setTraceID(traceIdForSearch(trace.traceId()))
                .setStartTimeUnixNano(trace.startNanos())
                .setDurationMs((int) Math.min(Integer.MAX_VALUE, trace.durationNanos() / 1_000_000));
        String rootService = trace.rootServiceName();
        out.setRootServiceName(rootService == null ? ROOT_NOT_RECEIVED : rootService);
        String rootName = trace.rootSpanName();
        if (rootName != null) {
            out.setRootTraceName(rootName);
        }
        new TreeMap<>(trace.serviceStats()).forEach((service, s) -> out.putServiceStats(service,
                ServiceStats.newBuilder().setSpanCount(s.spans()).setErrorCount(s.errors()).build()));
        for (MatchedSpanset set : spansets) {
            out.addSpanSets(spanSet(set, spansPerSpanset));
        }
        if (out.getSpanSetsCount() > 0) {
            out.setSpanSet(out.getSpanSets(0));
        }
        return out.build();
    }

    /** Lowercase hex without leading zeros, as Tempo's {@code TraceIDToHexString}. */
    static String traceIdForSearch(String hex) {
        int i = 0;
        while (i < hex.length() - 1 && hex.charAt(i) == '0') {
            i++;
        }
        return hex.substring(i);
    }

    static SpanSet spanSet(MatchedSpanset set, int spansPerSpanset) {
        SpanSet.Builder out = SpanSet.newBuilder().setMatched(set.matched());
        for (MatchedSpan m : set.firstSpans(spansPerSpanset)) {
            Span.Builder span = Span.newBuilder()
                    .setSpanID(m.span().spanId())
                    .setName(m.span().name())
                    .setStartTimeUnixNano(m.span().startUnixNanos())
                    .setDurationNanos(m.span().durationNanos());
            for (LoadedAttribute a : m.attributes()) {
                span.addAttributes(keyValue(a.key(), a.value()));
            }
            out.addSpans(span);
        }
        set.attributes().forEach((k, v) -> out.addAttributes(keyValue(k, v)));
        return out.build();
    }

    static KeyValue keyValue(String key, Value value) {
        return KeyValue.newBuilder().setKey(key).setValue(anyValue(value)).build();
    }

    /** Status and kind as their keywords and durations in Go's notation, as Tempo returns them. */
    static AnyValue anyValue(Value value) {
        AnyValue.Builder out = AnyValue.newBuilder();
        switch (value) {
            case Value.StringValue s -> out.setStringValue(s.value());
            case Value.IntValue i -> out.setIntValue(i.value());
            case Value.FloatValue f -> out.setDoubleValue(f.value());
            case Value.BoolValue b -> out.setBoolValue(b.value());
            case Value.StatusValue s -> out.setStringValue(s.status().keyword());
            case Value.KindValue k -> out.setStringValue(k.kind().keyword());
            case Value.DurationValue d -> out.setStringValue(d.toString());
            case Value.ArrayValue a -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                a.elements().forEach(e -> array.addValues(anyValue(e)));
                out.setArrayValue(array);
            }
            case Value.NilValue n -> out.setStringValue("nil");
        }
        return out.build();
    }

    /**
     * Two results for the same trace (parts found in different places, or the same trace seen twice): earliest
     * start, longest duration, a known root over an unknown one, the distinct spansets of both, and per service
     * the larger counts.
     */
    static TraceSearchMetadata merge(TraceSearchMetadata a, TraceSearchMetadata b) {
        TraceSearchMetadata.Builder out = a.toBuilder()
                .setStartTimeUnixNano(Math.min(a.getStartTimeUnixNano(), b.getStartTimeUnixNano()))
                .setDurationMs(Math.max(a.getDurationMs(), b.getDurationMs()));
        if (a.getRootServiceName().equals(ROOT_NOT_RECEIVED) && !b.getRootServiceName().isEmpty()) {
            out.setRootServiceName(b.getRootServiceName());
        }
        if (a.getRootTraceName().isEmpty()) {
            out.setRootTraceName(b.getRootTraceName());
        }
        Set<SpanSet> sets = new LinkedHashSet<>(a.getSpanSetsList());
        sets.addAll(b.getSpanSetsList());
        out.clearSpanSets().addAllSpanSets(new ArrayList<>(sets));
        if (!sets.isEmpty()) {
            out.setSpanSet(out.getSpanSets(0));
        }
        b.getServiceStatsMap().forEach((service, s) -> {
            ServiceStats mine = out.getServiceStatsOrDefault(service, ServiceStats.getDefaultInstance());
            out.putServiceStats(service, ServiceStats.newBuilder()
                    .setSpanCount(Math.max(mine.getSpanCount(), s.getSpanCount()))
                    .setErrorCount(Math.max(mine.getErrorCount(), s.getErrorCount())).build());
        });
        return out.build();
    }
}
