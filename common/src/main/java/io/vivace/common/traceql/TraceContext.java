package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Per-trace state of one evaluation: the spans in input order and lazily computed child counts. */
final class TraceContext {

    private final TraceData trace;
    private final List<SpanData> spans;
    private final Map<SpanData, Integer> order = new IdentityHashMap<>();
    private Map<String, Integer> childCounts;

    TraceContext(TraceData trace) {
        this.trace = trace;
        this.spans = List.copyOf(trace.spans());
        for (int i = 0; i < spans.size(); i++) {
            order.put(spans.get(i), i);
        }
    }

    TraceData trace() {
        return trace;
    }

    List<SpanData> spans() {
        return spans;
    }

    /** The spans of several lists, each once, in trace order. */
    List<SpanData> unionInTraceOrder(List<List<SpanData>> lists) {
        boolean[] seen = new boolean[spans.size()];
        for (List<SpanData> list : lists) {
            for (SpanData s : list) {
                seen[order.get(s)] = true;
            }
        }
        List<SpanData> out = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                out.add(spans.get(i));
            }
        }
        return out;
    }

    /** Number of spans of this trace whose parent is {@code span}. */
    int childCount(SpanData span) {
        if (childCounts == null) {
            childCounts = new HashMap<>();
            for (SpanData s : spans) {
                String parent = s.parentSpanId();
                if (parent != null && !parent.isEmpty() && !parent.equals(s.spanId())) {
                    childCounts.merge(parent, 1, Integer::sum);
                }
            }
        }
        return childCounts.getOrDefault(span.spanId(), 0);
    }
}
