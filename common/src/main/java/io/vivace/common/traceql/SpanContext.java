package io.vivace.common.traceql;

/**
 * What an expression is evaluated against: one span of a trace and, for {@code event.*} / {@code link.*}
 * references, the event and link currently considered (null when the span has none).
 */
record SpanContext(TraceContext trace, SpanData span, EventData event, LinkData link) {

    /** The span with its first event and first link (used outside filters, e.g. for {@code by()} and results). */
    static SpanContext of(TraceContext trace, SpanData span) {
        return new SpanContext(trace, span, span.events().isEmpty() ? null : span.events().getFirst(),
                span.links().isEmpty() ? null : span.links().getFirst());
    }

    Value read(Attribute a) {
        if (a.isIntrinsic()) {
            return intrinsic(a.intrinsic());
        }
        return switch (a.scope()) {
            case SPAN, RESOURCE, INSTRUMENTATION -> orNil(span.attribute(a.scope(), a.name()));
            case EVENT -> event == null ? Value.NIL : orNil(event.attribute(a.name()));
            case LINK -> link == null ? Value.NIL : orNil(link.attribute(a.name()));
            case NONE -> {
                Value v = orNil(span.attribute(AttributeScope.SPAN, a.name()));
                yield v.isNil() ? orNil(span.attribute(AttributeScope.RESOURCE, a.name())) : v;
            }
            case TRACE -> Value.NIL;
        };
    }

    private Value intrinsic(Intrinsic i) {
        TraceData t = trace.trace();
        return switch (i) {
            case DURATION -> Value.ofDuration(span.durationNanos());
            case NAME -> string(span.name());
            case STATUS -> span.status() == null ? Value.NIL : Value.of(span.status());
            case STATUS_MESSAGE -> string(span.statusMessage());
            case KIND -> span.kind() == null ? Value.NIL : Value.of(span.kind());
            case SPAN_ID -> string(span.spanId());
            case PARENT_ID -> span.parentSpanId() == null || span.parentSpanId().isEmpty()
                    ? Value.NIL : Value.of(span.parentSpanId());
            case CHILD_COUNT -> Value.of((long) trace.childCount(span));
            case TRACE_DURATION -> Value.ofDuration(t.durationNanos());
            case ROOT_NAME -> string(t.rootSpanName());
            case ROOT_SERVICE_NAME -> string(t.rootServiceName());
            case TRACE_ID -> t.traceId() == null ? Value.NIL : Value.of(TraceIds.stripLeadingZeros(t.traceId()));
            case EVENT_NAME -> event == null ? Value.NIL : string(event.name());
            case EVENT_TIME_SINCE_START -> event == null ? Value.NIL
                    : Value.ofDuration(event.timeUnixNanos() - span.startUnixNanos());
            case LINK_TRACE_ID -> link == null ? Value.NIL : string(link.traceId());
            case LINK_SPAN_ID -> link == null ? Value.NIL : string(link.spanId());
            case INSTRUMENTATION_NAME -> string(span.scopeName());
            case INSTRUMENTATION_VERSION -> string(span.scopeVersion());
            case NESTED_SET_LEFT -> Value.of((long) span.nestedSetLeft());
            case NESTED_SET_RIGHT -> Value.of((long) span.nestedSetRight());
            case NESTED_SET_PARENT -> Value.of((long) span.nestedSetParent());
            case PARENT, NONE -> Value.NIL;
        };
    }

    private static Value string(String s) {
        return s == null ? Value.NIL : Value.of(s);
    }

    private static Value orNil(Value v) {
        return v == null ? Value.NIL : v;
    }
}
