package io.vivace.common.block;

import static io.vivace.common.block.ListLevels.continues;
import static io.vivace.common.block.ListLevels.skipAll;
import static io.vivace.common.block.ListLevels.startsList;
import static io.vivace.common.block.TraceColumns.*;

import io.vivace.common.block.ColumnTraceData.ColumnSpan;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.query.OtlpValues;
import io.vivace.common.traceql.ResultTrace.ServiceCounts;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.SpanKind;
import io.vivace.common.traceql.StatusCode;
import io.vivace.common.traceql.Value;
import io.vivace.common.traceql.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a row as a {@link ColumnTraceData} from the cursors of {@link #columns(SpanFields)} only: the span tree is
 * walked on {@code Resource.ServiceName}, {@code Scope.Name} and {@code SpanID} (levels as in {@link TraceRowReader}),
 * attributes are kept only for the keys the query reads, in the order a rebuilt OTLP span gives them (generic list
 * first, then {@code service.name}, then the well-known columns; the first occurrence of a key wins).
 */
final class ColumnRowReader {

    private static final HexFormat HEX = HexFormat.of();

    /** The columns every column trace is read from. */
    private static final int[] ALWAYS = {TRACE_ID, START, SERVICE_STATS_KEY, SERVICE_STATS_SPANS, SERVICE_STATS_ERRORS,
        RESOURCE_SERVICE_NAME, SCOPE_NAME, SPAN_ID, SPAN_PARENT_SPAN_ID, SPAN_PARENT_ID, SPAN_NESTED_SET_LEFT,
        SPAN_NAME, SPAN_START, SPAN_DURATION};

    private final SpanFields fields;
    private final long readBytes;
    private final ColumnCursor traceId;
    private final ColumnCursor traceStart;
    /** Whether span start times are relative to the trace's start time (vivace4) instead of as sent. */
    private final boolean relativeSpanStarts;
    private long spanStartBase;
    private final ColumnCursor statsKey;
    private final ColumnCursor statsSpans;
    private final ColumnCursor statsErrors;
    private final AttrCursors resourceAttrs;
    private final ColumnCursor resourceServiceName;
    private final ColumnCursor[] resourceWellKnown;
    private final ColumnCursor scopeName;
    private final ColumnCursor scopeVersion;
    private final AttrCursors scopeAttrs;
    private final ColumnCursor spanId;
    private final ColumnCursor parentSpanId;
    private final ColumnCursor parentId;
    private final ColumnCursor nestedSetLeft;
    private final ColumnCursor nestedSetRight;
    private final ColumnCursor spanName;
    private final ColumnCursor kind;
    private final ColumnCursor spanStart;
    private final ColumnCursor spanDuration;
    private final ColumnCursor statusCode;
    private final ColumnCursor statusMessage;
    private final AttrCursors spanAttrs;
    private final ColumnCursor[] spanWellKnown;
    private final ColumnCursor[] rsLeaves;
    private final ColumnCursor[] ssLeaves;
    private final ColumnCursor[] spanLeaves;

    private final List<ColumnSpan> spans = new ArrayList<>();
    /** Span IDs by {@code NestedSetLeft}, for the parent span IDs the writer left out (vivace2). */
    private final Map<Integer, String> idByLeft = new HashMap<>();
    private final List<ColumnSpan> derived = new ArrayList<>();
    private final List<Integer> derivedParentLeft = new ArrayList<>();

    /**
     * Which generic {@code Attrs} lists are read for the referenced keys of their scope: not when the row group's key
     * dictionary shows that none of those keys is in the list (a well-known key then only has its own column).
     */
    record GenericLists(boolean span, boolean resource, boolean scope) {
        static final GenericLists ALL = new GenericLists(true, true, true);
    }

    /**
     * @param cursors by column position; those of {@link #columns(SpanFields, GenericLists)} must be set, others null
     * @param readBytes what reading this row cost (see {@link ColumnTraceData#readBytes()})
     * @param relativeSpanStarts whether span start times are relative to the trace's (vivace4)
     */
    ColumnRowReader(ColumnCursor[] cursors, SpanFields fields, GenericLists lists, long readBytes, boolean relativeSpanStarts) {
        this.fields = fields;
        this.readBytes = readBytes;
        traceId = cursors[TRACE_ID];
        traceStart = cursors[START];
        this.relativeSpanStarts = relativeSpanStarts;
        statsKey = cursors[SERVICE_STATS_KEY];
        statsSpans = cursors[SERVICE_STATS_SPANS];
        statsErrors = cursors[SERVICE_STATS_ERRORS];
        resourceAttrs = fields.resourceAttributes().isEmpty() || !lists.resource() ? null : new AttrCursors(RESOURCE_ATTRS, cursors);
        resourceServiceName = cursors[RESOURCE_SERVICE_NAME];
        resourceWellKnown = select(cursors, RESOURCE_WELL_KNOWN);
        scopeName = cursors[SCOPE_NAME];
        scopeVersion = cursors[SCOPE_VERSION];
        scopeAttrs = fields.scopeAttributes().isEmpty() || !lists.scope() ? null : new AttrCursors(SCOPE_ATTRS, cursors);
        spanId = cursors[SPAN_ID];
        parentSpanId = cursors[SPAN_PARENT_SPAN_ID];
        parentId = cursors[SPAN_PARENT_ID];
        nestedSetLeft = cursors[SPAN_NESTED_SET_LEFT];
        nestedSetRight = cursors[SPAN_NESTED_SET_RIGHT];
        spanName = cursors[SPAN_NAME];
        kind = cursors[SPAN_KIND];
        spanStart = cursors[SPAN_START];
        spanDuration = cursors[SPAN_DURATION];
        statusCode = cursors[SPAN_STATUS_CODE];
        statusMessage = cursors[SPAN_STATUS_MESSAGE];
        spanAttrs = fields.spanAttributes().isEmpty() || !lists.span() ? null : new AttrCursors(SPAN_ATTRS, cursors);
        spanWellKnown = select(cursors, SPAN_WELL_KNOWN);
        rsLeaves = AttrCursors.readAmong(cursors, RS_LEAVES);
        ssLeaves = AttrCursors.readAmong(cursors, SS_LEAVES);
        spanLeaves = AttrCursors.readAmong(cursors, SPAN_LEAVES);
    }

    /** The columns a row is read from for these fields, ascending; those a block does not have are not read. */
    static int[] columns(SpanFields fields, GenericLists lists) {
        Set<Integer> columns = new TreeSet<>();
        Arrays.stream(ALWAYS).forEach(columns::add);
        addIf(columns, fields.kind(), SPAN_KIND);
        addIf(columns, fields.status(), SPAN_STATUS_CODE);
        addIf(columns, fields.statusMessage(), SPAN_STATUS_MESSAGE);
        addIf(columns, fields.nestedSets(), SPAN_NESTED_SET_RIGHT);
        addIf(columns, fields.scopeVersion(), SCOPE_VERSION);
        addAttrs(columns, fields.resourceAttributes(), lists.resource() ? RESOURCE_ATTRS : null, WellKnownAttribute.RESOURCE,
                RESOURCE_WELL_KNOWN);
        addAttrs(columns, fields.spanAttributes(), lists.span() ? SPAN_ATTRS : null, WellKnownAttribute.SPAN, SPAN_WELL_KNOWN);
        addAttrs(columns, fields.scopeAttributes(), lists.scope() ? SCOPE_ATTRS : null, List.of(), new int[0]);
        return columns.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void addIf(Set<Integer> columns, boolean read, int column) {
        if (read) {
            columns.add(column);
        }
    }

    /**
     * The generic list (unless null; {@code ValueUnsupported} for the arrays vivace4 keeps there) and the wanted
     * well-known columns.
     */
    private static void addAttrs(Set<Integer> columns, Set<String> keys, TraceColumns.Attrs attrs,
                                 List<WellKnownAttribute> wellKnown, int[] wellKnownColumns) {
        if (keys.isEmpty()) {
            return;
        }
        for (int column : attrs == null ? new int[0] : new int[] {attrs.key(), attrs.isArray(), attrs.value(), attrs.valueInt(), attrs.valueDouble(),
            attrs.valueBool(), attrs.unsupported()}) {
            columns.add(column);
        }
        for (int i = 0; i < wellKnown.size(); i++) {
            if (keys.contains(wellKnown.get(i).key())) {
                columns.add(wellKnownColumns[i]);
            }
        }
    }

    /** The current row of the cursors. */
    ColumnTraceData read() {
        byte[] id = traceId.nextBytes();
        long traceStartNanos = traceStart.nextLong();
        spanStartBase = relativeSpanStarts ? traceStartNanos : 0;
        Map<String, ServiceCounts> stats = readServiceStats();
        if (resourceServiceName.def() < RS_DEPTH) {
            skipAll(rsLeaves);
        } else {
            do {
                readResource();
            } while (continues(resourceServiceName, RS_DEPTH));
        }
        deriveParentSpanIds();
        return new ColumnTraceData(id, spans, stats, readBytes);
    }

    private Map<String, ServiceCounts> readServiceStats() {
        if (statsKey.def() < SERVICE_STATS_DEPTH) {
            statsKey.skip();
            statsSpans.skip();
            statsErrors.skip();
            return Map.of();
        }
        Map<String, ServiceCounts> stats = new HashMap<>();
        do {
            stats.put(statsKey.nextString(), new ServiceCounts((int) statsSpans.nextLong(), (int) statsErrors.nextLong()));
        } while (continues(statsKey, SERVICE_STATS_DEPTH));
        return stats;
    }

    private void readResource() {
        Map<String, Value> attributes = new HashMap<>(4);
        if (resourceAttrs != null) {
            readAttrs(resourceAttrs, fields.resourceAttributes(), attributes);
        }
        String serviceName = resourceServiceName.nextString();
        if (!serviceName.isEmpty() && fields.resourceAttributes().contains("service.name")) {
            attributes.putIfAbsent("service.name", Value.of(serviceName));
        }
        for (int c = 0; c < resourceWellKnown.length; c++) {
            ColumnCursor column = resourceWellKnown[c];
            if (column == null) {
                continue;
            }
            if (column.present()) {
                attributes.putIfAbsent(WellKnownAttribute.RESOURCE.get(c).key(), Value.of(column.nextString()));
            } else {
                column.skip();
            }
        }
        ColumnTraceData.Resource resource = new ColumnTraceData.Resource(serviceName, attributes);
        if (scopeName.def() < SS_DEPTH) {
            skipAll(ssLeaves);
        } else {
            do {
                readScope(resource);
            } while (continues(scopeName, SS_DEPTH));
        }
    }

    private void readScope(ColumnTraceData.Resource resource) {
        String name = scopeName.nextString();
        String version = scopeVersion == null ? null : scopeVersion.nextString();
        Map<String, Value> attributes = new HashMap<>(2);
        if (scopeAttrs != null) {
            readAttrs(scopeAttrs, fields.scopeAttributes(), attributes);
        }
        ColumnTraceData.Scope scope = new ColumnTraceData.Scope(name, version, attributes);
        if (spanId.def() < SPANS_DEPTH) {
            skipAll(spanLeaves);
        } else {
            do {
                readSpan(resource, scope);
            } while (continues(spanId, SPANS_DEPTH));
        }
    }

    private void readSpan(ColumnTraceData.Resource resource, ColumnTraceData.Scope scope) {
        String id = HEX.formatHex(spanId.nextBytes());
        String parent = HEX.formatHex(parentSpanId.nextBytes());
        int parentLeft = (int) parentId.nextLong();
        int left = (int) nestedSetLeft.nextLong();
        int right = nestedSetRight == null ? 0 : (int) nestedSetRight.nextLong();
        String name = spanName.nextString();
        SpanKind spanKind = kind == null ? null : SpanKind.fromOtlpCode((int) kind.nextLong());
        long start = spanStartBase + spanStart.nextLong();
        // As an OTLP span's: an end before the start counts as the start.
        long duration = Math.max(start, start + spanDuration.nextLong()) - start;
        StatusCode status = statusCode == null ? null : StatusCode.fromOtlpCode((int) statusCode.nextLong());
        String message = statusMessage == null ? null : statusMessage.nextString();
        Map<String, Value> attributes = new HashMap<>(4);
        if (spanAttrs != null) {
            readAttrs(spanAttrs, fields.spanAttributes(), attributes);
        }
        for (int c = 0; c < spanWellKnown.length; c++) {
            ColumnCursor column = spanWellKnown[c];
            if (column == null) {
                continue;
            }
            if (!column.present()) {
                column.skip();
                continue;
            }
            WellKnownAttribute attribute = WellKnownAttribute.SPAN.get(c);
            attributes.putIfAbsent(attribute.key(), switch (attribute.type()) {
                case STRING -> Value.of(column.nextString());
                case INT -> Value.of(column.nextLong());
            });
        }
        ColumnSpan span = new ColumnSpan(fields, resource, scope, id, parent, name, start, duration, spanKind, status,
                message, fields.nestedSets() ? left : 0, right, fields.nestedSets() ? parentLeft : 0, attributes);
        if (left > 0) {
            idByLeft.put(left, id);
        }
        if (parent.isEmpty() && parentLeft > 0) {
            derived.add(span);
            derivedParentLeft.add(parentLeft);
        }
        spans.add(span);
    }

    /** Sets the parent span IDs the writer left out: the ID of the span whose NestedSetLeft is the ParentID. */
    private void deriveParentSpanIds() {
        for (int i = 0; i < derived.size(); i++) {
            String parent = idByLeft.get(derivedParentLeft.get(i));
            if (parent == null) {
                throw new IllegalStateException("span's ParentID " + derivedParentLeft.get(i) + " is no span's NestedSetLeft");
            }
            derived.get(i).parentSpanId = parent;
        }
    }

    /** The attributes of one {@code Attrs} list whose keys are wanted, the first occurrence of a key winning. */
    private static void readAttrs(AttrCursors c, Set<String> keys, Map<String, Value> out) {
        if (c.key.def() < c.depth) {
            skipAll(c.leaves);
            return;
        }
        do {
            String key = c.key.nextString();
            boolean isArray = c.isArray != null && c.isArray.nextBoolean();
            if (keys.contains(key) && !out.containsKey(key)) {
                out.put(key, value(c, isArray));
            } else {
                skipValues(c);
            }
        } while (continues(c.key, c.depth));
    }

    /**
     * The value as the engine reads the rebuilt OTLP value: an array of the one typed list holding its elements
     * (vivace1 to vivace3), a scalar from the one typed list or value column holding it; a value kept as
     * {@code ValueUnsupported} (vivace4: every array; before: maps, bytes and mixed arrays) as {@link OtlpValues} reads
     * it; nil when none (no value, an empty array).
     */
    private static Value value(AttrCursors c, boolean isArray) {
        int depth = c.depth + 1;
        List<Value> strings = new ArrayList<>(1);
        if (startsList(c.value, depth)) {
            do {
                strings.add(Value.of(c.value.nextString()));
            } while (continues(c.value, depth));
        }
        List<Value> ints = new ArrayList<>(1);
        if (startsList(c.valueInt, depth)) {
            do {
                ints.add(Value.of(c.valueInt.nextLong()));
            } while (continues(c.valueInt, depth));
        }
        List<Value> doubles = new ArrayList<>(1);
        if (startsList(c.valueDouble, depth)) {
            do {
                doubles.add(Value.of(c.valueDouble.nextDouble()));
            } while (continues(c.valueDouble, depth));
        }
        List<Value> bools = new ArrayList<>(1);
        if (startsList(c.valueBool, depth)) {
            do {
                bools.add(Value.of(c.valueBool.nextBoolean()));
            } while (continues(c.valueBool, depth));
        }
        if (c.unsupported.present()) {
            return OtlpValues.of(UnsupportedValues.parse(c.unsupported.nextString()));
        }
        c.unsupported.skip();
        List<List<Value>> lists = List.of(strings, ints, doubles, bools);
        List<ValueType> types = List.of(ValueType.STRING, ValueType.INT, ValueType.FLOAT, ValueType.BOOL);
        for (int i = 0; i < lists.size(); i++) {
            if (!lists.get(i).isEmpty()) {
                return isArray ? Value.array(types.get(i), lists.get(i)) : lists.get(i).getFirst();
            }
        }
        return Value.NIL;
    }

    private static void skipValues(AttrCursors c) {
        int depth = c.depth + 1;
        for (ColumnCursor list : new ColumnCursor[] {c.value, c.valueInt, c.valueDouble, c.valueBool}) {
            if (startsList(list, depth)) {
                do {
                    list.skip();
                } while (continues(list, depth));
            }
        }
        c.unsupported.skip();
    }

    private static ColumnCursor[] select(ColumnCursor[] cursors, int[] columns) {
        return Arrays.stream(columns).mapToObj(c -> cursors[c]).toArray(ColumnCursor[]::new);
    }
}
