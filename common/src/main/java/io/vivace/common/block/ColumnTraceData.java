package io.vivace.common.block;

import io.vivace.common.model.TraceId;
import io.vivace.common.traceql.AttributeScope;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SpanData;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.SpanKind;
import io.vivace.common.traceql.StatusCode;
import io.vivace.common.traceql.Value;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One whole trace (a block row no other block holds a part of) read from only the columns a search query needs
 * ({@link SpanFields}), for the engine and the search response: every span has its IDs, name, start, duration,
 * service name and scope name; kind, status, status message, nested-set numbers, the scope version and attributes
 * only when the query reads them. Asking for something that was not read is a bug of {@link SpanFields} and fails.
 * Events and links are never read (a query using them is given OTLP traces).
 */
public final class ColumnTraceData implements ResultTrace {

    private final TraceId id;
    private final String traceIdHex;
    private final List<ColumnSpan> spans;
    private final long startNanos;
    private final long endNanos;
    private final Map<String, ServiceCounts> serviceStats;
    private final long readBytes;

    /** @param rawId the row's {@code TraceID} as stored */
    ColumnTraceData(byte[] rawId, List<ColumnSpan> spans, Map<String, ServiceCounts> serviceStats, long readBytes) {
        this.id = TraceId.fromBytes(rawId);
        this.traceIdHex = HexFormat.of().formatHex(rawId);
        this.spans = List.copyOf(spans);
        this.serviceStats = Map.copyOf(serviceStats);
        this.readBytes = readBytes;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (ColumnSpan s : this.spans) {
            start = Math.min(start, s.start);
            end = Math.max(end, s.start + s.duration);
        }
        this.startNanos = this.spans.isEmpty() ? 0 : start;
        this.endNanos = this.spans.isEmpty() ? 0 : end;
    }

    public TraceId id() {
        return id;
    }

    @Override
    public String traceId() {
        return traceIdHex;
    }

    @Override
    public List<ColumnSpan> spans() {
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
        return serviceStats;
    }

    /** The compressed bytes read from the block for this trace (its share of the pages read with it). */
    public long readBytes() {
        return readBytes;
    }

    /** What a resource's spans share. */
    record Resource(String serviceName, Map<String, Value> attributes) {
    }

    /** What an instrumentation scope's spans share; {@code version} is null when not read. */
    record Scope(String name, String version, Map<String, Value> attributes) {
    }

    /** One span; fields the query does not read are null (or, for numbers, never looked at). */
    public static final class ColumnSpan implements SpanData {
        private final SpanFields fields;
        private final Resource resource;
        private final Scope scope;
        final String spanId;
        String parentSpanId;
        final String name;
        final long start;
        final long duration;
        final SpanKind kind;
        final StatusCode status;
        final String statusMessage;
        final int nestedSetLeft;
        final int nestedSetRight;
        final int nestedSetParent;
        final Map<String, Value> attributes;

        ColumnSpan(SpanFields fields, Resource resource, Scope scope, String spanId, String parentSpanId, String name,
                   long start, long duration, SpanKind kind, StatusCode status, String statusMessage,
                   int nestedSetLeft, int nestedSetRight, int nestedSetParent, Map<String, Value> attributes) {
            this.fields = fields;
            this.resource = resource;
            this.scope = scope;
            this.spanId = spanId;
            this.parentSpanId = parentSpanId;
            this.name = name;
            this.start = start;
            this.duration = duration;
            this.kind = kind;
            this.status = status;
            this.statusMessage = statusMessage;
            this.nestedSetLeft = nestedSetLeft;
            this.nestedSetRight = nestedSetRight;
            this.nestedSetParent = nestedSetParent;
            this.attributes = attributes;
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
            return name;
        }

        @Override
        public SpanKind kind() {
            require(fields.kind(), "kind");
            return kind;
        }

        @Override
        public StatusCode status() {
            require(fields.status(), "status");
            return status;
        }

        @Override
        public String statusMessage() {
            require(fields.statusMessage(), "statusMessage");
            return statusMessage;
        }

        @Override
        public long startUnixNanos() {
            return start;
        }

        @Override
        public long durationNanos() {
            return duration;
        }

        @Override
        public int nestedSetLeft() {
            require(fields.nestedSets(), "nested sets");
            return nestedSetLeft;
        }

        @Override
        public int nestedSetRight() {
            require(fields.nestedSets(), "nested sets");
            return nestedSetRight;
        }

        @Override
        public int nestedSetParent() {
            require(fields.nestedSets(), "nested sets");
            return nestedSetParent;
        }

        @Override
        public Value attribute(AttributeScope scope, String name) {
            Map<String, Value> values = switch (scope) {
                case SPAN -> read(fields.spanAttributes(), name, attributes);
                case RESOURCE -> read(fields.resourceAttributes(), name, resource.attributes());
                case INSTRUMENTATION -> read(fields.scopeAttributes(), name, this.scope.attributes());
                default -> Map.of();
            };
            return values.getOrDefault(name, Value.NIL);
        }

        private static Map<String, Value> read(Set<String> keys, String name, Map<String, Value> values) {
            require(keys.contains(name), "attribute " + name);
            return values;
        }

        @Override
        public String serviceName() {
            return resource.serviceName();
        }

        @Override
        public String scopeName() {
            return scope.name().isEmpty() ? null : scope.name();
        }

        @Override
        public String scopeVersion() {
            require(fields.scopeVersion(), "instrumentation:version");
            return scope.version().isEmpty() ? null : scope.version();
        }

        private static void require(boolean read, String what) {
            if (!read) {
                throw new IllegalStateException(what + " was not read from the block: the query's SpanFields miss it");
            }
        }
    }
}
