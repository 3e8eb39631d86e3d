package io.vivace.frontend;

import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.OtlpTraceData.OtlpSpan;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.StatusCode;
import io.vivace.common.traceql.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pre-TraceQL tag search ({@code tags=service.name=x name=y}), with Tempo's block-search rules: service and
 * span names (also of the root) match as case-sensitive substrings, {@code status.code} by keyword, every other
 * key exactly against a span or resource string attribute. Every tag must hold somewhere in the trace.
 */
record TagsMatcher(Map<String, String> tags) implements TraceMatcher {

    @Override
    public Optional<List<MatchedSpanset>> match(ResultTrace data) {
        if (!(data instanceof OtlpTraceData trace)) {
            throw new IllegalArgumentException("the tag search reads OTLP traces (it names no span fields)");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!holds(trace, tag.getKey(), tag.getValue())) {
                return Optional.empty();
            }
        }
        return Optional.of(List.of());
    }

    private static boolean holds(OtlpTraceData trace, String key, String value) {
        switch (key) {
            case "root.service.name" -> {
                String root = trace.rootServiceName();
                return root != null && root.contains(value);
            }
            case "root.name" -> {
                String root = trace.rootSpanName();
                return root != null && root.contains(value);
            }
            default -> {
                for (OtlpSpan span : trace.spans()) {
                    if (spanHolds(span, key, value)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static boolean spanHolds(OtlpSpan span, String key, String value) {
        return switch (key) {
            case "service.name" -> span.serviceName().contains(value);
            case "name" -> span.name().contains(value);
            case "status.code" -> {
                StatusCode s = span.status();
                yield s.keyword().equals(value);
            }
            default -> value.equals(stringValue(span.spanAttributes().get(key)))
                    || value.equals(stringValue(span.resourceAttributes().get(key)));
        };
    }

    private static String stringValue(Value v) {
        return v instanceof Value.StringValue s ? s.value() : null;
    }
}
