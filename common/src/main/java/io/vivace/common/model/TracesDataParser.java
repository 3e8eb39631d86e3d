package io.vivace.common.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an encoded {@code TracesData} into messages equal to what {@link TracesData#parseFrom(byte[])} returns, but
 * keeps every string and bytes field as a {@link ByteString} over the input array instead of decoding it into a
 * {@code String} (or copying it). The block writer reads strings as UTF-8 bytes, so protobuf's parse decoded each one
 * only for the writer to encode it again. The input must not change while the result is in use.
 *
 * <p>Strings are still checked to be valid UTF-8 (by the builders' byte setters). A message with a field this parser
 * does not know (a newer OTLP version, an unknown field, a field repeated that protobuf would merge) is handed to
 * protobuf's own parser, so the result stays equal to protobuf's, unknown fields included.
 */
public final class TracesDataParser {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    /** A span's attributes, added to its builder at once: one array of the right size instead of a growing list. */
    private final List<KeyValue> spanAttributes = new ArrayList<>();

    private TracesDataParser(byte[] buf) {
        this.buf = buf;
    }

    public static TracesData parse(byte[] bytes) throws InvalidProtocolBufferException {
        try {
            return new TracesDataParser(bytes).tracesData();
        } catch (IllegalArgumentException notUtf8) {
            // A string field's bytes are not UTF-8: protobuf's parser rejects the input with its own message.
            return TracesData.parseFrom(bytes);
        }
    }

    private TracesData tracesData() throws InvalidProtocolBufferException {
        int end = buf.length;
        TracesData.Builder b = TracesData.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                int fieldEnd = messageEnd(end);
                b.addResourceSpans(resourceSpans(fieldEnd));
            } else {
                return TracesData.parseFrom(buf);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private ResourceSpans resourceSpans(int end) throws InvalidProtocolBufferException {
        int start = pos;
        ResourceSpans.Builder b = ResourceSpans.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED) && !b.hasResource()) {
                b.setResource(resource(messageEnd(end)));
            } else if (tag == tag(2, LENGTH_DELIMITED)) {
                b.addScopeSpans(scopeSpans(messageEnd(end)));
            } else if (tag == tag(3, LENGTH_DELIMITED)) {
                b.setSchemaUrlBytes(bytes(end));
            } else {
                return protobuf(ResourceSpans.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private Resource resource(int end) throws InvalidProtocolBufferException {
        int start = pos;
        Resource.Builder b = Resource.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                b.addAttributes(keyValue(messageEnd(end)));
            } else if (tag == tag(2, VARINT)) {
                b.setDroppedAttributesCount((int) varint());
            } else if (tag == tag(3, LENGTH_DELIMITED)) {
                int fieldEnd = messageEnd(end);
                b.addEntityRefs(protobuf(EntityRef.parser(), pos, fieldEnd));
            } else {
                return protobuf(Resource.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private ScopeSpans scopeSpans(int end) throws InvalidProtocolBufferException {
        int start = pos;
        ScopeSpans.Builder b = ScopeSpans.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED) && !b.hasScope()) {
                b.setScope(scope(messageEnd(end)));
            } else if (tag == tag(2, LENGTH_DELIMITED)) {
                b.addSpans(span(messageEnd(end)));
            } else if (tag == tag(3, LENGTH_DELIMITED)) {
                b.setSchemaUrlBytes(bytes(end));
            } else {
                return protobuf(ScopeSpans.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private InstrumentationScope scope(int end) throws InvalidProtocolBufferException {
        int start = pos;
        InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                b.setNameBytes(bytes(end));
            } else if (tag == tag(2, LENGTH_DELIMITED)) {
                b.setVersionBytes(bytes(end));
            } else if (tag == tag(3, LENGTH_DELIMITED)) {
                b.addAttributes(keyValue(messageEnd(end)));
            } else if (tag == tag(4, VARINT)) {
                b.setDroppedAttributesCount((int) varint());
            } else {
                return protobuf(InstrumentationScope.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private Span span(int end) throws InvalidProtocolBufferException {
        int start = pos;
        Span.Builder b = Span.newBuilder();
        spanAttributes.clear();
        while (pos < end) {
            int tag = varint32();
            switch (tag) {
                case (1 << 3) | LENGTH_DELIMITED -> b.setTraceId(bytes(end));
                case (2 << 3) | LENGTH_DELIMITED -> b.setSpanId(bytes(end));
                case (3 << 3) | LENGTH_DELIMITED -> b.setTraceStateBytes(bytes(end));
                case (4 << 3) | LENGTH_DELIMITED -> b.setParentSpanId(bytes(end));
                case (5 << 3) | LENGTH_DELIMITED -> b.setNameBytes(bytes(end));
                case (6 << 3) | VARINT -> b.setKindValue((int) varint());
                case (7 << 3) | FIXED64 -> b.setStartTimeUnixNano(fixed64(end));
                case (8 << 3) | FIXED64 -> b.setEndTimeUnixNano(fixed64(end));
                case (9 << 3) | LENGTH_DELIMITED -> spanAttributes.add(keyValue(messageEnd(end)));
                case (10 << 3) | VARINT -> b.setDroppedAttributesCount((int) varint());
                case (11 << 3) | LENGTH_DELIMITED -> b.addEvents(event(messageEnd(end)));
                case (12 << 3) | VARINT -> b.setDroppedEventsCount((int) varint());
                case (13 << 3) | LENGTH_DELIMITED -> b.addLinks(link(messageEnd(end)));
                case (14 << 3) | VARINT -> b.setDroppedLinksCount((int) varint());
                case (15 << 3) | LENGTH_DELIMITED -> {
                    if (b.hasStatus()) {
                        return protobuf(Span.parser(), start, end);
                    }
                    b.setStatus(status(messageEnd(end)));
                }
                case (16 << 3) | FIXED32 -> b.setFlags(fixed32(end));
                default -> {
                    return protobuf(Span.parser(), start, end);
                }
            }
        }
        checkEnd(end);
        if (!spanAttributes.isEmpty()) {
            b.addAllAttributes(spanAttributes);
        }
        return b.build();
    }

    private Span.Event event(int end) throws InvalidProtocolBufferException {
        int start = pos;
        Span.Event.Builder b = Span.Event.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, FIXED64)) {
                b.setTimeUnixNano(fixed64(end));
            } else if (tag == tag(2, LENGTH_DELIMITED)) {
                b.setNameBytes(bytes(end));
            } else if (tag == tag(3, LENGTH_DELIMITED)) {
                b.addAttributes(keyValue(messageEnd(end)));
            } else if (tag == tag(4, VARINT)) {
                b.setDroppedAttributesCount((int) varint());
            } else {
                return protobuf(Span.Event.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private Span.Link link(int end) throws InvalidProtocolBufferException {
        int start = pos;
        Span.Link.Builder b = Span.Link.newBuilder();
        while (pos < end) {
            int tag = varint32();
            switch (tag) {
                case (1 << 3) | LENGTH_DELIMITED -> b.setTraceId(bytes(end));
                case (2 << 3) | LENGTH_DELIMITED -> b.setSpanId(bytes(end));
                case (3 << 3) | LENGTH_DELIMITED -> b.setTraceStateBytes(bytes(end));
                case (4 << 3) | LENGTH_DELIMITED -> b.addAttributes(keyValue(messageEnd(end)));
                case (5 << 3) | VARINT -> b.setDroppedAttributesCount((int) varint());
                case (6 << 3) | FIXED32 -> b.setFlags(fixed32(end));
                default -> {
                    return protobuf(Span.Link.parser(), start, end);
                }
            }
        }
        checkEnd(end);
        return b.build();
    }

    private Status status(int end) throws InvalidProtocolBufferException {
        int start = pos;
        Status.Builder b = Status.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(2, LENGTH_DELIMITED)) {
                b.setMessageBytes(bytes(end));
            } else if (tag == tag(3, VARINT)) {
                b.setCodeValue((int) varint());
            } else {
                return protobuf(Status.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private KeyValue keyValue(int end) throws InvalidProtocolBufferException {
        int start = pos;
        KeyValue.Builder b = KeyValue.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                b.setKeyBytes(bytes(end));
            } else if (tag == tag(2, LENGTH_DELIMITED) && !b.hasValue()) {
                b.setValue(anyValue(messageEnd(end)));
            } else {
                return protobuf(KeyValue.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    /** Scalars, arrays and key/value lists; a value set twice is left to protobuf, which merges nested messages. */
    private AnyValue anyValue(int end) throws InvalidProtocolBufferException {
        int start = pos;
        AnyValue.Builder b = AnyValue.newBuilder();
        boolean set = false;
        while (pos < end) {
            int tag = varint32();
            if (set) {
                return protobuf(AnyValue.parser(), start, end);
            }
            set = true;
            switch (tag) {
                case (1 << 3) | LENGTH_DELIMITED -> b.setStringValueBytes(bytes(end));
                case (2 << 3) | VARINT -> b.setBoolValue(varint() != 0);
                case (3 << 3) | VARINT -> b.setIntValue(varint());
                case (4 << 3) | FIXED64 -> b.setDoubleValue(Double.longBitsToDouble(fixed64(end)));
                case (5 << 3) | LENGTH_DELIMITED -> b.setArrayValue(arrayValue(messageEnd(end)));
                case (6 << 3) | LENGTH_DELIMITED -> b.setKvlistValue(keyValueList(messageEnd(end)));
                case (7 << 3) | LENGTH_DELIMITED -> b.setBytesValue(bytes(end));
                default -> {
                    return protobuf(AnyValue.parser(), start, end);
                }
            }
        }
        checkEnd(end);
        return b.build();
    }

    private ArrayValue arrayValue(int end) throws InvalidProtocolBufferException {
        int start = pos;
        ArrayValue.Builder b = ArrayValue.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                b.addValues(anyValue(messageEnd(end)));
            } else {
                return protobuf(ArrayValue.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    private KeyValueList keyValueList(int end) throws InvalidProtocolBufferException {
        int start = pos;
        KeyValueList.Builder b = KeyValueList.newBuilder();
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                b.addValues(keyValue(messageEnd(end)));
            } else {
                return protobuf(KeyValueList.parser(), start, end);
            }
        }
        checkEnd(end);
        return b.build();
    }

    /** Protobuf's parse of the message in {@code [start, end)}; the cursor moves to its end. */
    private <T> T protobuf(Parser<T> parser, int start, int end) throws InvalidProtocolBufferException {
        pos = end;
        return parser.parseFrom(buf, start, end - start);
    }

    /** A varint that ran past its message's end is malformed input, as protobuf's parser finds too. */
    private void checkEnd(int end) throws InvalidProtocolBufferException {
        if (pos != end) {
            throw truncated();
        }
    }

    private static InvalidProtocolBufferException truncated() {
        return new InvalidProtocolBufferException("a field or message runs past the end of its message or of the input");
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    /** Reads a length prefix and returns where the field ends; the cursor is then at its first byte. */
    private int messageEnd(int limit) throws InvalidProtocolBufferException {
        int length = varint32();
        if (length < 0 || length > limit - pos) {
            throw truncated();
        }
        return pos + length;
    }

    private ByteString bytes(int limit) throws InvalidProtocolBufferException {
        int end = messageEnd(limit);
        ByteString value = end == pos ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(buf, pos, end - pos);
        pos = end;
        return value;
    }

    private long fixed64(int limit) throws InvalidProtocolBufferException {
        if (limit - pos < 8) {
            throw truncated();
        }
        long value = (long) LONG_LE.get(buf, pos);
        pos += 8;
        return value;
    }

    private int fixed32(int limit) throws InvalidProtocolBufferException {
        if (limit - pos < 4) {
            throw truncated();
        }
        int value = (int) INT_LE.get(buf, pos);
        pos += 4;
        return value;
    }

    private int varint32() throws InvalidProtocolBufferException {
        if (pos < buf.length && buf[pos] >= 0) {
            return buf[pos++];
        }
        return (int) varint();
    }

    private long varint() throws InvalidProtocolBufferException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= buf.length) {
                throw truncated();
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new InvalidProtocolBufferException("malformed varint");
    }
}
