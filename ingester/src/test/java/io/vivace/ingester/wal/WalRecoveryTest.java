package io.vivace.ingester.wal;

import io.vivace.ingester.wal.WalTestSupport.Replayed;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static io.vivace.ingester.wal.WalTestSupport.SMALL_SEGMENTS;
import static io.vivace.ingester.wal.WalTestSupport.flipByte;
import static io.vivace.ingester.wal.WalTestSupport.frameBytes;
import static io.vivace.ingester.wal.WalTestSupport.payload;
import static io.vivace.ingester.wal.WalTestSupport.reopenAndReplay;
import static io.vivace.ingester.wal.WalTestSupport.replay;
import static io.vivace.ingester.wal.WalTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What replay does with the damage a crash, a power loss or a bad disk leaves behind. */
class WalRecoveryTest {

    /** NEVER keeps the many reopen cycles fast; replay does not depend on the policy. */
    private static final WalConfig CONFIG = SMALL_SEGMENTS.withFsync(FsyncPolicy.NEVER);

    @TempDir
    Path root;

    private final List<byte[]> written = new ArrayList<>();
    private final List<Long> writtenSegments = new ArrayList<>();

    @BeforeEach
    void writeThreeSegments() {
        Path template = root.resolve("template");
        Random random = new Random(1234);
        try (WriteAheadLog wal = WriteAheadLog.open(template, CONFIG)) {
            for (int i = 0; i < 45; i++) {
                byte[] payload = payload(0, i, 100 + random.nextInt(400));
                written.add(payload);
                writtenSegments.add(wal.append(payload).join());
            }
        }
        assertTrue(writtenSegments.getLast() >= 3, "expected at least three segments");
    }

    @Test
    void aTailCutAtAnyByteKeepsEveryEarlierRecordAndLaterAppendsWork() throws IOException {
        long last = writtenSegments.getLast();
        List<Long> boundaries = recordEndsIn(last);
        long fileBytes = boundaries.getLast();
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, 1L, 7L, 8L, 9L, fileBytes - 1));
        for (long end : boundaries) {
            cuts.add(end - 1);
            cuts.add(end + 1);
        }
        Random random = new Random(99);
        for (int i = 0; i < 40; i++) {
            cuts.add(random.nextLong(fileBytes));
        }
        cuts.removeIf(cut -> cut < 0 || cut >= fileBytes);

        for (long cut : cuts) {
            Path dir = copyOfTemplate("cut-" + cut);
            Path tail = SegmentFiles.path(dir, last);
            try (FileChannel channel = FileChannel.open(tail, StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            long intactInTail = boundaries.stream().skip(1).filter(end -> end <= cut).count();
            int expected = recordsBefore(last) + (int) intactInTail;

            try (WriteAheadLog wal = WriteAheadLog.open(dir, CONFIG)) {
                assertPrefixReplayed(replay(wal), expected, "cut at " + cut);
                long keptBytes = cut < SegmentFiles.HEADER_BYTES ? 0 : boundaries.get((int) intactInTail);
                assertEquals(keptBytes, Files.size(tail), "tail truncated to the last intact record, cut at " + cut);
                wal.append(payload(1, 0, 50)).join();
            }

            List<Replayed> again = reopenAndReplay(dir, CONFIG);
            assertPrefixReplayed(again.subList(0, expected), expected, "second replay, cut at " + cut);
            assertEquals(expected + 1, again.size());
            assertEquals(1, again.getLast().writer());
        }
    }

    @Test
    void aFlippedByteAnywhereInTheLastRecordDropsOnlyThatRecord() throws IOException {
        long last = writtenSegments.getLast();
        List<Long> boundaries = recordEndsIn(last);
        long lastRecordStart = boundaries.get(boundaries.size() - 2);
        long lastRecordEnd = boundaries.getLast();
        TreeSet<Long> offsets = new TreeSet<>();
        for (long o = lastRecordStart; o < lastRecordStart + RecordFrame.HEADER_BYTES + 4; o++) {
            offsets.add(o); // every header byte and the start of the payload
        }
        Random random = new Random(5);
        for (int i = 0; i < 20; i++) {
            offsets.add(lastRecordStart + random.nextLong(lastRecordEnd - lastRecordStart));
        }
        offsets.add(lastRecordEnd - 1);

        for (long offset : offsets) {
            Path dir = copyOfTemplate("flip-" + offset);
            flipByte(SegmentFiles.path(dir, last), offset);

            try (WriteAheadLog wal = WriteAheadLog.open(dir, CONFIG)) {
                assertPrefixReplayed(replay(wal), written.size() - 1, "byte flipped at " + offset);
                assertEquals(lastRecordStart, Files.size(SegmentFiles.path(dir, last)));
                wal.append(payload(1, 0, 50)).join();
            }
            assertEquals(written.size(), reopenAndReplay(dir, CONFIG).size());
        }
    }

    @Test
    void damageInAnOlderSegmentSkipsTheRestOfThatSegmentOnly() throws IOException {
        Path dir = copyOfTemplate("middle");
        long middle = 2;
        List<Long> boundaries = recordEndsIn(middle);
        assertTrue(boundaries.size() >= 4, "segment 2 holds at least three records");
        Path file = SegmentFiles.path(dir, middle);
        long sizeBefore = Files.size(file);
        flipByte(file, boundaries.get(1) + RecordFrame.HEADER_BYTES + 2); // payload of its second record

        List<Replayed> replayed = reopenAndReplay(dir, CONFIG);

        List<Replayed> expected = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            boolean lost = writtenSegments.get(i) == middle && i > recordsBefore(middle);
            if (!lost) {
                expected.add(new Replayed(writtenSegments.get(i), written.get(i)));
            }
        }
        assertEquals(expected.size(), replayed.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).segment(), replayed.get(i).segment());
            assertArrayEquals(expected.get(i).payload(), replayed.get(i).payload());
        }
        assertEquals(sizeBefore, Files.size(file), "an older segment is left as found");
        assertEquals(expected.size(), reopenAndReplay(dir, CONFIG).size(), "the same records on every replay");
    }

    @Test
    void anOlderSegmentWithABrokenHeaderIsSkipped() throws IOException {
        Path dir = copyOfTemplate("header");
        flipByte(SegmentFiles.path(dir, 1), 0);

        List<Replayed> replayed = reopenAndReplay(dir, CONFIG);

        assertEquals(written.size() - recordsBefore(2), replayed.size());
        assertEquals(2, replayed.getFirst().segment());
    }

    @Test
    void aNewerFormatVersionIsRefusedRatherThanDropped() throws IOException {
        Path dir = copyOfTemplate("version");
        Path file = SegmentFiles.path(dir, 1);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, SegmentFiles.VERSION + 1);
        Files.write(file, bytes);

        try (WriteAheadLog wal = WriteAheadLog.open(dir, CONFIG)) {
            var e = assertThrows(UncheckedIOException.class, () -> replay(wal));
            assertTrue(e.getCause().getMessage().contains("format version 2"), e.getCause().getMessage());
        }
    }

    @Test
    void anEmptySegmentLeftByACrashAtCreationIsHarmless() throws IOException {
        Path dir = copyOfTemplate("empty");
        Files.createFile(SegmentFiles.path(dir, writtenSegments.getLast() + 1));

        assertEquals(written.size(), reopenAndReplay(dir, CONFIG).size());
    }

    private void assertPrefixReplayed(List<Replayed> replayed, int count, String context) {
        assertEquals(count, replayed.size(), context);
        for (int i = 0; i < count; i++) {
            assertArrayEquals(written.get(i), replayed.get(i).payload(), context + ", record " + i);
            assertEquals(writtenSegments.get(i), replayed.get(i).segment(), context + ", record " + i);
        }
    }

    /** The header's end then the end offset of each record in {@code segment}. */
    private List<Long> recordEndsIn(long segment) {
        List<Long> ends = new ArrayList<>(List.of((long) SegmentFiles.HEADER_BYTES));
        for (int i = 0; i < written.size(); i++) {
            if (writtenSegments.get(i) == segment) {
                ends.add(ends.getLast() + frameBytes(written.get(i)));
            }
        }
        return ends;
    }

    private int recordsBefore(long segment) {
        return (int) writtenSegments.stream().filter(s -> s < segment).count();
    }

    private Path copyOfTemplate(String name) throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        for (Path file : segmentFiles(root.resolve("template"))) {
            Files.copy(file, dir.resolve(file.getFileName()));
        }
        return dir;
    }
}
