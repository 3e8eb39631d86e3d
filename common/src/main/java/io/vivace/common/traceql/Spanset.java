package io.vivace.common.traceql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of spans of one trace flowing through a pipeline, with the spanset-level values attached on the way
 * ({@code by(...)} groups, {@code count()} ...). Immutable.
 */
record Spanset(List<SpanData> spans, Map<String, Value> attributes) {

    Spanset {
        spans = List.copyOf(spans);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    Spanset withSpans(List<SpanData> newSpans) {
        return new Spanset(newSpans, attributes);
    }

    Spanset withAttribute(String name, Value value) {
        Map<String, Value> copy = new LinkedHashMap<>(attributes);
        copy.put(name, value);
        return new Spanset(spans, copy);
    }
}
