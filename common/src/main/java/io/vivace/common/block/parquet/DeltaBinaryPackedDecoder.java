package io.vivace.common.block.parquet;

/** Decodes DELTA_BINARY_PACKED into longs (INT32 columns: with 32-bit wrap-around, then sign-extended). */
final class DeltaBinaryPackedDecoder {

    private DeltaBinaryPackedDecoder() {
    }

    /** Decodes all values of the block at the reader, leaving the reader just past it. */
    static long[] decodeAll(ByteReader in, boolean int32) {
        int start = in.pos;
        in.readUnsignedVarInt();
        in.readUnsignedVarInt();
        int total = in.readUnsignedVarInt();
        in.pos = start;
        long[] values = new long[total];
        decode(in, int32, values, total);
        return values;
    }

    /** Decodes the first {@code count} values of the page into {@code out[0, count)}. */
    static void decode(ByteReader in, boolean int32, long[] out, int count) {
        int blockSize = in.readUnsignedVarInt();
        int miniblocks = in.readUnsignedVarInt();
        int total = in.readUnsignedVarInt();
        long value = in.readZigZagVarLong();
        if (blockSize <= 0 || miniblocks <= 0 || blockSize % 128 != 0 || (blockSize / miniblocks) % 32 != 0) {
            throw new IllegalStateException("bad DELTA_BINARY_PACKED header: block " + blockSize + ", miniblocks " + miniblocks);
        }
        if (total < count) {
            throw new IllegalStateException("DELTA_BINARY_PACKED page holds " + total + " values, expected " + count);
        }
        int perMiniblock = blockSize / miniblocks;
        int[] widths = new int[miniblocks];
        int i = 0;
        if (count > 0) {
            out[i++] = int32 ? (int) value : value;
        }
        while (i < count) {
            long minDelta = in.readZigZagVarLong();
            for (int m = 0; m < miniblocks; m++) {
                widths[m] = in.readByte();
            }
            for (int m = 0; m < miniblocks && i < count; m++) {
                int width = widths[m];
                if (width > 64) {
                    throw new IllegalStateException("DELTA_BINARY_PACKED miniblock width " + width);
                }
                int length = perMiniblock / 8 * width;
                in.check(length);
                int n = Math.min(perMiniblock, count - i);
                if (width <= 56) {
                    value = unpack(in.bytes, in.pos, width, n, minDelta, value, int32, out, i);
                } else {
                    for (int k = 0; k < n; k++) {
                        value += minDelta + readBits(in.bytes, in.pos * 8L + (long) k * width, width);
                        out[i + k] = int32 ? (int) value : value;
                    }
                }
                i += n;
                in.pos += length;
            }
        }
    }

    /** Adds {@code n} deltas of at most 56 bits from {@code bytes[at...]} to {@code value}; returns the last value. */
    private static long unpack(byte[] bytes, int at, int width, int n, long minDelta, long value, boolean int32, long[] out, int outAt) {
        long mask = (1L << width) - 1;
        long acc = 0;
        int bits = 0;
        for (int k = 0; k < n; k++) {
            while (bits < width) {
                acc |= (bytes[at++] & 0xFFL) << bits;
                bits += 8;
            }
            value += minDelta + (acc & mask);
            acc >>>= width;
            bits -= width;
            out[outAt + k] = int32 ? (int) value : value;
        }
        return value;
    }

    private static long readBits(byte[] bytes, long bitPos, int width) {
        long v = 0;
        int filled = 0;
        while (filled < width) {
            int offset = (int) (bitPos & 7);
            int take = Math.min(8 - offset, width - filled);
            v |= (long) (((bytes[(int) (bitPos >>> 3)] & 0xFF) >>> offset) & ((1 << take) - 1)) << filled;
            filled += take;
            bitPos += take;
        }
        return v;
    }
}
