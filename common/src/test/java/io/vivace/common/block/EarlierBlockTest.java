package io.vivace.common.block;

import static io.vivace.common.block.TraceNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vivace.common.query.ColumnarBlockScanner;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLQuery;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks of earlier writers from {@code new TraceGenerator(21).traces(20)} stay readable and searchable (the
 * columnar search, traces read from the query's columns or rebuilt as OTLP, finds what the engine finds): the first writer's
 * (parquet-java's record consumer: data page v2, DELTA_BYTE_ARRAY IDs, RLE booleans, 4-trace pages) and the
 * last {@code vivace1} writer's (data page v1, PLAIN IDs and doubles, DELTA_BINARY_PACKED integers, every
 * ParentSpanID stored; 4-trace pages) and the last {@code vivace2} writer's (events and links inside the span,
 * derived parent span IDs, DELTA_LENGTH_BYTE_ARRAY IDs, BYTE_STREAM_SPLIT doubles; 4-trace pages) and the last
 * {@code vivace3} writer's (events and links in trace-level lists, generic attributes with {@code IsArray} and four
 * typed value lists, span start times as sent; 4-trace pages).
 */
class EarlierBlockTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"vivace1-v2pages.parquet, vivace1", "vivace1-v1pages.parquet, vivace1", "vivace2.parquet, vivace2",
        "vivace3.parquet, vivace3"})
    void readsAndSearchesBlocksOfEarlierWriters(String fixtureName, String format) throws Exception {
        List<TraceRecord> traces = new TraceGenerator(21).traces(20);
        LocalBackend backend = new LocalBackend(dir);
        UUID blockId = UUID.fromString("0c7f3f52-5e2b-4f4e-9d55-6d8f6c0f1e21");
        BlockMeta meta = new BlockMeta(format, blockId, "tenant", Instant.EPOCH, Instant.EPOCH, traces.size(),
                0, 0, 1, 0, 0, 0);
        Path data = backend.pathOf(meta.dataKey());
        Files.createDirectories(data.getParent());
        try (InputStream fixture = EarlierBlockTest.class.getResourceAsStream(fixtureName)) {
            Files.copy(fixture, data);
        }

        BackendBlock block = BackendBlock.open(backend, meta);
        for (TraceRecord trace : traces) {
            assertEquals(normalize(trace.trace()), normalize(block.findTraceById(trace.id()).orElseThrow()), "trace " + trace.id());
        }
        try (Stream<TraceRecord> read = block.traces()) {
            assertEquals(traces.stream().map(t -> normalize(t.trace())).toList(), read.map(t -> normalize(t.trace())).toList());
        }
        for (String query : SEARCHES) {
            TraceQLQuery q = TraceQL.parse(query);
            SearchEngine engine = new SearchEngine(q);
            Set<String> expected = new TreeSet<>();
            traces.stream().map(t -> OtlpTraceData.of(t.trace()))
                    .filter(t -> engine.evaluate(t).isPresent()).forEach(t -> expected.add(t.traceId()));
            MatchingTraces found = new MatchingTraces(engine, q);
            ColumnarBlockScanner.scan(List.of(block), TimeWindow.ALL, new HashSet<>(), found);
            assertEquals(expected, found.ids, format + ": " + query);
        }
        assertTrue(SpanFields.of(TraceQL.parse(SEARCHES.getLast())) == null, "the last query reads OTLP");
    }

    /** Queries whose traces are read from the query's columns and, for events and links, rebuilt as OTLP. */
    private static final List<String> SEARCHES = List.of(
            "{ resource.service.name = \"checkout\" }",
            "{ span.attr.3 != nil || span.http.status_code >= 400 }",
            "{ status = error } >> { kind = client }",
            "{ } | count() > 3",
            "{ event:name = \"exception\" }",
            "{ link.attr.1 != nil }");
}
