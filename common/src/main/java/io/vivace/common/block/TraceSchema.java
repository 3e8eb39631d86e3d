package io.vivace.common.block;

import static org.apache.parquet.schema.LogicalTypeAnnotation.intType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.listType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.mapType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a block: one row per trace, modelled on Tempo's vParquet4 (see docs/block-format.md).
 * Lists are standard 3-level LISTs ({@code X.list.element}) so DuckDB, pyarrow and Spark read them natively.
 */
final class TraceSchema {

    /** What the writer writes: {@link #SCHEMA}. */
    static final String FORMAT = "vivace4";
    /** vivace3: {@link #SCHEMA_V3}. */
    static final String FORMAT_V3 = "vivace3";
    /** Earlier formats, both of {@link #SCHEMA_V2}; they differ in what ParentSpanID holds (docs/block-format.md). */
    static final String FORMAT_V2 = "vivace2";
    static final String FORMAT_V1 = "vivace1";

    /**
     * Attribute (vivace4): one element of an Attrs list. A scalar string, int, double or bool value is in the one
     * optional column of its type; anything else (arrays, kvlists, bytes) is in {@code ValueUnsupported} as OTLP JSON;
     * an attribute without a value has none of them. Decision 0703.
     */
    static final GroupType ATTR = group("element",
            string("Key"),
            Types.optional(BINARY).as(stringType()).named("Value"),
            Types.optional(INT64).as(intType(64, true)).named("ValueInt"),
            Types.optional(DOUBLE).named("ValueDouble"),
            Types.optional(BOOLEAN).named("ValueBool"),
            Types.optional(BINARY).as(stringType()).named("ValueUnsupported"));

    /** Attribute (vivace1 to vivace3): {@code IsArray} and four typed value lists, one of them holding the value(s). */
    static final GroupType ATTR_V3 = group("element",
            string("Key"),
            bool("IsArray"),
            primitiveList("Value", string("element")),
            primitiveList("ValueInt", Types.required(INT64).as(intType(64, true)).named("element")),
            primitiveList("ValueDouble", Types.required(DOUBLE).named("element")),
            primitiveList("ValueBool", Types.required(BOOLEAN).named("element")),
            Types.optional(BINARY).as(stringType()).named("ValueUnsupported"));

    /**
     * A span event (since vivace3: an element of the trace-level {@code Events} list). {@code SpanIndex} is the owning
     * span's position in the row's span order (resource by resource, scope by scope, span by span, from 0); a trace's
     * events are stored in that order, and a span's events in their OTLP order.
     */
    static final GroupType EVENT = event(ATTR);

    /** A span link (since vivace3: an element of the trace-level {@code Links} list), ordered like {@link #EVENT}. */
    static final GroupType LINK = link(ATTR);


    static final GroupType SERVICE_STATS = Types.requiredGroup().as(mapType())
            .addField(Types.repeatedGroup()
                    .addField(string("key"))
                    .addField(group("value", u32("SpanCount"), u32("ErrorCount")))
                    .named("key_value"))
            .named("ServiceStats");

    /**
     * vivace4: as vivace3 but generic attributes as {@link #ATTR}, span start times relative to the trace's
     * {@code StartTimeUnixNano}, and no {@code TraceIDText}.
     */
    static final MessageType SCHEMA = new MessageType("Trace", concat(traceColumns(span(false, ATTR), ATTR, false),
            List.of(list("Events", EVENT), list("Links", LINK))));

    /** vivace3: events and links are trace-level lists after {@code rs}, levels are paid per event and link. */
    static final MessageType SCHEMA_V3 = new MessageType("Trace", concat(traceColumns(span(false, ATTR_V3), ATTR_V3, true),
            List.of(list("Events", event(ATTR_V3)), list("Links", link(ATTR_V3)))));

    /** vivace1 and vivace2: a span's events and links are lists inside the span. */
    static final MessageType SCHEMA_V2 = new MessageType("Trace", traceColumns(span(true, ATTR_V3), ATTR_V3, true));

    private static GroupType event(GroupType attr) {
        return group("element",
                u32("SpanIndex"),
                u64("TimeSinceStartNano"),
                string("Name"),
                attrs(attr),
                u32("DroppedAttributesCount"));
    }

    private static GroupType link(GroupType attr) {
        return group("element",
                u32("SpanIndex"),
                bytes("TraceID"),
                bytes("SpanID"),
                string("TraceState"),
                u32("Flags"),
                attrs(attr),
                u32("DroppedAttributesCount"));
    }

    /** A span; with its own events and links (vivace1, vivace2) they are lists of the elements without SpanIndex. */
    private static GroupType span(boolean withEventsAndLinks, GroupType attr) {
        GroupType event = event(attr);
        GroupType link = link(attr);
        event = group("element", event.getFields().subList(1, event.getFieldCount()));
        link = group("element", link.getFields().subList(1, link.getFieldCount()));
        List<Type> fields = new ArrayList<>(List.of(
                bytes("SpanID"),
                bytes("ParentSpanID"),
                i32("ParentID"),
                i32("NestedSetLeft"),
                i32("NestedSetRight"),
                string("Name"),
                i64("Kind"),
                string("TraceState"),
                u32("Flags"),
                u64("StartTimeUnixNano"),
                u64("DurationNano"),
                i64("StatusCode"),
                string("StatusMessage"),
                attrs(attr),
                u32("DroppedAttributesCount"),
                list("Events", event),
                u32("DroppedEventsCount"),
                list("Links", link),
                u32("DroppedLinksCount")));
        if (!withEventsAndLinks) {
            fields.removeIf(f -> f.getName().equals("Events") || f.getName().equals("Links"));
        }
        return group("element", concat(fields, wellKnownColumns(WellKnownAttribute.SPAN)));
    }

    /** The trace-level columns and {@code rs} with the given span group. */
    private static List<Type> traceColumns(GroupType span, GroupType attr, boolean withTraceIdText) {
        GroupType scope = group("Scope",
                string("Name"),
                string("Version"),
                attrs(attr),
                u32("DroppedAttributesCount"),
                string("SchemaUrl"));
        GroupType resource = group("Resource", concat(List.of(
                attrs(attr),
                u32("DroppedAttributesCount"),
                string("SchemaUrl"),
                string("ServiceName")), wellKnownColumns(WellKnownAttribute.RESOURCE)));
        GroupType scopeSpans = group("element", scope, list("Spans", span));
        GroupType resourceSpans = group("element", resource, list("ss", scopeSpans));
        List<Type> columns = new ArrayList<>(List.of(
                bytes("TraceID"),
                Types.required(BINARY).as(stringType()).named("TraceIDText"),
                u64("StartTimeUnixNano"),
                u64("EndTimeUnixNano"),
                u64("DurationNano"),
                string("RootServiceName"),
                string("RootSpanName"),
                SERVICE_STATS,
                list("rs", resourceSpans)));
        if (!withTraceIdText) {
            columns.remove(1);
        }
        return columns;
    }

    /**
     * Columns (and groups of columns) computed from the spans at write time and not needed to rebuild OTLP.
     * {@code ParentID} and {@code NestedSetLeft} are computed too, but since vivace2 a span's {@code ParentSpanID} is
     * derived from them (see {@link TraceRowReader}).
     */
    private static final Set<String> DERIVED = Set.of(
            "TraceIDText", "StartTimeUnixNano", "EndTimeUnixNano", "DurationNano", "RootServiceName", "RootSpanName",
            "ServiceStats",
            "rs.list.element.ss.list.element.Spans.list.element.NestedSetRight");

    /** Strings whose values repeat (names, keys, values): these get dictionary pages. */
    static final List<String> DICTIONARY_COLUMNS = SCHEMA.getColumns().stream()
            .filter(c -> c.getPrimitiveType().getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)
            .map(TraceSchema::dotted)
            .filter(path -> !path.equals("TraceIDText") && !path.endsWith("ValueUnsupported"))
            .toList();

    private TraceSchema() {
    }

    static String dotted(ColumnDescriptor column) {
        return String.join(".", column.getPath());
    }

    /** Whether the leaf column at {@code path} is computed at write time (so not read to rebuild OTLP). */
    static boolean isDerived(String path) {
        for (String derived : DERIVED) {
            if (path.equals(derived) || path.startsWith(derived + ".")) {
                return true;
            }
        }
        return false;
    }

    private static List<Type> wellKnownColumns(List<WellKnownAttribute> columns) {
        return columns.stream().map(c -> (Type) switch (c.type()) {
            case STRING -> Types.optional(BINARY).as(stringType()).named(c.column());
            case INT -> Types.optional(INT64).as(intType(64, true)).named(c.column());
        }).toList();
    }

    private static List<Type> concat(List<Type> a, List<Type> b) {
        List<Type> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static GroupType attrs(GroupType attr) {
        return list("Attrs", attr);
    }

    private static GroupType list(String name, GroupType element) {
        return Types.requiredGroup().as(listType())
                .addField(Types.repeatedGroup().addField(element).named("list"))
                .named(name);
    }

    private static GroupType primitiveList(String name, PrimitiveType element) {
        return Types.requiredGroup().as(listType())
                .addField(Types.repeatedGroup().addField(element).named("list"))
                .named(name);
    }

    private static GroupType group(String name, Type... fields) {
        return group(name, List.of(fields));
    }

    private static GroupType group(String name, List<Type> fields) {
        return Types.requiredGroup().addFields(fields.toArray(Type[]::new)).named(name);
    }

    private static PrimitiveType string(String name) {
        return Types.required(BINARY).as(stringType()).named(name);
    }

    private static PrimitiveType bytes(String name) {
        return Types.required(BINARY).named(name);
    }

    private static PrimitiveType bool(String name) {
        return Types.required(BOOLEAN).named(name);
    }

    private static PrimitiveType i32(String name) {
        return Types.required(INT32).as(intType(32, true)).named(name);
    }

    private static PrimitiveType u32(String name) {
        return Types.required(INT32).as(intType(32, false)).named(name);
    }

    private static PrimitiveType i64(String name) {
        return Types.required(INT64).as(intType(64, true)).named(name);
    }

    private static PrimitiveType u64(String name) {
        return Types.required(INT64).as(intType(64, false)).named(name);
    }
}
