package io.vivace.common.block;

import static io.vivace.common.block.TraceNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks of earlier writers from {@code new TraceGenerator(21).traces(20)} stay readable: the first writer's
 * (parquet-java's record consumer: data page v2, DELTA_BYTE_ARRAY IDs, RLE booleans, 4-trace pages) and the
 * last {@code vivace1} writer's (data page v1, PLAIN IDs and doubles, DELTA_BINARY_PACKED integers, every
 * ParentSpanID stored; 4-trace pages) and the last {@code vivace2} writer's (events and links inside the span,
 * derived parent span IDs, DELTA_LENGTH_BYTE_ARRAY IDs, BYTE_STREAM_SPLIT doubles; 4-trace pages).
 */
class EarlierBlockTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"vivace1-v2pages.parquet, vivace1", "vivace1-v1pages.parquet, vivace1", "vivace2.parquet, vivace2"})
    void readsBlocksOfEarlierWriters(String fixtureName, String format) throws IOException {
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
    }
}
