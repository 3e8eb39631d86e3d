package io.vivace.common.block.parquet;

/**
 * Parquet's RLE / bit-packing hybrid encoding of small non-negative ints (dictionary indexes): runs of at least eight equal values become RLE runs, everything else bit-packed groups of
 * eight, least significant bit first.
 */
public final class RleHybridEncoder {

    private static final int GROUP = 8;

    private RleHybridEncoder() {
    }

    /** Appends {@code values[0, count)}, {@code bitWidth} bits each (1..32), without a length prefix. */
    public static void encode(int[] values, int count, int bitWidth, GrowableBytes out) {
        int i = 0;
        while (i < count) {
            int run = runLength(values, i, count);
            if (run >= GROUP) {
                writeRun(values[i], run, bitWidth, out);
                i += run;
                continue;
            }
            int end = i + GROUP;
            while (end < count && runLength(values, end, Math.min(count, end + GROUP)) < GROUP) {
                end += GROUP;
            }
            writePacked(values, i, Math.min(end, count), (end - i) / GROUP, bitWidth, out);
            i = end;
        }
    }

    private static int runLength(int[] values, int from, int limit) {
        int v = values[from];
        int i = from + 1;
        while (i < limit && values[i] == v) {
            i++;
        }
        return i - from;
    }

    private static void writeRun(int value, int count, int bitWidth, GrowableBytes out) {
        out.writeUnsignedVarInt((long) count << 1);
        for (int b = 0; b < bitWidth; b += 8) {
            out.writeByte(value >>> b);
        }
    }

    /** {@code groups} groups of eight from {@code values[from, to)}, padded with zeros. */
    private static void writePacked(int[] values, int from, int to, int groups, int bitWidth, GrowableBytes out) {
        out.writeUnsignedVarInt(((long) groups << 1) | 1);
        int at = out.reserve(groups * bitWidth);
        byte[] bytes = out.array();
        int end = from + groups * GROUP;
        if (bitWidth <= 8) {
            // A group of eight fits one long: pack it, then store its bitWidth bytes.
            for (int i = from; i < end; i += GROUP) {
                long packed = 0;
                int n = Math.min(GROUP, to - i);
                for (int k = 0; k < n; k++) {
                    packed |= (long) values[i + k] << (k * bitWidth);
                }
                for (int b = 0; b < bitWidth; b++) {
                    bytes[at++] = (byte) (packed >>> (8 * b));
                }
            }
            return;
        }
        long acc = 0;
        int bits = 0;
        for (int i = from; i < end; i++) {
            long v = i < to ? values[i] & 0xFFFFFFFFL : 0;
            acc |= v << bits;
            bits += bitWidth;
            while (bits >= 8) {
                bytes[at++] = (byte) acc;
                acc >>>= 8;
                bits -= 8;
            }
        }
    }

    /** Bits needed for values up to {@code max}. */
    public static int bitWidth(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }
}
