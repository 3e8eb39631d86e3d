package io.vivace.common.block.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageLocation;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;

/**
 * Where the pages of one column chunk lie in the file: the dictionary page (if any) from the footer, the data
 * pages from the chunk's offset index. Enough to read exactly the page holding a row.
 *
 * @param dictionaryLength 0 when the chunk has no dictionary page
 * @param firstRows        the row (within the row group) each page starts at, ascending
 */
public record ChunkLayout(ColumnDescriptor column, CompressionCodecName codec, long dictionaryOffset, int dictionaryLength,
                          long[] pageOffsets, int[] pageLengths, long[] firstRows) {

    /** Reads bytes of the file. */
    public interface Source {
        byte[] read(long offset, int length) throws IOException;
    }

    /** The layout of every column of a row group, reading all their offset indexes in one read. */
    public static ChunkLayout[] ofRowGroup(BlockMetaData group, List<ColumnDescriptor> columns, Source file) throws IOException {
        List<ColumnChunkMetaData> chunks = group.getColumns();
        if (chunks.size() != columns.size()) {
            throw new IOException("row group has " + chunks.size() + " columns, the schema " + columns.size());
        }
        long start = Long.MAX_VALUE;
        long end = 0;
        for (ColumnChunkMetaData chunk : chunks) {
            IndexReference index = chunk.getOffsetIndexReference();
            if (index == null) {
                throw new IOException("column " + chunk.getPath() + " has no offset index");
            }
            start = Math.min(start, index.getOffset());
            end = Math.max(end, index.getOffset() + index.getLength());
        }
        byte[] indexes = file.read(start, Math.toIntExact(end - start));
        ChunkLayout[] layouts = new ChunkLayout[chunks.size()];
        for (int c = 0; c < chunks.size(); c++) {
            ColumnChunkMetaData chunk = chunks.get(c);
            if (!Arrays.equals(chunk.getPath().toArray(), columns.get(c).getPath())) {
                throw new IOException("row group column " + c + " is " + chunk.getPath() + ", expected "
                        + Arrays.toString(columns.get(c).getPath()));
            }
            IndexReference reference = chunk.getOffsetIndexReference();
            OffsetIndex index = Util.readOffsetIndex(
                    new ByteArrayInputStream(indexes, (int) (reference.getOffset() - start), reference.getLength()));
            layouts[c] = of(columns.get(c), chunk, index.getPage_locations());
        }
        return layouts;
    }

    private static ChunkLayout of(ColumnDescriptor column, ColumnChunkMetaData chunk, List<PageLocation> locations) {
        int pages = locations.size();
        long[] offsets = new long[pages];
        int[] lengths = new int[pages];
        long[] firstRows = new long[pages];
        for (int p = 0; p < pages; p++) {
            PageLocation location = locations.get(p);
            offsets[p] = location.getOffset();
            lengths[p] = location.getCompressed_page_size();
            firstRows[p] = location.getFirst_row_index();
        }
        boolean dictionary = chunk.hasDictionaryPage();
        long dictionaryOffset = dictionary ? chunk.getDictionaryPageOffset() : 0;
        int dictionaryLength = dictionary ? Math.toIntExact(chunk.getFirstDataPageOffset() - dictionaryOffset) : 0;
        return new ChunkLayout(column, chunk.getCodec(), dictionaryOffset, dictionaryLength, offsets, lengths, firstRows);
    }

    public int pageCount() {
        return pageOffsets.length;
    }

    /** The page holding {@code row} (within the row group). */
    public int pageOf(long row) {
        int i = Arrays.binarySearch(firstRows, row);
        return i >= 0 ? i : -i - 2;
    }

    /** Where the chunk's bytes start (its dictionary page, else its first data page). */
    public long start() {
        return dictionaryLength > 0 ? dictionaryOffset : pageOffsets[0];
    }

    /** Where the chunk's last page ends. */
    public long end() {
        int last = pageOffsets.length - 1;
        return pageOffsets[last] + pageLengths[last];
    }
}
