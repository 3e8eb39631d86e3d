package io.vivace.common.block;

import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ColumnCursor;
import java.io.IOException;
import org.apache.parquet.column.statistics.Statistics;

/**
 * Tests one condition on the columns that can hold its attribute, a row at a time, marking the spans that pass.
 * A condition on an attribute that may sit in several places (a dedicated column, the generic list, span or
 * resource for an unscoped name) has one probe per place, all marking the same bit: a span passes when any does.
 */
interface ConditionProbe {

    /** Schema positions of the columns this probe reads. */
    int[] columns();

    /**
     * Whether a value of the row group can pass, judged from the chunks' footer statistics and dictionaries without
     * reading rows; true when unsure. A probe that cannot pass is not run on the group.
     */
    boolean mayPass(Chunks chunks) throws IOException;

    /** Starts a row group: takes its own cursors, positioned before the first row. */
    void start(Chunks chunks) throws IOException;

    /** Reads the next row of its columns and sets {@code bit} in the masks of the spans that pass. */
    void row(RowSpans row, long bit) throws IOException;

    /** The column chunks of the current row group. */
    interface Chunks {
        /** A fresh cursor before the chunk's first row. */
        ColumnCursor cursor(int column) throws IOException;

        /** The chunk's dictionary when every data page of the chunk is dictionary-encoded, else null. */
        ByteArrayDictionary completeDictionary(int column) throws IOException;

        /** The chunk's footer statistics (may be null or empty). */
        Statistics<?> statistics(int column);
    }

    /** False when the statistics say the chunk holds no value at all (every entry null). */
    static boolean mayHoldValues(Statistics<?> stats) {
        return stats == null || stats.isEmpty() || stats.hasNonNullValue();
    }
}
