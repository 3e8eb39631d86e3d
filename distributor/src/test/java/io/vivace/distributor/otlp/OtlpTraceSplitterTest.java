package io.vivace.distributor.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OtlpTraceSplitterTest {

    private static ByteString traceId(int n) {
        byte[] b = new byte[16];
        b[0] = 1;
        b[15] = (byte) n;
        return ByteString.copyFrom(b);
    }

    private static Span span(int trace, int id, long start) {
        return Span.newBuilder().setTraceId(traceId(trace)).setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 1, (byte) id}))
                .setName("op-" + id).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 100)
                .addAttributes(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setIntValue(3))
                                .addValues(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                                        .addValues(KeyValue.newBuilder().setKey("x").setValue(AnyValue.newBuilder().setStringValue("y")))))))).build();
    }

    private static ResourceSpans resource(String service, ScopeSpans... scopes) {
        return ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service)))).setSchemaUrl("https://schema/" + service)
                .addAllScopeSpans(List.of(scopes)).build();
    }

    private static ScopeSpans scope(String name, Span... spans) {
        return ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(name).setVersion("1.0"))
                .addAllSpans(List.of(spans)).build();
    }

    @Test
    void groupsSpansByTraceKeepingResourceAndScope() throws Exception {
        ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("a", scope("s1", span(1, 1, 10), span(2, 2, 20), span(1, 3, 5)), scope("s2", span(2, 4, 30))))
                .addResourceSpans(resource("b", scope("s3", span(1, 5, 40))))
                .build();

        OtlpTraceSplitter.Split split = OtlpTraceSplitter.split(req.toByteArray());

        assertEquals(5, split.spanCount());
        Map<TraceId, TraceFragment> byId = split.fragments().stream().collect(Collectors.toMap(TraceFragment::traceId, Function.identity()));
        assertEquals(2, byId.size());

        TraceFragment t1 = byId.get(TraceId.fromBytes(traceId(1).toByteArray()));
        TracesData expected1 = TracesData.newBuilder()
                .addResourceSpans(resource("a", scope("s1", span(1, 1, 10), span(1, 3, 5))))
                .addResourceSpans(resource("b", scope("s3", span(1, 5, 40))))
                .build();
        assertEquals(expected1, TracesData.parseFrom(t1.tracesData()));
        assertEquals(3, t1.spanCount());
        assertEquals(5, t1.startNanos());
        assertEquals(140, t1.endNanos());

        TraceFragment t2 = byId.get(TraceId.fromBytes(traceId(2).toByteArray()));
        TracesData expected2 = TracesData.newBuilder()
                .addResourceSpans(resource("a", scope("s1", span(2, 2, 20)), scope("s2", span(2, 4, 30))))
                .build();
        assertEquals(expected2, TracesData.parseFrom(t2.tracesData()));
    }

    /** One trace across more resources and scopes than the splitter's first bookkeeping arrays hold. */
    @Test
    void keepsEveryResourceAndScopeOfATraceSpreadOverManyOfThem() throws Exception {
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        TracesData.Builder expected = TracesData.newBuilder();
        for (int r = 0; r < 70; r++) {
            ResourceSpans rs = resource("svc-" + r, scope("s" + r, span(1, r, r)), scope("t" + r, span(1, r + 1, r), span(1, r + 2, r)));
            req.addResourceSpans(rs).addResourceSpans(resource("other-" + r, scope("u", span(2, r, r))));
            expected.addResourceSpans(rs);
        }
        OtlpTraceSplitter.Split split = OtlpTraceSplitter.split(req.build().toByteArray());
        TraceFragment first = split.fragments().getFirst();
        assertEquals(TraceId.fromBytes(traceId(1).toByteArray()), first.traceId());
        assertEquals(expected.build(), TracesData.parseFrom(first.tracesData()));
        assertEquals(210, first.spanCount());
    }

    @Test
    void largeSpansUseMultiByteLengths() throws Exception {
        Span big = span(7, 1, 1).toBuilder().setName("n".repeat(300_000)).build();
        ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", big))).build();
        TraceFragment f = OtlpTraceSplitter.split(req.toByteArray()).fragments().getFirst();
        assertEquals(big, TracesData.parseFrom(f.tracesData()).getResourceSpans(0).getScopeSpans(0).getSpans(0));
    }

    @Test
    void fragmentsOfOneTraceConcatenateIntoOneTrace() throws Exception {
        byte[] a = OtlpTraceSplitter.split(ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", span(1, 1, 1)))).build().toByteArray()).fragments().getFirst().tracesData();
        byte[] b = OtlpTraceSplitter.split(ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("b", scope("s", span(1, 2, 1)))).build().toByteArray()).fragments().getFirst().tracesData();
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals(2, TracesData.parseFrom(both).getResourceSpansCount());
    }

    @Test
    void rejectsBadIds() {
        Span shortTrace = span(1, 1, 1).toBuilder().setTraceId(ByteString.copyFrom(new byte[8])).build();
        assertMessage("trace ids must be 128 bit, received 64 bits", shortTrace);
        Span zeroTrace = span(1, 1, 1).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
        assertMessage("trace ids must not be all zero", zeroTrace);
        Span zeroSpan = span(1, 1, 1).toBuilder().setSpanId(ByteString.copyFrom(new byte[8])).build();
        assertMessage("span ids must be 64 bit and not all zero, received 64 bits", zeroSpan);
        Span noSpanId = span(1, 1, 1).toBuilder().clearSpanId().build();
        assertMessage("span ids must be 64 bit and not all zero, received 0 bits", noSpanId);
    }

    private static void assertMessage(String message, Span span) {
        byte[] req = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", span))).build().toByteArray();
        InvalidOtlpException e = assertThrows(InvalidOtlpException.class, () -> OtlpTraceSplitter.split(req));
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsEmptyRequest() {
        InvalidOtlpException e = assertThrows(InvalidOtlpException.class, () -> OtlpTraceSplitter.split(new byte[0]));
        assertEquals("request contains no spans", e.getMessage());
    }

    @Test
    void rejectsEveryTruncationOfAValidRequest() {
        byte[] req = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", span(1, 1, 1), span(1, 2, 2)))).build().toByteArray();
        for (int cut = 1; cut < req.length; cut++) {
            byte[] truncated = Arrays.copyOf(req, cut);
            InvalidOtlpException e = assertThrows(InvalidOtlpException.class, () -> OtlpTraceSplitter.split(truncated), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("malformed protobuf") || e.getMessage().contains("ids must")
                    || e.getMessage().equals("request contains no spans"), e.getMessage());
        }
    }

    /** Attributes are checked as a whole for ASCII first; anything else must still be valid UTF-8, at any depth. */
    @Test
    void checksUtf8OfAttributeKeysAndValuesAtEveryDepth() throws Exception {
        String[] places = {"key", "value", "nested key", "nested value"};
        for (String place : places) {
            Span valid = attributeSpan(place, "caf\u00e9-\u00fc");
            ExportTraceServiceRequest ok = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", valid))).build();
            TraceFragment f = OtlpTraceSplitter.split(ok.toByteArray()).fragments().getFirst();
            assertEquals(valid, TracesData.parseFrom(f.tracesData()).getResourceSpans(0).getScopeSpans(0).getSpans(0), place);

            byte[] req = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", attributeSpan(place, "MARKER"))))
                    .build().toByteArray();
            int at = new String(req, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("MARKER");
            req[at + 2] = (byte) 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
            InvalidOtlpException e = assertThrows(InvalidOtlpException.class, () -> OtlpTraceSplitter.split(req), place);
            assertTrue(e.getMessage().startsWith("Span.attributes") && e.getMessage().endsWith("is not valid UTF-8"), e.getMessage());
        }
    }

    private static Span attributeSpan(String place, String text) {
        AnyValue value = AnyValue.newBuilder().setStringValue(place.endsWith("value") ? text : "v").build();
        KeyValue attribute = KeyValue.newBuilder().setKey(place.endsWith("key") ? text : "k").setValue(value).build();
        if (place.startsWith("nested")) {
            attribute = KeyValue.newBuilder().setKey("outer").setValue(AnyValue.newBuilder().setKvlistValue(
                    KeyValueList.newBuilder().addValues(attribute))).build();
        }
        return span(1, 1, 1).toBuilder().addAttributes(attribute).build();
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] req = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", span(1, 1, 1)))).build().toByteArray();
        String text = new String(req, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("op-1");
        req[at] = (byte) 0xC3;
        req[at + 1] = 0x28;
        InvalidOtlpException e = assertThrows(InvalidOtlpException.class, () -> OtlpTraceSplitter.split(req));
        assertEquals("Span.name is not valid UTF-8", e.getMessage());
    }

    @Test
    void rejectsRandomGarbageWithoutCrashing() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            try {
                OtlpTraceSplitter.split(garbage);
            } catch (InvalidOtlpException expected) {
                // fine: any garbage must end in this exception, never another one
            }
        }
    }

    @Test
    void keepsTraceIdBytes() throws Exception {
        byte[] req = ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("a", scope("s", span(9, 1, 1)))).build().toByteArray();
        TraceFragment f = OtlpTraceSplitter.split(req).fragments().getFirst();
        assertArrayEquals(traceId(9).toByteArray(), f.traceId().toBytes());
    }
}
