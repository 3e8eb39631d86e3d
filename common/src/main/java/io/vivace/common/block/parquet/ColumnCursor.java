package io.vivace.common.block.parquet;

import java.io.IOException;
import java.util.Arrays;

/**
 * Walks one column's entries a row at a time: the entries of the current row in order, each with its levels and,
 * when not null, its value. Either positioned on one row of one page (a lookup) or walking every row of a column
 * chunk, page after page (a scan). Assembling nested records from several cursors needs only {@link #rep()},
 * {@link #def()} and the {@code next*} reads.
 */
public final class ColumnCursor {

    /** The pages of a column chunk in order; null after the last. */
    public interface Pages {
        ColumnPage next() throws IOException;
    }

    private final int maxDef;
    private final Pages pages;
    private ColumnPage page;
    private int row;
    private int pos;
    private int valuePos;
    private int rowEnd;

    private ColumnCursor(int maxDef, Pages pages, ColumnPage page) {
        this.maxDef = maxDef;
        this.pages = pages;
        this.page = page;
    }

    /** A cursor on row {@code row} (counted from the page's first row) of {@code page}. */
    public static ColumnCursor atRow(ColumnPage page, int row) {
        if (row < 0 || row >= page.rows()) {
            throw new IllegalArgumentException("row " + row + " outside a page of " + page.rows() + " rows");
        }
        ColumnCursor cursor = new ColumnCursor(page.column.getMaxDefinitionLevel(), null, page);
        cursor.row = row;
        cursor.pos = page.rowStarts[row];
        cursor.rowEnd = page.rowStarts[row + 1];
        cursor.valuePos = page.rowValueStarts[row];
        return cursor;
    }

    /** A cursor before the first row of a column chunk; call {@link #nextRow()} before each row. */
    public static ColumnCursor overChunk(int maxDefinitionLevel, Pages pages) {
        ColumnCursor cursor = new ColumnCursor(maxDefinitionLevel, pages, null);
        cursor.row = -1;
        return cursor;
    }

    /** Moves to the next row of the chunk, reading the next page when this one is done. */
    public void nextRow() throws IOException {
        if (pages == null) {
            throw new IllegalStateException("a cursor on one row cannot move");
        }
        requireRowDone();
        row++;
        while (page == null || row >= page.rows()) {
            page = pages.next();
            if (page == null) {
                throw new IllegalStateException("column chunk has fewer rows than its row group");
            }
            row = 0;
            pos = 0;
            valuePos = 0;
        }
        rowEnd = page.rowStarts[row + 1];
    }

    /** Fails unless every entry of the current row has been read. */
    public void requireRowDone() {
        if (page != null && pos != rowEnd) {
            throw new IllegalStateException("column " + Arrays.toString(page.column.getPath()) + ": "
                    + (rowEnd - pos) + " entries of the row left unread");
        }
    }

    /** Whether the current row has an entry left. */
    public boolean hasMore() {
        return pos < rowEnd;
    }

    public int rep() {
        return page.rep == null ? 0 : page.rep[pos];
    }

    public int def() {
        return page.def == null ? 0 : page.def[pos];
    }

    /** Whether the next entry has a value. */
    public boolean present() {
        return def() == maxDef;
    }

    /** Passes over the next entry, null or not. */
    public void skip() {
        if (present()) {
            valuePos++;
        }
        pos++;
    }

    public long nextLong() {
        pos++;
        return page.longs[valuePos++];
    }

    public double nextDouble() {
        pos++;
        return page.doubles[valuePos++];
    }

    public boolean nextBoolean() {
        pos++;
        return page.booleans[valuePos++];
    }

    /** The next value of a BYTE_ARRAY column as UTF-8 text. */
    public String nextString() {
        pos++;
        int v = valuePos++;
        if (page.ids != null) {
            return page.dictionary.string(page.ids[v]);
        }
        return new String(page.bytes, page.starts[v], page.lengths[v], java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the current page holds dictionary ids: then {@link #nextDictionaryId()} and {@link #dictionary()} apply. */
    public boolean dictionaryEncoded() {
        return page.ids != null;
    }

    /** The dictionary of the current page (null unless {@link #dictionaryEncoded()}). */
    public ByteArrayDictionary dictionary() {
        return page.dictionary;
    }

    /** The next value of a dictionary-encoded BYTE_ARRAY page, as its dictionary id. */
    public int nextDictionaryId() {
        pos++;
        return page.ids[valuePos++];
    }

    /** Passes over the rest of the current row's entries. */
    public void skipRow() {
        while (pos < rowEnd) {
            skip();
        }
    }

    /** The next value of a BYTE_ARRAY column, copied. */
    public byte[] nextBytes() {
        pos++;
        int v = valuePos++;
        if (page.ids != null) {
            ByteArrayDictionary d = page.dictionary;
            int id = page.ids[v];
            return Arrays.copyOfRange(d.data(), d.start(id), d.start(id) + d.length(id));
        }
        return Arrays.copyOfRange(page.bytes, page.starts[v], page.starts[v] + page.lengths[v]);
    }
}
