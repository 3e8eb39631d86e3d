package io.vivace.common.block;

import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ChunkLayout;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.block.parquet.ColumnPage;
import io.vivace.common.block.parquet.PageCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads chosen rows of one row group from a set of its columns (all those OTLP is rebuilt from, {@link #otlp}, or
 * those a search query needs, {@link #columns}): for a batch of rows (ascending), reads from each column the pages
 * holding them in a few coalesced reads, decodes each page once (the last decoded page of each column is kept for
 * the next batch) only up to the batch's last row in it (again, further, when a later batch needs more) and
 * reassembles each row from cursors placed on it. Rows between them are never decoded into objects, and pages
 * holding none of them are not read.
 */
final class RowMaterializer {

    /** Turns the cursors placed on one row (by column position; the materializer's columns set) into a record. */
    interface RowReader<T> {
        /** @param readBytes this row's share of the bytes the batch read */
        T read(ColumnCursor[] cursors, long readBytes);
    }

    /** Pages someone else (the condition test) has decoded whole already. */
    interface DecodedPages {
        DecodedPages NONE = (column, page) -> null;

        /** The page decoded whole, or null when it is not at hand. */
        ColumnPage decodedPage(int column, int page) throws IOException;
    }

    private final int[] columns;
    private final DecodedPages shared;
    private final BackendBlock block;
    private final int group;
    private final ChunkLayout[] layout;
    private final DataFile.Reads reads;
    private final PageCodec codec;
    private final ColumnPage[] decoded;
    private final CoalescedReads.Slice[] decodedSlice;
    private final int[] decodedPage;
    private final ByteArrayDictionary[] dictionaries;

    /** Rebuilds rows as OTLP from every column but those computed at write time. */
    static RowMaterializer otlp(BackendBlock block, int group, ChunkLayout[] layout, DataFile.Reads reads, PageCodec codec) {
        return new RowMaterializer(block, group, layout, reads, codec, block.otlpColumns(), DecodedPages.NONE);
    }

    /**
     * Reads rows from those of {@code columns} (positions in the schema) the block has (the others' cursors are
     * null), taking the pages {@code shared} has decoded instead of reading and decoding them again.
     */
    static RowMaterializer columns(BackendBlock block, int group, ChunkLayout[] layout, DataFile.Reads reads,
                                   PageCodec codec, int[] columns, DecodedPages shared) {
        return new RowMaterializer(block, group, layout, reads, codec,
                Arrays.stream(columns).filter(c -> layout[c] != null).toArray(), shared);
    }

    private RowMaterializer(BackendBlock block, int group, ChunkLayout[] layout, DataFile.Reads reads, PageCodec codec,
                            int[] columns, DecodedPages shared) {
        this.columns = columns.clone();
        this.shared = shared;
        this.decoded = new ColumnPage[columns.length];
        this.decodedSlice = new CoalescedReads.Slice[columns.length];
        this.decodedPage = new int[columns.length];
        this.dictionaries = new ByteArrayDictionary[columns.length];
        this.block = block;
        this.group = group;
        this.layout = layout;
        this.reads = reads;
        this.codec = codec;
        Arrays.fill(decodedPage, -1);
    }

    /** The rows {@code rows[from..to)}, ascending, rebuilt as OTLP, in that order (for {@link #otlp}). */
    List<TraceRecord> read(int[] rows, int from, int to) throws IOException {
        return read(rows, from, to, (cursors, bytes) -> block.rowReader(cursors).read());
    }

    /** The rows {@code rows[from..to)}, ascending, as {@code reader} makes them, in that order. */
    <T> List<T> read(int[] rows, int from, int to, RowReader<T> reader) throws IOException {
        List<Long> offsets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        // Per column, the pages of this batch in order and where their bytes will be in the read.
        int[][] pages = new int[columns.length][];
        int[][] sliceOf = new int[columns.length][];
        ColumnPage[][] sharedPages = new ColumnPage[columns.length][];
        int[] dictionarySlice = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            ChunkLayout chunk = layout[columns[i]];
            int[] needed = pagesOf(chunk, rows, from, to);
            pages[i] = needed;
            sliceOf[i] = new int[needed.length];
            sharedPages[i] = new ColumnPage[needed.length];
            boolean anyRead = false;
            for (int p = 0; p < needed.length; p++) {
                sharedPages[i][p] = shared.decodedPage(columns[i], needed[p]);
                if (needed[p] == decodedPage[i] || sharedPages[i][p] != null) {
                    sliceOf[i][p] = -1;
                    continue;
                }
                anyRead = true;
                sliceOf[i][p] = offsets.size();
                offsets.add(chunk.pageOffsets()[needed[p]]);
                lengths.add(chunk.pageLengths()[needed[p]]);
            }
            dictionarySlice[i] = -1;
            if (anyRead && chunk.dictionaryLength() > 0 && dictionaries[i] == null) {
                dictionaries[i] = block.cachedDictionary(group, columns[i]);
                if (dictionaries[i] == null) {
                    dictionarySlice[i] = offsets.size();
                    offsets.add(chunk.dictionaryOffset());
                    lengths.add(chunk.dictionaryLength());
                }
            }
        }
        long readBytes = 0;
        for (int length : lengths) {
            readBytes += length;
        }
        CoalescedReads.Slice[] slices = CoalescedReads.read(reads, offsets.stream().mapToLong(Long::longValue).toArray(),
                lengths.stream().mapToInt(Integer::intValue).toArray(), block.dataFile().coalesceGap());
        for (int i = 0; i < columns.length; i++) {
            if (dictionarySlice[i] >= 0) {
                CoalescedReads.Slice d = slices[dictionarySlice[i]];
                dictionaries[i] = block.dictionaryOf(group, columns[i], layout[columns[i]], d.bytes(), d.offset(), codec);
            }
        }
        List<T> out = new ArrayList<>(to - from);
        int[] at = new int[columns.length];
        ColumnCursor[] cursors = new ColumnCursor[TraceColumns.COUNT];
        for (int k = from; k < to; k++) {
            int row = rows[k];
            for (int i = 0; i < columns.length; i++) {
                ChunkLayout chunk = layout[columns[i]];
                int page = chunk.pageOf(row);
                int rowInPage = Math.toIntExact(row - chunk.firstRows()[page]);
                if (page != decodedPage[i]) {
                    while (pages[i][at[i]] != page) {
                        at[i]++;
                    }
                    decodedPage[i] = page;
                    decoded[i] = sharedPages[i][at[i]];
                    decodedSlice[i] = decoded[i] == null ? slices[sliceOf[i][at[i]]] : null;
                }
                if (decoded[i] == null || rowInPage >= decoded[i].rows()) {
                    // Only up to the batch's last row in this page: a search stopping early decodes little.
                    CoalescedReads.Slice s = decodedSlice[i];
                    int last = lastRowIn(chunk, page, rows, k, to);
                    decoded[i] = ColumnPage.decode(chunk, s.bytes(), s.offset(), s.length(), codec, dictionaries[i],
                            Math.toIntExact(last - chunk.firstRows()[page] + 1));
                }
                cursors[columns[i]] = ColumnCursor.atRow(decoded[i], rowInPage);
            }
            long share = readBytes / (to - from) + (k == from ? readBytes % (to - from) : 0);
            T record = reader.read(cursors, share);
            for (int column : columns) {
                cursors[column].requireRowDone();
            }
            out.add(record);
        }
        return out;
    }

    /** The last of {@code rows[k..to)} (ascending, {@code rows[k]} in {@code page}) in that page of the chunk. */
    private static int lastRowIn(ChunkLayout chunk, int page, int[] rows, int k, int to) {
        long end = page + 1 < chunk.pageCount() ? chunk.firstRows()[page + 1] : Long.MAX_VALUE;
        int last = rows[k];
        for (int j = k + 1; j < to && rows[j] < end; j++) {
            last = rows[j];
        }
        return last;
    }

    /** The distinct pages of the chunk holding {@code rows[from..to)}, ascending. */
    private static int[] pagesOf(ChunkLayout chunk, int[] rows, int from, int to) {
        int[] pages = new int[to - from];
        int n = 0;
        for (int k = from; k < to; k++) {
            int page = chunk.pageOf(rows[k]);
            if (n == 0 || pages[n - 1] != page) {
                pages[n++] = page;
            }
        }
        return Arrays.copyOf(pages, n);
    }
}
