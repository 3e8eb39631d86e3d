package io.vivace.ingester.wal;

import io.vivace.common.ingest.IngestBatch;
import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of an {@link IngestBatch} as it is stored in a WAL record.
 *
 * <pre>
 * u8       format version (1)
 * varint   tenant length, then the tenant in UTF-8
 * varint   batch span count
 * varint64 batch byte size
 * varint   fragment count, then per fragment:
 *   16 bytes trace id (hi, lo; big-endian)
 *   varint   span count
 *   i64      start nanos, i64 end nanos (big-endian)
 *   varint   length, then that many bytes of OTLP TracesData
 * </pre>
 *
 * Ints are written as the unsigned varint of their 32 bits, so any int round-trips. Decoding checks
 * every length and count against the bytes that remain before allocating anything.
 */
public final class IngestBatchCodec {

    static final int FORMAT_VERSION = 1;

    /** Smallest possible encoded fragment: id, one-byte span count, two nanos, one-byte empty length. */
    private static final int MIN_FRAGMENT_BYTES = TraceId.BYTES + 1 + 8 + 8 + 1;

    private IngestBatchCodec() {
    }

    public static byte[] encode(IngestBatch batch) {
        byte[][] parts = encodeParts(batch);
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] out = new byte[size];
        int p = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, p, part.length);
            p += part.length;
        }
        return out;
    }

    /**
     * The encoded batch as parts to be concatenated: small header parts, and each fragment's OTLP bytes as they
     * are (not copied), for {@link WriteAheadLog#appendParts}.
     */
    public static byte[][] encodeParts(IngestBatch batch) {
        byte[] tenant = batch.tenant().getBytes(StandardCharsets.UTF_8);
        List<TraceFragment> fragments = batch.fragments();
        long size = 1 + varintSize(tenant.length) + tenant.length + varintSize(unsigned(batch.spanCount()))
                + varintSize(batch.byteSize()) + varintSize(fragments.size());
        for (TraceFragment f : fragments) {
            int dataBytes = f.tracesData().length;
            size += TraceId.BYTES + varintSize(unsigned(f.spanCount())) + 16 + varintSize(dataBytes) + dataBytes;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("batch too large to encode: " + size + " bytes");
        }
        byte[][] parts = new byte[1 + 2 * fragments.size()][];
        ByteBuffer header = ByteBuffer.allocate(1 + varintSize(tenant.length) + tenant.length
                + varintSize(unsigned(batch.spanCount())) + varintSize(batch.byteSize()) + varintSize(fragments.size()));
        header.put((byte) FORMAT_VERSION);
        putVarint(header, tenant.length);
        header.put(tenant);
        putVarint(header, unsigned(batch.spanCount()));
        putVarint(header, batch.byteSize());
        putVarint(header, fragments.size());
        assert !header.hasRemaining();
        parts[0] = header.array();
        int i = 1;
        for (TraceFragment f : fragments) {
            byte[] data = f.tracesData();
            ByteBuffer out = ByteBuffer.allocate(TraceId.BYTES + varintSize(unsigned(f.spanCount())) + 16
                    + varintSize(data.length));
            out.putLong(f.traceId().hi()).putLong(f.traceId().lo());
            putVarint(out, unsigned(f.spanCount()));
            out.putLong(f.startNanos()).putLong(f.endNanos());
            putVarint(out, data.length);
            assert !out.hasRemaining();
            parts[i++] = out.array();
            parts[i++] = data;
        }
        return parts;
    }

    /** @throws MalformedBatchException naming the byte offset where the input stopped making sense */
    public static IngestBatch decode(byte[] bytes) {
        Reader in = new Reader(bytes);
        int version = in.readByte("format version");
        if (version != FORMAT_VERSION) {
            throw new MalformedBatchException("unsupported ingest batch format version " + version
                    + " (this build reads " + FORMAT_VERSION + ")");
        }
        String tenant = in.readUtf8(in.readLength("tenant length"), "tenant");
        int spanCount = in.readInt("batch span count");
        long byteSize = in.readVarint64("batch byte size");
        int fragmentCount = in.readCount(MIN_FRAGMENT_BYTES, "fragment count");
        List<TraceFragment> fragments = new ArrayList<>(fragmentCount);
        for (int i = 0; i < fragmentCount; i++) {
            TraceId traceId = new TraceId(in.readLong("trace id"), in.readLong("trace id"));
            int fragmentSpans = in.readInt("fragment span count");
            long start = in.readLong("start nanos");
            long end = in.readLong("end nanos");
            byte[] data = in.readBytes(in.readLength("traces data length"));
            fragments.add(new TraceFragment(traceId, data, fragmentSpans, start, end));
        }
        if (in.remaining() != 0) {
            throw new MalformedBatchException(in.remaining() + " unexpected bytes after the last fragment at offset "
                    + in.pos);
        }
        return new IngestBatch(tenant, List.copyOf(fragments), spanCount, byteSize);
    }

    private static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static void putVarint(ByteBuffer out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - pos;
        }

        int readByte(String what) {
            require(1, what);
            return bytes[pos++] & 0xFF;
        }

        long readLong(String what) {
            require(8, what);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (bytes[pos++] & 0xFFL);
            }
            return v;
        }

        long readVarint64(String what) {
            int start = pos;
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= bytes.length) {
                    throw malformed(start, what + " is cut off");
                }
                byte b = bytes[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    if (shift == 63 && (b & 0x7E) != 0) {
                        break; // more than 64 bits
                    }
                    return value;
                }
            }
            throw malformed(start, what + " is not a valid varint");
        }

        int readInt(String what) {
            int start = pos;
            long value = readVarint64(what);
            if ((value >>> 32) != 0) {
                throw malformed(start, what + " " + Long.toUnsignedString(value) + " does not fit in 32 bits");
            }
            return (int) value;
        }

        /** A byte length, which must not exceed what is left. */
        int readLength(String what) {
            int start = pos;
            long value = readVarint64(what);
            if (Long.compareUnsigned(value, remaining()) > 0) {
                throw malformed(start, what + " " + Long.toUnsignedString(value) + " exceeds the "
                        + remaining() + " bytes left");
            }
            return (int) value;
        }

        /** A count of items that each take at least {@code minItemBytes}, so it is bounded by what is left. */
        int readCount(int minItemBytes, String what) {
            int start = pos;
            long value = readVarint64(what);
            if (Long.compareUnsigned(value, remaining() / minItemBytes) > 0) {
                throw malformed(start, what + " " + Long.toUnsignedString(value) + " is impossible in the "
                        + remaining() + " bytes left");
            }
            return (int) value;
        }

        byte[] readBytes(int length) {
            byte[] out = Arrays.copyOfRange(bytes, pos, pos + length);
            pos += length;
            return out;
        }

        String readUtf8(int length, String what) {
            try {
                String s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, pos, length))
                        .toString();
                pos += length;
                return s;
            } catch (CharacterCodingException e) {
                throw malformed(pos, what + " is not valid UTF-8");
            }
        }

        private void require(int n, String what) {
            if (remaining() < n) {
                throw malformed(pos, what + " is cut off: needs " + n + " bytes, " + remaining() + " left");
            }
        }

        private static MalformedBatchException malformed(int offset, String message) {
            return new MalformedBatchException("malformed ingest batch at byte " + offset + ": " + message);
        }
    }
}
