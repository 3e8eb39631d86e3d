package io.vivace.common.block;

import static io.vivace.common.block.TraceSchema.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.model.TraceId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;

/**
 * Writes a {@link TraceRecord} as one Parquet row straight from the OTLP objects through the RecordConsumer.
 * Strings and IDs are copied into one reused buffer and handed over as "reused" binaries (parquet copies what
 * it keeps), so a span costs few allocations.
 */
final class TraceWriteSupport extends WriteSupport<TraceRecord> {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final int NOT_MOVED = -1;

    private final TraceSummarizer summary = new TraceSummarizer();
    private RecordConsumer rc;
    private byte[] scratch = new byte[256];
    private int spanIndex;
    // Per attribute list being written: which attributes moved to a well-known column.
    private boolean[] moved = new boolean[32];
    private final int[] resourceColumns = new int[WellKnownAttribute.RESOURCE.size()];
    private final int[] spanColumns = new int[WellKnownAttribute.SPAN.size()];

    /** The summary of the trace written last (time range, span count, ...). */
    TraceSummarizer lastSummary() {
        return summary;
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private static WriteContext context() {
        return new WriteContext(SCHEMA, Map.of("vivace.format", FORMAT));
    }

    @Override
    public String getName() {
        return "vivace";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.rc = recordConsumer;
    }

    @Override
    public void write(TraceRecord record) {
        summary.summarize(record.trace());
        spanIndex = 0;
        rc.startMessage();
        writeBinary(SCHEMA, TRACE_ID, traceIdBinary(record.id()));
        writeBinary(SCHEMA, TRACE_ID_TEXT, Binary.fromString(record.id().toShortHex()));
        writeLong(SCHEMA, TRACE_START, summary.startNanos);
        writeLong(SCHEMA, TRACE_END, summary.endNanos);
        writeLong(SCHEMA, TRACE_DURATION, summary.endNanos - summary.startNanos);
        writeBinary(SCHEMA, TRACE_ROOT_SERVICE, Binary.fromString(summary.rootServiceName));
        writeBinary(SCHEMA, TRACE_ROOT_SPAN, Binary.fromString(summary.rootSpanName));
        writeServiceStats();
        List<ResourceSpans> resourceSpans = record.trace().getResourceSpansList();
        startList(SCHEMA, TRACE_RS, resourceSpans.size());
        for (ResourceSpans rs : resourceSpans) {
            startElement();
            writeResource(rs);
            startList(RESOURCE_SPANS, RS_SCOPE_SPANS, rs.getScopeSpansCount());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                startElement();
                writeScope(ss);
                startList(SCOPE_SPANS, SS_SPANS, ss.getSpansCount());
                for (Span span : ss.getSpansList()) {
                    writeSpan(span);
                }
                endList(SCOPE_SPANS, SS_SPANS, ss.getSpansCount());
                endElement();
            }
            endList(RESOURCE_SPANS, RS_SCOPE_SPANS, rs.getScopeSpansCount());
            endElement();
        }
        endList(SCHEMA, TRACE_RS, resourceSpans.size());
        rc.endMessage();
    }

    private void writeServiceStats() {
        int count = summary.services.size();
        startField(SCHEMA, TRACE_SERVICE_STATS);
        rc.startGroup();
        if (count > 0) {
            rc.startField("key_value", 0);
            for (int i = 0; i < count; i++) {
                rc.startGroup();
                rc.startField("key", 0);
                rc.addBinary(Binary.fromString(summary.services.get(i)));
                rc.endField("key", 0);
                rc.startField("value", 1);
                rc.startGroup();
                rc.startField("SpanCount", 0);
                rc.addInteger(summary.serviceSpans[i]);
                rc.endField("SpanCount", 0);
                rc.startField("ErrorCount", 1);
                rc.addInteger(summary.serviceErrors[i]);
                rc.endField("ErrorCount", 1);
                rc.endGroup();
                rc.endField("value", 1);
                rc.endGroup();
            }
            rc.endField("key_value", 0);
        }
        rc.endGroup();
        endField(SCHEMA, TRACE_SERVICE_STATS);
    }

    private void writeResource(ResourceSpans rs) {
        Resource resource = rs.getResource();
        List<KeyValue> attrs = resource.getAttributesList();
        resetMoved(attrs.size());
        Arrays.fill(resourceColumns, NOT_MOVED);
        int serviceName = NOT_MOVED;
        int movedCount = 0;
        for (int i = 0; i < attrs.size(); i++) {
            KeyValue kv = attrs.get(i);
            String key = kv.getKey();
            // "" stays generic: an empty ServiceName column means "no service.name".
            if (serviceName == NOT_MOVED && key.equals("service.name") && isString(kv.getValue())
                    && !kv.getValue().getStringValue().isEmpty()) {
                serviceName = i;
                moved[i] = true;
                movedCount++;
                continue;
            }
            int column = WellKnownAttribute.indexOf(WellKnownAttribute.Level.RESOURCE, key);
            if (column >= 0 && resourceColumns[column] == NOT_MOVED && isString(kv.getValue())) {
                resourceColumns[column] = i;
                moved[i] = true;
                movedCount++;
            }
        }
        startField(RESOURCE_SPANS, RS_RESOURCE);
        rc.startGroup();
        writeAttrs(RESOURCE, RESOURCE_ATTRS, attrs, movedCount);
        writeInt(RESOURCE, RESOURCE_DROPPED_ATTRS, resource.getDroppedAttributesCount());
        writeString(RESOURCE, RESOURCE_SCHEMA_URL, rs.getSchemaUrlBytes());
        if (serviceName == NOT_MOVED) {
            writeBinary(RESOURCE, RESOURCE_SERVICE_NAME, Binary.EMPTY);
        } else {
            writeString(RESOURCE, RESOURCE_SERVICE_NAME, attrs.get(serviceName).getValue().getStringValueBytes());
        }
        for (int c = 0; c < resourceColumns.length; c++) {
            if (resourceColumns[c] != NOT_MOVED) {
                writeString(RESOURCE, RESOURCE_WELL_KNOWN + c, attrs.get(resourceColumns[c]).getValue().getStringValueBytes());
            }
        }
        rc.endGroup();
        endField(RESOURCE_SPANS, RS_RESOURCE);
    }

    private void writeScope(ScopeSpans ss) {
        InstrumentationScope scope = ss.getScope();
        startField(SCOPE_SPANS, SS_SCOPE);
        rc.startGroup();
        writeString(SCOPE, SCOPE_NAME, scope.getNameBytes());
        writeString(SCOPE, SCOPE_VERSION, scope.getVersionBytes());
        resetMoved(scope.getAttributesCount());
        writeAttrs(SCOPE, SCOPE_ATTRS, scope.getAttributesList(), 0);
        writeInt(SCOPE, SCOPE_DROPPED_ATTRS, scope.getDroppedAttributesCount());
        writeString(SCOPE, SCOPE_SCHEMA_URL, ss.getSchemaUrlBytes());
        rc.endGroup();
        endField(SCOPE_SPANS, SS_SCOPE);
    }

    private void writeSpan(Span span) {
        List<KeyValue> attrs = span.getAttributesList();
        resetMoved(attrs.size());
        Arrays.fill(spanColumns, NOT_MOVED);
        int movedCount = 0;
        for (int i = 0; i < attrs.size(); i++) {
            KeyValue kv = attrs.get(i);
            int column = WellKnownAttribute.indexOf(WellKnownAttribute.Level.SPAN, kv.getKey());
            if (column >= 0 && spanColumns[column] == NOT_MOVED && matches(WellKnownAttribute.SPAN.get(column), kv.getValue())) {
                spanColumns[column] = i;
                moved[i] = true;
                movedCount++;
            }
        }
        long start = span.getStartTimeUnixNano();
        int index = spanIndex++;
        startElement();
        writeBytes(SPAN, SPAN_ID, span.getSpanId());
        writeBytes(SPAN, SPAN_PARENT_SPAN_ID, span.getParentSpanId());
        writeInt(SPAN, SPAN_PARENT_ID, summary.parentId[index]);
        writeInt(SPAN, SPAN_NESTED_SET_LEFT, summary.left[index]);
        writeInt(SPAN, SPAN_NESTED_SET_RIGHT, summary.right[index]);
        writeString(SPAN, SPAN_NAME, span.getNameBytes());
        writeLong(SPAN, SPAN_KIND, span.getKindValue());
        writeString(SPAN, SPAN_TRACE_STATE, span.getTraceStateBytes());
        writeInt(SPAN, SPAN_FLAGS, span.getFlags());
        writeLong(SPAN, SPAN_START, start);
        writeLong(SPAN, SPAN_DURATION, span.getEndTimeUnixNano() - start);
        writeLong(SPAN, SPAN_STATUS_CODE, span.getStatus().getCodeValue());
        writeString(SPAN, SPAN_STATUS_MESSAGE, span.getStatus().getMessageBytes());
        writeAttrs(SPAN, SPAN_ATTRS, attrs, movedCount);
        writeInt(SPAN, SPAN_DROPPED_ATTRS, span.getDroppedAttributesCount());
        writeEvents(span, start);
        writeInt(SPAN, SPAN_DROPPED_EVENTS, span.getDroppedEventsCount());
        writeLinks(span);
        writeInt(SPAN, SPAN_DROPPED_LINKS, span.getDroppedLinksCount());
        for (int c = 0; c < spanColumns.length; c++) {
            if (spanColumns[c] == NOT_MOVED) {
                continue;
            }
            AnyValue value = attrs.get(spanColumns[c]).getValue();
            switch (WellKnownAttribute.SPAN.get(c).type()) {
                case STRING -> writeString(SPAN, SPAN_WELL_KNOWN + c, value.getStringValueBytes());
                case INT -> writeLong(SPAN, SPAN_WELL_KNOWN + c, value.getIntValue());
            }
        }
        endElement();
    }

    private void writeEvents(Span span, long spanStart) {
        startList(SPAN, SPAN_EVENTS, span.getEventsCount());
        for (Span.Event event : span.getEventsList()) {
            startElement();
            writeLong(EVENT, EVENT_TIME_SINCE_START, event.getTimeUnixNano() - spanStart);
            writeString(EVENT, EVENT_NAME, event.getNameBytes());
            resetMoved(event.getAttributesCount());
            writeAttrs(EVENT, EVENT_ATTRS, event.getAttributesList(), 0);
            writeInt(EVENT, EVENT_DROPPED_ATTRS, event.getDroppedAttributesCount());
            endElement();
        }
        endList(SPAN, SPAN_EVENTS, span.getEventsCount());
    }

    private void writeLinks(Span span) {
        startList(SPAN, SPAN_LINKS, span.getLinksCount());
        for (Span.Link link : span.getLinksList()) {
            startElement();
            writeBytes(LINK, LINK_TRACE_ID, link.getTraceId());
            writeBytes(LINK, LINK_SPAN_ID, link.getSpanId());
            writeString(LINK, LINK_TRACE_STATE, link.getTraceStateBytes());
            writeInt(LINK, LINK_FLAGS, link.getFlags());
            resetMoved(link.getAttributesCount());
            writeAttrs(LINK, LINK_ATTRS, link.getAttributesList(), 0);
            writeInt(LINK, LINK_DROPPED_ATTRS, link.getDroppedAttributesCount());
            endElement();
        }
        endList(SPAN, SPAN_LINKS, span.getLinksCount());
    }

    /** Writes the attributes not marked in {@link #moved}. */
    private void writeAttrs(GroupType parent, int field, List<KeyValue> attrs, int movedCount) {
        int count = attrs.size() - movedCount;
        startList(parent, field, count);
        for (int i = 0; i < attrs.size(); i++) {
            if (!moved[i]) {
                writeAttr(attrs.get(i));
            }
        }
        endList(parent, field, count);
    }

    private void writeAttr(KeyValue kv) {
        startElement();
        writeString(ATTR, ATTR_KEY, kv.getKeyBytes());
        AnyValue value = kv.getValue();
        switch (value.getValueCase()) {
            case STRING_VALUE, INT_VALUE, DOUBLE_VALUE, BOOL_VALUE -> {
                writeBoolean(ATTR, ATTR_IS_ARRAY, false);
                writeValueLists(value.getValueCase(), List.of(value));
            }
            case VALUE_NOT_SET -> {
                writeBoolean(ATTR, ATTR_IS_ARRAY, false);
                writeValueLists(AnyValue.ValueCase.VALUE_NOT_SET, List.of());
            }
            case ARRAY_VALUE -> {
                ArrayValue array = value.getArrayValue();
                AnyValue.ValueCase elementCase = homogeneousScalarCase(array);
                if (elementCase != null) {
                    writeBoolean(ATTR, ATTR_IS_ARRAY, true);
                    writeValueLists(elementCase, array.getValuesList());
                } else {
                    writeUnsupported(value);
                }
            }
            default -> writeUnsupported(value); // kvlist, bytes, string index
        }
        endElement();
    }

    private void writeUnsupported(AnyValue value) {
        writeBoolean(ATTR, ATTR_IS_ARRAY, false);
        writeValueLists(AnyValue.ValueCase.VALUE_NOT_SET, List.of());
        try {
            writeBinary(ATTR, ATTR_VALUE_UNSUPPORTED, Binary.fromString(JSON.print(value)));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("attribute value cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** The common case of an array's elements when all are one scalar type; VALUE_NOT_SET when empty; else null. */
    private static AnyValue.ValueCase homogeneousScalarCase(ArrayValue array) {
        if (array.getValuesCount() == 0) {
            return AnyValue.ValueCase.VALUE_NOT_SET;
        }
        AnyValue.ValueCase first = array.getValues(0).getValueCase();
        if (first != AnyValue.ValueCase.STRING_VALUE && first != AnyValue.ValueCase.INT_VALUE
                && first != AnyValue.ValueCase.DOUBLE_VALUE && first != AnyValue.ValueCase.BOOL_VALUE) {
            return null;
        }
        for (AnyValue v : array.getValuesList()) {
            if (v.getValueCase() != first) {
                return null;
            }
        }
        return first;
    }

    /** Writes the four value lists; only the one matching {@code valueCase} gets {@code values}. */
    private void writeValueLists(AnyValue.ValueCase valueCase, List<AnyValue> values) {
        writeValueList(ATTR_VALUE, valueCase == AnyValue.ValueCase.STRING_VALUE ? values : List.of(), AnyValue.ValueCase.STRING_VALUE);
        writeValueList(ATTR_VALUE_INT, valueCase == AnyValue.ValueCase.INT_VALUE ? values : List.of(), AnyValue.ValueCase.INT_VALUE);
        writeValueList(ATTR_VALUE_DOUBLE, valueCase == AnyValue.ValueCase.DOUBLE_VALUE ? values : List.of(), AnyValue.ValueCase.DOUBLE_VALUE);
        writeValueList(ATTR_VALUE_BOOL, valueCase == AnyValue.ValueCase.BOOL_VALUE ? values : List.of(), AnyValue.ValueCase.BOOL_VALUE);
    }

    private void writeValueList(int field, List<AnyValue> values, AnyValue.ValueCase valueCase) {
        startList(ATTR, field, values.size());
        for (AnyValue v : values) {
            rc.startGroup();
            rc.startField("element", 0);
            switch (valueCase) {
                case STRING_VALUE -> rc.addBinary(reused(v.getStringValueBytes()));
                case INT_VALUE -> rc.addLong(v.getIntValue());
                case DOUBLE_VALUE -> rc.addDouble(v.getDoubleValue());
                case BOOL_VALUE -> rc.addBoolean(v.getBoolValue());
                default -> throw new IllegalStateException(valueCase.toString());
            }
            rc.endField("element", 0);
            rc.endGroup();
        }
        endList(ATTR, field, values.size());
    }

    private static boolean isString(AnyValue value) {
        return value.getValueCase() == AnyValue.ValueCase.STRING_VALUE;
    }

    private static boolean matches(WellKnownAttribute column, AnyValue value) {
        return switch (column.type()) {
            case STRING -> value.getValueCase() == AnyValue.ValueCase.STRING_VALUE;
            case INT -> value.getValueCase() == AnyValue.ValueCase.INT_VALUE;
        };
    }

    private void resetMoved(int size) {
        if (moved.length < size) {
            moved = new boolean[Math.max(size, moved.length * 2)];
        } else {
            Arrays.fill(moved, 0, size, false);
        }
    }

    // ---- RecordConsumer helpers ----

    private void startField(GroupType group, int field) {
        rc.startField(group.getFieldName(field), field);
    }

    private void endField(GroupType group, int field) {
        rc.endField(group.getFieldName(field), field);
    }

    /** Opens a LIST field; the repeated {@code list} field exists only when there are elements. */
    private void startList(GroupType group, int field, int size) {
        startField(group, field);
        rc.startGroup();
        if (size > 0) {
            rc.startField("list", 0);
        }
    }

    private void endList(GroupType group, int field, int size) {
        if (size > 0) {
            rc.endField("list", 0);
        }
        rc.endGroup();
        endField(group, field);
    }

    /** Opens one group element of a LIST: {@code list { element { ... } }}. */
    private void startElement() {
        rc.startGroup();
        rc.startField("element", 0);
        rc.startGroup();
    }

    private void endElement() {
        rc.endGroup();
        rc.endField("element", 0);
        rc.endGroup();
    }

    private void writeBinary(GroupType group, int field, Binary value) {
        startField(group, field);
        rc.addBinary(value);
        endField(group, field);
    }

    private void writeString(GroupType group, int field, ByteString utf8) {
        writeBinary(group, field, reused(utf8));
    }

    private void writeBytes(GroupType group, int field, ByteString bytes) {
        writeBinary(group, field, reused(bytes));
    }

    private void writeLong(GroupType group, int field, long value) {
        startField(group, field);
        rc.addLong(value);
        endField(group, field);
    }

    private void writeInt(GroupType group, int field, int value) {
        startField(group, field);
        rc.addInteger(value);
        endField(group, field);
    }

    private void writeBoolean(GroupType group, int field, boolean value) {
        startField(group, field);
        rc.addBoolean(value);
        endField(group, field);
    }

    /** A binary over the scratch buffer; valid until the next call, which is all the consumer needs. */
    private Binary reused(ByteString bytes) {
        int size = bytes.size();
        if (size == 0) {
            return Binary.EMPTY;
        }
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        bytes.copyTo(scratch, 0);
        return Binary.fromReusedByteArray(scratch, 0, size);
    }

    private Binary traceIdBinary(TraceId id) {
        byte[] bytes = id.toBytes();
        return Binary.fromConstantByteArray(bytes);
    }
}
