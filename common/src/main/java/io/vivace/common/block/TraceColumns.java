package io.vivace.common.block;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.parquet.column.ColumnDescriptor;

/**
 * The leaf columns of {@link TraceSchema#SCHEMA} by role, as positions in {@code SCHEMA.getColumns()}, and the
 * nesting depth of each list: a list at depth d gives its elements repetition level d and definition level d, so
 * an empty one leaves one entry at definition level d - 1 in every column below it. The writer computes levels
 * from these, the reader reassembles rows with them.
 */
final class TraceColumns {

    private static final List<ColumnDescriptor> ALL = TraceSchema.SCHEMA.getColumns();

    static final String RS = "rs.list.element.";
    static final String RESOURCE = RS + "Resource.";
    static final String SS = RS + "ss.list.element.";
    static final String SCOPE = SS + "Scope.";
    static final String SPAN = SS + "Spans.list.element.";
    static final String EVENT = SPAN + "Events.list.element.";
    static final String LINK = SPAN + "Links.list.element.";

    static final int SERVICE_STATS_DEPTH = depth("ServiceStats.key_value");
    static final int RS_DEPTH = depth("rs.list");
    static final int SS_DEPTH = depth(RS + "ss.list");
    static final int SPANS_DEPTH = depth(SS + "Spans.list");
    static final int EVENTS_DEPTH = depth(SPAN + "Events.list");
    static final int LINKS_DEPTH = depth(SPAN + "Links.list");

    static final int TRACE_ID = leaf("TraceID");
    static final int TRACE_ID_TEXT = leaf("TraceIDText");
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

    static final int EVENT_TIME_SINCE_START = leaf(EVENT + "TimeSinceStartNano");
    static final int EVENT_NAME = leaf(EVENT + "Name");
    static final Attrs EVENT_ATTRS = attrs(EVENT + "Attrs");
    static final int EVENT_DROPPED_ATTRS = leaf(EVENT + "DroppedAttributesCount");

    static final int LINK_TRACE_ID = leaf(LINK + "TraceID");
    static final int LINK_SPAN_ID = leaf(LINK + "SpanID");
    static final int LINK_TRACE_STATE = leaf(LINK + "TraceState");
    static final int LINK_FLAGS = leaf(LINK + "Flags");
    static final Attrs LINK_ATTRS = attrs(LINK + "Attrs");
    static final int LINK_DROPPED_ATTRS = leaf(LINK + "DroppedAttributesCount");

    /** The columns below each list, which an empty list gives one null entry each. */
    static final int[] SERVICE_STATS_LEAVES = under("ServiceStats.");
    static final int[] RS_LEAVES = under("rs.");
    static final int[] SS_LEAVES = under(RS + "ss.");
    static final int[] SPAN_LEAVES = under(SS + "Spans.");
    static final int[] EVENT_LEAVES = under(SPAN + "Events.");
    static final int[] LINK_LEAVES = under(SPAN + "Links.");

    /** The columns a trace's OTLP form is rebuilt from: all but those computed at write time. */
    static final int[] OTLP = IntStream.range(0, ALL.size()).filter(i -> !TraceSchema.isDerived(path(ALL.get(i)))).toArray();

    private TraceColumns() {
    }

    /**
     * The columns of one {@code Attrs} list at {@code depth}; the value lists of an attribute are at depth + 1.
     * {@code leaves} are all seven, which an empty {@code Attrs} list gives one null entry each.
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
                leaf(element + "Value.list.element"), leaf(element + "ValueInt.list.element"),
                leaf(element + "ValueDouble.list.element"), leaf(element + "ValueBool.list.element"),
                leaf(element + "ValueUnsupported"), under(list + "."));
    }

    private static int[] wellKnown(String prefix, List<WellKnownAttribute> columns) {
        return columns.stream().mapToInt(c -> leaf(prefix + c.column())).toArray();
    }

    private static int leaf(String path) {
        for (int i = 0; i < ALL.size(); i++) {
            if (path(ALL.get(i)).equals(path)) {
                return i;
            }
        }
        throw new IllegalStateException("no column " + path);
    }

    private static int[] under(String prefix) {
        return IntStream.range(0, ALL.size()).filter(i -> path(ALL.get(i)).startsWith(prefix)).toArray();
    }

    /** The repetition level of the repeated group at {@code path}: its nesting depth. */
    private static int depth(String path) {
        return TraceSchema.SCHEMA.getMaxRepetitionLevel(path.split("\\."));
    }
}
