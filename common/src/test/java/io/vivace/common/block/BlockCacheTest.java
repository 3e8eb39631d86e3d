package io.vivace.common.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.config.VivaceConfig;
import io.vivace.common.storage.CachingBackend;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks read through {@link CachingBackend}: a repeated lookup or scan reads nothing from the store again. */
class BlockCacheTest {

    @TempDir
    Path dir;
    RecordingBackend store;
    BlockMeta meta;
    List<TraceRecord> traces;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void writeBlock() throws IOException {
        store = new RecordingBackend(new LocalBackend(dir.resolve("store")));
        traces = new TraceGenerator(11).traces(300);
        meta = new BlockWriter(BlockConfig.DEFAULT.withRowGroupSizeBytes(64 * 1024).withBloom(0.01, 128), dir.resolve("scratch"))
                .write(store, "t1", UUID.randomUUID(), 0, traces.iterator());
        assertTrue(meta.totalRecords() > 1 && meta.bloomShards() > 1, meta.toString());
    }

    /** Opens the block anew (nothing kept in the block object), looks up every trace and scans the whole block. */
    private void lookUpAndScan(CachingBackend backend) throws IOException {
        try (BackendBlock block = BackendBlock.open(backend, meta)) {
            for (TraceRecord trace : traces) {
                assertTrue(block.findTraceById(trace.id()).isPresent(), trace.id().toString());
            }
            try (Stream<TraceRecord> all = block.traces()) {
                assertEquals(traces.size(), all.count());
            }
        }
    }

    @Test
    void repeatedLookupsAndScansAreServedFromMemory() throws IOException {
        CachingBackend backend = new CachingBackend(store, new VivaceConfig.Cache(null, null, null, null), metrics);
        lookUpAndScan(backend);
        int ranges = store.rangeReads.get();
        int blooms = store.wholeReads.get();
        assertTrue(ranges > 0 && blooms == meta.bloomShards(), ranges + " ranged reads, " + blooms + " whole reads");

        lookUpAndScan(backend);
        lookUpAndScan(backend);

        assertEquals(ranges, store.rangeReads.get(), "footer, indexes and pages read again");
        assertEquals(blooms, store.wholeReads.get(), "bloom shards read again");
        for (String cache : List.of(CachingBackend.BLOOM, CachingBackend.PARQUET_FOOTER, CachingBackend.PARQUET_PAGE)) {
            assertTrue(gets(cache, "hit") > 0, cache + " hits");
            assertTrue(gets(cache, "miss") > 0, cache + " misses");
        }
        assertEquals(blooms, gets(CachingBackend.BLOOM, "miss"));
    }

    @Test
    void largeReadsBypassThePageCacheWhileFootersAndBloomsStayCached() throws IOException {
        CachingBackend backend = new CachingBackend(store, new VivaceConfig.Cache(null, null, null, 16L), metrics);
        lookUpAndScan(backend);
        int ranges = store.rangeReads.get();
        int blooms = store.wholeReads.get();
        double footerMisses = gets(CachingBackend.PARQUET_FOOTER, "miss");

        lookUpAndScan(backend);

        assertTrue(store.rangeReads.get() > ranges, "pages are read again");
        assertEquals(blooms, store.wholeReads.get());
        assertEquals(footerMisses, gets(CachingBackend.PARQUET_FOOTER, "miss"), "footers and indexes stay cached");
        assertEquals(0, gets(CachingBackend.PARQUET_PAGE, "hit") + gets(CachingBackend.PARQUET_PAGE, "miss"));
    }

    /** A lookup reads its pages in a few coalesced reads larger than the page limit; each page is cached on its own. */
    @Test
    void aLookupsPagesAreCachedOneByOneWhenReadTogetherInALargerRead() throws IOException {
        CachingBackend backend = new CachingBackend(store, new VivaceConfig.Cache(null, null, null, 8 * 1024L), metrics);
        try (BackendBlock block = BackendBlock.open(backend, meta)) {
            for (TraceRecord trace : traces) {
                assertTrue(block.findTraceById(trace.id()).isPresent());
            }
            int ranges = store.rangeReads.get();
            assertTrue(store.largestRangeRead.get() > 8 * 1024, "reads were coalesced beyond the page limit");

            for (TraceRecord trace : traces) {
                assertTrue(block.findTraceById(trace.id()).isPresent());
            }

            assertEquals(ranges, store.rangeReads.get(), "pages read again");
            assertTrue(gets(CachingBackend.PARQUET_PAGE, "hit") > 0);
        }
    }

    @Test
    void eachCacheHoldsAtMostItsBytes() throws IOException {
        CachingBackend backend = new CachingBackend(store, new VivaceConfig.Cache(200L, null, 8 * 1024L, null), metrics);
        lookUpAndScan(backend);
        lookUpAndScan(backend);

        assertTrue(evictions(CachingBackend.PARQUET_PAGE) > 0, "pages evicted");
        assertTrue(weight(CachingBackend.PARQUET_PAGE) <= 8 * 1024);
        // Room for one 128-byte shard of several: the second pass reads the others again.
        assertTrue(store.wholeReads.get() >= 2 * meta.bloomShards() - 1, store.wholeReads.get() + " bloom reads");
        assertTrue(weight(CachingBackend.BLOOM) <= 200);
    }

    @Test
    void aBlockWrittenAgainUnderItsIdIsNotServedFromTheOldBytes() throws IOException {
        CachingBackend backend = new CachingBackend(store, new VivaceConfig.Cache(null, null, null, null), metrics);
        lookUpAndScan(backend);
        List<TraceRecord> others = new TraceGenerator(12).traces(50);
        meta = new BlockWriter(BlockConfig.DEFAULT, dir.resolve("scratch")).write(backend, "t1", meta.blockId(), 0, others.iterator());
        traces = others;

        lookUpAndScan(backend); // would fail on stale footer, page or bloom bytes
    }

    @Test
    void bloomShardsAreWrittenThrough() throws IOException {
        CachingBackend backend = new CachingBackend(store, new VivaceConfig.Cache(null, null, null, null), metrics);
        meta = new BlockWriter(BlockConfig.DEFAULT.withBloom(0.01, 128), dir.resolve("scratch"))
                .write(backend, "t1", UUID.randomUUID(), 0, traces.iterator());
        int before = store.wholeReads.get();

        lookUpAndScan(backend);

        assertEquals(before, store.wholeReads.get(), "bloom shards read back from the store");
        assertEquals(meta.bloomShards(), gets(CachingBackend.BLOOM, "hit"));
    }

    private double gets(String cache, String result) {
        FunctionCounter counter = metrics.find("cache.gets").tag("cache", cache).tag("result", result).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private double weight(String cache) {
        return metrics.get("cache.size.bytes").tag("cache", cache).gauge().value();
    }

    private double evictions(String cache) {
        FunctionCounter counter = metrics.find("cache.evictions").tag("cache", cache).functionCounter();
        return counter == null ? 0 : counter.count();
    }
}
