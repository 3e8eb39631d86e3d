package io.vivace.common.block.parquet;

import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * An INT32 or INT64 column, DELTA_BINARY_PACKED, PLAIN or BYTE_STREAM_SPLIT, whichever compresses smallest on the
 * chunk's first page of at least {@value #DECIDING_VALUES} values (pages before it are DELTA_BINARY_PACKED). Deltas
 * suit sorted or slowly changing values; values that jump between a few magnitudes (the generic {@code ValueInt} of
 * many keys) compress better PLAIN, and better still split into byte streams when they are random below their top
 * bytes (durations, offsets): the high bytes, mostly zero, then stand together. INT32 values arrive as longs holding
 * the int.
 */
public final class LongColumnWriter extends ColumnWriter {

    private final boolean int32;
    private final boolean unsigned;
    private static final int DECIDING_VALUES = 64;
    /** In order of preference when two compress to the same size. */
    private static final List<Encoding> CANDIDATES = List.of(Encoding.DELTA_BINARY_PACKED, Encoding.PLAIN, Encoding.BYTE_STREAM_SPLIT);

    private long[] data = new long[64];
    /** The chunk's encoding once its first large enough page chose it, else null. */
    private Encoding chunkEncoding;

    LongColumnWriter(ColumnDescriptor column, PageBuilder pages) {
        super(column, pages);
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        if (type != PrimitiveTypeName.INT32 && type != PrimitiveTypeName.INT64) {
            throw new IllegalArgumentException(column + " is not an integer column");
        }
        int32 = type == PrimitiveTypeName.INT32;
        unsigned = column.getPrimitiveType().getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                && !i.isSigned();
    }

    public void write(long value, int rl) {
        addValueLevels(rl);
        if (values == data.length) {
            data = Arrays.copyOf(data, values * 2);
        }
        data[values++] = value;
    }

    @Override
    Encoding encodeValues(GrowableBytes body) {
        if (chunkEncoding == null && values >= DECIDING_VALUES) {
            chunkEncoding = smallestEncoding();
        }
        Encoding encoding = chunkEncoding == null ? Encoding.DELTA_BINARY_PACKED : chunkEncoding;
        encode(encoding, body);
        return encoding;
    }

    private void encode(Encoding encoding, GrowableBytes out) {
        switch (encoding) {
            case PLAIN -> writePlain(out);
            case BYTE_STREAM_SPLIT -> writeByteStreamSplit(out);
            default -> pages.delta.encode(data, values, int32, out);
        }
    }

    private Encoding smallestEncoding() {
        Encoding smallest = null;
        int smallestSize = Integer.MAX_VALUE;
        for (Encoding candidate : CANDIDATES) {
            GrowableBytes trial = pages.trial;
            trial.reset();
            encode(candidate, trial);
            int size = pages.compressedSize(trial);
            if (size < smallestSize) {
                smallest = candidate;
                smallestSize = size;
            }
        }
        return smallest;
    }

    /** Byte k of every value in stream k. */
    private void writeByteStreamSplit(GrowableBytes out) {
        int width = int32 ? 4 : 8;
        int at = out.reserve(values * width);
        byte[] bytes = out.array();
        for (int k = 0; k < width; k++) {
            int stream = at + k * values;
            int shift = 8 * k;
            for (int i = 0; i < values; i++) {
                bytes[stream + i] = (byte) (data[i] >>> shift);
            }
        }
    }

    private void writePlain(GrowableBytes out) {
        int width = int32 ? 4 : 8;
        int at = out.reserve(values * width);
        byte[] bytes = out.array();
        for (int i = 0; i < values; i++) {
            if (int32) {
                LittleEndian.putInt(bytes, at + 4 * i, (int) data[i]);
            } else {
                LittleEndian.putLong(bytes, at + 8 * i, data[i]);
            }
        }
    }

    @Override
    void resetChunk() {
        chunkEncoding = null;
    }

    @Override
    void addMinMax(Statistics<?> statistics) {
        long min = data[0];
        long max = min;
        long minKey = orderKey(min);
        long maxKey = minKey;
        for (int i = 1; i < values; i++) {
            long v = data[i];
            long key = orderKey(v);
            if (key < minKey) {
                minKey = key;
                min = v;
            } else if (key > maxKey) {
                maxKey = key;
                max = v;
            }
        }
        if (int32) {
            ((IntStatistics) statistics).updateStats((int) min);
            ((IntStatistics) statistics).updateStats((int) max);
        } else {
            ((LongStatistics) statistics).updateStats(min);
            ((LongStatistics) statistics).updateStats(max);
        }
    }

    /** A signed long that orders values as the column's type does (unsigned types compare unsigned). */
    private long orderKey(long v) {
        if (!unsigned) {
            return v;
        }
        return int32 ? v & 0xFFFFFFFFL : v ^ Long.MIN_VALUE;
    }

    @Override
    int estimatedValueBytes() {
        return values * (int32 ? 4 : 8);
    }
}
