package io.vivace.common.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Backend} must show, run against each implementation by a subclass. Each test
 * starts from empty storage.
 */
abstract class BackendConformanceTest {

    /** The multipart part size subclasses configure, where the backend has one. */
    static final long PART_SIZE = 5L << 20;

    @TempDir
    Path tempDir;
    Backend backend;

    /** A backend over new, empty storage; {@code folder} is an empty folder it may use. */
    abstract Backend openEmptyBackend(Path folder) throws Exception;

    /** Checks that {@code key} went up in {@code parts} parts; backends without multipart have nothing to check. */
    void assertUploadedInParts(String key, int parts) throws Exception {
    }

    @BeforeEach
    void openBackend() throws Exception {
        backend = openEmptyBackend(Files.createDirectory(tempDir.resolve("store")));
    }

    @AfterEach
    void closeBackend() throws Exception {
        backend.close();
    }

    @Test
    void writtenObjectReadsBackUnchanged() throws Exception {
        byte[] data = randomBytes(1000, 1);
        backend.write("t1/b1/data", data);
        backend.write("t1/b1/empty", new byte[0]);

        assertArrayEquals(data, backend.read("t1/b1/data"));
        assertArrayEquals(new byte[0], backend.read("t1/b1/empty"));
        assertEquals(0, backend.size("t1/b1/empty"));
    }

    @Test
    void overwriteReplacesTheWholeObject() throws Exception {
        backend.write("t1/b1/meta.json", randomBytes(5000, 1));
        byte[] shorter = randomBytes(10, 2);
        backend.write("t1/b1/meta.json", shorter);

        assertArrayEquals(shorter, backend.read("t1/b1/meta.json"));
        assertEquals(10, backend.size("t1/b1/meta.json"));
    }

    @Test
    void rangedReadsReturnExactlyTheRequestedBytes() throws Exception {
        byte[] data = randomBytes(1000, 3);
        backend.write("t1/b1/data.parquet", data);

        assertArrayEquals(Arrays.copyOfRange(data, 0, 8), backend.readRange("t1/b1/data.parquet", 0, 8), "start");
        assertArrayEquals(Arrays.copyOfRange(data, 495, 505), backend.readRange("t1/b1/data.parquet", 495, 10), "middle");
        assertArrayEquals(Arrays.copyOfRange(data, 992, 1000), backend.readRange("t1/b1/data.parquet", 992, 8), "end");
        assertArrayEquals(data, backend.readRange("t1/b1/data.parquet", 0, 1000), "whole");
        assertArrayEquals(new byte[0], backend.readRange("t1/b1/data.parquet", 500, 0), "empty inside");
        assertArrayEquals(new byte[0], backend.readRange("t1/b1/data.parquet", 1000, 0), "empty at the end");
    }

    @Test
    void rangesPastTheEndAreRefusedNotShortened() throws Exception {
        backend.write("t1/b1/data.parquet", randomBytes(1000, 4));

        assertThrows(InvalidRangeException.class, () -> backend.readRange("t1/b1/data.parquet", 995, 10), "ends past the end");
        assertThrows(InvalidRangeException.class, () -> backend.readRange("t1/b1/data.parquet", 1000, 1), "starts at the end");
        assertThrows(InvalidRangeException.class, () -> backend.readRange("t1/b1/data.parquet", 5000, 10), "starts past the end");
        assertThrows(InvalidRangeException.class, () -> backend.readRange("t1/b1/data.parquet", 1001, 0), "empty past the end");
        assertThrows(IllegalArgumentException.class, () -> backend.readRange("t1/b1/data.parquet", -1, 10));
        assertThrows(IllegalArgumentException.class, () -> backend.readRange("t1/b1/data.parquet", 0, -1));
    }

    @Test
    void sizeAndExistsDescribeObjectsOnly() throws Exception {
        backend.write("t1/b1/bloom-0", randomBytes(1234, 5));

        assertEquals(1234, backend.size("t1/b1/bloom-0"));
        assertTrue(backend.exists("t1/b1/bloom-0"));
        assertFalse(backend.exists("t1/b1/bloom-1"));
        assertFalse(backend.exists("t1/b1"), "a folder is not an object");
    }

    @Test
    void missingObjectIsObjectNotFound() {
        assertThrows(ObjectNotFoundException.class, () -> backend.read("t1/b1/meta.json"));
        assertThrows(ObjectNotFoundException.class, () -> backend.readRange("t1/b1/meta.json", 0, 1));
        assertThrows(ObjectNotFoundException.class, () -> backend.readRange("t1/b1/meta.json", 10, 0));
        assertThrows(ObjectNotFoundException.class, () -> backend.size("t1/b1/meta.json"));
    }

    @Test
    void listGivesEveryKeyWithThePrefixInOrder() throws Exception {
        List<String> keys = new ArrayList<>(List.of("t1/b2/meta.json", "t1/b1/data.parquet", "t1/b1/meta.json",
                "t10/b1/meta.json", "t2/b1/x", "t1/b1/bloom-0", "t1/b1/bloom-1"));
        Collections.shuffle(keys, new Random(6));
        for (String key : keys) {
            backend.write(key, key.getBytes());
        }

        assertEquals(List.of("t1/b1/bloom-0", "t1/b1/bloom-1", "t1/b1/data.parquet", "t1/b1/meta.json", "t1/b2/meta.json"),
                backend.list("t1/"));
        assertEquals(List.of("t1/b1/bloom-0", "t1/b1/bloom-1", "t1/b1/data.parquet", "t1/b1/meta.json", "t1/b2/meta.json",
                "t10/b1/meta.json"), backend.list("t1"), "a plain string prefix");
        assertEquals(List.of("t1/b1/bloom-0", "t1/b1/bloom-1"), backend.list("t1/b1/bloom-"));
        assertEquals(keys.stream().sorted().toList(), backend.list(""));
        assertEquals(List.of(), backend.list("t3/"));
    }

    @Test
    void childrenGivesTheNextPathSegments() throws Exception {
        for (String key : List.of("t1/b1/data.parquet", "t1/b1/meta.json", "t1/b2/meta.json", "t1/index.json.gz",
                "t10/b1/meta.json", "t2/b1/meta.json", "t2/b3/meta.json")) {
            backend.write(key, key.getBytes());
        }

        assertEquals(List.of("t1", "t10", "t2"), backend.children(""));
        assertEquals(List.of("b1", "b2", "index.json.gz"), backend.children("t1/"), "folders and objects");
        assertEquals(List.of("b1", "b2", "index.json.gz"), backend.children("t1"), "trailing '/' implied");
        assertEquals(List.of("data.parquet", "meta.json"), backend.children("t1/b1/"));
        assertEquals(List.of(), backend.children("t3/"));
    }

    @Test
    void deleteRemovesTheObjectAndMissingIsNotAnError() throws Exception {
        backend.write("t1/b1/meta.json", new byte[] {1});
        backend.write("t2/b1/meta.json", new byte[] {2});

        backend.delete("t1/b1/meta.json");
        backend.delete("t1/b1/meta.json");
        backend.delete("t3/never/written");

        assertFalse(backend.exists("t1/b1/meta.json"));
        assertThrows(ObjectNotFoundException.class, () -> backend.read("t1/b1/meta.json"));
        assertEquals(List.of("t2/b1/meta.json"), backend.list(""));
        assertEquals(List.of("t2"), backend.children(""), "nothing is left of t1");
    }

    @Test
    void invalidKeysAreRefused() {
        for (String key : List.of("", "/t1/b1", "t1/b1/", "t1//b1", "t1/../b1", "./t1", "t1/..", "t1\\b1")) {
            assertThrows(IllegalArgumentException.class, () -> backend.write(key, new byte[1]), key);
            assertThrows(IllegalArgumentException.class, () -> backend.read(key), key);
        }
    }

    @Test
    void tenantLikePrefixesKeepTenantsApart() throws Exception {
        List<String> tenants = List.of("single-tenant", "team.a", "org_(1)", "o'neil*!", "a..b", ".dot", "t", "t-2", "T");
        String block = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        for (String tenant : tenants) {
            backend.write(tenant + "/" + block + "/meta.json", tenant.getBytes());
            backend.write(tenant + "/index.json.gz", tenant.getBytes());
        }

        assertEquals(tenants.stream().sorted().toList(), backend.children(""));
        for (String tenant : tenants) {
            assertEquals(List.of(tenant + "/" + block + "/meta.json", tenant + "/index.json.gz"), backend.list(tenant + "/"), tenant);
            assertEquals(List.of(block, "index.json.gz"), backend.children(tenant + "/"), tenant);
            assertArrayEquals(tenant.getBytes(), backend.read(tenant + "/" + block + "/meta.json"), tenant);
        }
    }

    @Test
    void concurrentWritersToDistinctKeysAllLand() throws Exception {
        int writers = 4;
        int perWriter = 10;
        runConcurrently(writers, w -> {
            for (int i = 0; i < perWriter; i++) {
                backend.write("tenant-" + w + "/block/obj-" + i, randomBytes(2000, w * 100 + i));
            }
        });

        assertEquals(writers * perWriter, backend.list("").size());
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                assertArrayEquals(randomBytes(2000, w * 100 + i), backend.read("tenant-" + w + "/block/obj-" + i));
            }
        }
    }

    @Test
    void concurrentWritersToOneKeyNeverLeaveATornObject() throws Exception {
        int writers = 4;
        int writesEach = 6;
        int readers = 2;
        int size = 256 << 10;
        String key = "t1/b1/meta.json";
        Set<Byte> written = ConcurrentHashMap.newKeySet();
        CountDownLatch writersLeft = new CountDownLatch(writers);

        runConcurrently(writers + readers, task -> {
            if (task < writers) {
                try {
                    for (int i = 0; i < writesEach; i++) {
                        byte fill = (byte) (task * writesEach + i + 1);
                        byte[] data = new byte[size];
                        Arrays.fill(data, fill);
                        written.add(fill);
                        backend.write(key, data);
                    }
                } finally {
                    writersLeft.countDown();
                }
            } else {
                while (writersLeft.getCount() > 0) {
                    try {
                        assertWholeObjectOfOneWriter(backend.read(key), size, written);
                    } catch (ObjectNotFoundException e) {
                        // no writer has finished yet
                    }
                }
            }
        });

        assertWholeObjectOfOneWriter(backend.read(key), size, written);
        assertEquals(List.of(key), backend.list(""), "no leftovers of the other writes");
    }

    private static void assertWholeObjectOfOneWriter(byte[] seen, int size, Set<Byte> written) {
        assertEquals(size, seen.length, "a whole object");
        assertTrue(written.contains(seen[0]), "one writer's data");
        for (byte b : seen) {
            if (b != seen[0]) {
                throw new AssertionError("torn object: bytes of writes " + seen[0] + " and " + b);
            }
        }
    }

    @Test
    void writesAndDeletesInOneFolderDoNotInterfere() throws Exception {
        int threads = 4;
        int rounds = 25;
        runConcurrently(threads, t -> {
            for (int i = 0; i < rounds; i++) {
                String key = "t1/b1/obj-" + t + "-" + i;
                backend.write(key, new byte[] {(byte) i});
                assertArrayEquals(new byte[] {(byte) i}, backend.read(key));
                backend.delete(key);
            }
        });

        assertEquals(List.of(), backend.list(""));
    }

    @Test
    void largeFileGoesUpInPartsAndReadsBack() throws Exception {
        int size = 12 << 20;
        byte[] data = randomBytes(size, 7);
        Path file = tempDir.resolve("data.parquet");
        Files.write(file, data);

        backend.writeFile("t1/b1/data.parquet", file);

        assertEquals(size, backend.size("t1/b1/data.parquet"));
        assertArrayEquals(data, backend.read("t1/b1/data.parquet"));
        int boundary = (int) PART_SIZE;
        assertArrayEquals(Arrays.copyOfRange(data, boundary - 100, boundary + 100),
                backend.readRange("t1/b1/data.parquet", boundary - 100, 200), "across the first part boundary");
        assertArrayEquals(Arrays.copyOfRange(data, size - 100, size), backend.readRange("t1/b1/data.parquet", size - 100, 100));
        assertUploadedInParts("t1/b1/data.parquet", 3);
    }

    @Test
    void smallFileIsWrittenWhole() throws Exception {
        byte[] data = randomBytes(4096, 8);
        Path file = tempDir.resolve("bloom-0");
        Files.write(file, data);

        backend.writeFile("t1/b1/bloom-0", file);
        backend.writeFile("t1/b1/bloom-0", file);

        assertArrayEquals(data, backend.read("t1/b1/bloom-0"));
        assertEquals(List.of("t1/b1/bloom-0"), backend.list(""));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    interface Task {
        void run(int index) throws Exception;
    }

    /** Runs {@code count} copies of {@code task} on their own threads, released together; rethrows the first failure. */
    static void runConcurrently(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    start.await();
                    task.run(index);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
