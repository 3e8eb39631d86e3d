package io.vivace.common.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The leaf columns of {@link TraceSchema#SCHEMA} by role, as positions in {@code SCHEMA.getColumns()}, and the
 * nesting depth of each list: a list at depth d gives its elements repetition level d and definition level d, so
 * an empty one leaves one entry at definition level d - 1 in every column below it. The writer computes levels
 * from these, the reader reassembles rows with them.
 *
 * <p>Positions from {@code SCHEMA.getColumns().size()} to {@link #COUNT} are the columns only an earlier schema has
 * ({@code TraceIDText} and {@code IsArray} of vivace1 to vivace3, a span's own events and links of vivace1 and
 * vivace2); every other column of an earlier schema has the same path, hence the same position, as in SCHEMA, but for
 * the typed value lists of an attribute ({@code Attrs.list.element.ValueInt.list.element}), which take the position
 * of vivace4's optional value column ({@code Attrs.list.element.ValueInt}): both hold one entry per attribute that
 * has no value of the type, at the attribute's definition level, and one per value at the next, so a reader walking
 * them as lists reads either ({@link #position}). A block of any schema is read through these positions
 * ({@link BackendBlock} maps them to the file's).
 */
final class TraceColumns {

    private static final Pattern VALUE_LIST = Pattern.compile("(.*\\.Attrs\\.list\\.element\\.Value(Int|Double|Bool)?)\\.list\\.element");
    /** The (vivace4) paths of all positions. */
    private static final List<String> ALL = allColumns();
    /** How many positions there are: the columns of both schemas. */
    static final int COUNT = ALL.size();

    static final String RS = "rs.list.element.";
    static final String RESOURCE = RS + "Resource.";
    static final String SS = RS + "ss.list.element.";
    static final String SCOPE = SS + "Scope.";
    static final String SPAN = SS + "Spans.list.element.";
    static final String EVENT = "Events.list.element.";
    static final String LINK = "Links.list.element.";
    static final String SPAN_EVENT = SPAN + "Events.list.element.";
    static final String SPAN_LINK = SPAN + "Links.list.element.";

    static final int SERVICE_STATS_DEPTH = depth("ServiceStats.key_value");
    static final int RS_DEPTH = depth("rs.list");
    static final int SS_DEPTH = depth(RS + "ss.list");
    static final int SPANS_DEPTH = depth(SS + "Spans.list");

    static final int TRACE_ID = leaf("TraceID");
    static final int START = leaf("StartTimeUnixNano");
    static final int END = leaf("EndTimeUnixNano");
    static final int DURATION = leaf("DurationNano");
    static final int ROOT_SERVICE = leaf("RootServiceName");
    static final int ROOT_SPAN = leaf("RootSpanName");
    static final int SERVICE_STATS_KEY = leaf("ServiceStats.key_value.key");
    static final int SERVICE_STATS_SPANS = leaf("ServiceStats.key_value.value.SpanCount");
    static final int SERVICE_STATS_ERRORS = leaf("ServiceStats.key_value.value.ErrorCount");

    static final Attrs RESOURCE_ATTRS = attrs(RESOURCE + "Attrs");
    static final int RESOURCE_DROPPED_ATTRS = leaf(RESOURCE + "DroppedAttributesCount");
    static final int RESOURCE_SCHEMA_URL = leaf(RESOURCE + "SchemaUrl");
    static final int RESOURCE_SERVICE_NAME = leaf(RESOURCE + "ServiceName");
    static final int[] RESOURCE_WELL_KNOWN = wellKnown(RESOURCE, WellKnownAttribute.RESOURCE);

    static final int SCOPE_NAME = leaf(SCOPE + "Name");
    static final int SCOPE_VERSION = leaf(SCOPE + "Version");
    static final Attrs SCOPE_ATTRS = attrs(SCOPE + "Attrs");
    static final int SCOPE_DROPPED_ATTRS = leaf(SCOPE + "DroppedAttributesCount");
    static final int SCOPE_SCHEMA_URL = leaf(SCOPE + "SchemaUrl");

    static final int SPAN_ID = leaf(SPAN + "SpanID");
    static final int SPAN_PARENT_SPAN_ID = leaf(SPAN + "ParentSpanID");
    static final int SPAN_PARENT_ID = leaf(SPAN + "ParentID");
    static final int SPAN_NESTED_SET_LEFT = leaf(SPAN + "NestedSetLeft");
    static final int SPAN_NESTED_SET_RIGHT = leaf(SPAN + "NestedSetRight");
    static final int SPAN_NAME = leaf(SPAN + "Name");
    static final int SPAN_KIND = leaf(SPAN + "Kind");
    static final int SPAN_TRACE_STATE = leaf(SPAN + "TraceState");
    static final int SPAN_FLAGS = leaf(SPAN + "Flags");
    static final int SPAN_START = leaf(SPAN + "StartTimeUnixNano");
    static final int SPAN_DURATION = leaf(SPAN + "DurationNano");
    static final int SPAN_STATUS_CODE = leaf(SPAN + "StatusCode");
    static final int SPAN_STATUS_MESSAGE = leaf(SPAN + "StatusMessage");
    static final Attrs SPAN_ATTRS = attrs(SPAN + "Attrs");
    static final int SPAN_DROPPED_ATTRS = leaf(SPAN + "DroppedAttributesCount");
    static final int SPAN_DROPPED_EVENTS = leaf(SPAN + "DroppedEventsCount");
    static final int SPAN_DROPPED_LINKS = leaf(SPAN + "DroppedLinksCount");
    static final int[] SPAN_WELL_KNOWN = wellKnown(SPAN, WellKnownAttribute.SPAN);

    /** Since vivace3: the trace-level lists. */
    static final Events EVENTS = events("Events", true);
    static final Links LINKS = links("Links", true);
    /** vivace1 and vivace2: the lists inside each span. */
    static final Events SPAN_EVENTS = events(SPAN + "Events", false);
    static final Links SPAN_LINKS = links(SPAN + "Links", false);

    /** The columns below each list, which an empty list gives one null entry each. */
    static final int[] SERVICE_STATS_LEAVES = under("ServiceStats.");
    static final int[] RS_LEAVES = under("rs.");
    static final int[] SS_LEAVES = under(RS + "ss.");
    static final int[] SPAN_LEAVES = under(SS + "Spans.");

    /**
     * The columns a trace's OTLP form is rebuilt from (vivace4): all but those computed at write time, and the trace's
     * {@code StartTimeUnixNano}, which span start times are relative to.
     */
    static final int[] OTLP = IntStream.concat(IntStream.of(START), Arrays.stream(otlp(TraceSchema.SCHEMA))).sorted().toArray();
    /** The same for a vivace3 block (span start times as sent). */
    static final int[] OTLP_V3 = otlp(TraceSchema.SCHEMA_V3);
    /** The same for a vivace1 or vivace2 block. */
    static final int[] OTLP_V2 = otlp(TraceSchema.SCHEMA_V2);

    private TraceColumns() {
    }

    /**
     * The columns of an events list. {@code spanIndex} is -1 for a span's own list (vivace1, vivace2); {@code leaves}
     * are all its columns, which an empty list gives one null entry each.
     */
    record Events(int depth, int spanIndex, int timeSinceStart, int name, Attrs attrs, int droppedAttrs, int[] leaves) {
        /** The column whose entries say where the list and each element begin. */
        int first() {
            return spanIndex >= 0 ? spanIndex : timeSinceStart;
        }
    }

    /** The columns of a links list, as {@link Events}. */
    record Links(int depth, int spanIndex, int traceId, int spanId, int traceState, int flags, Attrs attrs, int droppedAttrs,
                 int[] leaves) {
        int first() {
            return spanIndex >= 0 ? spanIndex : traceId;
        }
    }

    private static Events events(String list, boolean traceLevel) {
        String element = list + ".list.element.";
        return new Events(depth(list + ".list"), traceLevel ? leaf(element + "SpanIndex") : -1,
                leaf(element + "TimeSinceStartNano"), leaf(element + "Name"), attrs(list + ".list.element.Attrs"),
                leaf(element + "DroppedAttributesCount"), under(list + "."));
    }

    private static Links links(String list, boolean traceLevel) {
        String element = list + ".list.element.";
        return new Links(depth(list + ".list"), traceLevel ? leaf(element + "SpanIndex") : -1,
                leaf(element + "TraceID"), leaf(element + "SpanID"), leaf(element + "TraceState"), leaf(element + "Flags"),
                attrs(list + ".list.element.Attrs"), leaf(element + "DroppedAttributesCount"), under(list + "."));
    }

    /** SCHEMA's paths, then those of the earlier schemas that SCHEMA has no column of the same position for. */
    private static List<String> allColumns() {
        List<String> all = new ArrayList<>(TraceSchema.SCHEMA.getColumns().stream().map(TraceColumns::path).toList());
        for (MessageType earlier : List.of(TraceSchema.SCHEMA_V3, TraceSchema.SCHEMA_V2)) {
            for (ColumnDescriptor column : earlier.getColumns()) {
                String path = positionPath(path(column));
                if (!all.contains(path)) {
                    all.add(path);
                }
            }
        }
        return List.copyOf(all);
    }

    /** The positions of {@code schema}'s columns not computed at write time. */
    private static int[] otlp(MessageType schema) {
        return schema.getColumns().stream().map(TraceColumns::path).filter(p -> !TraceSchema.isDerived(p))
                .mapToInt(p -> leaf(positionPath(p))).toArray();
    }

    /** The position of the column at {@code path} (of any schema). */
    static int position(String[] path) {
        return leaf(positionPath(String.join(".", path)));
    }

    /** The path whose position the column at {@code path} takes: an attribute's typed value list takes its value column's. */
    private static String positionPath(String path) {
        Matcher list = VALUE_LIST.matcher(path);
        return list.matches() ? list.group(1) : path;
    }

    /**
     * The columns of one {@code Attrs} list at {@code depth}; an attribute's values are at depth + 1. {@code leaves}
     * are all of them, which an empty {@code Attrs} list gives one null entry each. {@code isArray} is a column of
     * vivace1 to vivace3 only.
     */
    record Attrs(int depth, int key, int isArray, int value, int valueInt, int valueDouble, int valueBool,
                 int unsupported, int[] leaves) {
    }

    static String path(ColumnDescriptor column) {
        return String.join(".", column.getPath());
    }

    private static Attrs attrs(String list) {
        String element = list + ".list.element.";
        return new Attrs(depth(list + ".list"), leaf(element + "Key"), leaf(element + "IsArray"),
                leaf(element + "Value"), leaf(element + "ValueInt"), leaf(element + "ValueDouble"), leaf(element + "ValueBool"),
                leaf(element + "ValueUnsupported"), under(list + "."));
    }

    private static int[] wellKnown(String prefix, List<WellKnownAttribute> columns) {
        return columns.stream().mapToInt(c -> leaf(prefix + c.column())).toArray();
    }

    private static int leaf(String path) {
        int position = ALL.indexOf(path);
        if (position < 0) {
            throw new IllegalStateException("no column " + path);
        }
        return position;
    }

    private static int[] under(String prefix) {
        return IntStream.range(0, ALL.size()).filter(i -> ALL.get(i).startsWith(prefix)).toArray();
    }

    /** The repetition level of the repeated group at {@code path}: its nesting depth (in whichever schema has it). */
    private static int depth(String path) {
        String[] parts = path.split("\\.");
        MessageType schema = has(TraceSchema.SCHEMA, parts) ? TraceSchema.SCHEMA : TraceSchema.SCHEMA_V2;
        return schema.getMaxRepetitionLevel(parts);
    }

    /** Whether {@code schema} has a field (group or leaf) at {@code path}. */
    private static boolean has(MessageType schema, String[] path) {
        Type type = schema;
        for (String part : path) {
            if (type.isPrimitive() || !type.asGroupType().containsField(part)) {
                return false;
            }
            type = type.asGroupType().getType(part);
        }
        return true;
    }
}
