package io.vivace.common.traceql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One output spanset of a search: its spans in trace order and its spanset-level values, named as Tempo names
 * them ({@code by(resource.service.name)}, {@code count()}, {@code avg(duration)}), in the order attached.
 */
public record MatchedSpanset(List<MatchedSpan> spans, Map<String, Value> attributes) {

    public MatchedSpanset {
        spans = List.copyOf(spans);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Number of spans before any truncation (the search response's {@code matched}). */
    public int matched() {
        return spans.size();
    }

    /** The first {@code spansPerSpanset} spans (the search API's {@code spss}); 0 or less keeps all. */
    public List<MatchedSpan> firstSpans(int spansPerSpanset) {
        return spansPerSpanset <= 0 || spans.size() <= spansPerSpanset ? spans : spans.subList(0, spansPerSpanset);
    }
}
