package io.vivace.common.block;

import static io.vivace.common.block.Converters.elementOf;
import static io.vivace.common.block.Converters.list;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import java.util.List;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * Turns block rows straight into OTLP {@link TracesData} (no intermediate row objects). The converters share the
 * builders of the element being read at each level; parquet drives them strictly depth-first, so one set of
 * "current" builders is enough.
 *
 * <p>Well-known columns become attributes again, appended after the generic attributes in table order
 * ({@code service.name} first for resources).
 */
final class TraceMaterializer extends RecordMaterializer<TraceRecord> {

    private final GroupConverter root;

    private TraceId id;
    private ByteString traceIdBytes = ByteString.EMPTY;
    private TracesData.Builder trace;
    private ResourceSpans.Builder resourceSpans;
    private Resource.Builder resource;
    private ScopeSpans.Builder scopeSpans;
    private InstrumentationScope.Builder scope;
    private Span.Builder span;
    private long spanStart;
    private int statusCode;
    private String statusMessage;
    private Span.Event.Builder event;
    private Span.Link.Builder link;

    TraceMaterializer(MessageType requested) {
        root = new TraceConverter(requested);
    }

    @Override
    public TraceRecord getCurrentRecord() {
        return new TraceRecord(id, trace.build());
    }

    @Override
    public GroupConverter getRootConverter() {
        return root;
    }

    private static KeyValue stringAttr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue intAttr(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /** Index of {@code column} in {@code columns}, or -1. */
    private static int columnIndex(List<WellKnownAttribute> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).column().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    private final class TraceConverter extends Converters.Struct {
        TraceConverter(GroupType type) {
            bind(type, name -> switch (name) {
                case "TraceID" -> new Converters.Bytes(b -> {
                    traceIdBytes = b;
                    id = TraceId.fromBytes(b.toByteArray());
                });
                case "rs" -> list(new ResourceSpansConverter(elementOf(type, "rs")));
                default -> null;
            });
        }

        @Override
        public void start() {
            id = null;
            traceIdBytes = ByteString.EMPTY;
            trace = TracesData.newBuilder();
        }
    }

    private final class ResourceSpansConverter extends Converters.Struct {
        ResourceSpansConverter(GroupType type) {
            bind(type, name -> switch (name) {
                case "Resource" -> new ResourceConverter(type.getType(name).asGroupType());
                case "ss" -> list(new ScopeSpansConverter(elementOf(type, "ss")));
                default -> null;
            });
        }

        @Override
        public void start() {
            resourceSpans = ResourceSpans.newBuilder();
        }

        @Override
        public void end() {
            trace.addResourceSpans(resourceSpans);
        }
    }

    private final class ResourceConverter extends Converters.Struct {
        ResourceConverter(GroupType type) {
            bind(type, name -> {
                int wellKnown = columnIndex(WellKnownAttribute.RESOURCE, name);
                if (wellKnown >= 0) {
                    String key = WellKnownAttribute.RESOURCE.get(wellKnown).key();
                    return new Converters.Strings(s -> resource.addAttributes(stringAttr(key, s)));
                }
                return switch (name) {
                    case "Attrs" -> AttributeConverter.listOf(type, kv -> resource.addAttributes(kv));
                    case "DroppedAttributesCount" -> new Converters.Ints(n -> resource.setDroppedAttributesCount(n));
                    case "SchemaUrl" -> new Converters.Strings(s -> resourceSpans.setSchemaUrl(s));
                    case "ServiceName" -> new Converters.Strings(s -> {
                        if (!s.isEmpty()) {
                            resource.addAttributes(stringAttr("service.name", s));
                        }
                    });
                    default -> null;
                };
            });
        }

        @Override
        public void start() {
            resource = Resource.newBuilder();
        }

        @Override
        public void end() {
            resourceSpans.setResource(resource);
        }
    }

    private final class ScopeSpansConverter extends Converters.Struct {
        ScopeSpansConverter(GroupType type) {
            bind(type, name -> switch (name) {
                case "Scope" -> new ScopeConverter(type.getType(name).asGroupType());
                case "Spans" -> list(new SpanConverter(elementOf(type, "Spans")));
                default -> null;
            });
        }

        @Override
        public void start() {
            scopeSpans = ScopeSpans.newBuilder();
        }

        @Override
        public void end() {
            resourceSpans.addScopeSpans(scopeSpans);
        }
    }

    private final class ScopeConverter extends Converters.Struct {
        ScopeConverter(GroupType type) {
            bind(type, name -> switch (name) {
                case "Name" -> new Converters.Strings(s -> scope.setName(s));
                case "Version" -> new Converters.Strings(s -> scope.setVersion(s));
                case "Attrs" -> AttributeConverter.listOf(type, kv -> scope.addAttributes(kv));
                case "DroppedAttributesCount" -> new Converters.Ints(n -> scope.setDroppedAttributesCount(n));
                case "SchemaUrl" -> new Converters.Strings(s -> scopeSpans.setSchemaUrl(s));
                default -> null;
            });
        }

        @Override
        public void start() {
            scope = InstrumentationScope.newBuilder();
        }

        @Override
        public void end() {
            scopeSpans.setScope(scope);
        }
    }

    private final class SpanConverter extends Converters.Struct {
        SpanConverter(GroupType type) {
            bind(type, name -> {
                int wellKnown = columnIndex(WellKnownAttribute.SPAN, name);
                if (wellKnown >= 0) {
                    WellKnownAttribute column = WellKnownAttribute.SPAN.get(wellKnown);
                    return switch (column.type()) {
                        case STRING -> new Converters.Strings(s -> span.addAttributes(stringAttr(column.key(), s)));
                        case INT -> new Converters.Longs(v -> span.addAttributes(intAttr(column.key(), v)));
                    };
                }
                return switch (name) {
                    case "SpanID" -> new Converters.Bytes(b -> span.setSpanId(b));
                    case "ParentSpanID" -> new Converters.Bytes(b -> span.setParentSpanId(b));
                    case "Name" -> new Converters.Strings(s -> span.setName(s));
                    case "Kind" -> new Converters.Longs(v -> span.setKindValue((int) v));
                    case "TraceState" -> new Converters.Strings(s -> span.setTraceState(s));
                    case "Flags" -> new Converters.Ints(v -> span.setFlags(v));
                    case "StartTimeUnixNano" -> new Converters.Longs(v -> {
                        spanStart = v;
                        span.setStartTimeUnixNano(v);
                    });
                    case "DurationNano" -> new Converters.Longs(v -> span.setEndTimeUnixNano(spanStart + v));
                    case "StatusCode" -> new Converters.Longs(v -> statusCode = (int) v);
                    case "StatusMessage" -> new Converters.Strings(s -> statusMessage = s);
                    case "Attrs" -> AttributeConverter.listOf(type, kv -> span.addAttributes(kv));
                    case "DroppedAttributesCount" -> new Converters.Ints(n -> span.setDroppedAttributesCount(n));
                    case "Events" -> list(new EventConverter(elementOf(type, "Events")));
                    case "DroppedEventsCount" -> new Converters.Ints(n -> span.setDroppedEventsCount(n));
                    case "Links" -> list(new LinkConverter(elementOf(type, "Links")));
                    case "DroppedLinksCount" -> new Converters.Ints(n -> span.setDroppedLinksCount(n));
                    default -> null;
                };
            });
        }

        @Override
        public void start() {
            span = Span.newBuilder().setTraceId(traceIdBytes); // spans do not store it: it is the row's
            spanStart = 0;
            statusCode = 0;
            statusMessage = "";
        }

        @Override
        public void end() {
            if (statusCode != 0 || !statusMessage.isEmpty()) {
                span.setStatus(Status.newBuilder().setCodeValue(statusCode).setMessage(statusMessage));
            }
            scopeSpans.addSpans(span);
        }
    }

    private final class EventConverter extends Converters.Struct {
        EventConverter(GroupType type) {
            bind(type, name -> switch (name) {
                case "TimeSinceStartNano" -> new Converters.Longs(v -> event.setTimeUnixNano(spanStart + v));
                case "Name" -> new Converters.Strings(s -> event.setName(s));
                case "Attrs" -> AttributeConverter.listOf(type, kv -> event.addAttributes(kv));
                case "DroppedAttributesCount" -> new Converters.Ints(n -> event.setDroppedAttributesCount(n));
                default -> null;
            });
        }

        @Override
        public void start() {
            event = Span.Event.newBuilder();
        }

        @Override
        public void end() {
            span.addEvents(event);
        }
    }

    private final class LinkConverter extends Converters.Struct {
        LinkConverter(GroupType type) {
            bind(type, name -> switch (name) {
                case "TraceID" -> new Converters.Bytes(b -> link.setTraceId(b));
                case "SpanID" -> new Converters.Bytes(b -> link.setSpanId(b));
                case "TraceState" -> new Converters.Strings(s -> link.setTraceState(s));
                case "Flags" -> new Converters.Ints(v -> link.setFlags(v));
                case "Attrs" -> AttributeConverter.listOf(type, kv -> link.addAttributes(kv));
                case "DroppedAttributesCount" -> new Converters.Ints(n -> link.setDroppedAttributesCount(n));
                default -> null;
            });
        }

        @Override
        public void start() {
            link = Span.Link.newBuilder();
        }

        @Override
        public void end() {
            span.addLinks(link);
        }
    }
}
