package io.vivace.common.block.parquet;

import java.util.Arrays;

/**
 * The distinct byte strings of one column chunk, numbered in first-seen order: the dictionary of a
 * dictionary-encoded column. Entries live back to back in one array; an open-addressing table of ids finds them.
 */
final class BinaryDictionary {

    private final int maxPlainBytes;
    private byte[] data = new byte[4096];
    private int dataSize;
    private int[] starts = new int[256];
    private int[] lengths = new int[256];
    private int[] hashes = new int[256];
    private int count;
    private int[] slots = new int[512]; // id + 1; 0 is empty
    private int plainBytes;

    /** @param maxPlainBytes the largest PLAIN dictionary page (4 + length per entry) this dictionary may grow to */
    BinaryDictionary(int maxPlainBytes) {
        this.maxPlainBytes = maxPlainBytes;
    }

    int size() {
        return count;
    }

    /** Size of the dictionary page before compression. */
    int plainBytes() {
        return plainBytes;
    }

    byte[] data() {
        return data;
    }

    int start(int id) {
        return starts[id];
    }

    int length(int id) {
        return lengths[id];
    }

    void clear() {
        Arrays.fill(slots, 0);
        count = 0;
        dataSize = 0;
        plainBytes = 0;
    }

    /** The id of {@code bytes[offset, offset + length)}, added if new; -1 when it is new and would not fit. */
    int idOf(byte[] bytes, int offset, int length) {
        int hash = hash(bytes, offset, length);
        int mask = slots.length - 1;
        int slot = hash & mask;
        for (int s; (s = slots[slot]) != 0; slot = (slot + 1) & mask) {
            int id = s - 1;
            if (hashes[id] == hash && lengths[id] == length && equal(data, starts[id], bytes, offset, length)) {
                return id;
            }
        }
        if (plainBytes + 4 + length > maxPlainBytes) {
            return -1;
        }
        int id = add(bytes, offset, length, hash);
        slots[slot] = id + 1;
        if (count * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    /** Appends the PLAIN dictionary page body: each entry as 4-byte little-endian length and bytes. */
    void writePlain(GrowableBytes out) {
        out.ensure(plainBytes);
        for (int id = 0; id < count; id++) {
            out.writeIntLE(lengths[id]);
            out.writeBytes(data, starts[id], lengths[id]);
        }
    }

    private int add(byte[] bytes, int offset, int length, int hash) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        if (dataSize + length > data.length) {
            data = Arrays.copyOf(data, Math.max(dataSize + length, data.length * 2));
        }
        System.arraycopy(bytes, offset, data, dataSize, length);
        starts[count] = dataSize;
        lengths[count] = length;
        hashes[count] = hash;
        dataSize += length;
        plainBytes += 4 + length;
        return count++;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int id = 0; id < count; id++) {
            int slot = hashes[id] & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
        }
    }

    /** Equality of two ranges of one length; eight bytes at a time, as entries are mostly short. */
    private static boolean equal(byte[] a, int aAt, byte[] b, int bAt, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (LittleEndian.getLong(a, aAt + i) != LittleEndian.getLong(b, bAt + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (a[aAt + i] != b[bAt + i]) {
                return false;
            }
        }
        return true;
    }

    /** A multiply-mix over 8-byte words (the last one overlapping when the length is not a multiple of 8). */
    static int hash(byte[] bytes, int offset, int length) {
        long h = length * 0x9E3779B97F4A7C15L;
        int end = offset + length;
        if (length >= 8) {
            for (int i = offset; i + 8 < end; i += 8) {
                h = Long.rotateLeft((h ^ LittleEndian.getLong(bytes, i)) * 0xC2B2AE3D27D4EB4FL, 29);
            }
            h ^= LittleEndian.getLong(bytes, end - 8);
        } else if (length >= 4) {
            h ^= (LittleEndian.getInt(bytes, offset) & 0xFFFFFFFFL) | ((long) LittleEndian.getInt(bytes, end - 4) << 32);
        } else {
            for (int i = offset; i < end; i++) {
                h = (h << 8) | (bytes[i] & 0xFF);
            }
        }
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }
}
