package io.vivace.bench.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.proto.tempopb.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a regenerated trace with the trace a server returned, span by span (matched on span ID). Attributes
 * are compared as sets; events and links as multisets; resource attributes and scope per span, since a server
 * may regroup spans under resources and scopes differently.
 */
final class TraceComparator {
    private static final HexFormat HEX = HexFormat.of();

    private TraceComparator() {}

    /** The result for one trace; {@code diffs} holds one readable line per missing, altered or unexpected span. */
    record TraceCheck(int expectedSpans, int foundSpans, int missingSpans, int alteredSpans, int unexpectedSpans,
                      List<String> diffs) {
        boolean clean() {
            return missingSpans == 0 && alteredSpans == 0 && unexpectedSpans == 0;
        }
    }

    private record ActualSpan(Resource resource, InstrumentationScope scope, Span span) {}

    static TraceCheck compare(String traceIdHex, List<SyntheticTraces.GeneratedSpan> expected, Trace actual) {
        Map<ByteString, ActualSpan> actualById = new LinkedHashMap<>();
        List<String> diffs = new ArrayList<>();
        int unexpected = 0;
        for (ResourceSpans rs : actual.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if (actualById.putIfAbsent(span.getSpanId(), new ActualSpan(rs.getResource(), ss.getScope(), span)) != null) {
                        unexpected++;
                        diffs.add(prefix(traceIdHex, span.getSpanId()) + "returned more than once");
                    }
                }
            }
        }

        int found = 0;
        int missing = 0;
        int altered = 0;
        for (SyntheticTraces.GeneratedSpan want : expected) {
            ActualSpan got = actualById.remove(want.span().getSpanId());
            if (got == null) {
                missing++;
                diffs.add(prefix(traceIdHex, want.span().getSpanId()) + "missing (" + want.span().getName() + ")");
                continue;
            }
            found++;
            List<String> spanDiffs = diffSpan(want, got);
            if (!spanDiffs.isEmpty()) {
                altered++;
                diffs.add(prefix(traceIdHex, want.span().getSpanId()) + String.join("; ", spanDiffs));
            }
        }
        for (ActualSpan extra : actualById.values()) {
            unexpected++;
            diffs.add(prefix(traceIdHex, extra.span().getSpanId()) + "unexpected span (" + extra.span().getName() + ")");
        }
        return new TraceCheck(expected.size(), found, missing, altered, unexpected, diffs);
    }

    private static List<String> diffSpan(SyntheticTraces.GeneratedSpan want, ActualSpan got) {
        Span e = want.span();
        Span a = got.span();
        List<String> d = new ArrayList<>();
        field(d, "trace id", hex(e.getTraceId()), hex(a.getTraceId()));
        field(d, "parent span id", hex(e.getParentSpanId()), hex(a.getParentSpanId()));
        field(d, "name", quote(e.getName()), quote(a.getName()));
        field(d, "kind", e.getKind().name(), a.getKind().name());
        field(d, "start", Long.toString(e.getStartTimeUnixNano()), Long.toString(a.getStartTimeUnixNano()));
        field(d, "end", Long.toString(e.getEndTimeUnixNano()), Long.toString(a.getEndTimeUnixNano()));
        field(d, "status", e.getStatus().getCode().name() + " " + quote(e.getStatus().getMessage()),
            a.getStatus().getCode().name() + " " + quote(a.getStatus().getMessage()));
        attributes(d, "attributes", e.getAttributesList(), a.getAttributesList());
        multiset(d, "events", e.getEventsList().stream().map(TraceComparator::event).toList(),
            a.getEventsList().stream().map(TraceComparator::event).toList());
        multiset(d, "links", e.getLinksList().stream().map(TraceComparator::link).toList(),
            a.getLinksList().stream().map(TraceComparator::link).toList());
        attributes(d, "resource", want.resource().getAttributesList(), got.resource().getAttributesList());
        field(d, "scope", scope(want.scope()), scope(got.scope()));
        return d;
    }

    private static void field(List<String> diffs, String name, String expected, String actual) {
        if (!expected.equals(actual)) diffs.add(name + ": expected " + expected + ", got " + actual);
    }

    private static void attributes(List<String> diffs, String name, List<KeyValue> expected, List<KeyValue> actual) {
        Map<String, AnyValue> want = attributeMap(expected);
        Map<String, AnyValue> got = attributeMap(actual);
        if (want.equals(got)) return;
        List<String> parts = new ArrayList<>();
        want.forEach((key, value) -> {
            AnyValue other = got.get(key);
            if (other == null) parts.add("missing " + key + "=" + format(value));
            else if (!other.equals(value)) parts.add(key + " " + format(value) + " -> " + format(other));
        });
        got.forEach((key, value) -> {
            if (!want.containsKey(key)) parts.add("unexpected " + key + "=" + format(value));
        });
        diffs.add(name + ": " + String.join(", ", parts));
    }

    private static void multiset(List<String> diffs, String name, List<String> expected, List<String> actual) {
        List<String> want = expected.stream().sorted().toList();
        List<String> got = actual.stream().sorted().toList();
        if (!want.equals(got)) diffs.add(name + ": expected " + want + ", got " + got);
    }

    private static Map<String, AnyValue> attributeMap(List<KeyValue> attributes) {
        Map<String, AnyValue> map = new HashMap<>();
        for (KeyValue kv : attributes) map.put(kv.getKey(), kv.getValue());
        return map;
    }

    private static String event(Span.Event event) {
        return event.getName() + "@" + event.getTimeUnixNano() + sortedAttributes(event.getAttributesList());
    }

    private static String link(Span.Link link) {
        return hex(link.getTraceId()) + "/" + hex(link.getSpanId()) + " state=" + quote(link.getTraceState())
            + sortedAttributes(link.getAttributesList());
    }

    private static String scope(InstrumentationScope scope) {
        return quote(scope.getName()) + " " + quote(scope.getVersion()) + sortedAttributes(scope.getAttributesList());
    }

    private static String sortedAttributes(List<KeyValue> attributes) {
        return attributes.stream().map(kv -> kv.getKey() + "=" + format(kv.getValue())).sorted().toList().toString();
    }

    static String format(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> quote(v.getStringValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue()) + "d";
            case BYTES_VALUE -> "0x" + hex(v.getBytesValue());
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(TraceComparator::format).toList().toString();
            case KVLIST_VALUE -> "{" + String.join(", ", v.getKvlistValue().getValuesList().stream()
                .map(kv -> kv.getKey() + "=" + format(kv.getValue())).toList()) + "}";
            case VALUE_NOT_SET -> "<unset>";
            // Newer OTLP versions add value kinds; show their type rather than failing.
            default -> "<" + v.getValueCase() + ">";
        };
    }

    private static String prefix(String traceIdHex, ByteString spanId) {
        return "trace " + traceIdHex + " span " + hex(spanId) + ": ";
    }

    private static String hex(ByteString bytes) {
        return HEX.formatHex(bytes.toByteArray());
    }

    private static String quote(String s) {
        return '"' + Objects.toString(s, "") + '"';
    }
}
