package io.vivace.ingester.wal;

import java.util.zip.CRC32C;

/**
 * How one record sits in a segment: {@code [length: int32][crc: int32][payload]}, big-endian, where
 * the CRC32C covers the four length bytes and the payload. Covering the length means a flipped length
 * bit is caught as a checksum mismatch rather than read as a different record boundary.
 */
final class RecordFrame {

    static final int HEADER_BYTES = 8;
    /** Keeps a record, its frame and the replay buffer well inside a Java array. */
    static final int MAX_PAYLOAD_BYTES = 1 << 30;

    private RecordFrame() {
    }

    static int checksum(CRC32C crc, int length, byte[] payload) {
        return checksum(crc, length, new byte[][] {payload});
    }

    /** The checksum of a payload given as parts that follow each other. */
    static int checksum(CRC32C crc, int length, byte[][] parts) {
        crc.reset();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        for (byte[] part : parts) {
            crc.update(part, 0, part.length);
        }
        return (int) crc.getValue();
    }
}
