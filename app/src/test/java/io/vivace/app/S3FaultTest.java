package io.vivace.app;

import static io.vivace.app.S3Bucket.assertEveryTraceById;
import static io.vivace.app.S3EndToEndTest.BASE;
import static io.vivace.app.S3EndToEndTest.checkAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.common.storage.FaultyBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 server fails while a block is flushed or compacted: no acknowledged span is lost, no half-written block
 * becomes visible, and the work completes once the server is back. Faults are switched in the server's store
 * ({@link FaultyBlobStore}), so every request after the switch fails and every request after healing works; or the
 * server is stopped (connections refused) and started again on the same port.
 */
class S3FaultTest extends S3BucketTest {

    @Test
    void flushFailingBeforeMetaKeepsEverythingReadableHidesTheBlockAndCompletesWhenHealed() throws Exception {
        try (VivaceServer server = VivaceServer.start(bucket.serverConfig(dir, ""))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            Map<String, List<ResourceSpans>> sent = send(server, 0, 4);
            s3.faults().failWrites(key -> key.endsWith("/meta.json"));
            int refusedBefore = s3.faults().refused();

            CompletableFuture<Void> flushing = CompletableFuture.runAsync(() -> flushQuietly(server));
            await(() -> s3.faults().refused() > refusedBefore, "the meta.json upload was refused");

            assertFalse(flushing.isDone(), "the flush keeps retrying");
            assertEquals(List.of(), bucket.keys("/meta.json"), "no block is visible");
            assertTrue(walSegments() > 0, "the WAL keeps the data");
            checkAll(query, sent); // served by the ingester's block waiting to be flushed

            s3.faults().heal();
            flushing.join();
            S3Bucket.flush(server);

            assertEquals(1, bucket.count("/meta.json"));
            assertEquals(1, bucket.count("/data.parquet"), "the retry wrote the same block, nothing beside it");
            checkAll(query, sent); // now from the bucket
        }
    }

    @Test
    void serverDownDuringFlushAndShutdownLosesNothing() throws Exception {
        Map<String, List<ResourceSpans>> sent;
        VivaceServer server = VivaceServer.start(bucket.serverConfig(dir, ""));
        try {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            sent = send(server, 0, 5);
            s3.faults().goDown();
            int refusedBefore = s3.faults().refused();

            CompletableFuture<Void> flushing = CompletableFuture.runAsync(() -> flushQuietly(server));
            await(() -> s3.faults().refused() > refusedBefore, "the upload was refused");
            assertFalse(flushing.isDone());
            assertEveryTraceById(query, sent);
        } finally {
            server.close(); // the store is still down: the flush at shutdown fails, the WAL stays
        }
        assertTrue(walSegments() > 0, "the WAL keeps the data");
        s3.faults().heal();
        assertEquals(List.of(), bucket.keys("/meta.json"));

        try (VivaceServer restarted = VivaceServer.start(bucket.serverConfig(dir, ""))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + restarted.queryPort());
            checkAll(query, sent); // replayed from the WAL
            S3Bucket.flush(restarted);
            assertEquals(1, bucket.count("/meta.json"));
            checkAll(query, sent); // from the bucket
        }
    }

    @Test
    void compactionFailingMidwayChangesNothingVisibleAndSucceedsNextCycle() throws Exception {
        try (VivaceServer server = VivaceServer.start(bucket.serverConfig(dir, ""))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            send(server, 0, 3);
            S3Bucket.flush(server);
            Map<String, List<ResourceSpans>> sent = send(server, 3, 3);
            S3Bucket.flush(server);
            assertEquals(2, bucket.count("/meta.json"));

            // The output's data.parquet is uploaded, its bloom filter is refused.
            s3.faults().failWrites(key -> key.contains("/bloom-"));
            assertThrows(IOException.class, server::compactAndPoll);
            assertEquals(2, bucket.count("/meta.json"), "no output block, inputs still live");
            assertEquals(List.of(), bucket.keys("/meta.compacted.json"));
            assertEquals(2, bucket.count("/data.parquet"), "the partial output was deleted");
            checkAll(query, sent);

            // The server is down for a whole cycle.
            s3.faults().goDown();
            assertThrows(IOException.class, server::compactAndPoll);
            s3.faults().heal();
            checkAll(query, sent);

            server.compactAndPoll();
            assertEquals(1, bucket.count("/meta.json"));
            assertEquals(2, bucket.count("/meta.compacted.json"));
            checkAll(query, sent);
        }
    }

    @Test
    void serverStoppedDuringFlushAndCompactionLosesNothingAndWorkResumesWhenItIsBack() throws Exception {
        try (VivaceServer server = VivaceServer.start(bucket.serverConfig(dir, ""))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            send(server, 0, 3);
            s3.stop();
            try {
                CompletableFuture<Void> flushing = CompletableFuture.runAsync(() -> flushQuietly(server));
                await(() -> flushFailures(query) > 0, "a flush attempt failed");
                assertFalse(flushing.isDone(), "the flush keeps retrying");
                Map<String, List<ResourceSpans>> sent = send(server, 3, 2); // ingest goes on meanwhile
                checkAll(query, sent);
                s3.start();
                flushing.join();
            } finally {
                s3.start(); // a no-op when already started; keeps the server up for the other tests after a failure
            }
            S3Bucket.flush(server); // the traces sent while the server was stopped
            Map<String, List<ResourceSpans>> sent = send(server, 5, 2);
            S3Bucket.flush(server);
            assertEquals(3, bucket.count("/meta.json"), "one block per flush, nothing half-written beside them");
            assertEquals(3, bucket.count("/data.parquet"));
            checkAll(query, sent);

            s3.stop();
            try {
                assertThrows(IOException.class, server::compactAndPoll);
            } finally {
                s3.start();
            }
            assertEquals(3, bucket.count("/meta.json"), "the failed cycle changed nothing");
            assertEquals(List.of(), bucket.keys("/meta.compacted.json"));
            server.compactAndPoll();
            assertEquals(1, bucket.count("/meta.json"));
            assertEquals(3, bucket.count("/meta.compacted.json"));
            checkAll(query, sent);
        }
    }

    private static double flushFailures(WebClient query) {
        String metrics = query.get("/metrics").aggregate().join().contentUtf8();
        return metrics.lines()
                .filter(line -> line.startsWith("vivace_ingester_block_flush_failures_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Acknowledged traces {@code first..first+count-1} (two spans each), all sent so far in this test. */
    private Map<String, List<ResourceSpans>> send(VivaceServer server, int first, int count) throws Exception {
        if (traffic == null) {
            traffic = new SdkTraffic(server.otlpGrpcPort(), "payments", BASE);
        }
        for (int t = first; t < first + count; t++) {
            traffic.trace(t, 1);
        }
        return traffic.acknowledged();
    }

    private SdkTraffic traffic;

    @AfterEach
    void closeTraffic() {
        if (traffic != null) {
            traffic.close();
        }
    }

    private long walSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("wal").resolve("segments"))) {
            return files.count();
        }
    }

    private static void flushQuietly(VivaceServer server) {
        try {
            server.flushAndPoll();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for a condition the test caused; fails after a generous bound so a broken build cannot hang. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }
}
