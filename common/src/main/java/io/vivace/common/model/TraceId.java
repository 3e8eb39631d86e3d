package io.vivace.common.model;

import java.util.HexFormat;

/**
 * A 128-bit trace ID held as two longs, so it can be a map key without boxing an array.
 * Ordering is unsigned big-endian, the byte order Parquet blocks are sorted by.
 */
public record TraceId(long hi, long lo) implements Comparable<TraceId> {

    public static final int BYTES = 16;

    /** Reads a trace ID that must be exactly 16 bytes (the OTLP rule). */
    public static TraceId fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("trace ids must be 128 bit, received " + bytes.length * 8 + " bits");
        }
        return fromBytes(bytes, 0);
    }

    public static TraceId fromBytes(byte[] bytes, int offset) {
        return new TraceId(readLong(bytes, offset), readLong(bytes, offset + 8));
    }

    /**
     * Parses a trace ID in Tempo's query form: 1 to 32 hex characters, either case, left-padded with zeros.
     *
     * @throws IllegalArgumentException with Tempo's message when the text is not such an ID
     */
    public static TraceId parseHex(String text) {
        if (text.length() > 32) {
            throw new IllegalArgumentException("trace IDs can't be larger than 128 bits");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("trace ID is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(
                        "trace IDs can only contain hex characters: invalid character '" + text.charAt(i)
                                + "' at position " + (i + 1));
            }
        }
        String padded = "0".repeat(32 - text.length()) + text;
        return new TraceId(Long.parseUnsignedLong(padded, 0, 16, 16), Long.parseUnsignedLong(padded, 16, 32, 16));
    }

    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        writeLong(out, 0, hi);
        writeLong(out, 8, lo);
        return out;
    }

    /** 32 lowercase hex characters. */
    public String toHex() {
        return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
    }

    /** Lowercase hex with leading zeros removed, as Tempo prints trace IDs in search results. */
    public String toShortHex() {
        String hex = toHex();
        int i = 0;
        while (i < hex.length() - 1 && hex.charAt(i) == '0') {
            i++;
        }
        return hex.substring(i);
    }

    @Override
    public int compareTo(TraceId other) {
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public String toString() {
        return toHex();
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
