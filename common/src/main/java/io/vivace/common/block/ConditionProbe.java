package io.vivace.common.block;

import io.vivace.common.block.parquet.ColumnCursor;
import java.io.IOException;

/**
 * Tests one condition on the columns that can hold its attribute, a row at a time, marking the spans that pass.
 * A condition on an attribute that may sit in several places (a dedicated column, the generic list, span or
 * resource for an unscoped name) has one probe per place, all marking the same bit: a span passes when any does.
 */
interface ConditionProbe {

    /** Schema positions of the columns this probe reads. */
    int[] columns();

    /** Starts a row group: takes its own cursors, positioned before the first row. */
    void start(Cursors cursors) throws IOException;

    /** Reads the next row of its columns and sets {@code bit} in the masks of the spans that pass. */
    void row(RowSpans row, long bit) throws IOException;

    /** Fresh cursors over the decoded chunks of the current row group. */
    interface Cursors {
        ColumnCursor cursor(int column) throws IOException;
    }
}
