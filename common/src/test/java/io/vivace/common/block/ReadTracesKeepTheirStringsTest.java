package io.vivace.common.block;

import static io.vivace.common.block.TraceNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.parquet.ChunkLayout;
import io.vivace.common.block.parquet.PageCodec;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every trace read from a block is kept until all are read, then compared with what was written: a reader whose
 * traces point into page or dictionary buffers (as {@code ByteString}s, say) that a later page, batch or lookup
 * overwrites would show here as a wrong string in an earlier trace.
 */
class ReadTracesKeepTheirStringsTest {

    /** Pages of a few rows and several row groups: the traces are spread over many pages of every column. */
    private static final BlockConfig SMALL_PAGES = BlockConfig.DEFAULT.withPageRowCountLimit(3).withPageSizeBytes(512)
            .withPageMinEntryCount(0).withRowGroupSizeBytes(48 * 1024);

    @TempDir
    Path dir;

    private List<TraceRecord> traces;
    private BackendBlock block;

    @BeforeEach
    void writeBlock() throws IOException {
        traces = new TraceGenerator(11).traces(400).stream().map(ReadTracesKeepTheirStringsTest::withUniqueStrings).toList();
        LocalBackend backend = new LocalBackend(dir.resolve("store"));
        BlockMeta meta = new BlockWriter(SMALL_PAGES, dir.resolve("scratch"))
                .write(backend, "tenant", UUID.randomUUID(), 0, traces.iterator());
        block = BackendBlock.open(backend, meta);
        assertTrue(block.rowGroupCount() > 1, "expected several row groups");
    }

    @Test
    void tracesOfAWholeBlockReadKeepTheirStrings() throws IOException {
        List<TraceRecord> read;
        try (Stream<TraceRecord> stream = block.traces()) {
            read = stream.toList();
        }
        assertSameTraces(read);
    }

    @Test
    void tracesReadInBatchesKeepTheirStrings() throws IOException {
        List<TraceRecord> read = new ArrayList<>();
        try (DataFile.Reads reads = block.dataFile().open(); PageCodec codec = new PageCodec()) {
            for (int group = 0; group < block.rowGroupCount(); group++) {
                ChunkLayout[] layout = block.layoutOf(group, reads);
                RowMaterializer materializer = RowMaterializer.otlp(block, group, layout, reads, codec);
                int[] rows = IntStream.range(0, Math.toIntExact(block.rowCount(group))).toArray();
                // Batches of 1, 2, 3, ... rows: a page's rows are read over several batches, its page decoded further.
                for (int from = 0, size = 1; from < rows.length; from += size, size++) {
                    read.addAll(materializer.read(rows, from, Math.min(rows.length, from + size)));
                }
            }
        }
        assertSameTraces(read);
    }

    @Test
    void tracesLookedUpByIdKeepTheirStrings() throws IOException {
        List<TraceRecord> read = new ArrayList<>();
        for (TraceRecord trace : traces) {
            TracesData found = block.findTraceById(trace.id()).orElseThrow();
            read.add(new TraceRecord(trace.id(), found));
        }
        assertSameTraces(read);
    }

    /**
     * The trace with a span name and an attribute value no other trace has: the dictionaries of these columns
     * outgrow the small pages, so their later pages are PLAIN, values in the page's own bytes.
     */
    private static TraceRecord withUniqueStrings(TraceRecord record) {
        TracesData.Builder trace = record.trace().toBuilder();
        Span.Builder span = trace.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
        span.setName("span of trace " + record.id()).addAttributes(KeyValue.newBuilder().setKey("unique")
                .setValue(AnyValue.newBuilder().setStringValue("ünïque value of " + record.id())));
        return new TraceRecord(record.id(), trace.build());
    }

    private void assertSameTraces(List<TraceRecord> read) {
        assertEquals(traces.size(), read.size());
        for (int i = 0; i < traces.size(); i++) {
            assertEquals(traces.get(i).id(), read.get(i).id());
            assertEquals(normalize(traces.get(i).trace()), normalize(read.get(i).trace()), "trace " + traces.get(i).id());
        }
    }
}
