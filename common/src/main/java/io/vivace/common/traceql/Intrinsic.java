package io.vivace.common.traceql;

import java.util.Map;

/**
 * The intrinsics of TraceQL (reference §1.4), each with its static type, the scope it reads and its canonical
 * name: the unscoped spelling where one exists ({@code span:duration} is {@code duration},
 * {@code trace:rootService} is {@code rootServiceName}), else the scoped one. {@link #NONE} marks a plain
 * attribute.
 */
public enum Intrinsic {
    NONE(ValueType.ATTRIBUTE, AttributeScope.NONE, ""),
    DURATION(ValueType.DURATION, AttributeScope.SPAN, "duration"),
    NAME(ValueType.STRING, AttributeScope.SPAN, "name"),
    STATUS(ValueType.STATUS, AttributeScope.SPAN, "status"),
    STATUS_MESSAGE(ValueType.STRING, AttributeScope.SPAN, "statusMessage"),
    KIND(ValueType.KIND, AttributeScope.SPAN, "kind"),
    SPAN_ID(ValueType.STRING, AttributeScope.SPAN, "span:id"),
    PARENT_ID(ValueType.STRING, AttributeScope.SPAN, "span:parentID"),
    CHILD_COUNT(ValueType.INT, AttributeScope.SPAN, "span:childCount"),
    TRACE_DURATION(ValueType.DURATION, AttributeScope.TRACE, "traceDuration"),
    ROOT_NAME(ValueType.STRING, AttributeScope.TRACE, "rootName"),
    ROOT_SERVICE_NAME(ValueType.STRING, AttributeScope.TRACE, "rootServiceName"),
    TRACE_ID(ValueType.STRING, AttributeScope.TRACE, "trace:id"),
    EVENT_NAME(ValueType.STRING, AttributeScope.EVENT, "event:name"),
    EVENT_TIME_SINCE_START(ValueType.DURATION, AttributeScope.EVENT, "event:timeSinceStart"),
    LINK_TRACE_ID(ValueType.STRING, AttributeScope.LINK, "link:traceID"),
    LINK_SPAN_ID(ValueType.STRING, AttributeScope.LINK, "link:spanID"),
    INSTRUMENTATION_NAME(ValueType.STRING, AttributeScope.INSTRUMENTATION, "instrumentation:name"),
    INSTRUMENTATION_VERSION(ValueType.STRING, AttributeScope.INSTRUMENTATION, "instrumentation:version"),
    NESTED_SET_LEFT(ValueType.INT, AttributeScope.SPAN, "nestedSetLeft"),
    NESTED_SET_RIGHT(ValueType.INT, AttributeScope.SPAN, "nestedSetRight"),
    NESTED_SET_PARENT(ValueType.INT, AttributeScope.SPAN, "nestedSetParent"),
    /** Parses, but is always rejected as unsupported (as in Tempo). */
    PARENT(ValueType.ATTRIBUTE, AttributeScope.SPAN, "parent");

    private static final Map<String, Intrinsic> UNSCOPED = Map.ofEntries(
            Map.entry("duration", DURATION), Map.entry("name", NAME), Map.entry("status", STATUS),
            Map.entry("statusMessage", STATUS_MESSAGE), Map.entry("kind", KIND), Map.entry("parent", PARENT),
            Map.entry("rootName", ROOT_NAME), Map.entry("rootServiceName", ROOT_SERVICE_NAME),
            Map.entry("traceDuration", TRACE_DURATION), Map.entry("nestedSetLeft", NESTED_SET_LEFT),
            Map.entry("nestedSetRight", NESTED_SET_RIGHT), Map.entry("nestedSetParent", NESTED_SET_PARENT));

    private static final Map<String, Intrinsic> SCOPED = Map.ofEntries(
            Map.entry("trace:duration", TRACE_DURATION), Map.entry("trace:rootName", ROOT_NAME),
            Map.entry("trace:rootService", ROOT_SERVICE_NAME), Map.entry("trace:id", TRACE_ID),
            Map.entry("span:duration", DURATION), Map.entry("span:name", NAME), Map.entry("span:kind", KIND),
            Map.entry("span:status", STATUS), Map.entry("span:statusMessage", STATUS_MESSAGE),
            Map.entry("span:id", SPAN_ID), Map.entry("span:parentID", PARENT_ID),
            Map.entry("span:childCount", CHILD_COUNT), Map.entry("event:name", EVENT_NAME),
            Map.entry("event:timeSinceStart", EVENT_TIME_SINCE_START), Map.entry("link:traceID", LINK_TRACE_ID),
            Map.entry("link:spanID", LINK_SPAN_ID), Map.entry("instrumentation:name", INSTRUMENTATION_NAME),
            Map.entry("instrumentation:version", INSTRUMENTATION_VERSION));

    private final ValueType type;
    private final AttributeScope scope;
    private final String canonicalName;

    Intrinsic(ValueType type, AttributeScope scope, String canonicalName) {
        this.type = type;
        this.scope = scope;
        this.canonicalName = canonicalName;
    }

    public ValueType type() {
        return type;
    }

    public AttributeScope scope() {
        return scope;
    }

    public String canonicalName() {
        return canonicalName;
    }

    /** The intrinsic written without a scope ({@code duration}, {@code rootName} ...), or null. */
    static Intrinsic unscoped(String word) {
        return UNSCOPED.get(word);
    }

    /** The intrinsic written {@code scope:word} ({@code span:id}, {@code trace:rootService} ...), or null. */
    static Intrinsic scoped(String scope, String word) {
        return SCOPED.get(scope + ":" + word);
    }
}
