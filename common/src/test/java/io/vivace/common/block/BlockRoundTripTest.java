package io.vivace.common.block;

import static io.vivace.common.block.TraceNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockRoundTripTest {

    private static final String TENANT = "tenant-a";

    @TempDir
    Path dir;

    private LocalBackend local() throws IOException {
        return new LocalBackend(dir.resolve("store"));
    }

    private BlockMeta write(Backend backend, BlockConfig config, List<TraceRecord> traces) throws IOException {
        return new BlockWriter(config, dir.resolve("scratch")).write(backend, TENANT, UUID.randomUUID(), 0, traces.iterator());
    }

    private static void assertEveryTraceFound(BackendBlock block, List<TraceRecord> traces) throws IOException {
        for (TraceRecord trace : traces) {
            Optional<TracesData> found = block.findTraceById(trace.id());
            assertTrue(found.isPresent(), () -> "trace " + trace.id() + " not found");
            assertEquals(normalize(trace.trace()), normalize(found.get()), () -> "trace " + trace.id());
        }
    }

    private static void assertIterationReturnsAll(BackendBlock block, List<TraceRecord> traces) throws IOException {
        List<TraceRecord> read;
        try (Stream<TraceRecord> stream = block.traces()) {
            read = stream.toList();
        }
        assertEquals(traces.size(), read.size());
        for (int i = 0; i < traces.size(); i++) {
            assertEquals(traces.get(i).id(), read.get(i).id());
            assertEquals(normalize(traces.get(i).trace()), normalize(read.get(i).trace()), "trace " + traces.get(i).id());
        }
    }

    @ParameterizedTest
    @EnumSource(BlockConfig.Compression.class)
    void roundTripsEveryTraceExactly(BlockConfig.Compression compression) throws IOException {
        List<TraceRecord> traces = new TraceGenerator(compression.ordinal()).traces(150);
        LocalBackend backend = local();
        BlockMeta meta = write(backend, BlockConfig.DEFAULT.withCompression(compression), traces);

        BackendBlock block = BackendBlock.open(backend, meta);
        assertEveryTraceFound(block, traces);
        assertIterationReturnsAll(block, traces);
    }

    @Test
    void readsThroughRangedReadsWhenTheBackendIsNotLocal() throws IOException {
        List<TraceRecord> traces = new TraceGenerator(42).traces(200);
        RecordingBackend backend = new RecordingBackend(local());
        BlockMeta meta = write(backend, BlockConfig.DEFAULT.withRowGroupSizeBytes(64 * 1024), traces);

        BackendBlock block = BackendBlock.open(backend, meta);
        assertTrue(block.rowGroupCount() > 1);
        assertEveryTraceFound(block, traces);
        assertIterationReturnsAll(block, traces);
        assertTrue(backend.rangeReads.get() > 0);
    }

    @Test
    void bloomFilterRejectsAbsentIds() throws IOException {
        List<TraceRecord> traces = new TraceGenerator(7).traces(500);
        LocalBackend backend = local();
        BlockMeta meta = write(backend, BlockConfig.DEFAULT.withBloom(0.01, 128), traces);
        assertTrue(meta.bloomShards() > 1, "expected several shards, got " + meta.bloomShards());
        BackendBlock block = BackendBlock.open(backend, meta);

        Set<TraceId> present = new HashSet<>();
        traces.forEach(t -> present.add(t.id()));
        Random random = new Random(99);
        int tried = 0;
        int bloomPositives = 0;
        while (tried < 2_000) {
            TraceId absent = new TraceId(random.nextLong(), random.nextLong());
            if (present.contains(absent)) {
                continue;
            }
            tried++;
            if (block.bloomMightContain(absent)) {
                bloomPositives++;
            }
            assertEquals(Optional.empty(), block.findTraceById(absent));
        }
        assertTrue(bloomPositives < 100, "false-positive rate too high: " + bloomPositives + "/2000");
        for (TraceRecord trace : traces) {
            assertTrue(block.bloomMightContain(trace.id()), "bloom must hold " + trace.id());
        }
    }

    @Test
    void findsTracesAcrossManyRowGroups() throws IOException {
        List<TraceRecord> traces = new TraceGenerator(3).traces(1_200);
        LocalBackend backend = local();
        BlockMeta meta = write(backend, BlockConfig.DEFAULT.withRowGroupSizeBytes(16 * 1024).withPageRowCountLimit(20)
                .withPageMinEntryCount(100), traces);

        BackendBlock block = BackendBlock.open(backend, meta);
        assertTrue(block.rowGroupCount() >= 5, "expected many row groups, got " + block.rowGroupCount());
        assertEquals(block.rowGroupCount(), meta.totalRecords());
        assertEveryTraceFound(block, traces);
        assertIterationReturnsAll(block, traces);
    }

    @Test
    void idsBetweenAndOutsideRowGroupsAreAbsent() throws IOException {
        TraceId lowest = new TraceId(0, 0);
        TraceId highest = new TraceId(-1, -1);
        List<TraceRecord> traces = new TraceGenerator(5).traces(1_000).stream()
                .filter(t -> !t.id().equals(lowest) && !t.id().equals(highest))
                .toList();
        LocalBackend backend = local();
        BlockMeta meta = write(backend, BlockConfig.DEFAULT.withRowGroupSizeBytes(16 * 1024), traces);
        BackendBlock block = BackendBlock.open(backend, meta);
        assertTrue(block.rowGroupCount() >= 3);

        List<TraceId> ids = traces.stream().map(TraceRecord::id).toList();
        int checked = 0;
        for (int i = 0; i + 1 < ids.size(); i++) {
            TraceId between = justAfter(ids.get(i));
            if (between.equals(ids.get(i + 1))) {
                continue;
            }
            // Includes every gap at a row-group boundary: past one group's max, before the next group's min.
            assertEquals(Optional.empty(), block.findInData(between), "absent " + between);
            assertEquals(Optional.empty(), block.findTraceById(between));
            checked++;
        }
        assertTrue(checked > 900);
        assertEquals(Optional.empty(), block.findInData(lowest));
        assertEquals(Optional.empty(), block.findInData(highest));
    }

    private static TraceId justAfter(TraceId id) {
        return id.lo() == -1 ? new TraceId(id.hi() + 1, 0) : new TraceId(id.hi(), id.lo() + 1);
    }

    @Test
    void rejectsUnsortedAndDuplicateInputWithoutWritingAnything() throws IOException {
        List<TraceRecord> traces = new ArrayList<>(new TraceGenerator(11).traces(20));
        LocalBackend backend = local();
        List<TraceRecord> swapped = new ArrayList<>(traces);
        swapped.set(5, traces.get(6));
        swapped.set(6, traces.get(5));
        assertThrows(IllegalArgumentException.class, () -> write(backend, BlockConfig.DEFAULT, swapped));

        List<TraceRecord> duplicated = new ArrayList<>(traces);
        duplicated.add(6, traces.get(5));
        assertThrows(IllegalArgumentException.class, () -> write(backend, BlockConfig.DEFAULT, duplicated));

        assertEquals(List.of(), backend.list(""));
    }

    @Test
    void writesDataThenBloomsThenMetaLast() throws IOException {
        List<TraceRecord> traces = new TraceGenerator(13).traces(300);
        RecordingBackend backend = new RecordingBackend(local());
        UUID blockId = UUID.fromString("b27b0e53-66a0-4505-afd6-434ae3cd4a10");
        BlockMeta meta = new BlockWriter(BlockConfig.DEFAULT.withBloom(0.01, 256), dir.resolve("scratch"))
                .write(backend, TENANT, blockId, 2, traces.iterator());

        List<String> expected = new ArrayList<>();
        expected.add(TENANT + "/" + blockId + "/data.parquet");
        for (int i = 0; i < meta.bloomShards(); i++) {
            expected.add(TENANT + "/" + blockId + "/bloom-" + i);
        }
        expected.add(TENANT + "/" + blockId + "/meta.json");
        assertEquals(expected, backend.writes);

        BlockMeta parsed = BlockMeta.fromJson(backend.read(meta.metaKey()));
        assertEquals(meta, parsed);
        assertEquals("vivace4", parsed.format());
        assertEquals(blockId, parsed.blockId());
        assertEquals(TENANT, parsed.tenantId());
        assertEquals(2, parsed.compactionLevel());
        assertEquals(traces.size(), parsed.totalObjects());
        assertEquals(backend.size(meta.dataKey()), parsed.size());
        assertTrue(parsed.footerSize() > 0 && parsed.footerSize() < parsed.size());
        long spans = traces.stream().mapToLong(t -> t.trace().getResourceSpansList().stream()
                .flatMap(rs -> rs.getScopeSpansList().stream()).mapToLong(ss -> ss.getSpansCount()).sum()).sum();
        assertEquals(spans, parsed.totalSpans());
        assertFalse(parsed.startTime().isAfter(parsed.endTime()));
    }

    @Test
    void emptyBlockHasNoTraces() throws IOException {
        LocalBackend backend = local();
        BlockMeta meta = write(backend, BlockConfig.DEFAULT, List.of());
        assertEquals(0, meta.totalObjects());
        assertEquals(1, meta.bloomShards());
        BackendBlock block = BackendBlock.open(backend, meta);
        assertEquals(Optional.empty(), block.findTraceById(new TraceId(1, 2)));
        try (Stream<TraceRecord> stream = block.traces()) {
            assertEquals(0, stream.count());
        }
    }

    @Test
    void hadoopIsNotOnTheTestClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
    }
}
