package io.vivace.common.block;

import io.vivace.common.block.parquet.ColumnCursor;
import java.util.Arrays;

/**
 * The spans of the current row as the scanner sees them: how many, which resource each belongs to, and per span
 * the bit set of conditions it passed so far. Spans are numbered in column order (the order of every span-level
 * column), resources likewise.
 */
final class RowSpans {

    int spans;
    int resources;
    int[] spanResource = new int[64];
    long[] masks = new long[64];

    /** Numbers the row's spans and resources from a required span-level column, consuming its entries. */
    void read(ColumnCursor spanColumn) {
        spans = 0;
        resources = 0;
        while (spanColumn.hasMore()) {
            int rep = spanColumn.rep();
            int def = spanColumn.def();
            if (rep <= TraceColumns.RS_DEPTH && def >= TraceColumns.RS_DEPTH) {
                resources++;
            }
            if (rep <= TraceColumns.SPANS_DEPTH && def >= TraceColumns.SPANS_DEPTH) {
                if (spans == masks.length) {
                    masks = Arrays.copyOf(masks, 2 * spans);
                    spanResource = Arrays.copyOf(spanResource, 2 * spans);
                }
                spanResource[spans] = resources - 1;
                masks[spans++] = 0;
            }
            spanColumn.skip();
        }
    }

    /** Whether a span passed every condition of {@code all}. */
    boolean anySpanHasAll(long all) {
        for (int s = 0; s < spans; s++) {
            if ((masks[s] & all) == all) {
                return true;
            }
        }
        return false;
    }

    /** Whether, for every {@code i}, at least {@code minSpans[i]} spans passed every condition of {@code masks[i]}. */
    boolean meets(long[] required, int[] minSpans) {
        for (int i = 0; i < required.length; i++) {
            int found = 0;
            for (int s = 0; s < spans && found < minSpans[i]; s++) {
                if ((masks[s] & required[i]) == required[i]) {
                    found++;
                }
            }
            if (found < minSpans[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a span passed at least one condition. */
    boolean anySpanHasAny() {
        for (int s = 0; s < spans; s++) {
            if (masks[s] != 0) {
                return true;
            }
        }
        return false;
    }
}
