package io.vivace.common.block.parquet;

import java.util.Arrays;

/** Decodes Parquet's RLE / bit-packing hybrid encoding (levels, dictionary indexes), the reverse of the encoders. */
final class RleHybridDecoder {

    private RleHybridDecoder() {
    }

    /** Decodes {@code count} levels of {@code bitWidth} (0..8) bits into {@code out[0, count)}. */
    static void decodeLevels(ByteReader in, int bitWidth, byte[] out, int count) {
        decodeLevels(in, bitWidth, out, count, Integer.MAX_VALUE);
    }

    /**
     * Decodes up to {@code count} levels into {@code out}, stopping at run granularity once the level 0 number
     * {@code zeroLimit} (counting from 0) is decoded. Returns that zero's index, or {@code count} when there are not
     * that many: for repetition levels, where row {@code zeroLimit} starts.
     */
    static int decodeLevels(ByteReader in, int bitWidth, byte[] out, int count, int zeroLimit) {
        int zeros = 0;
        int i = 0;
        while (i < count) {
            long header = in.readUnsignedVarLong();
            if ((header & 1) == 0) {
                int run = (int) Math.min(header >>> 1, count - i);
                byte value = (byte) readRunValue(in, bitWidth);
                if (value == 0 && zeros + run > zeroLimit) {
                    int stop = i + (zeroLimit - zeros);
                    Arrays.fill(out, i, stop + 1, value);
                    return stop;
                }
                Arrays.fill(out, i, i + run, value);
                if (value == 0) {
                    zeros += run;
                }
                i += run;
            } else {
                int groups = (int) (header >>> 1);
                in.check(groups * bitWidth);
                byte[] bytes = in.bytes;
                int at = in.pos;
                int mask = (1 << bitWidth) - 1;
                for (int g = 0; g < groups && i < count; g++, at += bitWidth) {
                    long packed = 0;
                    for (int b = 0; b < bitWidth; b++) {
                        packed |= (bytes[at + b] & 0xFFL) << (8 * b);
                    }
                    int n = Math.min(8, count - i);
                    for (int k = 0; k < n; k++) {
                        byte level = (byte) ((packed >>> (k * bitWidth)) & mask);
                        out[i] = level;
                        if (level == 0 && zeros++ == zeroLimit) {
                            return i;
                        }
                        i++;
                    }
                }
                in.pos += groups * bitWidth;
            }
        }
        return count;
    }

    /** Decodes {@code count} values of {@code bitWidth} (0..32) bits into {@code out[0, count)}. */
    static void decodeInts(ByteReader in, int bitWidth, int[] out, int count) {
        int i = 0;
        long mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
        while (i < count) {
            long header = in.readUnsignedVarLong();
            if ((header & 1) == 0) {
                int run = (int) Math.min(header >>> 1, count - i);
                int value = readRunValue(in, bitWidth);
                Arrays.fill(out, i, i + run, value);
                i += run;
            } else {
                int values = (int) (header >>> 1) * 8;
                in.check(values / 8 * bitWidth);
                byte[] bytes = in.bytes;
                int at = in.pos;
                long acc = 0;
                int bits = 0;
                for (int k = 0; k < values; k++) {
                    while (bits < bitWidth) {
                        acc |= (bytes[at++] & 0xFFL) << bits;
                        bits += 8;
                    }
                    if (i < count) {
                        out[i++] = (int) (acc & mask);
                    }
                    acc >>>= bitWidth;
                    bits -= bitWidth;
                }
                in.pos += values / 8 * bitWidth;
            }
        }
    }

    private static int readRunValue(ByteReader in, int bitWidth) {
        int value = 0;
        for (int b = 0; b < bitWidth; b += 8) {
            value |= in.readByte() << b;
        }
        return value;
    }
}
