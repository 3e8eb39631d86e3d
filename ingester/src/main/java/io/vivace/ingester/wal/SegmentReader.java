package io.vivace.ingester.wal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/** Reads the records of one segment file in order, stopping at the first one that is cut off or corrupt. */
final class SegmentReader {

    /**
     * What reading a segment found.
     *
     * @param validBytes where the intact prefix ends: the file size if all is well (or where the zero padding
     *                   of a direct-I/O segment starts), else the offset of the bad header or record
     * @param problem    what is wrong at {@code validBytes}, or null
     */
    record Scan(long records, long validBytes, long fileBytes, String problem) {
        boolean intact() {
            return problem == null;
        }
    }

    private SegmentReader() {
    }

    /**
     * @throws IOException also when the segment was written by a newer, incompatible format version:
     *                     dropping its records as "corrupt" would lose acknowledged data
     */
    static Scan read(Path file, long segment, BiConsumer<Long, byte[]> consumer) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             DataInputStream in = new DataInputStream(
                     new BufferedInputStream(Channels.newInputStream(channel), 1 << 16))) {
            long fileBytes = channel.size();
            if (fileBytes == 0) {
                return new Scan(0, 0, 0, null); // created, crashed before the header was written
            }
            if (fileBytes < SegmentFiles.HEADER_BYTES) {
                return new Scan(0, 0, fileBytes, "the segment header is cut off");
            }
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != SegmentFiles.MAGIC) {
                return new Scan(0, 0, fileBytes, String.format("the segment header has a wrong magic %08x", magic));
            }
            if (version != SegmentFiles.VERSION) {
                throw new IOException("WAL segment " + file + " has format version " + version + ", this build reads "
                        + SegmentFiles.VERSION);
            }
            CRC32C crc = new CRC32C();
            long records = 0;
            long position = SegmentFiles.HEADER_BYTES;
            while (position < fileBytes) {
                long left = fileBytes - position;
                if (left < RecordFrame.HEADER_BYTES) {
                    return zeroPadding(in, left) ? new Scan(records, position, fileBytes, null)
                            : new Scan(records, position, fileBytes, "a record header is cut off");
                }
                int length = in.readInt();
                int expectedChecksum = in.readInt();
                // A real record never has both zero: the checksum of the four length bytes 0 is not 0.
                if (length == 0 && expectedChecksum == 0 && zeroPadding(in, left - RecordFrame.HEADER_BYTES)) {
                    return new Scan(records, position, fileBytes, null);
                }
                if (length < 0 || length > RecordFrame.MAX_PAYLOAD_BYTES) {
                    return new Scan(records, position, fileBytes, "a record has an impossible length " + length);
                }
                if (length > left - RecordFrame.HEADER_BYTES) {
                    return new Scan(records, position, fileBytes, "a record of " + length + " bytes is cut off after "
                            + (left - RecordFrame.HEADER_BYTES));
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (RecordFrame.checksum(crc, length, payload) != expectedChecksum) {
                    return new Scan(records, position, fileBytes, "a record fails its checksum");
                }
                consumer.accept(segment, payload);
                records++;
                position += RecordFrame.HEADER_BYTES + length;
            }
            return new Scan(records, position, fileBytes, null);
        }
    }

    /**
     * Whether the next {@code bytes} bytes are all zero: the padding that ends a segment written with direct I/O (whole
     * blocks) when the writer stopped before it could cut the file back to its records.
     */
    private static boolean zeroPadding(DataInputStream in, long bytes) throws IOException {
        byte[] chunk = new byte[(int) Math.min(bytes, 1 << 16)];
        for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(left, chunk.length);
            in.readFully(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
            left -= n;
        }
        return true;
    }
}
