package io.vivace.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Payloads that say who wrote them, and a replay that collects what it reads. */
final class WalTestSupport {

    static final WalConfig SMALL_SEGMENTS = new WalConfig(4096, FsyncPolicy.ALWAYS, Duration.ofSeconds(1));

    record Replayed(long segment, byte[] payload) {
        int writer() {
            return ByteBuffer.wrap(payload).getInt(0);
        }

        int sequence() {
            return ByteBuffer.wrap(payload).getInt(4);
        }
    }

    private WalTestSupport() {
    }

    /** A payload of {@code size} bytes (at least 8) starting with the writer and sequence numbers. */
    static byte[] payload(int writer, int sequence, int size) {
        byte[] bytes = new byte[Math.max(8, size)];
        new Random(31L * writer + sequence).nextBytes(bytes);
        ByteBuffer.wrap(bytes).putInt(writer).putInt(sequence);
        return bytes;
    }

    static List<Replayed> replay(WriteAheadLog wal) {
        List<Replayed> out = new ArrayList<>();
        wal.replay((segment, payload) -> out.add(new Replayed(segment, payload)));
        return out;
    }

    /** Opens the log in {@code dir}, replays it and closes it again. */
    static List<Replayed> reopenAndReplay(Path dir, WalConfig config) {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, config)) {
            return replay(wal);
        }
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (long n : SegmentFiles.list(dir)) {
            files.add(SegmentFiles.path(dir, n));
        }
        return files;
    }

    static long frameBytes(byte[] payload) {
        return RecordFrame.HEADER_BYTES + payload.length;
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(offset)] ^= 0x5A;
        Files.write(file, bytes);
    }
}
