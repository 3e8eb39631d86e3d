package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.common.proto.tempopb.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TraceComparatorTest {
    private static final SyntheticTraces GENERATOR =
        new SyntheticTraces(new SyntheticTraces.Config(9, 30, 5, 1_767_225_600_000L));

    @Test
    void identicalTraceRegroupedAndReorderedIsClean() {
        List<SyntheticTraces.GeneratedSpan> expected = findTrace(s -> s.getEventsCount() > 0 && s.getLinksCount() > 0);
        // One ResourceSpans per span, spans in reverse order, attributes reversed: all must still match.
        Trace.Builder actual = Trace.newBuilder();
        List<SyntheticTraces.GeneratedSpan> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        for (SyntheticTraces.GeneratedSpan g : reversed) {
            List<KeyValue> attributes = new ArrayList<>(g.span().getAttributesList());
            Collections.reverse(attributes);
            actual.addResourceSpans(ResourceSpans.newBuilder().setResource(g.resource())
                .addScopeSpans(ScopeSpans.newBuilder().setScope(g.scope())
                    .addSpans(g.span().toBuilder().clearAttributes().addAllAttributes(attributes))));
        }
        TraceComparator.TraceCheck check = TraceComparator.compare("t", expected, actual.build());
        assertTrue(check.clean(), check.diffs().toString());
        assertEquals(30, check.foundSpans());
    }

    @Test
    void detectsEachKindOfAlteration() {
        assertAltered(s -> s.toBuilder().setParentSpanId(s.getSpanId()).build(), "parent span id");
        assertAltered(s -> s.toBuilder().setName("x").build(), "name");
        assertAltered(s -> s.toBuilder().setKind(Span.SpanKind.SPAN_KIND_UNSPECIFIED).build(), "kind");
        assertAltered(s -> s.toBuilder().setStartTimeUnixNano(s.getStartTimeUnixNano() + 1).build(), "start");
        assertAltered(s -> s.toBuilder().setEndTimeUnixNano(s.getEndTimeUnixNano() - 1000).build(), "end");
        assertAltered(s -> s.toBuilder().setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("boom")).build(), "status");
        assertAltered(s -> s.toBuilder().removeAttributes(0).build(), "attributes: missing");
        assertAltered(s -> s.toBuilder().setAttributes(0, s.getAttributes(0).toBuilder()
            .setValue(AnyValue.newBuilder().setStringValue("changed"))).build(), "attributes:");
        assertAltered(s -> s.toBuilder().addEvents(Span.Event.newBuilder().setName("e").setTimeUnixNano(1)).build(), "events");
        assertAltered(s -> s.toBuilder().addLinks(Span.Link.newBuilder().setTraceState("x")).build(), "links");
    }

    @Test
    void detectsResourceAndScopeChanges() {
        List<SyntheticTraces.GeneratedSpan> expected = GENERATOR.trace(0);
        Trace actual = toTrace(expected, 2, rs -> rs.toBuilder().setResource(rs.getResource().toBuilder()
            .setAttributes(0, KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("other"))))
            .build());
        TraceComparator.TraceCheck check = TraceComparator.compare("t", expected, actual);
        assertEquals(1, check.alteredSpans(), check.diffs().toString());
        assertTrue(check.diffs().get(0).contains("resource: service.name"), check.diffs().toString());

        actual = toTrace(expected, 2, rs -> rs.toBuilder().setScopeSpans(0, rs.getScopeSpans(0).toBuilder()
            .setScope(rs.getScopeSpans(0).getScope().toBuilder().setVersion("9.9"))).build());
        check = TraceComparator.compare("t", expected, actual);
        assertEquals(1, check.alteredSpans());
        assertTrue(check.diffs().get(0).contains("scope: expected"), check.diffs().toString());
    }

    @Test
    void countsMissingDuplicateAndUnexpectedSpans() {
        List<SyntheticTraces.GeneratedSpan> expected = GENERATOR.trace(1);
        Trace.Builder actual = Trace.newBuilder();
        for (int i = 1; i < expected.size(); i++) actual.mergeFrom(toTrace(expected.subList(i, i + 1), -1, UnaryOperator.identity()));
        Span duplicate = expected.get(1).span();
        Span stranger = duplicate.toBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).build();
        actual.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(duplicate).addSpans(stranger)));

        TraceComparator.TraceCheck check = TraceComparator.compare("t", expected, actual.build());
        assertEquals(1, check.missingSpans(), check.diffs().toString());
        assertEquals(2, check.unexpectedSpans(), check.diffs().toString());
        assertEquals(29, check.foundSpans());
        assertEquals(0, check.alteredSpans(), check.diffs().toString());
    }

    private static void assertAltered(UnaryOperator<Span> change, String expectedText) {
        List<SyntheticTraces.GeneratedSpan> expected = GENERATOR.trace(0);
        int target = 3;
        Trace actual = toTrace(expected, target, rs -> rs.toBuilder().setScopeSpans(0, rs.getScopeSpans(0).toBuilder()
            .setSpans(0, change.apply(rs.getScopeSpans(0).getSpans(0)))).build());
        TraceComparator.TraceCheck check = TraceComparator.compare("t", expected, actual);
        assertEquals(1, check.alteredSpans(), expectedText + ": " + check.diffs());
        assertEquals(0, check.missingSpans());
        assertEquals(1, check.diffs().size());
        assertTrue(check.diffs().get(0).contains(expectedText), check.diffs().toString());
    }

    /** One ResourceSpans per span; {@code change} is applied to the one holding span {@code target}. */
    private static Trace toTrace(List<SyntheticTraces.GeneratedSpan> spans, int target, UnaryOperator<ResourceSpans> change) {
        Trace.Builder trace = Trace.newBuilder();
        for (int i = 0; i < spans.size(); i++) {
            SyntheticTraces.GeneratedSpan g = spans.get(i);
            ResourceSpans rs = ResourceSpans.newBuilder().setResource(g.resource())
                .addScopeSpans(ScopeSpans.newBuilder().setScope(g.scope()).addSpans(g.span())).build();
            trace.addResourceSpans(i == target ? change.apply(rs) : rs);
        }
        return trace.build();
    }

    private static List<SyntheticTraces.GeneratedSpan> findTrace(Predicate<Span> anySpan) {
        for (long i = 0; ; i++) {
            List<SyntheticTraces.GeneratedSpan> trace = GENERATOR.trace(i);
            if (trace.stream().anyMatch(g -> anySpan.test(g.span()))) return trace;
        }
    }
}
