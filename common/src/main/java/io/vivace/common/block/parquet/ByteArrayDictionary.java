package io.vivace.common.block.parquet;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;

/**
 * The decoded dictionary page of a BYTE_ARRAY column: the PLAIN page kept as is, with where each entry starts.
 * Strings, and {@link ByteString}s over the entries, are made when first asked for and kept, so a dictionary shared by
 * many reads decodes or wraps each entry once. The data is never written after decoding.
 */
public final class ByteArrayDictionary {

    private final byte[] data;
    private final int[] starts;
    private final int[] lengths;
    private final String[] strings;
    private volatile ByteString[] byteStrings;

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

    /**
     * Entry {@code id} as a {@link ByteString} over the dictionary's bytes (no copy): the dictionary lives while it
     * does. Safe to share between threads: a race only wraps an entry twice.
     */
    public ByteString byteString(int id) {
        ByteString[] wrapped = byteStrings;
        if (wrapped == null) {
            wrapped = new ByteString[starts.length];
            byteStrings = wrapped;
        }
        ByteString b = wrapped[id];
        if (b == null) {
            b = lengths[id] == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(data, starts[id], lengths[id]);
            wrapped[id] = b;
        }
        return b;
    }

    /** About the memory this dictionary holds, for cache accounting. */
    public long retainedBytes() {
        return data.length + 16L * starts.length;
    }
}
