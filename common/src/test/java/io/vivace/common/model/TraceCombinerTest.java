package io.vivace.common.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceCombinerTest {

    private static Span span(int id, Span.SpanKind kind) {
        return Span.newBuilder().setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id})).setKind(kind).setName("s" + id).build();
    }

    private static TracesData part(String service, String scope, Span... spans) {
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope)).addAllSpans(List.of(spans))))
                .build();
    }

    @Test
    void mergesSameResourceAndScopeAndDropsRepeatedSpans() {
        TracesData a = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(2, Span.SpanKind.SPAN_KIND_CLIENT));
        TracesData b = part("svc", "lib", span(2, Span.SpanKind.SPAN_KIND_CLIENT), span(3, Span.SpanKind.SPAN_KIND_INTERNAL));
        TracesData c = part("other", "lib", span(1, Span.SpanKind.SPAN_KIND_CLIENT));

        TracesData combined = TraceCombiner.combine(List.of(a, b, c));

        TracesData expected = TracesData.newBuilder()
                .addResourceSpans(part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(2, Span.SpanKind.SPAN_KIND_CLIENT),
                        span(3, Span.SpanKind.SPAN_KIND_INTERNAL)).getResourceSpans(0))
                .addResourceSpans(c.getResourceSpans(0))
                .build();
        assertEquals(expected, combined);
    }

    @Test
    void singleCleanPartIsReturnedAsIs() {
        TracesData a = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER));
        assertEquals(a, TraceCombiner.combine(List.of(a)));
    }

    @Test
    void samePartTwiceCollapses() {
        TracesData a = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER));
        TracesData twice = TracesData.newBuilder().mergeFrom(a).mergeFrom(a).build();
        assertEquals(a, TraceCombiner.combine(List.of(twice)));
    }

    @Test
    void singlePartWithARepeatedSpanIsDeduplicated() {
        TracesData repeated = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(2, Span.SpanKind.SPAN_KIND_CLIENT),
                span(1, Span.SpanKind.SPAN_KIND_SERVER), span(1, Span.SpanKind.SPAN_KIND_CLIENT));
        TracesData expected = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(2, Span.SpanKind.SPAN_KIND_CLIENT),
                span(1, Span.SpanKind.SPAN_KIND_CLIENT));
        assertEquals(expected, TraceCombiner.combine(List.of(repeated)));
    }

    @Test
    void singlePartWithASpanRepeatedUnderAnotherResourceIsDeduplicated() {
        TracesData a = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER));
        TracesData b = part("other", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(2, Span.SpanKind.SPAN_KIND_SERVER));
        TracesData both = TracesData.newBuilder().mergeFrom(a).mergeFrom(b).build();
        TracesData expected = TracesData.newBuilder().mergeFrom(a).mergeFrom(part("other", "lib", span(2, Span.SpanKind.SPAN_KIND_SERVER))).build();
        assertEquals(expected, TraceCombiner.combine(List.of(both)));
    }

    @Test
    void singlePartWithARepeatedScopeIsMerged() {
        TracesData a = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER));
        TracesData b = part("svc", "other-lib", span(2, Span.SpanKind.SPAN_KIND_SERVER));
        TracesData c = part("svc", "lib", span(3, Span.SpanKind.SPAN_KIND_SERVER));
        ResourceSpans oneResource = a.getResourceSpans(0).toBuilder().addScopeSpans(b.getResourceSpans(0).getScopeSpans(0))
                .addScopeSpans(c.getResourceSpans(0).getScopeSpans(0)).build();
        TracesData expected = TracesData.newBuilder().addResourceSpans(a.getResourceSpans(0).toBuilder().clearScopeSpans()
                .addScopeSpans(part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(3, Span.SpanKind.SPAN_KIND_SERVER))
                        .getResourceSpans(0).getScopeSpans(0))
                .addScopeSpans(b.getResourceSpans(0).getScopeSpans(0))).build();
        assertEquals(expected, TraceCombiner.combine(List.of(TracesData.newBuilder().addResourceSpans(oneResource).build())));
    }

    @Test
    void resourcesAndScopesMatchWhetherTheirStringsAreHeldAsStringsOrAsBytes() throws Exception {
        TracesData built = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER));
        TracesData parsed = TracesDataParser.parse(part("svc", "lib", span(2, Span.SpanKind.SPAN_KIND_SERVER)).toByteArray());
        TracesData expected = part("svc", "lib", span(1, Span.SpanKind.SPAN_KIND_SERVER), span(2, Span.SpanKind.SPAN_KIND_SERVER));
        assertEquals(expected, TraceCombiner.combine(List.of(built, parsed)));
        assertEquals(expected, TraceCombiner.combine(List.of(TracesData.newBuilder().mergeFrom(built).mergeFrom(parsed).build())));
    }

    @Test
    void resourcesThatDifferOnlyInANonStringAttributeStaySeparate() {
        Resource withInt = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("n").setValue(AnyValue.newBuilder().setIntValue(1))).build();
        Resource withOtherInt = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("n").setValue(AnyValue.newBuilder().setIntValue(2))).build();
        TracesData trace = TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(withInt).addScopeSpans(ScopeSpans.newBuilder().addSpans(span(1, Span.SpanKind.SPAN_KIND_SERVER))))
                .addResourceSpans(ResourceSpans.newBuilder().setResource(withOtherInt).addScopeSpans(ScopeSpans.newBuilder().addSpans(span(2, Span.SpanKind.SPAN_KIND_SERVER))))
                .build();
        assertEquals(trace, TraceCombiner.combine(List.of(trace)));
        assertEquals(2, TraceCombiner.combine(List.of(trace, trace)).getResourceSpansCount());
    }
}
