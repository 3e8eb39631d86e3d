package io.vivace.ingester.wal;

import io.vivace.ingester.wal.WalTestSupport.Replayed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.vivace.ingester.wal.WalTestSupport.payload;
import static io.vivace.ingester.wal.WalTestSupport.reopenAndReplay;
import static io.vivace.ingester.wal.WalTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segments written under {@code fsync: always}: whole blocks while open (decision 0607), cut back when closed. */
class DirectIoSegmentTest {

    private static final WalConfig ALWAYS = WalConfig.defaults().withFsync(FsyncPolicy.ALWAYS);

    @TempDir
    Path dir;
    @TempDir
    Path crashed;

    @Test
    void anOpenSegmentIsWholeBlocksAndACrashLeavesPaddingThatReplayIgnoresAndCuts() throws Exception {
        long block = Files.getFileStore(dir).getBlockSize();
        List<byte[]> written = new ArrayList<>();
        long recordBytes = SegmentFiles.HEADER_BYTES;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS)) {
            Path segment = segmentFiles(dir).getFirst();
            // sizes that end groups inside a block, on a block boundary and across several blocks
            for (int size : new int[] {100, (int) block - SegmentFiles.HEADER_BYTES - (RecordFrame.HEADER_BYTES + 100) - RecordFrame.HEADER_BYTES, 3 * (int) block + 5, 1}) {
                byte[] payload = payload(0, written.size(), size);
                wal.append(payload).join();
                written.add(payload);
                recordBytes += RecordFrame.HEADER_BYTES + payload.length;
                long onDisk = Files.size(segment);
                assertEquals(0, onDisk % block, "an open segment holds whole blocks, " + onDisk + " bytes");
                assertTrue(onDisk >= recordBytes && onDisk < recordBytes + block, onDisk + " bytes for " + recordBytes);
                copyAsCrashed(segment);
            }
            assertEquals(recordBytes + (block - recordBytes % block) % block, Files.size(segment));
        }
        assertEquals(recordBytes, Files.size(segmentFiles(dir).getFirst()), "a closed segment ends with its last record");

        // What a crash after the last acknowledged append leaves: the records, then zeros up to the block's end.
        SegmentReader.Scan scan = SegmentReader.read(SegmentFiles.path(crashed, 1), 1, (segment, payload) -> { });
        assertNull(scan.problem(), "padding is the segment's clean end, not damage");
        assertEquals(written.size(), scan.records());
        List<Replayed> replayed = reopenAndReplay(crashed, ALWAYS);
        assertEquals(written.size(), replayed.size());
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(written.get(i), replayed.get(i).payload(), "record " + i);
        }
        assertEquals(recordBytes, Files.size(SegmentFiles.path(crashed, 1)), "the newest segment is cut back at replay");
    }

    private void copyAsCrashed(Path segment) throws IOException {
        Files.copy(segment, SegmentFiles.path(crashed, 1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
