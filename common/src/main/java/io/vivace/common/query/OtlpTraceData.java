package io.vivace.common.query;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.traceql.AttributeScope;
import io.vivace.common.traceql.EventData;
import io.vivace.common.traceql.LinkData;
import io.vivace.common.traceql.NestedSetNumbering;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SpanData;
import io.vivace.common.traceql.SpanKind;
import io.vivace.common.traceql.StatusCode;
import io.vivace.common.traceql.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One whole trace in OTLP form as the TraceQL engine sees it: spans in OTLP order with nested-set numbers computed
 * over all of them, and the trace-level values (start, end, root span) the search response needs. Pass a combined
 * trace ({@code TraceCombiner}); nested-set numbers and root values are only right over every span of the trace.
 */
public final class OtlpTraceData implements ResultTrace {

    private static final HexFormat HEX = HexFormat.of();

    private final String traceId;
    private final List<OtlpSpan> spans;
    private final long startNanos;
    private final long endNanos;

    private OtlpTraceData(String traceId, List<OtlpSpan> spans) {
        this.traceId = traceId;
        this.spans = spans;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (OtlpSpan s : spans) {
            start = Math.min(start, s.startUnixNanos());
            end = Math.max(end, s.endNanos);
        }
        this.startNanos = spans.isEmpty() ? 0 : start;
        this.endNanos = spans.isEmpty() ? 0 : end;
    }

    /** Adapts a trace (ideally combined: the numbering and root values need every span). */
    public static OtlpTraceData of(TracesData trace) {
        List<OtlpSpan> spans = new ArrayList<>();
        ByteString id = ByteString.EMPTY;
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            Resources resource = new Resources(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if (id.isEmpty()) {
                        id = span.getTraceId();
                    }
                    spans.add(new OtlpSpan(span, resource, ss.getScope()));
                }
            }
        }
        List<OtlpSpan> all = List.copyOf(spans);
        Numbering numbering = new Numbering(all);
        for (OtlpSpan s : all) {
            s.numbering = numbering;
        }
        return new OtlpTraceData(HEX.formatHex(id.toByteArray()), all);
    }

    /** The nested-set numbers of every span, computed when a query first reads one (most queries never do). */
    private static final class Numbering {
        private final List<OtlpSpan> spans;
        private boolean done;

        Numbering(List<OtlpSpan> spans) {
            this.spans = spans;
        }

        synchronized NestedSetNumbering.Numbers of(OtlpSpan span) {
            if (!done) {
                List<NestedSetNumbering.Node> nodes = new ArrayList<>(spans.size());
                for (OtlpSpan s : spans) {
                    nodes.add(new NestedSetNumbering.Node(s.spanId, s.parentSpanId, s.kind));
                }
                List<NestedSetNumbering.Numbers> numbers = NestedSetNumbering.number(nodes);
                for (int i = 0; i < spans.size(); i++) {
                    spans.get(i).numbers = numbers.get(i);
                }
                done = true;
            }
            return span.numbers;
        }
    }

    @Override
    public String traceId() {
        return traceId;
    }

    @Override
    public List<OtlpSpan> spans() {
        return spans;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public long endNanos() {
        return endNanos;
    }

    @Override
    public Map<String, ServiceCounts> serviceStats() {
        Map<String, int[]> counts = new HashMap<>();
        for (OtlpSpan span : spans) {
            int[] c = counts.computeIfAbsent(span.serviceName(), k -> new int[2]);
            c[0]++;
            if (span.status() == StatusCode.ERROR) {
                c[1]++;
            }
        }
        Map<String, ServiceCounts> out = HashMap.newHashMap(counts.size());
        counts.forEach((service, c) -> out.put(service, new ServiceCounts(c[0], c[1])));
        return out;
    }

    /** A resource's attributes, decoded once for all its spans. */
    private static final class Resources {
        final Map<String, Value> attributes;

        Resources(Resource resource) {
            this.attributes = OtlpValues.map(resource.getAttributesList());
        }
    }

    /** One OTLP span with its resource and instrumentation scope. */
    public static final class OtlpSpan implements SpanData {
        private final Span span;
        private final Resources resource;
        private final InstrumentationScope scope;
        private final String spanId;
        private final String parentSpanId;
        private final SpanKind kind;
        private final long endNanos;
        private Map<String, Value> attributes;
        private Map<String, Value> scopeAttributes;
        private Numbering numbering;
        private NestedSetNumbering.Numbers numbers = NestedSetNumbering.Numbers.NONE;

        private OtlpSpan(Span span, Resources resource, InstrumentationScope scope) {
            this.span = span;
            this.resource = resource;
            this.scope = scope;
            this.spanId = HEX.formatHex(span.getSpanId().toByteArray());
            this.parentSpanId = HEX.formatHex(span.getParentSpanId().toByteArray());
            this.kind = SpanKind.fromOtlpCode(span.getKindValue());
            this.endNanos = Math.max(span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
        }

        /** The OTLP span itself. */
        public Span otlp() {
            return span;
        }

        @Override
        public String spanId() {
            return spanId;
        }

        @Override
        public String parentSpanId() {
            return parentSpanId;
        }

        @Override
        public String name() {
            return span.getName();
        }

        @Override
        public SpanKind kind() {
            return kind;
        }

        @Override
        public StatusCode status() {
            return StatusCode.fromOtlpCode(span.getStatus().getCodeValue());
        }

        @Override
        public String statusMessage() {
            return span.getStatus().getMessage();
        }

        @Override
        public long startUnixNanos() {
            return span.getStartTimeUnixNano();
        }

        @Override
        public long durationNanos() {
            return endNanos - span.getStartTimeUnixNano();
        }

        @Override
        public int nestedSetLeft() {
            return numbering.of(this).left();
        }

        @Override
        public int nestedSetRight() {
            return numbering.of(this).right();
        }

        @Override
        public int nestedSetParent() {
            return numbering.of(this).parent();
        }

        @Override
        public Value attribute(AttributeScope scope, String name) {
            Value v = switch (scope) {
                case SPAN -> spanAttributes().get(name);
                case RESOURCE -> resource.attributes.get(name);
                case INSTRUMENTATION -> scopeAttributes().get(name);
                default -> null;
            };
            return v == null ? Value.NIL : v;
        }

        /** The span's own attributes, decoded on first use. */
        public Map<String, Value> spanAttributes() {
            if (attributes == null) {
                attributes = OtlpValues.map(span.getAttributesList());
            }
            return attributes;
        }

        /** The resource's attributes. */
        public Map<String, Value> resourceAttributes() {
            return resource.attributes;
        }

        /** The instrumentation scope's attributes. */
        public Map<String, Value> instrumentationAttributes() {
            return scopeAttributes();
        }

        private Map<String, Value> scopeAttributes() {
            if (scopeAttributes == null) {
                scopeAttributes = OtlpValues.map(scope.getAttributesList());
            }
            return scopeAttributes;
        }

        @Override
        public String scopeName() {
            return scope.getName().isEmpty() ? null : scope.getName();
        }

        @Override
        public String scopeVersion() {
            return scope.getVersion().isEmpty() ? null : scope.getVersion();
        }

        @Override
        public List<OtlpEvent> events() {
            return span.getEventsList().stream().map(OtlpEvent::new).toList();
        }

        @Override
        public List<OtlpLink> links() {
            return span.getLinksList().stream().map(OtlpLink::new).toList();
        }
    }

    /** A span event. */
    public record OtlpEvent(Span.Event event) implements EventData {
        @Override
        public String name() {
            return event.getName();
        }

        @Override
        public long timeUnixNanos() {
            return event.getTimeUnixNano();
        }

        @Override
        public Value attribute(String name) {
            return OtlpValues.map(event.getAttributesList()).getOrDefault(name, Value.NIL);
        }

        public Map<String, Value> attributes() {
            return OtlpValues.map(event.getAttributesList());
        }
    }

    /** A span link. */
    public record OtlpLink(Span.Link link) implements LinkData {
        @Override
        public String traceId() {
            return HEX.formatHex(link.getTraceId().toByteArray());
        }

        @Override
        public String spanId() {
            return HEX.formatHex(link.getSpanId().toByteArray());
        }

        @Override
        public Value attribute(String name) {
            return OtlpValues.map(link.getAttributesList()).getOrDefault(name, Value.NIL);
        }

        public Map<String, Value> attributes() {
            return OtlpValues.map(link.getAttributesList());
        }
    }
}
