package io.vivace.ingester.wal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.vivace.ingester.wal.WalTestSupport.payload;
import static io.vivace.ingester.wal.WalTestSupport.reopenAndReplay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When appends complete relative to fsync, observed through the {@link FileSyncer} seam. */
class WalFsyncTest {

    private static final Duration ONE_HOUR = Duration.ofHours(1);
    /** Bounds how long a broken test can hang; never a synchronisation device. */
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path dir;

    private final GatedSyncer syncer = new GatedSyncer();

    @Test
    void alwaysCompletesAnAppendOnlyAfterTheFsyncThatCoversIt() throws Exception {
        syncer.close();
        try (WriteAheadLog wal = open(FsyncPolicy.ALWAYS, ONE_HOUR)) {
            CompletableFuture<Long> first = wal.append(payload(0, 0, 100));
            CompletableFuture<Void> recorded = first.thenRun(() -> syncer.events.add("completed"));

            syncer.awaitEntered();
            assertFalse(first.isDone(), "written but not yet forced: must not be acknowledged");

            syncer.open();
            recorded.get(TIMEOUT_SECONDS, TimeUnit.SECONDS); // not first: its waiters may wake before this callback
            assertEquals(List.of("sync started", "sync finished", "completed"), List.copyOf(syncer.events));
        }
    }

    @Test
    void alwaysCommitsEverythingQueuedDuringAnFsyncWithOneMoreFsync() throws Exception {
        syncer.close();
        try (WriteAheadLog wal = open(FsyncPolicy.ALWAYS, ONE_HOUR)) {
            CompletableFuture<Long> first = wal.append(payload(0, 0, 100));
            syncer.awaitEntered();

            List<CompletableFuture<Long>> queued = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                queued.add(wal.append(payload(0, i, 100)));
            }
            assertTrue(queued.stream().noneMatch(CompletableFuture::isDone));

            syncer.open();
            first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(2, syncer.calls.get(), "one fsync for the first record, one for the 50 queued behind it");
        }
    }

    @Test
    void neverCompletesWithoutFsyncButClosingForces() throws Exception {
        WriteAheadLog wal = open(FsyncPolicy.NEVER, ONE_HOUR);
        for (int i = 0; i < 100; i++) {
            wal.append(payload(0, i, 100)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        assertEquals(0, syncer.calls.get());

        wal.close();

        assertEquals(1, syncer.calls.get());
        assertEquals(100, reopenAndReplay(dir, WalConfig.defaults()).size());
    }

    @Test
    void intervalCompletesWithoutWaitingForTheFsync() throws Exception {
        WriteAheadLog wal = open(FsyncPolicy.INTERVAL, ONE_HOUR);
        for (int i = 0; i < 100; i++) {
            wal.append(payload(0, i, 100)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        assertEquals(0, syncer.calls.get(), "the hour has not passed");

        wal.close();

        assertEquals(1, syncer.calls.get());
    }

    @Test
    void intervalForcesInTheBackground() throws Exception {
        try (WriteAheadLog wal = open(FsyncPolicy.INTERVAL, Duration.ofMillis(5))) {
            wal.append(payload(0, 0, 100)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            assertTrue(syncer.entered.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS), "no background fsync happened");
        }
    }

    @Test
    void aFailedFsyncFailsItsAppendsAndTheLogRefusesMore() throws Exception {
        IOException diskError = new IOException("disk on fire");
        syncer.failure = diskError;
        WriteAheadLog wal = open(FsyncPolicy.ALWAYS, ONE_HOUR);

        var failed = assertThrows(CompletionException.class, () -> wal.append(payload(0, 0, 100)).join());
        assertInstanceOf(UncheckedIOException.class, failed.getCause());
        assertSame(diskError, failed.getCause().getCause());

        var refused = assertThrows(CompletionException.class, () -> wal.append(payload(0, 1, 100)).join());
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("disk on fire"), refused.getCause().getMessage());

        wal.close(); // returns although the writer is gone
    }

    private WriteAheadLog open(FsyncPolicy policy, Duration interval) {
        return WriteAheadLog.open(dir, new WalConfig(WalConfig.DEFAULT_SEGMENT_BYTES, policy, interval),
                new SimpleMeterRegistry(), syncer);
    }

    /** Counts fsyncs, can hold them at a gate, and can fail them. */
    private static final class GatedSyncer implements FileSyncer {
        final AtomicInteger calls = new AtomicInteger();
        final Semaphore entered = new Semaphore(0);
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        private volatile CountDownLatch gate = new CountDownLatch(0);
        volatile IOException failure;

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the writer never started an fsync");
        }

        @Override
        public void sync(FileChannel channel) throws IOException {
            calls.incrementAndGet();
            events.add("sync started");
            entered.release();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (failure != null) {
                throw failure;
            }
            channel.force(false);
            events.add("sync finished");
        }
    }
}
