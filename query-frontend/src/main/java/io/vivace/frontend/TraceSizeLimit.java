package io.vivace.frontend;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;

/** Cuts a trace down to at most {@code max_bytes_per_trace} encoded bytes, keeping spans in order. */
final class TraceSizeLimit {

    private TraceSizeLimit() {
    }

    static TracesData truncate(TracesData trace, long maxBytes) {
        TracesData.Builder out = TracesData.newBuilder();
        long budget = maxBytes;
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            ResourceSpans.Builder rsOut = rs.toBuilder().clearScopeSpans();
            budget -= rsOut.build().getSerializedSize() + 6;
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ScopeSpans.Builder ssOut = ss.toBuilder().clearSpans();
                budget -= ssOut.build().getSerializedSize() + 6;
                for (Span span : ss.getSpansList()) {
                    long size = span.getSerializedSize() + 6;
                    if (size > budget) {
                        break;
                    }
                    budget -= size;
                    ssOut.addSpans(span);
                }
                if (ssOut.getSpansCount() > 0) {
                    rsOut.addScopeSpans(ssOut);
                }
            }
            if (rsOut.getScopeSpansCount() > 0) {
                out.addResourceSpans(rsOut);
            }
            if (budget <= 0) {
                break;
            }
        }
        return out.build();
    }
}
