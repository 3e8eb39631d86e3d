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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block written by the first writer (parquet-java's record consumer: data page v2, DELTA_BYTE_ARRAY IDs, RLE
 * booleans, 4-trace pages) from {@code new TraceGenerator(21).traces(20)} stays readable.
 */
class EarlierBlockTest {

    private static final String FIXTURE = "vivace1-v2pages.parquet";

    @TempDir
    Path dir;

    @Test
    void readsBlocksOfTheFirstWriter() throws IOException {
        List<TraceRecord> traces = new TraceGenerator(21).traces(20);
        LocalBackend backend = new LocalBackend(dir);
        UUID blockId = UUID.fromString("0c7f3f52-5e2b-4f4e-9d55-6d8f6c0f1e21");
        BlockMeta meta = new BlockMeta(TraceSchema.FORMAT, blockId, "tenant", Instant.EPOCH, Instant.EPOCH, traces.size(),
                0, 0, 1, 0, 0, 0);
        Path data = backend.pathOf(meta.dataKey());
        Files.createDirectories(data.getParent());
        try (InputStream fixture = EarlierBlockTest.class.getResourceAsStream(FIXTURE)) {
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
