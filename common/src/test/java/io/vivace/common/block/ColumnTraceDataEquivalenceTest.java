package io.vivace.common.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.query.BlockTraceScanner;
import io.vivace.common.query.ColumnarBlockScanner;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.MatchedSpan;
import io.vivace.common.traceql.MatchedSpanset;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.TraceMatch;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Searches handing the engine traces read from only the columns the query needs ({@link ColumnTraceData}) find
 * exactly what the engine finds on full OTLP traces, and return the same result fields: trace ID, time range, root
 * service and name, per-service counts, and per matched span its ID, name, start, duration and loaded attributes.
 * Blocks as in {@link ColumnarSearchEquivalenceTest}: richly varied traces, some split over two blocks (those are
 * rebuilt as OTLP and combined).
 */
class ColumnTraceDataEquivalenceTest {

    @TempDir
    static Path dir;

    private static List<BackendBlock> blocks;
    private static BackendBlock wholeBlock;
    private static List<OtlpTraceData> everyTrace;
    /**
     * Traces split over two blocks: handed over as OTLP, combined in an order that depends on which part the scan
     * met first, so their root (the first root span in that order) is left out of the comparison.
     */
    private static final Set<String> split = new HashSet<>();

    @BeforeAll
    static void writeBlocks() throws Exception {
        List<TraceRecord> traces = new TraceGenerator(29).traces(300);
        List<List<TraceRecord>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < traces.size(); i++) {
            TraceRecord t = traces.get(i);
            List<ResourceSpans> resources = t.trace().getResourceSpansList();
            if (i % 9 == 0 && resources.size() > 1) {
                split.add(t.id().toHex());
                parts.get(i % 3).add(new TraceRecord(t.id(), TracesData.newBuilder().addResourceSpans(resources.getFirst()).build()));
                parts.get((i + 1) % 3).add(new TraceRecord(t.id(),
                        TracesData.newBuilder().addAllResourceSpans(resources.subList(1, resources.size())).build()));
            } else {
                parts.get(i % 3).add(t);
            }
        }
        LocalBackend backend = new LocalBackend(dir.resolve("store"));
        BlockWriter writer = new BlockWriter(BlockConfig.DEFAULT.withRowGroupSizeBytes(96 * 1024).withPageRowCountLimit(20)
                .withPageMinEntryCount(100),
                dir.resolve("scratch"));
        blocks = new ArrayList<>();
        for (List<TraceRecord> part : parts) {
            BlockMeta meta = writer.write(backend, "t", UUID.randomUUID(), 0, part.iterator());
            blocks.add(BackendBlock.open(backend, meta));
        }
        // Every trace in one row group (pages of 20 rows, or more where 20 rows hold fewer than 100 entries, so page
        // boundaries differ between columns): a scan goes past its first 32-row window.
        wholeBlock = BackendBlock.open(backend, new BlockWriter(BlockConfig.DEFAULT.withPageRowCountLimit(20).withPageMinEntryCount(100),
                dir.resolve("scratch")).write(backend, "t", UUID.randomUUID(), 0, traces.iterator()));
        everyTrace = new ArrayList<>();
        BlockTraceScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), new TraceVisitor() {
            @Override
            public boolean visit(TracesData trace) {
                everyTrace.add(OtlpTraceData.of(trace));
                return true;
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // span attributes: generic (every value type), dedicated columns, wrong types, second occurrences
        "{ span.attr.3 = \"value-7\" }",
        "{ span.attr.5 > 0 }",
        "{ span.attr.4 = \"s1\" }",
        "{ span.attr.9 <= 0.5 || span.attr.2 = true }",
        "{ span.attr.11 != nil }",
        "{ span.http.method = \"GET\" && span.http.status_code >= 400 }",
        "{ span.http.route =~ \"/api/v[12]\" }",
        "{ span.http.response.status_code = 503 }",
        "{ span.http.response.status_code = \"not an int\" }",
        "{ span.http.request.method = true }",
        "{ span.url.full = \"second occurrence stays generic\" }",
        "{ span.db.system = \"postgresql\" && span.rpc.service = \"Checkout\" }",
        // resource attributes: service.name in every form, dedicated columns, duplicates
        "{ resource.service.name = \"checkout\" }",
        "{ resource.service.name = 7 }",
        "{ resource.service.name != \"frontend\" }",
        "{ resource.k8s.namespace.name = \"prod\" && resource.k8s.pod.name =~ \"pod-1.*\" }",
        "{ resource.namespace = \"duplicate key\" }",
        "{ resource.cluster = 3 }",
        "{ resource.host.index > 0 && resource.attr.1 != nil }",
        // unscoped: span, then resource
        "{ .service.name = \"payments\" }",
        "{ .attr.1 = \"日本語 ✓ 3\" }",
        // instrumentation scope
        "{ instrumentation.attr.1 != nil }",
        "{ instrumentation:name = \"io.opentelemetry.1\" && instrumentation:version =~ \"1.1.*\" }",
        // intrinsics
        "{ status = error }",
        "{ statusMessage =~ \"boom.*\" }",
        "{ kind = server && duration > 100ms }",
        "{ name = \"SELECT\" } | select(span.http.route, resource.service.name, status, kind)",
        "{ span:parentID != nil && span:childCount > 1 }",
        "{ nestedSetParent = -1 }",
        "{ traceDuration > 900ms && rootServiceName = \"frontend\" }",
        "{ rootName = \"SELECT\" }",
        // structural, count, spanset operations, grouping
        "{ resource.service.name = \"frontend\" } >> { status = error }",
        "{ span.http.method = \"GET\" } > { }",
        "{ } ~ { name = \"render\" }",
        "{ resource.service.name = \"checkout\" } !>> { status = error }",
        "{ status = error } | count() > 2",
        "{ span.http.method = \"GET\" } && { resource.service.name = \"payments\" }",
        "{ name = \"render\" } || { status = error }",
        "{ span.attr.1 = \"value-1\" } | by(resource.service.name) | count() > 1",
        "{ duration > 100ms } | avg(duration) > 200ms",
    })
    void columnTracesGiveTheSameResultsAsOtlpTraces(String query) throws Exception {
        TraceQLQuery q = TraceQL.parse(query);
        SpanFields fields = SpanFields.of(q);
        assertNotNull(fields, query);
        SearchEngine engine = new SearchEngine(q);
        Map<String, String> reference = new TreeMap<>();
        everyTrace.forEach(t -> describe(engine, t).ifPresent(d -> reference.put(t.traceId(), d)));
        Collecting visitor = new Collecting(engine, q.fetchConditions(), fields);
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), visitor);
        assertSameResults(reference, visitor.found, query);
        assertTrue(counters.rowsFromColumns > 0, query + ": no trace was read from columns");
        assertTrue(counters.rowsFromColumns < counters.rowsMaterialised || counters.rowsMaterialised == 0,
                query + ": split traces are rebuilt as OTLP");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ event:name = \"exception\" }",
        "{ event.attr.1 != nil }",
        "{ link.attr.1 = \"value-1\" }",
        "{ link:spanID != nil }",
        "{ status = error } | select(event:timeSinceStart)",
    })
    void queriesOnEventsAndLinksReadOtlpTraces(String query) throws Exception {
        TraceQLQuery q = TraceQL.parse(query);
        assertNull(SpanFields.of(q), query);
        SearchEngine engine = new SearchEngine(q);
        Map<String, String> reference = new TreeMap<>();
        everyTrace.forEach(t -> describe(engine, t).ifPresent(d -> reference.put(t.traceId(), d)));
        Collecting visitor = new Collecting(engine, q.fetchConditions(), null);
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), visitor);
        assertSameResults(reference, visitor.found, query);
        assertEquals(0, counters.rowsFromColumns);
    }

    /**
     * A search stopping at its first match has tested at most one 32-row step past it (decision 0505), in every block
     * (each alone: all its rows are whole traces), and found the first matching row; the one-group block puts some
     * first matches past the first 32-row window, inside larger windows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"{ status = error }", "{ span.http.response.status_code = 503 }", "{ span.attr.5 > 0 }",
        "{ resource.k8s.namespace.name = \"prod\" && resource.k8s.pod.name =~ \"pod-1.*\" }",
        "{ resource.cluster = 3 }", "{ span.url.full = \"second occurrence stays generic\" }", "{ nestedSetParent = -1 && status = error && kind = server }",
        // first matches in the one-group block at rows 44, 45 and 98: inside the 64- and 128-row windows, where a scan
        // testing whole windows would go 20-50 rows further than one 32-row step
        "{ resource.k8s.pod.name = \"pod-77\" }", "{ span.http.status_code = 333 }", "{ resource.k8s.pod.name = \"pod-3\" }"})
    void aSearchStoppingAtItsFirstMatchTestsAtMostOneStepPastIt(String query) throws Exception {
        TraceQLQuery q = TraceQL.parse(query);
        SearchEngine engine = new SearchEngine(q);
        List<BackendBlock> each = new ArrayList<>(blocks);
        each.add(wholeBlock);
        for (BackendBlock block : each) {
            List<String> ids = new ArrayList<>();
            int first = -1;
            try (var rows = block.traces()) {
                for (TraceRecord row : (Iterable<TraceRecord>) rows::iterator) {
                    if (first < 0 && engine.evaluate(OtlpTraceData.of(row.trace())).isPresent()) {
                        first = ids.size();
                    }
                    ids.add(row.id().toHex());
                }
            }
            List<String> matched = new ArrayList<>();
            ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(List.of(block), TimeWindow.ALL, new HashSet<>(),
                    new Collecting(engine, q.fetchConditions(), SpanFields.of(q)) {
                        @Override
                        public boolean visitColumns(ResultTrace trace) {
                            boolean match = engine.evaluate(trace).isPresent();
                            if (match) {
                                matched.add(trace.traceId());
                            }
                            return !match;
                        }
                    });
            if (first < 0) {
                assertEquals(List.of(), matched, query);
                continue;
            }
            assertEquals(List.of(ids.get(first)), matched, query);
            assertTrue(counters.rowsScanned > first && counters.rowsScanned <= first + 32,
                    query + ": first match at row " + first + ", " + counters.rowsScanned + " rows tested");
        }
    }

    @Test
    void aColumnTraceRefusesWhatItDidNotRead() throws Exception {
        TraceQLQuery q = TraceQL.parse("{ span.http.method = \"GET\" }");
        List<ColumnTraceData> read = new ArrayList<>();
        ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), new Collecting(new SearchEngine(q),
                q.fetchConditions(), SpanFields.of(q)) {
            @Override
            public boolean visitColumns(ResultTrace trace) {
                read.add((ColumnTraceData) trace);
                return false;
            }
        });
        ColumnTraceData.ColumnSpan span = read.getFirst().spans().getFirst();
        assertThrows(IllegalStateException.class, span::status);
        assertThrows(IllegalStateException.class, span::nestedSetLeft);
        assertThrows(IllegalStateException.class, () -> span.attribute(io.vivace.common.traceql.AttributeScope.SPAN, "attr.1"));
        assertTrue(read.getFirst().readBytes() > 0);
    }

    /** Fails on the first trace found differently, showing only that one. */
    private static void assertSameResults(Map<String, String> expected, Map<String, String> actual, String query) {
        Set<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (String id : ids) {
            assertEquals(expected.get(id), actual.get(id), query + ": trace " + id);
        }
    }

    /** Everything of a match the search response shows, as text. */
    private static Optional<String> describe(SearchEngine engine, ResultTrace trace) {
        Optional<TraceMatch> match = engine.evaluate(trace);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder()
                .append(trace.traceId()).append(' ').append(trace.startNanos()).append('-').append(trace.endNanos())
                .append(" root=").append(split.contains(trace.traceId()) ? "(split)" : trace.rootServiceName() + "/" + trace.rootSpanName())
                .append(" stats=").append(new TreeMap<>(trace.serviceStats())).append(" spans=").append(trace.spans().size());
        for (MatchedSpanset set : match.get().spansets()) {
            out.append("\n  set ").append(set.attributes());
            for (MatchedSpan span : set.spans()) {
                out.append("\n    ").append(span.span().spanId()).append(' ').append(span.span().name())
                        .append(' ').append(span.span().startUnixNanos()).append('+').append(span.span().durationNanos())
                        .append(' ').append(span.attributes());
            }
        }
        return Optional.of(out.toString());
    }

    /** Evaluates what the scan hands over, OTLP or column traces. */
    private static class Collecting implements TraceVisitor {
        private final SearchEngine engine;
        private final FetchConditions conditions;
        private final SpanFields fields;
        final Map<String, String> found = new TreeMap<>();

        Collecting(SearchEngine engine, FetchConditions conditions, SpanFields fields) {
            this.engine = engine;
            this.conditions = conditions;
            this.fields = fields;
        }

        @Override
        public FetchConditions fetchConditions() {
            return conditions;
        }

        @Override
        public SpanFields spanFields() {
            return fields;
        }

        @Override
        public boolean visit(TracesData trace) {
            OtlpTraceData data = OtlpTraceData.of(trace);
            describe(engine, data).ifPresent(d -> found.put(data.traceId(), d));
            return true;
        }

        @Override
        public boolean visitColumns(ResultTrace trace) {
            describe(engine, trace).ifPresent(d -> found.put(trace.traceId(), d));
            return true;
        }
    }
}
