package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticTracesTest {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    private static final SyntheticTraces.Config CONFIG = new SyntheticTraces.Config(1, 25, 8, BASE_TIME_MS);

    @Test
    void sameSeedAndIndexGiveIdenticalProtos() {
        SyntheticTraces a = new SyntheticTraces(CONFIG);
        SyntheticTraces b = new SyntheticTraces(CONFIG);
        for (long i = 0; i < 50; i++) {
            assertEquals(a.trace(i), b.trace(i));
            assertArrayEquals(SyntheticTraces.toRequest(a.trace(i)).toByteArray(),
                SyntheticTraces.toRequest(b.trace(i)).toByteArray());
        }
        assertArrayEquals(a.request(10, 40).toByteArray(), b.request(10, 40).toByteArray());
    }

    @Test
    void traceIdsAreDistinctPerIndexAndPerSeed() {
        SyntheticTraces generator = new SyntheticTraces(CONFIG);
        Set<String> ids = new HashSet<>();
        for (long i = 0; i < 100_000; i++) assertTrue(ids.add(generator.traceIdHex(i)), "duplicate at " + i);
        assertNotEquals(generator.trace(0).get(0).span().getTraceId(), generator.trace(1).get(0).span().getTraceId());

        SyntheticTraces otherSeed = new SyntheticTraces(new SyntheticTraces.Config(2, 25, 8, BASE_TIME_MS));
        assertNotEquals(generator.traceIdHex(0), otherSeed.traceIdHex(0));
    }

    @Test
    void traceIdsAreStableAcrossVersions() {
        // Pinned so that a change to the ID scheme, which would make old runs unverifiable, is deliberate.
        assertEquals("f868938f59c3384888728bb4860dc427", new SyntheticTraces(CONFIG).traceIdHex(0));
    }

    @Test
    void everyTraceIsAWellFormedTreeInsideTheTimeWindow() {
        SyntheticTraces generator = new SyntheticTraces(CONFIG);
        long baseNs = BASE_TIME_MS * 1_000_000L;
        long oldestNs = (BASE_TIME_MS - SyntheticTraces.MAX_TRACE_AGE_MS) * 1_000_000L;
        for (long i = 0; i < 200; i++) {
            List<SyntheticTraces.GeneratedSpan> spans = generator.trace(i);
            assertEquals(25, spans.size());
            Map<ByteString, Span> seen = new HashMap<>();
            ByteString traceId = ByteString.copyFrom(generator.traceId(i));
            for (int j = 0; j < spans.size(); j++) {
                Span span = spans.get(j).span();
                assertEquals(traceId, span.getTraceId());
                assertEquals(8, span.getSpanId().size());
                assertTrue(span.getStartTimeUnixNano() < span.getEndTimeUnixNano());
                assertTrue(span.getStartTimeUnixNano() >= oldestNs && span.getEndTimeUnixNano() <= baseNs);
                assertTrue(span.getAttributesCount() >= 8, span.getName());
                if (j == 0) {
                    assertTrue(span.getParentSpanId().isEmpty());
                    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind());
                } else {
                    Span parent = seen.get(span.getParentSpanId());
                    assertTrue(parent != null, "parent must come earlier in the trace");
                    assertTrue(span.getStartTimeUnixNano() >= parent.getStartTimeUnixNano()
                        && span.getEndTimeUnixNano() <= parent.getEndTimeUnixNano());
                }
                assertEquals(null, seen.put(span.getSpanId(), span), "span IDs are unique");
                assertTrue(hasAttribute(spans.get(j).resource().getAttributesList(), "service.name"));
                assertTrue(hasAttribute(spans.get(j).resource().getAttributesList(), "k8s.namespace.name"));
                assertTrue(hasAttribute(spans.get(j).resource().getAttributesList(), "host.name"));
                assertTrue(!spans.get(j).scope().getName().isEmpty() && !spans.get(j).scope().getVersion().isEmpty());
            }
        }
    }

    @Test
    void tracesMixKindsValueTypesErrorsEventsAndLinks() {
        SyntheticTraces generator = new SyntheticTraces(CONFIG);
        Set<Span.SpanKind> kinds = EnumSet.noneOf(Span.SpanKind.class);
        Set<AnyValue.ValueCase> valueTypes = EnumSet.noneOf(AnyValue.ValueCase.class);
        Set<String> services = new HashSet<>();
        int errors = 0;
        int events = 0;
        int links = 0;
        int spans = 0;
        for (long i = 0; i < 200; i++) {
            for (SyntheticTraces.GeneratedSpan generated : generator.trace(i)) {
                Span span = generated.span();
                spans++;
                kinds.add(span.getKind());
                span.getAttributesList().forEach(kv -> valueTypes.add(kv.getValue().getValueCase()));
                services.add(generated.resource().getAttributes(0).getValue().getStringValue());
                if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) errors++;
                events += span.getEventsCount();
                links += span.getLinksCount();
            }
        }
        assertEquals(EnumSet.range(Span.SpanKind.SPAN_KIND_INTERNAL, Span.SpanKind.SPAN_KIND_CONSUMER), kinds);
        assertTrue(valueTypes.containsAll(EnumSet.of(AnyValue.ValueCase.STRING_VALUE, AnyValue.ValueCase.INT_VALUE,
            AnyValue.ValueCase.DOUBLE_VALUE, AnyValue.ValueCase.BOOL_VALUE, AnyValue.ValueCase.ARRAY_VALUE)), valueTypes.toString());
        assertEquals(8, services.size());
        assertTrue(errors > spans * 0.02 && errors < spans * 0.1, "errors " + errors + " of " + spans);
        assertTrue(events > spans * 0.05, "events " + events);
        assertTrue(links > spans * 0.02, "links " + links);
    }

    @Test
    void requestGroupsByResourceAndScopeWithoutLosingSpans() {
        SyntheticTraces generator = new SyntheticTraces(CONFIG);
        ExportTraceServiceRequest request = generator.request(0, 40);
        Set<ByteString> spanIds = new HashSet<>();
        Set<String> resourceKeys = new HashSet<>();
        request.getResourceSpansList().forEach(rs -> {
            assertTrue(resourceKeys.add(rs.getResource().toString()), "one ResourceSpans per resource");
            Set<String> scopes = new HashSet<>();
            rs.getScopeSpansList().forEach(ss -> {
                assertTrue(scopes.add(ss.getScope().toString()), "one ScopeSpans per scope");
                ss.getSpansList().forEach(s -> spanIds.add(s.getSpanId()));
            });
        });
        assertEquals(40 * 25, spanIds.size());
    }

    private static boolean hasAttribute(List<KeyValue> attributes, String key) {
        return attributes.stream().anyMatch(kv -> kv.getKey().equals(key));
    }
}
