package io.vivace.distributor.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

class AttributeTruncatorTest {

    static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    static Span span(int n, KeyValue... attributes) {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) n})).setName("s" + n)
                .addAllAttributes(java.util.List.of(attributes))
                .addEvents(Span.Event.newBuilder().setName("e").addAttributes(kv("ev", str("0123456789abcdef-too-long")))).build();
    }

    @Test
    void cutsKeysAndStringValuesEverywhereAtCharacterBoundaries() throws Exception {
        AnyValue nested = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("x".repeat(40)))
                .addValues(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", str("y".repeat(40))))))).build();
        ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("checkout"))))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span(1, kv("€€€€€€€€", str("ok")), kv("deep", nested)))
                        .addSpans(span(2, kv("fine", str("short")))))).build();
        OtlpTraceSplitter.Split split = OtlpTraceSplitter.split(req.toByteArray());
        assertEquals(40, split.longestAttributeBytes());

        AttributeTruncator.Result r = AttributeTruncator.truncate(req.toByteArray(), 16);
        ExportTraceServiceRequest out = ExportTraceServiceRequest.parseFrom(r.request());
        Span s1 = out.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertEquals("€€€€€", s1.getAttributes(0).getKey(), "24 bytes cut to 15, not into a character");
        AnyValue deep = s1.getAttributes(1).getValue();
        assertEquals("x".repeat(16), deep.getArrayValue().getValues(0).getStringValue());
        assertEquals("y".repeat(16), deep.getArrayValue().getValues(1).getKvlistValue().getValues(0).getValue().getStringValue());
        assertEquals("0123456789abcdef", s1.getEvents(0).getAttributes(0).getValue().getStringValue());
        assertEquals("checkout", out.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue());
        assertEquals(5, r.values(), "key, two nested values, two event values");
        assertEquals(2, r.spans());
        assertEquals(16, OtlpTraceSplitter.split(r.request()).longestAttributeBytes());
    }
}
