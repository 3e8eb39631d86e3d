package io.vivace.common.block;

import io.vivace.common.block.parquet.ColumnCursor;
import java.util.Arrays;

/** The cursors of one {@code Attrs} list placed on a row; the cursor of a column that is not read is null. */
final class AttrCursors {
    final int depth;
    final ColumnCursor key;
    final ColumnCursor isArray;
    final ColumnCursor value;
    final ColumnCursor valueInt;
    final ColumnCursor valueDouble;
    final ColumnCursor valueBool;
    final ColumnCursor unsupported;
    final ColumnCursor[] leaves;

    AttrCursors(TraceColumns.Attrs columns, ColumnCursor[] cursors) {
        depth = columns.depth();
        key = cursors[columns.key()];
        isArray = cursors[columns.isArray()];
        value = cursors[columns.value()];
        valueInt = cursors[columns.valueInt()];
        valueDouble = cursors[columns.valueDouble()];
        valueBool = cursors[columns.valueBool()];
        unsupported = cursors[columns.unsupported()];
        leaves = readAmong(cursors, columns.leaves());
    }

    /** The read cursors among {@code columns}: what an empty list above them leaves one entry in. */
    static ColumnCursor[] readAmong(ColumnCursor[] cursors, int[] columns) {
        return Arrays.stream(columns).mapToObj(c -> cursors[c]).filter(c -> c != null).toArray(ColumnCursor[]::new);
    }
}
