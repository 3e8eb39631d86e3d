package io.vivace.common.block.parquet;

import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.BooleanStatistics;
import org.apache.parquet.column.statistics.Statistics;

/** A BOOLEAN column, PLAIN (one bit per value, least significant bit first). */
public final class BooleanColumnWriter extends ColumnWriter {

    private boolean[] data = new boolean[64];
    private int trues;

    BooleanColumnWriter(ColumnDescriptor column, PageBuilder pages) {
        super(column, pages);
    }

    public void write(boolean value, int rl) {
        addValueLevels(rl);
        if (values == data.length) {
            data = Arrays.copyOf(data, values * 2);
        }
        data[values++] = value;
        if (value) {
            trues++;
        }
    }

    @Override
    Encoding encodeValues(GrowableBytes body) {
        int at = body.reserve((values + 7) / 8);
        byte[] bytes = body.array();
        Arrays.fill(bytes, at, at + (values + 7) / 8, (byte) 0);
        for (int i = 0; i < values; i++) {
            if (data[i]) {
                bytes[at + (i >>> 3)] |= (byte) (1 << (i & 7));
            }
        }
        return Encoding.PLAIN;
    }

    @Override
    void addMinMax(Statistics<?> statistics) {
        BooleanStatistics booleans = (BooleanStatistics) statistics;
        booleans.updateStats(trues == values);
        booleans.updateStats(trues > 0);
    }

    @Override
    int estimatedValueBytes() {
        return (values + 7) / 8;
    }

    @Override
    void resetPage() {
        trues = 0;
    }
}
