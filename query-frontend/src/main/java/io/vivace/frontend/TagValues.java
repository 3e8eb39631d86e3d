package io.vivace.frontend;

import io.vivace.common.proto.tempopb.MetadataMetrics;
import io.vivace.common.proto.tempopb.SearchTagValuesResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.proto.tempopb.TagValue;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.OtlpTraceData.OtlpSpan;
import io.vivace.common.traceql.Attribute;
import io.vivace.common.traceql.AttributeScope;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLParseException;
import io.vivace.common.traceql.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Collects the typed values of one attribute or intrinsic, and answers the tag-value endpoints (api.md §2.9, §2.10). */
final class TagValues implements TagCollector.TagSink {

    private static final List<String> STATUS_KEYWORDS = List.of("ok", "error", "unset");
    private static final List<String> KIND_KEYWORDS = List.of("client", "server", "producer", "consumer", "internal",
            "unspecified");

    private final Attribute attribute;
    private final Set<TagValue> values = new LinkedHashSet<>();
    private final TagBytes bytes;

    /** {@code maxBytes}: the most value bytes gathered (Tempo's {@code max_bytes_per_tag_values_query}); 0 = no cap. */
    TagValues(Attribute attribute, long maxBytes) {
        this.attribute = attribute;
        this.bytes = new TagBytes(maxBytes);
    }

    @Override
    public boolean full() {
        return bytes.full();
    }

    /** v2 tag names are TraceQL identifiers: {@code resource.service.name}, {@code .foo}, {@code name}, {@code span:id}. */
    static Attribute parseV2(String tagName) throws BadRequestException {
        try {
            Set<Attribute> selected = TraceQL.parse("{} | select(" + tagName + ")").fetchConditions().resultAttributes();
            if (selected.size() == 1) {
                return selected.iterator().next();
            }
        } catch (TraceQLParseException e) {
            throw new BadRequestException("please provide a valid tagName: " + e.getMessage());
        }
        throw new BadRequestException("please provide a valid tagName: " + tagName);
    }

    /** The keyword answers for {@code status} and {@code kind}, the empty one for durations; null when data is needed. */
    static SearchTagValuesV2Response v2Shortcut(Attribute a, MetadataMetrics metrics) {
        List<String> keywords = switch (a.intrinsic()) {
            case STATUS -> STATUS_KEYWORDS;
            case KIND -> KIND_KEYWORDS;
            case DURATION, TRACE_DURATION, EVENT_TIME_SINCE_START -> List.of();
            default -> null;
        };
        if (keywords == null) {
            return null;
        }
        SearchTagValuesV2Response.Builder out = SearchTagValuesV2Response.newBuilder().setMetrics(metrics);
        keywords.forEach(k -> out.addTagValues(TagValue.newBuilder().setType("keyword").setValue(k)));
        return out.build();
    }

    @Override
    public void add(OtlpTraceData trace, OtlpSpan span) {
        if (attribute.isIntrinsic()) {
            switch (attribute.intrinsic()) {
                case NAME -> addString(span.name());
                case STATUS_MESSAGE -> addString(span.statusMessage());
                case SPAN_ID -> addString(span.spanId());
                case PARENT_ID -> addString(span.parentSpanId());
                case ROOT_NAME -> addString(trace.rootSpanName());
                case ROOT_SERVICE_NAME -> addString(trace.rootServiceName());
                case TRACE_ID -> addString(SearchResults.traceIdForSearch(trace.traceId()));
                case INSTRUMENTATION_NAME -> addString(span.scopeName());
                case INSTRUMENTATION_VERSION -> addString(span.scopeVersion());
                case EVENT_NAME -> span.events().forEach(e -> addString(e.name()));
                case LINK_TRACE_ID -> span.links().forEach(l -> addString(l.traceId()));
                case LINK_SPAN_ID -> span.links().forEach(l -> addString(l.spanId()));
                case KIND -> add(Value.of(span.kind()));
                case STATUS -> add(Value.of(span.status()));
                default -> {
                }
            }
            return;
        }
        String name = attribute.name();
        switch (attribute.scope()) {
            case SPAN -> add(span.spanAttributes().get(name));
            case RESOURCE -> add(span.resourceAttributes().get(name));
            case INSTRUMENTATION -> add(span.instrumentationAttributes().get(name));
            case EVENT -> span.events().forEach(e -> add(e.attributes().get(name)));
            case LINK -> span.links().forEach(l -> add(l.attributes().get(name)));
            default -> {
                add(span.spanAttributes().get(name));
                add(span.resourceAttributes().get(name));
            }
        }
    }

    private void addString(String s) {
        if (s != null && !s.isEmpty()) {
            put("string", s);
        }
    }

    private void put(String type, String value) {
        if (bytes.fits(value) && values.add(TagValue.newBuilder().setType(type).setValue(value).build())) {
            bytes.add(value);
        }
    }

    private void add(Value v) {
        if (v == null) {
            return;
        }
        switch (v) {
            case Value.StringValue s -> put("string", s.value());
            case Value.IntValue i -> put("int", Long.toString(i.value()));
            case Value.FloatValue f -> put("float", formatFloat(f.value()));
            case Value.BoolValue b -> put("bool", Boolean.toString(b.value()));
            case Value.ArrayValue a -> a.elements().forEach(this::add);
            case Value.StatusValue s -> put("keyword", s.status().keyword());
            case Value.KindValue k -> put("keyword", k.kind().keyword());
            case Value.DurationValue d -> put("duration", d.toString());
            case Value.NilValue n -> {
            }
        }
    }

    private static String formatFloat(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    SearchTagValuesV2Response v2(int limit, MetadataMetrics metrics) {
        List<TagValue> list = new ArrayList<>(values);
        if (limit > 0 && list.size() > limit) {
            list = list.subList(0, limit);
        }
        return SearchTagValuesV2Response.newBuilder().addAllTagValues(list).setMetrics(metrics).build();
    }

    /** v1: sorted strings of every type, plus Tempo's virtual values for {@code status.code} and {@code error}. */
    SearchTagValuesResponse v1(String tagName, int limit, MetadataMetrics metrics) {
        Set<String> out = new TreeSet<>();
        values.forEach(v -> out.add(v.getValue()));
        Map<String, List<String>> virtual = Map.of("status.code", List.of("unset", "ok", "error"), "error", List.of("true"));
        out.addAll(virtual.getOrDefault(tagName, List.of()));
        return SearchTagValuesResponse.newBuilder().addAllTagValues(TagNames.truncate(out, limit)).setMetrics(metrics).build();
    }

    /** The attribute a v1 tag name reads: an unscoped attribute (span, else resource). */
    static Attribute v1Attribute(String tagName) {
        return Attribute.of(AttributeScope.NONE, tagName);
    }

}
