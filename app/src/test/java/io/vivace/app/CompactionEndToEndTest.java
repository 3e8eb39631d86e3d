package io.vivace.app;

import static io.vivace.app.IngestSemanticsTest.hexId;
import static io.vivace.app.IngestSemanticsTest.request;
import static io.vivace.app.IngestSemanticsTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single binary merges its blocks and applies retention while every trace stays readable, spans once each. */
class CompactionEndToEndTest {

    private static final long FIFTEEN_DAYS_NANOS = 15L * 24 * 3600 * 1_000_000_000L;

    @TempDir
    Path dir;

    /** The test spans are from 2023: a retention long enough to keep them. */
    private VivaceConfig keepEverything() {
        return new ConfigLoader().parse(TestServers.yaml(dir, false, """
                compactor:
                  compaction:
                    block_retention: 100000h
                """));
    }

    @Test
    void tracesStayCompleteAndUniqueBeforeAndAfterCompaction() throws Exception {
        try (VivaceServer server = VivaceServer.start(keepEverything())) {
            WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            assertEquals(200, send(otlp, request("frontend", 1, 1, 2), null).status().code());
            assertEquals(200, send(otlp, request("frontend", 2, 1), null).status().code());
            server.flushAndPoll();
            assertEquals(200, send(otlp, request("backend", 1, 2, 3), null).status().code()); // span 2 again
            assertEquals(200, send(otlp, request("backend", 3, 1), null).status().code());
            server.flushAndPoll();
            assertEquals(2, files(dir.resolve("blocks"), "meta.json"));
            assertReadable(query);

            server.compactAndPoll();

            assertEquals(1, files(dir.resolve("blocks"), "meta.json"), "one live block after compaction");
            assertEquals(2, files(dir.resolve("blocks"), "meta.compacted.json"));
            assertEquals(1, files(dir.resolve("blocks"), "index.json.gz"), "tenant index written");
            assertReadable(query);
        }
        try (VivaceServer restarted = VivaceServer.start(keepEverything())) {
            assertReadable(WebClient.of("http://127.0.0.1:" + restarted.queryPort()));
        }
    }

    @Test
    void blockPastRetentionDisappearsFromQueriesAndTheBucket() throws Exception {
        String extra = """
                compactor:
                  compaction:
                    block_retention: 336h
                    compacted_block_retention: 0s
                """;
        String yaml = TestServers.yaml(dir, false, extra).replace("flush_check_period: 1h", "flush_check_period: 1h\n  complete_block_timeout: 0s");
        try (VivaceServer server = VivaceServer.start(new ConfigLoader().parse(yaml))) {
            WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            var old = request("svc", 9, 1).toBuilder();
            var span = old.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
            span.setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L - FIFTEEN_DAYS_NANOS)
                    .setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L - FIFTEEN_DAYS_NANOS + 1000);
            assertEquals(200, send(otlp, old.build(), null).status().code());
            server.flushAndPoll();
            server.flushAndPoll(); // the ingester stops serving its flushed block (complete_block_timeout: 0s)
            assertEquals(List.of("op-1"), IngestSemanticsTest.spanNames(IngestSemanticsTest.read(query, hexId(9), null)));

            server.compactAndPoll(); // retired: marked compacted
            server.compactAndPoll(); // grace period over: deleted

            assertEquals(0, files(dir.resolve("blocks"), "data.parquet"), "block deleted from the bucket");
            assertEquals(List.of(), IngestSemanticsTest.spanNames(IngestSemanticsTest.read(query, hexId(9), null)));
        }
    }

    private static void assertReadable(WebClient query) throws Exception {
        assertEquals(List.of("op-1", "op-2", "op-3"), uniqueSpanNames(IngestSemanticsTest.read(query, hexId(1), null)));
        assertEquals(List.of("op-1"), uniqueSpanNames(IngestSemanticsTest.read(query, hexId(2), null)));
        assertEquals(List.of("op-1"), uniqueSpanNames(IngestSemanticsTest.read(query, hexId(3), null)));
    }

    /** The span names, failing on a span returned twice. */
    private static List<String> uniqueSpanNames(TracesData trace) {
        List<String> names = IngestSemanticsTest.spanNames(trace);
        assertEquals(names.stream().distinct().count(), names.size(), "duplicate spans: " + names);
        return new ArrayList<>(names);
    }

    private static long files(Path root, String name) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.getFileName().toString().equals(name)).count();
        }
    }
}
