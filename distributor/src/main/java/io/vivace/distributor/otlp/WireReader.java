package io.vivace.distributor.otlp;

/** A cursor over protobuf wire-format bytes that allocates nothing; every read is bounds-checked. */
final class WireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private byte[] buf;
    private int pos;
    private int limit;
    /** Start of the last length-delimited payload read by {@link #readLength()}. */
    private int lenStart;

    WireReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    /** Points this reader at a range of another buffer (null to let go of the last one). */
    WireReader reset(byte[] buf, int offset, int length) {
        this.buf = buf;
        return reset(offset, length);
    }

    /** Points this reader at another range of the same buffer. */
    WireReader reset(int offset, int length) {
        pos = offset;
        limit = offset + length;
        return this;
    }

    boolean hasMore() {
        return pos < limit;
    }

    int position() {
        return pos;
    }

    int readTag() throws InvalidOtlpException {
        // Field numbers below 16 with a valid wire type: one byte, the tag of nearly every field in OTLP.
        if (pos < limit) {
            int b = buf[pos];
            if (b >= 8 && (b & 7) != 3 && (b & 7) != 4 && (b & 7) <= 5) {
                pos++;
                return b;
            }
        }
        long tag = readVarint();
        if (tag <= 7 || tag > 0xFFFFFFFFL || (tag & 7) > 5 || (tag & 7) == 3 || (tag & 7) == 4) {
            throw new InvalidOtlpException("malformed protobuf: invalid field tag " + tag + " at byte " + pos);
        }
        return (int) tag;
    }

    long readVarint() throws InvalidOtlpException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw truncated();
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new InvalidOtlpException("malformed protobuf: varint longer than 10 bytes at byte " + pos);
    }

    long readFixed64() throws InvalidOtlpException {
        if (limit - pos < 8) {
            throw truncated();
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    /** Reads a length prefix, checks the payload fits, and skips over it; the payload starts at {@link #lenStart()}. */
    int readLength() throws InvalidOtlpException {
        long len = pos < limit && buf[pos] >= 0 ? buf[pos++] : readVarint();
        if (len < 0 || len > limit - pos) {
            throw truncated();
        }
        lenStart = pos;
        pos += (int) len;
        return (int) len;
    }

    int lenStart() {
        return lenStart;
    }

    void skip(int wireType) throws InvalidOtlpException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                if (limit - pos < 8) {
                    throw truncated();
                }
                pos += 8;
            }
            case LEN -> readLength();
            case FIXED32 -> {
                if (limit - pos < 4) {
                    throw truncated();
                }
                pos += 4;
            }
            default -> throw new InvalidOtlpException("malformed protobuf: unsupported wire type " + wireType);
        }
    }

    private InvalidOtlpException truncated() {
        return new InvalidOtlpException("malformed protobuf: message truncated at byte " + pos);
    }
}
