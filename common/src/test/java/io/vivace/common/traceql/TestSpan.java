package io.vivace.common.traceql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A span of the in-memory test model, built fluently; {@code label} names it in assertions. */
final class TestSpan implements SpanData {

    final String label;
    private String spanId;
    private String parentSpanId = "";
    private String name = "";
    private SpanKind kind = SpanKind.UNSPECIFIED;
    private StatusCode status = StatusCode.UNSET;
    private String statusMessage = "";
    private long start;
    private long duration;
    private int left;
    private int right;
    private int parent;
    private String scopeName;
    private String scopeVersion;
    private final Map<String, Value> spanAttributes = new HashMap<>();
    private final Map<String, Value> resourceAttributes = new HashMap<>();
    private final Map<String, Value> scopeAttributes = new HashMap<>();
    private final List<EventData> events = new ArrayList<>();
    private final List<LinkData> links = new ArrayList<>();

    TestSpan(String label) {
        this.label = label;
        this.spanId = label;
    }

    static TestSpan span(String label) {
        return new TestSpan(label);
    }

    TestSpan id(String id) {
        this.spanId = id;
        return this;
    }

    TestSpan parent(String parentId) {
        this.parentSpanId = parentId;
        return this;
    }

    TestSpan name(String n) {
        this.name = n;
        return this;
    }

    TestSpan kind(SpanKind k) {
        this.kind = k;
        return this;
    }

    TestSpan status(StatusCode s) {
        this.status = s;
        return this;
    }

    TestSpan start(long unixNanos) {
        this.start = unixNanos;
        return this;
    }

    TestSpan duration(Duration d) {
        this.duration = d.toNanos();
        return this;
    }

    TestSpan durationNanos(long nanos) {
        this.duration = nanos;
        return this;
    }

    TestSpan nested(int l, int r, int p) {
        this.left = l;
        this.right = r;
        this.parent = p;
        return this;
    }

    /** A span attribute. */
    TestSpan attr(String key, Object value) {
        spanAttributes.put(key, value(value));
        return this;
    }

    TestSpan resource(String key, Object value) {
        resourceAttributes.put(key, value(value));
        return this;
    }

    TestSpan scope(String scope, String version) {
        this.scopeName = scope;
        this.scopeVersion = version;
        return this;
    }

    TestSpan scopeAttr(String key, Object value) {
        scopeAttributes.put(key, value(value));
        return this;
    }

    TestSpan event(String eventName, long unixNanos, Map<String, Object> attributes) {
        Map<String, Value> values = new HashMap<>();
        attributes.forEach((k, v) -> values.put(k, value(v)));
        events.add(new EventData() {
            @Override
            public String name() {
                return eventName;
            }

            @Override
            public long timeUnixNanos() {
                return unixNanos;
            }

            @Override
            public Value attribute(String key) {
                return values.getOrDefault(key, Value.NIL);
            }
        });
        return this;
    }

    TestSpan link(String traceId, String linkedSpanId, Map<String, Object> attributes) {
        Map<String, Value> values = new HashMap<>();
        attributes.forEach((k, v) -> values.put(k, value(v)));
        links.add(new LinkData() {
            @Override
            public String traceId() {
                return traceId;
            }

            @Override
            public String spanId() {
                return linkedSpanId;
            }

            @Override
            public Value attribute(String key) {
                return values.getOrDefault(key, Value.NIL);
            }
        });
        return this;
    }

    /** Java values to TraceQL values: String, Integer/Long, Double, Boolean, Duration, List (array), Value. */
    static Value value(Object o) {
        return switch (o) {
            case Value v -> v;
            case String s -> Value.of(s);
            case Integer i -> Value.of((long) i);
            case Long l -> Value.of((long) l);
            case Double d -> Value.of((double) d);
            case Boolean b -> Value.of((boolean) b);
            case Duration d -> Value.ofDuration(d.toNanos());
            case List<?> list -> {
                List<Value> elements = list.stream().map(TestSpan::value).toList();
                ValueType type = elements.isEmpty() ? ValueType.STRING : elements.getFirst().type();
                yield Value.array(type, elements);
            }
            default -> throw new IllegalArgumentException("unsupported test value " + o);
        };
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
        return kind;
    }

    @Override
    public StatusCode status() {
        return status;
    }

    @Override
    public String statusMessage() {
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
        return left;
    }

    @Override
    public int nestedSetRight() {
        return right;
    }

    @Override
    public int nestedSetParent() {
        return parent;
    }

    @Override
    public Value attribute(AttributeScope scope, String key) {
        Map<String, Value> map = switch (scope) {
            case SPAN -> spanAttributes;
            case RESOURCE -> resourceAttributes;
            case INSTRUMENTATION -> scopeAttributes;
            default -> Map.of();
        };
        return map.getOrDefault(key, Value.NIL);
    }

    @Override
    public String scopeName() {
        return scopeName;
    }

    @Override
    public String scopeVersion() {
        return scopeVersion;
    }

    @Override
    public List<EventData> events() {
        return events;
    }

    @Override
    public List<LinkData> links() {
        return links;
    }

    @Override
    public String toString() {
        return label;
    }
}
