package io.vivace.distributor.otlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Checks well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), as protobuf requires of strings. */
final class Utf8Validator {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Validator() {
    }

    static boolean isValid(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        // Nearly all attribute keys and values are ASCII: test eight bytes at a time for a set high bit, the last
        // eight overlapping the ones before, so a string of eight bytes or more needs no byte-by-byte tail.
        if (len >= Long.BYTES) {
            int last = end - Long.BYTES;
            while (i < last && isAscii((long) LONGS.get(b, i))) {
                i += Long.BYTES;
            }
            if (isAscii((long) LONGS.get(b, last))) {
                return i >= last || isValidFrom(b, i, end);
            }
        }
        while (i < end && b[i] >= 0) {
            i++;
        }
        return i == end || isValidFrom(b, i, end);
    }

    /** Whether no byte of {@code b[off, off + len)} has its high bit set (so every string in it is valid UTF-8). */
    static boolean isAscii(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        for (; end - i >= Long.BYTES; i += Long.BYTES) {
            if (!isAscii((long) LONGS.get(b, i))) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(long eightBytes) {
        return (eightBytes & HIGH_BITS) == 0;
    }

    /** Validates {@code b[i, end)}, where {@code i} is at the start of a character. */
    private static boolean isValidFrom(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i++] & 0xFF;
            if (c < 0x80) {
                continue;
            }
            if (c < 0xC2 || c > 0xF4) {
                return false;
            }
            if (c < 0xE0) {
                if (i >= end || !isContinuation(b[i++])) {
                    return false;
                }
            } else if (c < 0xF0) {
                if (end - i < 2) {
                    return false;
                }
                int c1 = b[i++] & 0xFF;
                if (!isContinuation((byte) c1) || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)
                        || !isContinuation(b[i++])) {
                    return false;
                }
            } else {
                if (end - i < 3) {
                    return false;
                }
                int c1 = b[i++] & 0xFF;
                if (!isContinuation((byte) c1) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)
                        || !isContinuation(b[i++]) || !isContinuation(b[i++])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
