package io.vivace.common.block.parquet;

import java.util.Arrays;

/** A growable byte buffer with the little-endian and varint writes Parquet encodings need. Not thread-safe. */
public final class GrowableBytes {

    private byte[] bytes;
    private int size;

    public GrowableBytes(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** The backing array; valid up to {@link #size()} until the next write. */
    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    /** Makes room for {@code n} more bytes and returns the position they start at. */
    public int reserve(int n) {
        int at = size;
        ensure(n);
        size += n;
        return at;
    }

    public void ensure(int more) {
        int needed = size + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    public void writeBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    public void writeIntLE(int v) {
        ensure(4);
        LittleEndian.putInt(bytes, size, v);
        size += 4;
    }

    /** Overwrites 4 bytes at {@code at} (a length prefix reserved earlier). */
    public void setIntLE(int at, int v) {
        LittleEndian.putInt(bytes, at, v);
    }

    /** An unsigned LEB128 varint, as Parquet's RLE headers and DELTA_BINARY_PACKED use. */
    public void writeUnsignedVarInt(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    public void writeZigZagVarLong(long v) {
        writeUnsignedVarInt((v << 1) ^ (v >> 63));
    }

    /** Sets the size back (or forward, over bytes already written with {@link #reserve}). */
    public void truncate(int newSize) {
        size = newSize;
    }
}
