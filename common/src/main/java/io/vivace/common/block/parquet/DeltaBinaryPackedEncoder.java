package io.vivace.common.block.parquet;

/**
 * Parquet's DELTA_BINARY_PACKED encoding: blocks of 128 deltas in 4 miniblocks of 32, each miniblock bit-packed at
 * the width its largest (delta - block minimum) needs. INT32 columns compute deltas in 32-bit arithmetic, as the
 * format requires, so no width exceeds 32.
 */
public final class DeltaBinaryPackedEncoder {

    static final int BLOCK = 128;
    static final int MINIBLOCKS = 4;
    static final int MINIBLOCK = BLOCK / MINIBLOCKS;

    private long[] deltas = new long[BLOCK];

    /** Appends the encoding of {@code values[0, count)}. */
    public void encode(long[] values, int count, boolean int32, GrowableBytes out) {
        out.writeUnsignedVarInt(BLOCK);
        out.writeUnsignedVarInt(MINIBLOCKS);
        out.writeUnsignedVarInt(count);
        out.writeZigZagVarLong(count == 0 ? 0 : values[0]);
        for (int blockStart = 1; blockStart < count; blockStart += BLOCK) {
            int n = Math.min(BLOCK, count - blockStart);
            long min = Long.MAX_VALUE;
            for (int k = 0; k < n; k++) {
                long d = values[blockStart + k] - values[blockStart + k - 1];
                if (int32) {
                    d = (int) d;
                }
                deltas[k] = d;
                min = Math.min(min, d);
            }
            out.writeZigZagVarLong(min);
            int widthsAt = out.reserve(MINIBLOCKS);
            for (int m = 0; m < MINIBLOCKS; m++) {
                int from = m * MINIBLOCK;
                if (from >= n) {
                    out.array()[widthsAt + m] = 0;
                    continue;
                }
                int to = Math.min(n, from + MINIBLOCK);
                long or = 0;
                for (int k = from; k < to; k++) {
                    long u = deltas[k] - min; // wraps for int64 extremes, as the format intends
                    deltas[k] = u;
                    or |= u;
                }
                int width = 64 - Long.numberOfLeadingZeros(or);
                out.array()[widthsAt + m] = (byte) width;
                pack(deltas, from, to, width, out);
            }
        }
    }

    /** 32 values from {@code src[from, to)} (zero-padded), {@code width} bits each, least significant bit first. */
    private static void pack(long[] src, int from, int to, int width, GrowableBytes out) {
        if (width == 0) {
            return;
        }
        int at = out.reserve(MINIBLOCK * width / 8);
        byte[] bytes = out.array();
        long acc = 0;
        int bits = 0;
        for (int k = from; k < from + MINIBLOCK; k++) {
            long v = k < to ? src[k] : 0;
            int remaining = width;
            while (remaining > 0) {
                int take = Math.min(remaining, 32);
                acc |= (v & ((1L << take) - 1)) << bits;
                bits += take;
                v >>>= take;
                remaining -= take;
                while (bits >= 8) {
                    bytes[at++] = (byte) acc;
                    acc >>>= 8;
                    bits -= 8;
                }
            }
        }
    }
}
