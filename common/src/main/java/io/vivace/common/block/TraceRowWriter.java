package io.vivace.common.block;

import static io.vivace.common.block.TraceColumns.*;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.block.parquet.BinaryColumnWriter;
import io.vivace.common.block.parquet.BooleanColumnWriter;
import io.vivace.common.block.parquet.ColumnFileWriter;
import io.vivace.common.block.parquet.ColumnWriter;
import io.vivace.common.block.parquet.DoubleColumnWriter;
import io.vivace.common.block.parquet.LongColumnWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@link TraceRecord} as one row, walking the OTLP objects once and handing every leaf column its
 * entries with the repetition and definition levels the schema's nesting gives them ({@link TraceColumns}).
 * Well-known attributes go to their own columns; the rest to the typed {@code Attrs} lists.
 */
final class TraceRowWriter {

    private static final int NOT_MOVED = -1;

    private final ColumnFileWriter file;
    private final TraceSummarizer summary = new TraceSummarizer();

    private final BinaryColumnWriter traceId;
    private final LongColumnWriter start;
    private final LongColumnWriter end;
    private final LongColumnWriter duration;
    private final BinaryColumnWriter rootService;
    private final BinaryColumnWriter rootSpan;
    private final BinaryColumnWriter statsKey;
    private final LongColumnWriter statsSpans;
    private final LongColumnWriter statsErrors;

    private final AttrWriters resourceAttrs;
    private final LongColumnWriter resourceDroppedAttrs;
    private final BinaryColumnWriter resourceSchemaUrl;
    private final BinaryColumnWriter resourceServiceName;
    private final BinaryColumnWriter[] resourceWellKnown;

    private final BinaryColumnWriter scopeName;
    private final BinaryColumnWriter scopeVersion;
    private final AttrWriters scopeAttrs;
    private final LongColumnWriter scopeDroppedAttrs;
    private final BinaryColumnWriter scopeSchemaUrl;

    private final BinaryColumnWriter spanId;
    private final BinaryColumnWriter parentSpanId;
    private final LongColumnWriter parentId;
    private final LongColumnWriter nestedSetLeft;
    private final LongColumnWriter nestedSetRight;
    private final BinaryColumnWriter spanName;
    private final LongColumnWriter kind;
    private final BinaryColumnWriter traceState;
    private final LongColumnWriter flags;
    private final LongColumnWriter spanStart;
    private final LongColumnWriter spanDuration;
    private final LongColumnWriter statusCode;
    private final BinaryColumnWriter statusMessage;
    private final AttrWriters spanAttrs;
    private final LongColumnWriter spanDroppedAttrs;
    private final LongColumnWriter droppedEvents;
    private final LongColumnWriter droppedLinks;
    private final ColumnWriter[] spanWellKnown;

    private final LongColumnWriter eventSpanIndex;
    private final LongColumnWriter eventTime;
    private final BinaryColumnWriter eventName;
    private final AttrWriters eventAttrs;
    private final LongColumnWriter eventDroppedAttrs;

    private final LongColumnWriter linkSpanIndex;
    private final BinaryColumnWriter linkTraceId;
    private final BinaryColumnWriter linkSpanId;
    private final BinaryColumnWriter linkTraceState;
    private final LongColumnWriter linkFlags;
    private final AttrWriters linkAttrs;
    private final LongColumnWriter linkDroppedAttrs;

    private final ColumnWriter[] serviceStatsLeaves;
    private final ColumnWriter[] rsLeaves;
    private final ColumnWriter[] ssLeaves;
    private final ColumnWriter[] spanLeaves;
    private final ColumnWriter[] eventLeaves;
    private final ColumnWriter[] linkLeaves;

    private int spanIndex;
    /** Per attribute list being written: which attributes moved to a well-known column; all false in between. */
    private boolean[] moved = new boolean[32];
    private final int[] resourceColumns = new int[WellKnownAttribute.RESOURCE.size()];
    private final int[] spanColumns = new int[WellKnownAttribute.SPAN.size()];

    TraceRowWriter(ColumnFileWriter file) {
        this.file = file;
        traceId = binary(TRACE_ID);
        start = longs(START);
        end = longs(END);
        duration = longs(DURATION);
        rootService = binary(ROOT_SERVICE);
        rootSpan = binary(ROOT_SPAN);
        statsKey = binary(SERVICE_STATS_KEY);
        statsSpans = longs(SERVICE_STATS_SPANS);
        statsErrors = longs(SERVICE_STATS_ERRORS);

        resourceAttrs = new AttrWriters(RESOURCE_ATTRS);
        resourceDroppedAttrs = longs(RESOURCE_DROPPED_ATTRS);
        resourceSchemaUrl = binary(RESOURCE_SCHEMA_URL);
        resourceServiceName = binary(RESOURCE_SERVICE_NAME);
        resourceWellKnown = Arrays.stream(RESOURCE_WELL_KNOWN).mapToObj(this::binary).toArray(BinaryColumnWriter[]::new);

        scopeName = binary(SCOPE_NAME);
        scopeVersion = binary(SCOPE_VERSION);
        scopeAttrs = new AttrWriters(SCOPE_ATTRS);
        scopeDroppedAttrs = longs(SCOPE_DROPPED_ATTRS);
        scopeSchemaUrl = binary(SCOPE_SCHEMA_URL);

        spanId = binary(SPAN_ID);
        parentSpanId = binary(SPAN_PARENT_SPAN_ID);
        parentId = longs(SPAN_PARENT_ID);
        nestedSetLeft = longs(SPAN_NESTED_SET_LEFT);
        nestedSetRight = longs(SPAN_NESTED_SET_RIGHT);
        spanName = binary(SPAN_NAME);
        kind = longs(SPAN_KIND);
        traceState = binary(SPAN_TRACE_STATE);
        flags = longs(SPAN_FLAGS);
        spanStart = longs(SPAN_START);
        spanDuration = longs(SPAN_DURATION);
        statusCode = longs(SPAN_STATUS_CODE);
        statusMessage = binary(SPAN_STATUS_MESSAGE);
        spanAttrs = new AttrWriters(SPAN_ATTRS);
        spanDroppedAttrs = longs(SPAN_DROPPED_ATTRS);
        droppedEvents = longs(SPAN_DROPPED_EVENTS);
        droppedLinks = longs(SPAN_DROPPED_LINKS);
        spanWellKnown = columns(SPAN_WELL_KNOWN);

        eventSpanIndex = longs(EVENTS.spanIndex());
        eventTime = longs(EVENTS.timeSinceStart());
        eventName = binary(EVENTS.name());
        eventAttrs = new AttrWriters(EVENTS.attrs());
        eventDroppedAttrs = longs(EVENTS.droppedAttrs());

        linkSpanIndex = longs(LINKS.spanIndex());
        linkTraceId = binary(LINKS.traceId());
        linkSpanId = binary(LINKS.spanId());
        linkTraceState = binary(LINKS.traceState());
        linkFlags = longs(LINKS.flags());
        linkAttrs = new AttrWriters(LINKS.attrs());
        linkDroppedAttrs = longs(LINKS.droppedAttrs());

        serviceStatsLeaves = columns(SERVICE_STATS_LEAVES);
        rsLeaves = columns(RS_LEAVES);
        ssLeaves = columns(SS_LEAVES);
        spanLeaves = columns(SPAN_LEAVES);
        eventLeaves = columns(EVENTS.leaves());
        linkLeaves = columns(LINKS.leaves());
    }

    /** The summary of the trace written last (time range, span count, ...). */
    TraceSummarizer lastSummary() {
        return summary;
    }

    void write(TraceRecord record) throws IOException {
        summary.summarize(record.trace());
        spanIndex = 0;
        byte[] id = record.id().toBytes();
        traceId.write(id, 0, id.length, 0);
        start.write(summary.startNanos, 0);
        end.write(summary.endNanos, 0);
        duration.write(summary.endNanos - summary.startNanos, 0);
        rootService.write(summary.rootServiceName, 0);
        rootSpan.write(summary.rootSpanName, 0);
        writeServiceStats();
        List<ResourceSpans> resourceSpans = record.trace().getResourceSpansList();
        if (resourceSpans.isEmpty()) {
            writeNulls(rsLeaves, 0, RS_DEPTH - 1);
        }
        for (int i = 0; i < resourceSpans.size(); i++) {
            writeResourceSpans(resourceSpans.get(i), i == 0 ? 0 : RS_DEPTH);
        }
        writeEvents(resourceSpans);
        writeLinks(resourceSpans);
        file.endRow();
    }

    private void writeServiceStats() {
        int count = summary.services.size();
        if (count == 0) {
            writeNulls(serviceStatsLeaves, 0, SERVICE_STATS_DEPTH - 1);
        }
        for (int i = 0; i < count; i++) {
            int rl = i == 0 ? 0 : SERVICE_STATS_DEPTH;
            statsKey.write(summary.services.get(i), rl);
            statsSpans.write(summary.serviceSpans[i], rl);
            statsErrors.write(summary.serviceErrors[i], rl);
        }
    }

    private void writeResourceSpans(ResourceSpans rs, int rl) {
        Resource resource = rs.getResource();
        List<KeyValue> attrs = resource.getAttributesList();
        ensureMovedCapacity(attrs.size());
        Arrays.fill(resourceColumns, NOT_MOVED);
        int serviceName = NOT_MOVED;
        int movedCount = 0;
        for (int i = 0; i < attrs.size(); i++) {
            KeyValue kv = attrs.get(i);
            ByteString key = kv.getKeyBytes();
            boolean isString = kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE;
            // "" stays generic: an empty ServiceName column means "no service.name".
            if (serviceName == NOT_MOVED && isString && key.equals(TraceSummarizer.SERVICE_NAME) && !kv.getValue().getStringValueBytes().isEmpty()) {
                serviceName = i;
                moved[i] = true;
                movedCount++;
                continue;
            }
            int column = WellKnownAttribute.indexOf(WellKnownAttribute.Level.RESOURCE, key);
            if (column >= 0 && resourceColumns[column] == NOT_MOVED && isString) {
                resourceColumns[column] = i;
                moved[i] = true;
                movedCount++;
            }
        }
        writeAttrs(resourceAttrs, attrs, movedCount, rl);
        if (serviceName != NOT_MOVED) {
            moved[serviceName] = false;
        }
        clearMoved(resourceColumns);
        resourceDroppedAttrs.write(resource.getDroppedAttributesCount(), rl);
        resourceSchemaUrl.write(rs.getSchemaUrlBytes(), rl);
        resourceServiceName.write(serviceName == NOT_MOVED ? ByteString.EMPTY : attrs.get(serviceName).getValue().getStringValueBytes(), rl);
        for (int c = 0; c < resourceColumns.length; c++) {
            if (resourceColumns[c] == NOT_MOVED) {
                resourceWellKnown[c].writeNull(rl, RS_DEPTH);
            } else {
                resourceWellKnown[c].write(attrs.get(resourceColumns[c]).getValue().getStringValueBytes(), rl);
            }
        }
        List<ScopeSpans> scopeSpans = rs.getScopeSpansList();
        if (scopeSpans.isEmpty()) {
            writeNulls(ssLeaves, rl, SS_DEPTH - 1);
        }
        for (int i = 0; i < scopeSpans.size(); i++) {
            writeScopeSpans(scopeSpans.get(i), i == 0 ? rl : SS_DEPTH);
        }
    }

    private void writeScopeSpans(ScopeSpans ss, int rl) {
        InstrumentationScope scope = ss.getScope();
        scopeName.write(scope.getNameBytes(), rl);
        scopeVersion.write(scope.getVersionBytes(), rl);
        writeAttrs(scopeAttrs, scope.getAttributesList(), rl);
        scopeDroppedAttrs.write(scope.getDroppedAttributesCount(), rl);
        scopeSchemaUrl.write(ss.getSchemaUrlBytes(), rl);
        List<Span> spans = ss.getSpansList();
        if (spans.isEmpty()) {
            writeNulls(spanLeaves, rl, SPANS_DEPTH - 1);
        }
        for (int i = 0; i < spans.size(); i++) {
            writeSpan(spans.get(i), i == 0 ? rl : SPANS_DEPTH);
        }
    }

    private void writeSpan(Span span, int rl) {
        List<KeyValue> attrs = span.getAttributesList();
        ensureMovedCapacity(attrs.size());
        Arrays.fill(spanColumns, NOT_MOVED);
        int movedCount = 0;
        for (int i = 0; i < attrs.size(); i++) {
            KeyValue kv = attrs.get(i);
            int column = WellKnownAttribute.indexOf(WellKnownAttribute.Level.SPAN, kv.getKeyBytes());
            if (column >= 0 && spanColumns[column] == NOT_MOVED && matches(WellKnownAttribute.SPAN.get(column), kv.getValue())) {
                spanColumns[column] = i;
                moved[i] = true;
                movedCount++;
            }
        }
        long startNanos = span.getStartTimeUnixNano();
        int index = spanIndex++;
        spanId.write(span.getSpanId(), rl);
        parentSpanId.write(storedParentSpanId(span, index), rl);
        parentId.write(summary.parentId[index], rl);
        nestedSetLeft.write(summary.left[index], rl);
        nestedSetRight.write(summary.right[index], rl);
        spanName.write(span.getNameBytes(), rl);
        kind.write(span.getKindValue(), rl);
        traceState.write(span.getTraceStateBytes(), rl);
        flags.write(span.getFlags(), rl);
        spanStart.write(startNanos - summary.startNanos, rl); // the trace's start time, written first in the row
        spanDuration.write(span.getEndTimeUnixNano() - startNanos, rl);
        statusCode.write(span.getStatus().getCodeValue(), rl);
        statusMessage.write(span.getStatus().getMessageBytes(), rl);
        writeAttrs(spanAttrs, attrs, movedCount, rl);
        clearMoved(spanColumns);
        spanDroppedAttrs.write(span.getDroppedAttributesCount(), rl);
        droppedEvents.write(span.getDroppedEventsCount(), rl);
        droppedLinks.write(span.getDroppedLinksCount(), rl);
        for (int c = 0; c < spanColumns.length; c++) {
            ColumnWriter column = spanWellKnown[c];
            if (spanColumns[c] == NOT_MOVED) {
                column.writeNull(rl, SPANS_DEPTH);
                continue;
            }
            AnyValue value = attrs.get(spanColumns[c]).getValue();
            switch (column) {
                case BinaryColumnWriter strings -> strings.write(value.getStringValueBytes(), rl);
                case LongColumnWriter ints -> ints.write(value.getIntValue(), rl);
                default -> throw new IllegalStateException("well-known column of unexpected type: " + column.descriptor());
            }
        }
    }

    /**
     * Empty when the reader can derive the parent span ID: the span's parent in the nested sets (its {@code ParentID})
     * carries exactly that ID. Roots store their (empty) ID too, and a span whose parent was not found its ID as sent.
     */
    private ByteString storedParentSpanId(Span span, int index) {
        ByteString parent = span.getParentSpanId();
        int parentIndex = summary.parentIndex[index];
        return parentIndex >= 0 && parent.equals(summary.spanIds[parentIndex]) ? ByteString.EMPTY : parent;
    }

    /** The trace-level {@code Events} list: every span's events, spans in row order, each with its span's index. */
    private void writeEvents(List<ResourceSpans> resourceSpans) {
        int index = 0;
        int rl = 0;
        for (ResourceSpans rs : resourceSpans) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    for (Span.Event event : span.getEventsList()) {
                        eventSpanIndex.write(index, rl);
                        eventTime.write(event.getTimeUnixNano() - span.getStartTimeUnixNano(), rl);
                        eventName.write(event.getNameBytes(), rl);
                        writeAttrs(eventAttrs, event.getAttributesList(), rl);
                        eventDroppedAttrs.write(event.getDroppedAttributesCount(), rl);
                        rl = EVENTS.depth();
                    }
                    index++;
                }
            }
        }
        if (rl == 0) {
            writeNulls(eventLeaves, 0, EVENTS.depth() - 1);
        }
    }

    /** The trace-level {@code Links} list, ordered like {@link #writeEvents}. */
    private void writeLinks(List<ResourceSpans> resourceSpans) {
        int index = 0;
        int rl = 0;
        for (ResourceSpans rs : resourceSpans) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    for (Span.Link link : span.getLinksList()) {
                        linkSpanIndex.write(index, rl);
                        linkTraceId.write(link.getTraceId(), rl);
                        linkSpanId.write(link.getSpanId(), rl);
                        linkTraceState.write(link.getTraceStateBytes(), rl);
                        linkFlags.write(link.getFlags(), rl);
                        writeAttrs(linkAttrs, link.getAttributesList(), rl);
                        linkDroppedAttrs.write(link.getDroppedAttributesCount(), rl);
                        rl = LINKS.depth();
                    }
                    index++;
                }
            }
        }
        if (rl == 0) {
            writeNulls(linkLeaves, 0, LINKS.depth() - 1);
        }
    }

    /** A list none of whose attributes moved to a dedicated column. */
    private void writeAttrs(AttrWriters columns, List<KeyValue> attrs, int rl) {
        ensureMovedCapacity(attrs.size());
        writeAttrs(columns, attrs, 0, rl);
    }

    /** Writes the attributes not marked in {@link #moved}. */
    private void writeAttrs(AttrWriters columns, List<KeyValue> attrs, int movedCount, int rl) {
        if (attrs.size() == movedCount) {
            writeNulls(columns.leaves, rl, columns.depth - 1);
            return;
        }
        boolean first = true;
        for (int i = 0; i < attrs.size(); i++) {
            if (!moved[i]) {
                writeAttr(columns, attrs.get(i), first ? rl : columns.depth);
                first = false;
            }
        }
    }

    /**
     * One attribute: a string, int, double or bool in its value column, the other value columns null; any other value
     * (array, kvlist, bytes) as OTLP JSON in {@code ValueUnsupported}; no value at all leaves every value column null.
     */
    private void writeAttr(AttrWriters c, KeyValue kv, int rl) {
        c.key.write(kv.getKeyBytes(), rl);
        AnyValue value = kv.getValue();
        AnyValue.ValueCase valueCase = value.getValueCase();
        int nullDl = c.depth;
        if (valueCase == AnyValue.ValueCase.STRING_VALUE) {
            c.value.write(value.getStringValueBytes(), rl);
        } else {
            c.value.writeNull(rl, nullDl);
        }
        if (valueCase == AnyValue.ValueCase.INT_VALUE) {
            c.valueInt.write(value.getIntValue(), rl);
        } else {
            c.valueInt.writeNull(rl, nullDl);
        }
        if (valueCase == AnyValue.ValueCase.DOUBLE_VALUE) {
            c.valueDouble.write(value.getDoubleValue(), rl);
        } else {
            c.valueDouble.writeNull(rl, nullDl);
        }
        if (valueCase == AnyValue.ValueCase.BOOL_VALUE) {
            c.valueBool.write(value.getBoolValue(), rl);
        } else {
            c.valueBool.writeNull(rl, nullDl);
        }
        switch (valueCase) {
            case STRING_VALUE, INT_VALUE, DOUBLE_VALUE, BOOL_VALUE, VALUE_NOT_SET -> c.unsupported.writeNull(rl, nullDl);
            default -> writeString(c.unsupported, UnsupportedValues.print(value), rl); // array, kvlist, bytes, string index
        }
    }


    private static boolean matches(WellKnownAttribute column, AnyValue value) {
        return switch (column.type()) {
            case STRING -> value.getValueCase() == AnyValue.ValueCase.STRING_VALUE;
            case INT -> value.getValueCase() == AnyValue.ValueCase.INT_VALUE;
        };
    }

    private void ensureMovedCapacity(int size) {
        if (moved.length < size) {
            moved = new boolean[Math.max(size, moved.length * 2)];
        }
    }

    /** Unmarks the attributes {@code columns} took, so {@link #moved} is all false between lists. */
    private void clearMoved(int[] columns) {
        for (int attr : columns) {
            if (attr != NOT_MOVED) {
                moved[attr] = false;
            }
        }
    }

    private static void writeString(BinaryColumnWriter column, String value, int rl) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        column.write(utf8, 0, utf8.length, rl);
    }

    private static void writeNulls(ColumnWriter[] columns, int rl, int dl) {
        for (ColumnWriter column : columns) {
            column.writeNull(rl, dl);
        }
    }

    private BinaryColumnWriter binary(int column) {
        return (BinaryColumnWriter) file.column(column);
    }

    private LongColumnWriter longs(int column) {
        return (LongColumnWriter) file.column(column);
    }

    /** The writers of those of {@code indexes} this file has (not the columns only vivace1 and vivace2 have). */
    private ColumnWriter[] columns(int[] indexes) {
        int written = TraceSchema.SCHEMA.getColumns().size();
        return Arrays.stream(indexes).filter(i -> i < written).mapToObj(file::column).toArray(ColumnWriter[]::new);
    }

    /** The writers of one {@code Attrs} list. */
    private final class AttrWriters {
        final int depth;
        final BinaryColumnWriter key;
        final BinaryColumnWriter value;
        final LongColumnWriter valueInt;
        final DoubleColumnWriter valueDouble;
        final BooleanColumnWriter valueBool;
        final BinaryColumnWriter unsupported;
        final ColumnWriter[] leaves;

        AttrWriters(TraceColumns.Attrs columns) {
            depth = columns.depth();
            key = binary(columns.key());
            value = binary(columns.value());
            valueInt = longs(columns.valueInt());
            valueDouble = (DoubleColumnWriter) file.column(columns.valueDouble());
            valueBool = (BooleanColumnWriter) file.column(columns.valueBool());
            unsupported = binary(columns.unsupported());
            leaves = columns(columns.leaves());
        }
    }
}
