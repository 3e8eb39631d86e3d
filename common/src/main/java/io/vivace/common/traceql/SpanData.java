package io.vivace.common.traceql;

import java.util.List;

/**
 * One span as the engine sees it: intrinsics, nested-set numbers for structural operators, typed attribute lookup
 * per scope, the instrumentation scope, events and links. Implementations must not return null from
 * {@link #attribute}; {@link Value#NIL} means "absent".
 */
public interface SpanData {

    /** Span ID as 16 lowercase hex characters. */
    String spanId();

    /** Parent span ID as lowercase hex; empty for a root span. */
    String parentSpanId();

    String name();

    SpanKind kind();

    StatusCode status();

    /** The status description; empty when none. */
    String statusMessage();

    long startUnixNanos();

    long durationNanos();

    /**
     * Nested-set numbers (reference §2.1, computable with {@link NestedSetNumbering}): {@code left} on entry and
     * {@code right} on exit of a depth-first walk from the roots, {@code parent} = the parent's {@code left}, -1 for
     * a root. All 0 for a span not connected to a root; such spans never take part in structural relations.
     */
    int nestedSetLeft();

    int nestedSetRight();

    int nestedSetParent();

    /**
     * An attribute of this span ({@link AttributeScope#SPAN}), of its resource ({@link AttributeScope#RESOURCE}) or
     * of its instrumentation scope ({@link AttributeScope#INSTRUMENTATION}); {@link Value#NIL} when absent. Other
     * OTLP value kinds (maps, mixed arrays, bytes) are not queryable and should read as {@link Value#NIL}.
     */
    Value attribute(AttributeScope scope, String name);

    /** Instrumentation scope name, or null. */
    default String scopeName() {
        return null;
    }

    /** Instrumentation scope version, or null. */
    default String scopeVersion() {
        return null;
    }

    default List<? extends EventData> events() {
        return List.of();
    }

    default List<? extends LinkData> links() {
        return List.of();
    }

    /** The resource's {@code service.name}, or "" when it has none. */
    default String serviceName() {
        return attribute(AttributeScope.RESOURCE, "service.name") instanceof Value.StringValue s ? s.value() : "";
    }
}
