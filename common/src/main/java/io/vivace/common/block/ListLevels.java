package io.vivace.common.block;

import io.vivace.common.block.parquet.ColumnCursor;

/** Walking the nested lists of a row by their repetition and definition levels, column cursor by column cursor. */
final class ListLevels {

    private ListLevels() {
    }

    /** Whether the list starting at the cursor's next entry has elements; an empty one's entry is consumed. */
    static boolean startsList(ColumnCursor column, int depth) {
        if (column.def() < depth) {
            column.skip();
            return false;
        }
        return true;
    }

    /** Whether the list starting at {@code first}'s next entry has elements; an empty one's entries are consumed. */
    static boolean startsList(ColumnCursor first, int depth, ColumnCursor[] leaves) {
        if (first.def() < depth) {
            skipAll(leaves);
            return false;
        }
        return true;
    }

    /** Whether the list being read has another element: the column's next entry repeats at the list's depth. */
    static boolean continues(ColumnCursor column, int depth) {
        return column.hasMore() && column.rep() == depth;
    }

    static void skipAll(ColumnCursor[] columns) {
        for (ColumnCursor column : columns) {
            column.skip();
        }
    }
}
