package io.vivace.common.block.parquet;

/**
 * The RLE / bit-packing hybrid encoding of repetition or definition levels kept one per byte. Levels are mostly
 * long runs (a constant definition level) or short-period patterns of a few values, so runs are found eight bytes
 * at a time; a group of eight levels at most 8 bits wide packs into one long.
 */
final class LevelEncoder {

    private static final long ONES = 0x0101010101010101L;

    private LevelEncoder() {
    }

    /**
     * Appends {@code levels[0, count)} at {@code bitWidth} (1..8) bits each, without a length prefix, and adds each
     * level's number of occurrences to {@code histogram}.
     */
    static void encode(byte[] levels, int count, int bitWidth, GrowableBytes out, long[] histogram) {
        int i = 0;
        while (i < count) {
            int run = runLength(levels, i, count);
            if (run >= 8) {
                out.writeUnsignedVarInt((long) run << 1);
                out.writeByte(levels[i]);
                histogram[levels[i]] += run;
                i += run;
                continue;
            }
            int start = i;
            i += 8;
            while (i < count && runLength(levels, i, Math.min(count, i + 8)) < 8) {
                i += 8;
            }
            writePacked(levels, start, Math.min(i, count), bitWidth, out, histogram);
        }
    }

    private static int runLength(byte[] levels, int from, int limit) {
        long pattern = (levels[from] & 0xFFL) * ONES;
        int i = from;
        while (i + 8 <= limit && LittleEndian.getLong(levels, i) == pattern) {
            i += 8;
        }
        byte v = levels[from];
        while (i < limit && levels[i] == v) {
            i++;
        }
        return i - from;
    }

    /** Groups of eight from {@code levels[from, to)}, the last one padded with zeros. */
    private static void writePacked(byte[] levels, int from, int to, int bitWidth, GrowableBytes out, long[] histogram) {
        int groups = (to - from + 7) / 8;
        out.writeUnsignedVarInt(((long) groups << 1) | 1);
        int at = out.reserve(groups * bitWidth);
        byte[] bytes = out.array();
        for (int g = 0; g < groups; g++) {
            int base = from + 8 * g;
            int n = Math.min(8, to - base);
            long packed = 0;
            for (int k = 0; k < n; k++) {
                int level = levels[base + k];
                histogram[level]++;
                packed |= (long) level << (k * bitWidth);
            }
            for (int b = 0; b < bitWidth; b++) {
                bytes[at++] = (byte) (packed >>> (8 * b));
            }
        }
    }
}
