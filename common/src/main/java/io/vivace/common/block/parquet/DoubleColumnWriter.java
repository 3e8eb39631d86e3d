package io.vivace.common.block.parquet;

import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.DoubleStatistics;
import org.apache.parquet.column.statistics.Statistics;

/**
 * A DOUBLE column, BYTE_STREAM_SPLIT: byte k of every value in stream k, so the sign/exponent bytes of values of
 * similar magnitude stand together and compress, where PLAIN interleaves them with random mantissa bytes.
 */
public final class DoubleColumnWriter extends ColumnWriter {

    private double[] data = new double[64];

    DoubleColumnWriter(ColumnDescriptor column, PageBuilder pages) {
        super(column, pages);
    }

    public void write(double value, int rl) {
        addValueLevels(rl);
        if (values == data.length) {
            data = Arrays.copyOf(data, values * 2);
        }
        data[values++] = value;
    }

    @Override
    Encoding encodeValues(GrowableBytes body) {
        int at = body.reserve(values * 8);
        byte[] bytes = body.array();
        for (int i = 0; i < values; i++) {
            long bits = Double.doubleToRawLongBits(data[i]);
            for (int k = 0; k < 8; k++) {
                bytes[at + k * values + i] = (byte) (bits >>> (8 * k));
            }
        }
        return Encoding.BYTE_STREAM_SPLIT;
    }

    /** Through parquet's own statistics: NaN and signed zeros have rules of their own. */
    @Override
    void addMinMax(Statistics<?> statistics) {
        DoubleStatistics doubles = (DoubleStatistics) statistics;
        for (int i = 0; i < values; i++) {
            doubles.updateStats(data[i]);
        }
    }

    @Override
    int estimatedValueBytes() {
        return values * 8;
    }
}
