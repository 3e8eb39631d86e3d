package io.vivace.common.block;

import static io.vivace.common.block.ListLevels.continues;
import static io.vivace.common.block.ListLevels.skipAll;
import static io.vivace.common.block.ListLevels.startsList;
import static io.vivace.common.block.TraceColumns.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rebuilds a row's OTLP {@link TracesData} from one cursor per column ({@link TraceColumns#OTLP}), the reverse of
 * {@link TraceRowWriter}: a list at depth d is empty when its first column's entry is defined below d, and goes on
 * while that column's next entry repeats at d. Every element read takes exactly its own entries from each column
 * below it, so all cursors end the row together.
 *
 * <p>Well-known columns become attributes again, after the generic ones in table order ({@code service.name} first
 * for resources). Reuses its buffers: one instance per thread.
 */
final class TraceRowReader {

    private final ColumnCursor traceId;
    /** The trace's start time, which span start times are relative to (vivace4); null when they are as sent. */
    private final ColumnCursor traceStart;
    private long spanStartBase;
    private final AttrCursors resourceAttrs;
    private final ColumnCursor resourceDroppedAttrs;
    private final ColumnCursor resourceSchemaUrl;
    private final ColumnCursor resourceServiceName;
    private final ColumnCursor[] resourceWellKnown;
    private final ColumnCursor scopeName;
    private final ColumnCursor scopeVersion;
    private final AttrCursors scopeAttrs;
    private final ColumnCursor scopeDroppedAttrs;
    private final ColumnCursor scopeSchemaUrl;
    private final ColumnCursor spanId;
    private final ColumnCursor parentSpanId;
    private final ColumnCursor parentId;
    private final ColumnCursor nestedSetLeft;
    private final ColumnCursor spanName;
    private final ColumnCursor kind;
    private final ColumnCursor traceState;
    private final ColumnCursor flags;
    private final ColumnCursor spanStart;
    private final ColumnCursor spanDuration;
    private final ColumnCursor statusCode;
    private final ColumnCursor statusMessage;
    private final AttrCursors spanAttrs;
    private final ColumnCursor spanDroppedAttrs;
    private final ColumnCursor droppedEvents;
    private final ColumnCursor droppedLinks;
    private final ColumnCursor[] spanWellKnown;
    /** Whether events and links are lists inside each span (vivace1, vivace2) or trace-level lists (vivace3). */
    private final boolean inSpans;
    private final EventCursors events;
    private final LinkCursors links;
    private final ColumnCursor[] rsLeaves;
    private final ColumnCursor[] ssLeaves;
    private final ColumnCursor[] spanLeaves;

    private final List<String> strings = new ArrayList<>();
    private long[] ints = new long[4];
    private int intCount;
    private double[] doubles = new double[4];
    private int doubleCount;
    private boolean[] bools = new boolean[4];
    private int boolCount;

    /** Span IDs of the row by {@code NestedSetLeft}, and the spans whose parent span ID is derived from them. */
    private ByteString[] idByLeft = new ByteString[64];
    private Span.Builder[] derived = new Span.Builder[16];
    private int[] derivedParentLeft = new int[16];
    private int derivedCount;
    private int maxLeft;

    /** The row's spans in row order and their start times: what a trace-level event's or link's span index names. */
    private Span.Builder[] spans = new Span.Builder[64];
    private long[] spanStarts = new long[64];
    private int spanCount;

    /**
     * @param cursors by column position; those of the block's OTLP columns ({@link TraceColumns#OTLP},
     *                {@link TraceColumns#OTLP_V3} or {@link TraceColumns#OTLP_V2}) must be set
     * @param eventsInSpans whether the block is vivace1 or vivace2, whose spans hold their events and links
     * @param relativeSpanStarts whether span start times are relative to the trace's (vivace4)
     */
    TraceRowReader(ColumnCursor[] cursors, boolean eventsInSpans, boolean relativeSpanStarts) {
        this(cursors, eventsInSpans ? SPAN_EVENTS : EVENTS, eventsInSpans ? SPAN_LINKS : LINKS, eventsInSpans,
                relativeSpanStarts);
    }

    private TraceRowReader(ColumnCursor[] cursors, TraceColumns.Events eventColumns, TraceColumns.Links linkColumns,
                           boolean inSpans, boolean relativeSpanStarts) {
        this.inSpans = inSpans;
        traceId = cursors[TRACE_ID];
        traceStart = relativeSpanStarts ? cursors[START] : null;
        resourceAttrs = new AttrCursors(RESOURCE_ATTRS, cursors);
        resourceDroppedAttrs = cursors[RESOURCE_DROPPED_ATTRS];
        resourceSchemaUrl = cursors[RESOURCE_SCHEMA_URL];
        resourceServiceName = cursors[RESOURCE_SERVICE_NAME];
        resourceWellKnown = select(cursors, RESOURCE_WELL_KNOWN);
        scopeName = cursors[SCOPE_NAME];
        scopeVersion = cursors[SCOPE_VERSION];
        scopeAttrs = new AttrCursors(SCOPE_ATTRS, cursors);
        scopeDroppedAttrs = cursors[SCOPE_DROPPED_ATTRS];
        scopeSchemaUrl = cursors[SCOPE_SCHEMA_URL];
        spanId = cursors[SPAN_ID];
        parentSpanId = cursors[SPAN_PARENT_SPAN_ID];
        parentId = cursors[SPAN_PARENT_ID];
        nestedSetLeft = cursors[SPAN_NESTED_SET_LEFT];
        spanName = cursors[SPAN_NAME];
        kind = cursors[SPAN_KIND];
        traceState = cursors[SPAN_TRACE_STATE];
        flags = cursors[SPAN_FLAGS];
        spanStart = cursors[SPAN_START];
        spanDuration = cursors[SPAN_DURATION];
        statusCode = cursors[SPAN_STATUS_CODE];
        statusMessage = cursors[SPAN_STATUS_MESSAGE];
        spanAttrs = new AttrCursors(SPAN_ATTRS, cursors);
        spanDroppedAttrs = cursors[SPAN_DROPPED_ATTRS];
        droppedEvents = cursors[SPAN_DROPPED_EVENTS];
        droppedLinks = cursors[SPAN_DROPPED_LINKS];
        spanWellKnown = select(cursors, SPAN_WELL_KNOWN);
        events = new EventCursors(eventColumns, cursors);
        links = new LinkCursors(linkColumns, cursors);
        rsLeaves = AttrCursors.readAmong(cursors, RS_LEAVES);
        ssLeaves = AttrCursors.readAmong(cursors, SS_LEAVES);
        spanLeaves = AttrCursors.readAmong(cursors, SPAN_LEAVES);
    }

    /** The current row of the cursors. */
    TraceRecord read() {
        byte[] id = traceId.nextBytes();
        ByteString idBytes = UnsafeByteOperations.unsafeWrap(id);
        TracesData.Builder trace = TracesData.newBuilder();
        derivedCount = 0;
        spanCount = 0;
        spanStartBase = traceStart == null ? 0 : traceStart.nextLong();
        if (resourceServiceName.def() < RS_DEPTH) {
            skipAll(rsLeaves);
        } else {
            do {
                readResourceSpans(trace.addResourceSpansBuilder(), idBytes);
            } while (continues(resourceServiceName, RS_DEPTH));
        }
        if (!inSpans) {
            readTraceEvents();
            readTraceLinks();
        }
        Arrays.fill(spans, 0, spanCount, null);
        deriveParentSpanIds();
        return new TraceRecord(TraceId.fromBytes(id), trace.build());
    }

    /** Sets the parent span IDs the writer left out (vivace2): the ID of the span whose NestedSetLeft is the ParentID. */
    private void deriveParentSpanIds() {
        for (int i = 0; i < derivedCount; i++) {
            int left = derivedParentLeft[i];
            ByteString parent = left < idByLeft.length ? idByLeft[left] : null;
            if (parent == null) {
                throw new IllegalStateException("span's ParentID " + left + " is no span's NestedSetLeft");
            }
            derived[i].setParentSpanId(parent);
            derived[i] = null;
        }
        Arrays.fill(idByLeft, 0, maxLeft + 1, null);
        maxLeft = 0;
    }

    private void readResourceSpans(ResourceSpans.Builder rs, ByteString traceIdBytes) {
        Resource.Builder resource = rs.getResourceBuilder();
        resource.addAllAttributes(readAttrs(resourceAttrs));
        resource.setDroppedAttributesCount((int) resourceDroppedAttrs.nextLong());
        rs.setSchemaUrl(resourceSchemaUrl.nextString());
        String serviceName = resourceServiceName.nextString();
        if (!serviceName.isEmpty()) {
            resource.addAttributes(stringAttr("service.name", serviceName));
        }
        for (int c = 0; c < resourceWellKnown.length; c++) {
            ColumnCursor column = resourceWellKnown[c];
            if (column.present()) {
                resource.addAttributes(stringAttr(WellKnownAttribute.RESOURCE.get(c).key(), column.nextString()));
            } else {
                column.skip();
            }
        }
        if (scopeName.def() < SS_DEPTH) {
            skipAll(ssLeaves);
        } else {
            do {
                readScopeSpans(rs.addScopeSpansBuilder(), traceIdBytes);
            } while (continues(scopeName, SS_DEPTH));
        }
    }

    private void readScopeSpans(ScopeSpans.Builder ss, ByteString traceIdBytes) {
        InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
                .setName(scopeName.nextString())
                .setVersion(scopeVersion.nextString());
        scope.addAllAttributes(readAttrs(scopeAttrs));
        scope.setDroppedAttributesCount((int) scopeDroppedAttrs.nextLong());
        ss.setScope(scope).setSchemaUrl(scopeSchemaUrl.nextString());
        if (spanId.def() < SPANS_DEPTH) {
            skipAll(spanLeaves);
        } else {
            do {
                readSpan(ss.addSpansBuilder(), traceIdBytes);
            } while (continues(spanId, SPANS_DEPTH));
        }
    }

    private void readSpan(Span.Builder span, ByteString traceIdBytes) {
        ByteString id = bytes(spanId);
        ByteString parent = bytes(parentSpanId);
        int parentLeft = (int) parentId.nextLong();
        int left = (int) nestedSetLeft.nextLong();
        if (left > 0) {
            recordLeft(left, id);
        }
        if (parent.isEmpty() && parentLeft > 0) {
            addDerived(span, parentLeft);
        }
        span.setTraceId(traceIdBytes) // spans do not store it: it is the row's
                .setSpanId(id)
                .setParentSpanId(parent)
                .setName(spanName.nextString())
                .setKindValue((int) kind.nextLong())
                .setTraceState(traceState.nextString())
                .setFlags((int) flags.nextLong());
        long start = spanStartBase + spanStart.nextLong();
        span.setStartTimeUnixNano(start).setEndTimeUnixNano(start + spanDuration.nextLong());
        int code = (int) statusCode.nextLong();
        String message = statusMessage.nextString();
        if (code != 0 || !message.isEmpty()) {
            span.setStatus(Status.newBuilder().setCodeValue(code).setMessage(message));
        }
        span.addAllAttributes(readAttrs(spanAttrs));
        span.setDroppedAttributesCount((int) spanDroppedAttrs.nextLong());
        if (inSpans) {
            if (startsList(events.first, events.depth, events.leaves)) {
                do {
                    span.addEvents(readEvent(start));
                } while (continues(events.first, events.depth));
            }
        } else {
            addSpan(span, start);
        }
        span.setDroppedEventsCount((int) droppedEvents.nextLong());
        if (inSpans && startsList(links.first, links.depth, links.leaves)) {
            do {
                span.addLinks(readLink());
            } while (continues(links.first, links.depth));
        }
        span.setDroppedLinksCount((int) droppedLinks.nextLong());
        for (int c = 0; c < spanWellKnown.length; c++) {
            ColumnCursor column = spanWellKnown[c];
            if (!column.present()) {
                column.skip();
                continue;
            }
            WellKnownAttribute attribute = WellKnownAttribute.SPAN.get(c);
            span.addAttributes(switch (attribute.type()) {
                case STRING -> stringAttr(attribute.key(), column.nextString());
                case INT -> KeyValue.newBuilder().setKey(attribute.key())
                        .setValue(AnyValue.newBuilder().setIntValue(column.nextLong())).build();
            });
        }
    }

    private void recordLeft(int left, ByteString id) {
        if (left >= idByLeft.length) {
            idByLeft = Arrays.copyOf(idByLeft, Math.max(left + 1, idByLeft.length * 2));
        }
        idByLeft[left] = id;
        maxLeft = Math.max(maxLeft, left);
    }

    private void addDerived(Span.Builder span, int parentLeft) {
        if (derivedCount == derived.length) {
            derived = Arrays.copyOf(derived, derivedCount * 2);
            derivedParentLeft = Arrays.copyOf(derivedParentLeft, derivedCount * 2);
        }
        derived[derivedCount] = span;
        derivedParentLeft[derivedCount++] = parentLeft;
    }

    private void addSpan(Span.Builder span, long start) {
        if (spanCount == spans.length) {
            spans = Arrays.copyOf(spans, spanCount * 2);
            spanStarts = Arrays.copyOf(spanStarts, spanCount * 2);
        }
        spans[spanCount] = span;
        spanStarts[spanCount++] = start;
    }

    /** vivace3: each event of the trace-level list goes to the span its index names, in list order. */
    private void readTraceEvents() {
        if (!startsList(events.first, events.depth, events.leaves)) {
            return;
        }
        do {
            int index = spanIndex(events.spanIndex);
            spans[index].addEvents(readEvent(spanStarts[index]));
        } while (continues(events.first, events.depth));
    }

    private void readTraceLinks() {
        if (!startsList(links.first, links.depth, links.leaves)) {
            return;
        }
        do {
            int index = spanIndex(links.spanIndex);
            spans[index].addLinks(readLink());
        } while (continues(links.first, links.depth));
    }

    private int spanIndex(ColumnCursor column) {
        long index = column.nextLong();
        if (index < 0 || index >= spanCount) {
            throw new IllegalStateException("event or link of span " + index + " in a row of " + spanCount + " spans");
        }
        return (int) index;
    }

    private Span.Event readEvent(long spanStart) {
        Span.Event.Builder event = Span.Event.newBuilder()
                .setTimeUnixNano(spanStart + events.timeSinceStart.nextLong())
                .setName(events.name.nextString());
        return event.addAllAttributes(readAttrs(events.attrs))
                .setDroppedAttributesCount((int) events.droppedAttrs.nextLong()).build();
    }

    private Span.Link readLink() {
        Span.Link.Builder link = Span.Link.newBuilder()
                .setTraceId(bytes(links.traceId))
                .setSpanId(bytes(links.spanId))
                .setTraceState(links.traceState.nextString())
                .setFlags((int) links.flags.nextLong());
        return link.addAllAttributes(readAttrs(links.attrs))
                .setDroppedAttributesCount((int) links.droppedAttrs.nextLong()).build();
    }

    private List<KeyValue> readAttrs(AttrCursors c) {
        if (c.key.def() < c.depth) {
            skipAll(c.leaves);
            return List.of();
        }
        List<KeyValue> attrs = new ArrayList<>();
        do {
            attrs.add(readAttr(c));
        } while (continues(c.key, c.depth));
        return attrs;
    }

    /**
     * One attribute (the reverse of the writer's mapping): {@code ValueUnsupported} holds protobuf-JSON; otherwise
     * {@code IsArray} (vivace1 to vivace3) says array or scalar and the one non-empty value list (vivace4: the one
     * present value column, read the same way) holds the values. A scalar with no value at all is an empty
     * {@code AnyValue}.
     */
    private KeyValue readAttr(AttrCursors c) {
        String key = c.key.nextString();
        boolean isArray = c.isArray != null && c.isArray.nextBoolean();
        int elementDepth = c.depth + 1;
        strings.clear();
        if (startsList(c.value, elementDepth)) {
            do {
                strings.add(c.value.nextString());
            } while (continues(c.value, elementDepth));
        }
        intCount = 0;
        if (startsList(c.valueInt, elementDepth)) {
            do {
                addInt(c.valueInt.nextLong());
            } while (continues(c.valueInt, elementDepth));
        }
        doubleCount = 0;
        if (startsList(c.valueDouble, elementDepth)) {
            do {
                addDouble(c.valueDouble.nextDouble());
            } while (continues(c.valueDouble, elementDepth));
        }
        boolCount = 0;
        if (startsList(c.valueBool, elementDepth)) {
            do {
                addBool(c.valueBool.nextBoolean());
            } while (continues(c.valueBool, elementDepth));
        }
        String unsupported = null;
        if (c.unsupported.present()) {
            unsupported = c.unsupported.nextString();
        } else {
            c.unsupported.skip();
        }
        return KeyValue.newBuilder().setKey(key).setValue(value(key, isArray, unsupported)).build();
    }

    private AnyValue value(String key, boolean isArray, String unsupported) {
        if (unsupported != null) {
            return UnsupportedValues.parse(unsupported);
        }
        if (isArray) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            for (String s : strings) {
                array.addValues(AnyValue.newBuilder().setStringValue(s));
            }
            for (int i = 0; i < intCount; i++) {
                array.addValues(AnyValue.newBuilder().setIntValue(ints[i]));
            }
            for (int i = 0; i < doubleCount; i++) {
                array.addValues(AnyValue.newBuilder().setDoubleValue(doubles[i]));
            }
            for (int i = 0; i < boolCount; i++) {
                array.addValues(AnyValue.newBuilder().setBoolValue(bools[i]));
            }
            return AnyValue.newBuilder().setArrayValue(array).build();
        }
        if (!strings.isEmpty()) {
            return AnyValue.newBuilder().setStringValue(strings.get(0)).build();
        }
        if (intCount > 0) {
            return AnyValue.newBuilder().setIntValue(ints[0]).build();
        }
        if (doubleCount > 0) {
            return AnyValue.newBuilder().setDoubleValue(doubles[0]).build();
        }
        if (boolCount > 0) {
            return AnyValue.newBuilder().setBoolValue(bools[0]).build();
        }
        return AnyValue.getDefaultInstance();
    }

    private static ByteString bytes(ColumnCursor column) {
        byte[] bytes = column.nextBytes();
        return bytes.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes);
    }

    private static KeyValue stringAttr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private void addInt(long v) {
        if (intCount == ints.length) {
            ints = Arrays.copyOf(ints, intCount * 2);
        }
        ints[intCount++] = v;
    }

    private void addDouble(double v) {
        if (doubleCount == doubles.length) {
            doubles = Arrays.copyOf(doubles, doubleCount * 2);
        }
        doubles[doubleCount++] = v;
    }

    private void addBool(boolean v) {
        if (boolCount == bools.length) {
            bools = Arrays.copyOf(bools, boolCount * 2);
        }
        bools[boolCount++] = v;
    }

    private static ColumnCursor[] select(ColumnCursor[] cursors, int[] columns) {
        return Arrays.stream(columns).mapToObj(c -> cursors[c]).toArray(ColumnCursor[]::new);
    }

    /** The cursors of an events list. */
    private static final class EventCursors {
        final int depth;
        final ColumnCursor first;
        final ColumnCursor spanIndex;
        final ColumnCursor timeSinceStart;
        final ColumnCursor name;
        final AttrCursors attrs;
        final ColumnCursor droppedAttrs;
        final ColumnCursor[] leaves;

        EventCursors(TraceColumns.Events columns, ColumnCursor[] cursors) {
            depth = columns.depth();
            first = cursors[columns.first()];
            spanIndex = columns.spanIndex() < 0 ? null : cursors[columns.spanIndex()];
            timeSinceStart = cursors[columns.timeSinceStart()];
            name = cursors[columns.name()];
            attrs = new AttrCursors(columns.attrs(), cursors);
            droppedAttrs = cursors[columns.droppedAttrs()];
            leaves = AttrCursors.readAmong(cursors, columns.leaves());
        }
    }

    /** The cursors of a links list. */
    private static final class LinkCursors {
        final int depth;
        final ColumnCursor first;
        final ColumnCursor spanIndex;
        final ColumnCursor traceId;
        final ColumnCursor spanId;
        final ColumnCursor traceState;
        final ColumnCursor flags;
        final AttrCursors attrs;
        final ColumnCursor droppedAttrs;
        final ColumnCursor[] leaves;

        LinkCursors(TraceColumns.Links columns, ColumnCursor[] cursors) {
            depth = columns.depth();
            first = cursors[columns.first()];
            spanIndex = columns.spanIndex() < 0 ? null : cursors[columns.spanIndex()];
            traceId = cursors[columns.traceId()];
            spanId = cursors[columns.spanId()];
            traceState = cursors[columns.traceState()];
            flags = cursors[columns.flags()];
            attrs = new AttrCursors(columns.attrs(), cursors);
            droppedAttrs = cursors[columns.droppedAttrs()];
            leaves = AttrCursors.readAmong(cursors, columns.leaves());
        }
    }
}
