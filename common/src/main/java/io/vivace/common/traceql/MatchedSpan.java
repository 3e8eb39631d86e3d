package io.vivace.common.traceql;

import java.util.List;

/**
 * A span of a result with the attributes the query loaded for it (those it references or {@code select()}s,
 * present on this span), for the search response's span {@code attributes}.
 */
public record MatchedSpan(SpanData span, List<LoadedAttribute> attributes) {

    public MatchedSpan {
        attributes = List.copyOf(attributes);
    }
}
