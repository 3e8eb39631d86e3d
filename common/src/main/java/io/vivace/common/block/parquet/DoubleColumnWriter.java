package io.vivace.common.block.parquet;

import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.DoubleStatistics;
import org.apache.parquet.column.statistics.Statistics;

/** A DOUBLE column, PLAIN. */
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
            LittleEndian.putLong(bytes, at + 8 * i, Double.doubleToRawLongBits(data[i]));
        }
        return Encoding.PLAIN;
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
