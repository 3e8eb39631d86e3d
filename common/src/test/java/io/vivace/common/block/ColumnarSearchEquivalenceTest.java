package io.vivace.common.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.TraceMatch;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The columnar block search finds exactly what the full-materialisation scan ({@link BlockTraceScanner}, the reference:
 * it hands over every trace whatever the query, so it runs once) finds, with the same spansets, over three blocks of richly varied traces (every attribute type, well-known keys with
 * the wrong type, duplicate keys, missing and unsupported values) where some traces are split over two blocks.
 */
class ColumnarSearchEquivalenceTest {

    @TempDir
    static Path dir;

    private static List<BackendBlock> blocks;
    private static int rows;
    /** What the full scan hands over, whatever the query: every trace, combined from its parts. */
    private static List<OtlpTraceData> everyTrace;

    @BeforeAll
    static void writeBlocks() throws Exception {
        List<TraceRecord> traces = new TraceGenerator(11).traces(300);
        List<List<TraceRecord>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < traces.size(); i++) {
            TraceRecord t = traces.get(i);
            List<ResourceSpans> resources = t.trace().getResourceSpansList();
            if (i % 7 == 0 && resources.size() > 1) {
                // Split: the first resource in one block, the others in the next one.
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
            rows += part.size();
        }
        assertTrue(blocks.getFirst().rowGroupCount() > 1, "several row groups per block");
        everyTrace = new ArrayList<>();
        BlockTraceScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), new TraceVisitor() {
            @Override
            public boolean visit(TracesData trace) {
                everyTrace.add(OtlpTraceData.of(trace));
                return true;
            }
        });
        assertEquals(traces.size(), everyTrace.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ }",
        "{ true }",
        "{ false }",
        "{ span.http.route = \"/api/v1\" }",
        "{ .http.route =~ \"/api/v[12]\" }",
        "{ span.http.route = \"/nowhere\" }",
        "{ span.http.status_code >= 400 }",
        "{ span.http.status_code > 250 && span.http.status_code < 300 }",
        "{ span.http.status_code = 200.0 }",
        "{ span.http.response.status_code = 503 }",
        "{ span.http.response.status_code = \"not an int\" }",
        "{ span.http.request.method = true }",
        "{ span.url.full = \"second occurrence stays generic\" }",
        "{ resource.service.name = \"checkout\" }",
        "{ .service.name = \"payments\" }",
        "{ resource.service.name = 7 }",
        "{ resource.service.name != \"frontend\" }",
        "{ resource.k8s.namespace.name = \"prod\" && resource.k8s.pod.name =~ \"pod-1.*\" }",
        "{ resource.namespace = \"duplicate key\" }",
        "{ resource.cluster = 3 }",
        "{ resource.host.index > 0 }",
        "{ status = error }",
        "{ status != ok }",
        "{ statusMessage =~ \"boom.*\" }",
        "{ duration > 400ms }",
        "{ duration < 10ms || duration >= 499ms }",
        "{ name = \"SELECT\" }",
        "{ name =~ \"span with.*\" && kind = client }",
        "{ kind = server }",
        "{ span.attr.3 = \"value-7\" }",
        "{ span.attr.5 > 0 }",
        "{ .attr.2 = true }",
        "{ span.attr.4 = \"s1\" }",
        "{ span.attr.4 != \"s1\" }",
        "{ span.attr.7 !~ \"value-.*\" }",
        "{ span.attr.6 < \"value-3\" }",
        "{ span.attr.8 = 1000000007 }",
        "{ span.attr.9 <= 0.5 }",
        "{ .attr.1 = \"日本語 ✓ 3\" }",
        "{ span.attr.1 = nil }",
        "{ span.attr.1 != nil }",
        "{ .missing = nil }",
        "{ span.missing = \"x\" }",
        "{ !(span.http.method = \"GET\") }",
        "{ span.http.method = \"GET\" } >> { status = error }",
        "{ } > { name = \"render\" }",
        "{ name = \"render\" } !> { }",
        "{ status = error } | count() > 2",
        "{ } | count() > 12",
        "{ span.http.method = \"GET\" } && { resource.service.name = \"payments\" }",
        "{ name = \"render\" } || { status = error }",
        "{ .attr.3 = 1.5 || name = \"render\" }",
        "{ duration > 100ms && span.http.method = \"GET\" && resource.service.name = \"checkout\" }",
        "{ event:name = \"exception\" }",
        "{ link.attr.1 = \"value-1\" }",
        "{ event.attr.3 > 0 && span.http.method = \"GET\" }",
        "{ event:name = \"early\" } >> { event:name = \"log\" }",
        "{ event:timeSinceStart < 0ms }",
        "{ link:traceID != nil && status = error }",
        "{ instrumentation:name = \"io.opentelemetry.1\" }",
        "{ traceDuration > 900ms }",
        "{ rootServiceName = \"frontend\" }",
        "{ span.http.status_code > 300 } | select(span.http.route)",
        "{ span.attr.1 = \"value-1\" } | by(resource.service.name) | count() > 1",
        "{ resource.service.name = \"checkout\" } && { resource.service.name = \"payments\" }",
        "{ resource.service.name = \"frontend\" } >> { status = error }",
        "{ resource.service.name = \"checkout\" } ~ { resource.service.name = \"payments\" }",
        "{ resource.service.name = \"checkout\" } &> { status = error }",
        "{ resource.service.name = \"checkout\" } !>> { status = error }",
        "{ status = error } | count() >= 2",
        "{ status = error && duration > 100ms } | count() = 2",
        "({ status = error } | count() > 1) && ({ resource.service.name = \"payments\" } | count() > 0)",
    })
    void findsWhatTheFullScanFinds(String query) throws Exception {
        TraceQLQuery q = TraceQL.parse(query);
        Map<String, List<List<String>>> reference = new TreeMap<>();
        Collecting fullScan = new Collecting(q, reference, false, Integer.MAX_VALUE);
        everyTrace.forEach(fullScan::evaluate);
        Map<String, List<List<String>>> columnar = new TreeMap<>();
        Collecting visitor = new Collecting(q, columnar, true, Integer.MAX_VALUE);
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), visitor);
        assertEquals(reference, columnar, query);
        assertEquals(q.fetchConditions().matchesNothing() ? 0 : rows, counters.rowsScanned);
        if (ColumnarSearch.of(q.fetchConditions()).filters() && reference.size() < rows / 4) {
            assertTrue(counters.rowsMaterialised < rows, () -> query + ": rebuilt " + counters.rowsMaterialised + " of " + rows);
        }
    }

    @Test
    void rebuildsOnlyCandidateRowsForASelectiveQuery() throws Exception {
        TraceQLQuery q = TraceQL.parse("{ span.http.route = \"/api/v2\" && status = error && duration > 300ms }");
        Map<String, List<List<String>>> found = new TreeMap<>();
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(),
                new Collecting(q, found, true, Integer.MAX_VALUE));
        assertFalse(found.isEmpty());
        assertTrue(counters.rowsMaterialised < rows / 4, "rebuilt " + counters.rowsMaterialised + " of " + rows);
        assertTrue(counters.spansScanned > rows, "counts the spans it tested");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ span.http.route = \"/nowhere\" }",
        "{ duration > 10s }",
        "{ span.http.status_code > 100000 }",
        "{ name = \"no such name\" && status = error }",
    })
    void skipsRowGroupsByDictionariesAndStatistics(String query) throws Exception {
        Map<String, List<List<String>>> found = new TreeMap<>();
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(),
                new Collecting(TraceQL.parse(query), found, true, Integer.MAX_VALUE));
        assertTrue(found.isEmpty());
        assertEquals(rows, counters.rowsSkipped, query);
        assertEquals(0, counters.spansScanned);
    }

    @Test
    void traceRequirementsLeaveOutWholeTracesLackingASide() throws Exception {
        TraceQLQuery q = TraceQL.parse("{ resource.service.name = \"checkout\" } && { status = error }");
        FetchConditions withRequirements = q.fetchConditions();
        FetchConditions spanLevelOnly = new FetchConditions(withRequirements.conditions(), withRequirements.allConditions(),
                withRequirements.resultAttributes(), false);
        Map<String, List<List<String>>> found = new TreeMap<>();
        ColumnarSearch.Counters cut = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(),
                new Collecting(q, found, true, Integer.MAX_VALUE));
        Map<String, List<List<String>>> foundSpanLevel = new TreeMap<>();
        Collecting spanLevel = new Collecting(q, foundSpanLevel, true, Integer.MAX_VALUE) {
            @Override
            public FetchConditions fetchConditions() {
                return spanLevelOnly;
            }
        };
        ColumnarSearch.Counters uncut = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), spanLevel);
        assertFalse(found.isEmpty());
        assertEquals(foundSpanLevel, found);
        assertTrue(cut.rowsMaterialised < uncut.rowsMaterialised,
                "rebuilt " + cut.rowsMaterialised + " with trace requirements, " + uncut.rowsMaterialised + " without");
    }

    @Test
    void stopsOnceTheLimitIsReached() throws Exception {
        TraceQLQuery q = TraceQL.parse("{ status = error }");
        Map<String, List<List<String>>> found = new TreeMap<>();
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(),
                new Collecting(q, found, true, 5));
        assertEquals(5, found.size());
        assertTrue(counters.rowsScanned < rows, "stopped after " + counters.rowsScanned + " rows");
        assertTrue(counters.rowsMaterialised <= 32 + 64, "rebuilt " + counters.rowsMaterialised);
    }

    @Test
    void aCancelledScanStopsReadingEvenWithoutCandidates() throws Exception {
        TraceQLQuery q = TraceQL.parse("{ span.http.route = \"/nowhere\" }");
        Collecting visitor = new Collecting(q, new TreeMap<>(), true, Integer.MAX_VALUE);
        visitor.cancelAfterChecks = 3;
        ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), visitor);
        assertTrue(counters.rowsScanned > 0);
        assertTrue(counters.rowsScanned < rows, "stopped after " + counters.rowsScanned + " of " + rows + " rows");
        assertEquals(0, counters.rowsMaterialised);
    }

    /** Runs the engine on every trace handed over and keeps the matched span IDs per spanset. */
    private static class Collecting implements TraceVisitor {
        private final SearchEngine engine;
        private final FetchConditions conditions;
        private final Map<String, List<List<String>>> found;
        private final int limit;
        int cancelAfterChecks = Integer.MAX_VALUE;

        Collecting(TraceQLQuery query, Map<String, List<List<String>>> found, boolean pushdown, int limit) {
            this.engine = new SearchEngine(query);
            this.conditions = pushdown ? query.fetchConditions() : null;
            this.found = found;
            this.limit = limit;
        }

        @Override
        public FetchConditions fetchConditions() {
            return conditions;
        }

        @Override
        public boolean wantsMore() {
            return --cancelAfterChecks >= 0 && found.size() < limit;
        }

        @Override
        public boolean visit(TracesData trace) {
            evaluate(OtlpTraceData.of(trace));
            return found.size() < limit;
        }

        void evaluate(OtlpTraceData data) {
            Optional<TraceMatch> match = engine.evaluate(data);
            if (match.isPresent()) {
                List<List<String>> spansets = new ArrayList<>();
                for (MatchedSpanset s : match.get().spansets()) {
                    List<String> ids = new ArrayList<>();
                    for (MatchedSpan span : s.spans()) {
                        ids.add(span.span().spanId());
                    }
                    ids.add(String.valueOf(s.attributes()));
                    spansets.add(ids);
                }
                found.put(data.traceId(), spansets);
            }
        }
    }
}
