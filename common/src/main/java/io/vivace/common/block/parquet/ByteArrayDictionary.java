package io.vivace.common.block.parquet;

import java.nio.charset.StandardCharsets;

/**
 * The decoded dictionary page of a BYTE_ARRAY column: the PLAIN page kept as is, with where each entry starts.
 * Strings are made when first asked for and kept, so a dictionary shared by many reads decodes each entry once.
 */
public final class ByteArrayDictionary {

    private final byte[] data;
    private final int[] starts;
    private final int[] lengths;
    private final String[] strings;

    private ByteArrayDictionary(byte[] data, int[] starts, int[] lengths) {
        this.data = data;
        this.starts = starts;
        this.lengths = lengths;
        this.strings = new String[starts.length];
    }

    /** Indexes the entries of a decompressed PLAIN dictionary page of {@code count} entries. */
    static ByteArrayDictionary ofPlain(byte[] page, int count) {
        int[] starts = new int[count];
        int[] lengths = new int[count];
        ByteReader in = new ByteReader(page, 0, page.length);
        for (int i = 0; i < count; i++) {
            int length = in.readIntLE();
            in.check(length);
            starts[i] = in.pos;
            lengths[i] = length;
            in.pos += length;
        }
        return new ByteArrayDictionary(page, starts, lengths);
    }

    public int size() {
        return starts.length;
    }

    public byte[] data() {
        return data;
    }

    public int start(int id) {
        return starts[id];
    }

    public int length(int id) {
        return lengths[id];
    }

    /** Entry {@code id} as UTF-8 text. Safe to share between threads: a race only decodes an entry twice. */
    public String string(int id) {
        String s = strings[id];
        if (s == null) {
            s = new String(data, starts[id], lengths[id], StandardCharsets.UTF_8);
            strings[id] = s;
        }
        return s;
    }

    /** About the memory this dictionary holds, for cache accounting. */
    public long retainedBytes() {
        return data.length + 16L * starts.length;
    }
}
