package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Span-by-span comparison of traces, insensitive to attribute order and to how spans are grouped. */
final class TraceAssertions {

    /** A span with the resource and scope it was reported under, attributes sorted by key. */
    record PlacedSpan(Span span, List<KeyValue> resourceAttributes, String scopeName, String scopeVersion) {
    }

    private TraceAssertions() {
    }

    static Map<ByteString, PlacedSpan> spansById(List<ResourceSpans> batches) {
        Map<ByteString, PlacedSpan> out = new HashMap<>();
        for (ResourceSpans rs : batches) {
            Resource resource = rs.getResource();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                InstrumentationScope scope = ss.getScope();
                for (Span span : ss.getSpansList()) {
                    PlacedSpan previous = out.put(span.getSpanId(),
                            new PlacedSpan(normalize(span), sorted(resource.getAttributesList()), scope.getName(), scope.getVersion()));
                    assertEquals(null, previous, "span " + span.getSpanId() + " appears twice");
                }
            }
        }
        return out;
    }

    static void assertSameSpans(List<ResourceSpans> expected, TracesData actual) {
        Map<ByteString, PlacedSpan> want = spansById(expected);
        Map<ByteString, PlacedSpan> got = spansById(actual.getResourceSpansList());
        assertEquals(want.keySet(), got.keySet(), "span IDs");
        want.forEach((id, span) -> assertEquals(span, got.get(id), "span " + span.span().getName()));
        assertTrue(!want.isEmpty());
    }

    /** Sorts attributes, and treats an empty status message as no status (presence of an empty message carries nothing). */
    static Span normalize(Span span) {
        Span.Builder b = span.toBuilder().clearAttributes().addAllAttributes(sorted(span.getAttributesList()));
        if (b.getStatus().equals(io.opentelemetry.proto.trace.v1.Status.getDefaultInstance())) {
            b.clearStatus();
        }
        for (int i = 0; i < b.getEventsCount(); i++) {
            Span.Event e = b.getEvents(i);
            b.setEvents(i, e.toBuilder().clearAttributes().addAllAttributes(sorted(e.getAttributesList())));
        }
        for (int i = 0; i < b.getLinksCount(); i++) {
            Span.Link l = b.getLinks(i);
            b.setLinks(i, l.toBuilder().clearAttributes().addAllAttributes(sorted(l.getAttributesList())));
        }
        return b.build();
    }

    static List<KeyValue> sorted(List<KeyValue> attributes) {
        List<KeyValue> copy = new ArrayList<>(attributes);
        copy.sort(Comparator.comparing(KeyValue::getKey));
        return copy;
    }
}
