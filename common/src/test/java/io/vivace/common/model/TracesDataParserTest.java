package io.vivace.common.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TracesDataParserTest {

    private static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private static ByteString bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteString.copyFrom(b);
    }

    /** Every field of every message the parser reads itself, with non-default values. */
    private static TracesData everyField() {
        AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(str("a")).addValues(AnyValue.newBuilder().setIntValue(-3))
                .addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setBoolValue(true))))).build();
        AnyValue kvlist = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(attr("inner", AnyValue.newBuilder().setDoubleValue(2.5).build()))
                .addValues(attr("empty", AnyValue.getDefaultInstance()))).build();
        Span span = Span.newBuilder()
                .setTraceId(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)).setSpanId(bytes(1, 1, 1, 1, 1, 1, 1, 1))
                .setTraceState("k=v").setParentSpanId(bytes(2, 2, 2, 2, 2, 2, 2, 2)).setFlags(0x301).setName("GET /ünïcødé ✓")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(-1L).setEndTimeUnixNano(1_767_225_600_000_000_123L)
                .addAttributes(attr("http.method", str("GET"))).addAttributes(attr("count", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()))
                .addAttributes(attr("ok", AnyValue.newBuilder().setBoolValue(false).build()))
                .addAttributes(attr("ratio", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
                .addAttributes(attr("raw", AnyValue.newBuilder().setBytesValue(bytes(0, 255, 128)).build()))
                .addAttributes(attr("list", array)).addAttributes(attr("map", kvlist)).addAttributes(attr("", str("")))
                .setDroppedAttributesCount(7)
                .addEvents(Span.Event.newBuilder().setTimeUnixNano(42).setName("exception")
                        .addAttributes(attr("exception.message", str("boom"))).setDroppedAttributesCount(1))
                .setDroppedEventsCount(2)
                .addLinks(Span.Link.newBuilder().setTraceId(bytes(9, 9)).setSpanId(bytes(8)).setTraceState("a=b")
                        .addAttributes(attr("link", str("x"))).setDroppedAttributesCount(3).setFlags(0x100))
                .setDroppedLinksCount(4)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("failed"))
                .build();
        return TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attr("service.name", str("checkout"))).setDroppedAttributesCount(5)
                                .addEntityRefs(EntityRef.newBuilder().setType("service").addIdKeys("service.name")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.0")
                                        .addAttributes(attr("scope.attr", str("s"))).setDroppedAttributesCount(6))
                                .addSpans(span).addSpans(Span.newBuilder().setSpanId(bytes(3)).setName("empty status").setStatus(Status.getDefaultInstance()))
                                .setSchemaUrl("https://opentelemetry.io/schemas/1.4.0"))
                        .addScopeSpans(ScopeSpans.getDefaultInstance())
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.5.0"))
                .addResourceSpans(ResourceSpans.getDefaultInstance())
                .build();
    }

    @Test
    void equalsProtobufsParseOnEveryField() throws Exception {
        byte[] encoded = everyField().toByteArray();

        TracesData parsed = TracesDataParser.parse(encoded);

        assertEquals(TracesData.parseFrom(encoded), parsed);
        assertEquals(everyField(), parsed);
        assertArrayEquals(encoded, parsed.toByteArray());
        assertEquals("GET /ünïcødé ✓", parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    }

    @Test
    void fragmentsAppendedBackToBackReadAsOneTracesData() throws Exception {
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        everyField().writeTo(twice);
        everyField().writeTo(twice);
        byte[] encoded = twice.toByteArray();

        TracesData parsed = TracesDataParser.parse(encoded);

        assertEquals(4, parsed.getResourceSpansCount());
        assertEquals(TracesData.parseFrom(encoded), parsed);
    }

    @Test
    void messagesWithFieldsItDoesNotKnowAreLeftToProtobufUnknownFieldsIncluded() throws Exception {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).addLengthDelimited(ByteString.copyFromUtf8("future")).build())
                .build();
        TracesData trace = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setName("with unknown field").setUnknownFields(unknown))
                        .addSpans(Span.newBuilder().setName("next").addAttributes(KeyValue.newBuilder().setKeyStrindex(3)))))
                .build();
        byte[] encoded = trace.toByteArray();

        TracesData parsed = TracesDataParser.parse(encoded);

        assertEquals(TracesData.parseFrom(encoded), parsed);
        assertEquals(unknown, parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0).getUnknownFields());
        assertEquals(3, parsed.getResourceSpans(0).getScopeSpans(0).getSpans(1).getAttributes(0).getKeyStrindex());
    }

    @Test
    void fieldsSentTwiceResolveAsProtobufDoes() throws Exception {
        // A later scalar replaces an earlier one; a singular message sent twice is merged.
        byte[] status1 = Status.newBuilder().setMessage("first").build().toByteArray();
        byte[] status2 = Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK).build().toByteArray();
        byte[] value1 = str("one").toByteArray();
        byte[] value2 = AnyValue.newBuilder().setIntValue(2).build().toByteArray();
        byte[] attribute = concat(new byte[] {0x0a, 1, 'k', 0x12, (byte) value1.length}, value1, new byte[] {0x12, (byte) value2.length}, value2);
        byte[] span = concat(new byte[] {0x2a, 1, 'a', 0x2a, 1, 'b', 0x7a, (byte) status1.length}, status1,
                new byte[] {0x7a, (byte) status2.length}, status2, new byte[] {0x4a, (byte) attribute.length}, attribute);
        byte[] scope = concat(new byte[] {0x12, (byte) span.length}, span);
        byte[] resource = concat(new byte[] {0x12, (byte) scope.length}, scope);
        byte[] encoded = concat(new byte[] {0x0a, (byte) resource.length}, resource);

        TracesData parsed = TracesDataParser.parse(encoded);

        assertEquals(TracesData.parseFrom(encoded), parsed);
        Span only = parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertEquals("b", only.getName());
        assertEquals(Status.newBuilder().setMessage("first").setCode(Status.StatusCode.STATUS_CODE_OK).build(), only.getStatus());
        assertEquals(2, only.getAttributes(0).getValue().getIntValue());
    }

    @Test
    void rejectsWhatProtobufRejects() {
        byte[] encoded = everyField().toByteArray();
        byte[] truncated = Arrays.copyOf(encoded, encoded.length - 3);
        assertThrows(InvalidProtocolBufferException.class, () -> TracesData.parseFrom(truncated));
        assertThrows(InvalidProtocolBufferException.class, () -> TracesDataParser.parse(truncated));

        byte[] span = {0x2a, 2, 'a', (byte) 0xC3}; // name: "a" and half a two-byte UTF-8 sequence
        byte[] scope = concat(new byte[] {0x12, (byte) span.length}, span);
        byte[] resource = concat(new byte[] {0x12, (byte) scope.length}, scope);
        byte[] badName = concat(new byte[] {0x0a, (byte) resource.length}, resource);
        assertThrows(InvalidProtocolBufferException.class, () -> TracesData.parseFrom(badName));
        assertThrows(InvalidProtocolBufferException.class, () -> TracesDataParser.parse(badName));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
