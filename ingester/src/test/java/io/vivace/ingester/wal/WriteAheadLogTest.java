package io.vivace.ingester.wal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.ingest.IngestBatch;
import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import io.vivace.ingester.wal.WalTestSupport.Replayed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.vivace.ingester.wal.WalTestSupport.SMALL_SEGMENTS;
import static io.vivace.ingester.wal.WalTestSupport.payload;
import static io.vivace.ingester.wal.WalTestSupport.reopenAndReplay;
import static io.vivace.ingester.wal.WalTestSupport.replay;
import static io.vivace.ingester.wal.WalTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    @Test
    void deletingAllSegmentsIsRefusedWhileOpenAndLeavesNothingToReplayAfterClose() throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS);
        for (int i = 0; i < 20; i++) {
            wal.append(payload(0, i, 500)).join();
        }
        assertThrows(IllegalStateException.class, wal::deleteAllSegmentsAfterClose);
        wal.close();
        wal.deleteAllSegmentsAfterClose();
        assertEquals(List.of(), segmentFiles(dir));
        assertEquals(List.of(), reopenAndReplay(dir, SMALL_SEGMENTS));
    }

    @Test
    void replaysEveryRecordInOrderAcrossRotatedSegments() throws Exception {
        List<byte[]> written = new ArrayList<>();
        List<Long> segments = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            assertEquals(1, wal.currentSegment());
            for (int i = 0; i < 100; i++) {
                byte[] payload = payload(0, i, 10 + (i * 37) % 900);
                written.add(payload);
                segments.add(wal.append(payload).join());
            }
            assertTrue(wal.currentSegment() > 5, "4 KiB segments must have rotated, at " + wal.currentSegment());
        }
        for (Path file : segmentFiles(dir)) {
            assertTrue(Files.size(file) <= SMALL_SEGMENTS.segmentBytes(), file + " is " + Files.size(file) + " bytes");
        }

        List<Replayed> replayed = reopenAndReplay(dir, SMALL_SEGMENTS);

        assertEquals(written.size(), replayed.size());
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(written.get(i), replayed.get(i).payload(), "record " + i);
            assertEquals(segments.get(i), replayed.get(i).segment(), "segment of record " + i);
        }
    }

    @Test
    void storesAnEncodedIngestBatch() {
        IngestBatch batch = new IngestBatch("acme", List.of(
                new TraceFragment(new TraceId(7, 8), new byte[]{10, 20, 30}, 2, 1000, 2000)), 2, 3);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalConfig.defaults())) {
            wal.append(IngestBatchCodec.encode(batch)).join();
        }

        List<Replayed> replayed = reopenAndReplay(dir, WalConfig.defaults());

        assertEquals(1, replayed.size());
        IngestBatchCodecTest.assertSameBatch(batch, IngestBatchCodec.decode(replayed.getFirst().payload()));
    }

    @Test
    void aRecordAppendedInPartsReplaysAsTheirConcatenationAcrossTheStagingBuffer() {
        // Parts larger than the staging buffer and empty parts, in a record next to whole-array records.
        byte[] big = payload(1, 1, SegmentWriter.STAGING_BYTES + 1000);
        byte[][] parts = {payload(1, 0, 10), new byte[0], big, payload(1, 2, 3)};
        byte[] joined = new byte[10 + big.length + 8];
        System.arraycopy(parts[0], 0, joined, 0, 10);
        System.arraycopy(big, 0, joined, 10, big.length);
        System.arraycopy(parts[3], 0, joined, 10 + big.length, 8);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalConfig.defaults())) {
            wal.append(payload(0, 0, 100)).join();
            wal.appendParts(parts).join();
            wal.append(payload(0, 1, 100)).join();
        }

        List<Replayed> replayed = reopenAndReplay(dir, WalConfig.defaults());

        assertEquals(3, replayed.size());
        assertArrayEquals(payload(0, 0, 100), replayed.get(0).payload());
        assertArrayEquals(joined, replayed.get(1).payload());
        assertArrayEquals(payload(0, 1, 100), replayed.get(2).payload());
    }

    @Test
    void storesAnIngestBatchAppendedInParts() {
        IngestBatch batch = new IngestBatch("acme", List.of(
                new TraceFragment(new TraceId(7, 8), new byte[]{10, 20, 30}, 2, 1000, 2000),
                new TraceFragment(new TraceId(9, 10), new byte[]{40}, 1, 3000, 4000)), 3, 4);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalConfig.defaults())) {
            wal.appendParts(IngestBatchCodec.encodeParts(batch)).join();
        }

        List<Replayed> replayed = reopenAndReplay(dir, WalConfig.defaults());

        assertEquals(1, replayed.size());
        IngestBatchCodecTest.assertSameBatch(batch, IngestBatchCodec.decode(replayed.getFirst().payload()));
    }

    @Test
    void aRecordLargerThanASegmentGetsASegmentOfItsOwn() {
        byte[] big = payload(0, 1, 10_000);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            assertEquals(1, wal.append(payload(0, 0, 100)).join());
            assertEquals(2, wal.append(big).join());
            assertEquals(3, wal.append(payload(0, 2, 100)).join());
        }

        List<Replayed> replayed = reopenAndReplay(dir, SMALL_SEGMENTS);

        assertEquals(List.of(0, 1, 2), replayed.stream().map(Replayed::sequence).toList());
        assertArrayEquals(big, replayed.get(1).payload());
    }

    @Test
    void concurrentAppendsAreAllReplayedOnceInEachWritersOrder() throws Exception {
        int writers = 8;
        int perWriter = 400;
        WalConfig config = new WalConfig(64 * 1024, FsyncPolicy.ALWAYS, Duration.ofSeconds(1));
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, config)) {
            List<Future<List<CompletableFuture<Long>>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Long>> futures = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        futures.add(wal.append(payload(writer, i, 64 + i % 200)));
                        if (i % 50 == 0) {
                            futures.getLast().join(); // mix waiting callers with fire-and-forget ones
                        }
                    }
                    return futures;
                }));
            }
            start.countDown();
            for (var result : results) {
                result.get().forEach(CompletableFuture::join);
            }
        } finally {
            pool.shutdownNow();
        }

        List<Replayed> replayed = reopenAndReplay(dir, config);

        assertEquals(writers * perWriter, replayed.size());
        Map<Integer, Integer> nextSequence = new HashMap<>();
        for (Replayed record : replayed) {
            int expected = nextSequence.getOrDefault(record.writer(), 0);
            assertEquals(expected, record.sequence(), "writer " + record.writer() + " out of order");
            assertArrayEquals(payload(record.writer(), record.sequence(), 64 + expected % 200), record.payload());
            nextSequence.put(record.writer(), expected + 1);
        }
        for (int w = 0; w < writers; w++) {
            assertEquals(perWriter, nextSequence.get(w));
        }
    }

    @Test
    void appendsAfterReplayGoToANewSegment() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            wal.append(payload(0, 0, 100)).join();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            assertEquals(1, replay(wal).size());
            assertEquals(2, wal.currentSegment());
            assertEquals(2, wal.append(payload(0, 1, 100)).join());
        }

        List<Replayed> replayed = reopenAndReplay(dir, SMALL_SEGMENTS);

        assertEquals(List.of(1L, 2L), replayed.stream().map(Replayed::segment).toList());
    }

    @Test
    void replayIgnoresRecordsAppendedInThisSession() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            wal.append(payload(0, 0, 100)).join();
            assertEquals(List.of(), replay(wal));
        }
    }

    @Test
    void deletesOnlyWholeSegmentsBeforeTheGivenOneAndNeverTheCurrent() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(i + 1, wal.append(payload(0, i, 3000)).join()); // one record per segment
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), SegmentFiles.list(dir));

            wal.deleteSegmentsBefore(3);
            assertEquals(List.of(3L, 4L, 5L), SegmentFiles.list(dir));

            wal.deleteSegmentsBefore(Long.MAX_VALUE);
            assertEquals(List.of(5L), SegmentFiles.list(dir));
            assertEquals(6, wal.append(payload(0, 5, 3000)).join());
        }

        List<Replayed> replayed = reopenAndReplay(dir, SMALL_SEGMENTS);

        assertEquals(List.of(4, 5), replayed.stream().map(Replayed::sequence).toList());
    }

    @Test
    void closeWritesAndCompletesEverythingQueued() {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS.withFsync(FsyncPolicy.NEVER));
        for (int i = 0; i < 2000; i++) {
            futures.add(wal.append(payload(0, i, 100)));
        }
        wal.close();

        for (CompletableFuture<Long> future : futures) {
            assertTrue(future.isDone() && !future.isCompletedExceptionally());
        }
        assertEquals(2000, reopenAndReplay(dir, SMALL_SEGMENTS).size());
    }

    @Test
    void appendAfterCloseFails() {
        WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS);
        wal.close();
        wal.close(); // idempotent

        var e = assertThrows(CompletionException.class, () -> wal.append(new byte[]{1}).join());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }

    @Test
    void aDirectoryIsUsedByOneLogAtATime() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            var e = assertThrows(IllegalStateException.class, () -> WriteAheadLog.open(dir, SMALL_SEGMENTS));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        WriteAheadLog.open(dir, SMALL_SEGMENTS).close(); // released by close
    }

    @Test
    void emptyPayloadsRoundTrip() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            wal.append(new byte[0]).join();
        }

        List<Replayed> replayed = reopenAndReplay(dir, SMALL_SEGMENTS);

        assertEquals(1, replayed.size());
        assertEquals(0, replayed.getFirst().payload().length);
    }

    @Test
    void reportsBytesGroupsAndFsyncs() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL_SEGMENTS, registry)) {
            wal.append(new byte[100]).join();
            wal.append(new byte[50]).join();
        }

        assertEquals(150.0, registry.get("vivace.wal.appended").counter().count());
        assertEquals(2, registry.get("vivace.wal.group.records").summary().count());
        assertTrue(registry.get("vivace.wal.fsync").timer().count() >= 2);
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThrows(IllegalArgumentException.class,
                () -> new WalConfig(100, FsyncPolicy.ALWAYS, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new WalConfig(1 << 20, FsyncPolicy.INTERVAL, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new WalConfig(1 << 20, null, Duration.ofSeconds(1)));
        assertEquals(128L << 20, WalConfig.defaults().segmentBytes());
        assertEquals(FsyncPolicy.ALWAYS, WalConfig.defaults().fsync());
    }
}
