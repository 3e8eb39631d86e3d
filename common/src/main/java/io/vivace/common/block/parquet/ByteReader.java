package io.vivace.common.block.parquet;

/** A position in a byte array with the little-endian and varint reads Parquet encodings need. */
final class ByteReader {

    final byte[] bytes;
    int pos;
    private final int end;

    ByteReader(byte[] bytes, int pos, int end) {
        this.bytes = bytes;
        this.pos = pos;
        this.end = end;
    }

    int readByte() {
        check(1);
        return bytes[pos++] & 0xFF;
    }

    int readIntLE() {
        check(4);
        int v = LittleEndian.getInt(bytes, pos);
        pos += 4;
        return v;
    }

    long readUnsignedVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }

    int readUnsignedVarInt() {
        return Math.toIntExact(readUnsignedVarLong());
    }

    long readZigZagVarLong() {
        long v = readUnsignedVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    int remaining() {
        return end - pos;
    }

    void check(int n) {
        if (n < 0 || pos + n > end) {
            throw new IllegalStateException("page data ends early: need " + n + " bytes at " + pos + ", have " + (end - pos));
        }
    }
}
