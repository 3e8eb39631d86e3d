package io.vivace.common.block.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;

/**
 * One leaf column of the row group being written. The caller hands over each entry with its repetition level
 * (and, for a null, its definition level); a value's definition level is always the column's maximum. Entries
 * collect into the open page, which is encoded and compressed when a row ends and the page is full; compressed
 * pages collect until the row group is written.
 *
 * <p>Pages are data page v1: levels and values compressed together, since the levels of sparse columns (empty
 * lists, absent optional attributes) compress to almost nothing but would cost bytes per entry uncompressed.
 */
public abstract sealed class ColumnWriter permits BinaryColumnWriter, BooleanColumnWriter, DoubleColumnWriter, LongColumnWriter {

    final ColumnDescriptor column;
    final int maxRep;
    final int maxDef;
    final PageBuilder pages;
    private final int levelBits;

    private byte[] rep = new byte[64];
    private byte[] def = new byte[64];
    /** Entries (levels) in the open page. */
    int entries;
    /** Non-null values in the open page. */
    int values;
    private int pageRows;

    private final GrowableBytes chunk = new GrowableBytes(1024);
    private final List<PageInfo> chunkPages = new ArrayList<>();
    private long chunkEntries;

    ColumnWriter(ColumnDescriptor column, PageBuilder pages) {
        this.column = column;
        this.maxRep = column.getMaxRepetitionLevel();
        this.maxDef = column.getMaxDefinitionLevel();
        this.pages = pages;
        this.levelBits = RleHybridEncoder.bitWidth(maxRep) + RleHybridEncoder.bitWidth(maxDef);
    }

    public final ColumnDescriptor descriptor() {
        return column;
    }

    /** An entry without a value: an empty list or absent optional field at {@code dl}. */
    public final void writeNull(int rl, int dl) {
        addLevels(rl, dl);
    }

    /** The levels of a value. */
    final void addValueLevels(int rl) {
        addLevels(rl, maxDef);
    }

    private void addLevels(int rl, int dl) {
        if (entries == rep.length) {
            rep = Arrays.copyOf(rep, entries * 2);
            def = Arrays.copyOf(def, entries * 2);
        }
        rep[entries] = (byte) rl;
        def[entries] = (byte) dl;
        entries++;
    }

    /**
     * Called after every row: closes the page once it holds enough rows and entries, or enough bytes. Returns the
     * bytes held for the row group: compressed pages, the open page, the dictionary.
     */
    final long endRow() {
        pageRows++;
        int pageBytes = estimatedPageBytes();
        if ((pageRows >= pages.pageRowCountLimit && entries >= pages.pageMinEntryCount) || pageBytes >= pages.pageSizeBytes) {
            flushPage();
            pageBytes = 0;
        }
        return chunk.size() + pageBytes + dictionaryBytes();
    }

    private int estimatedPageBytes() {
        return (int) (((long) entries * levelBits + 7) / 8) + estimatedValueBytes();
    }

    final void flushPage() {
        if (entries == 0) {
            return;
        }
        GrowableBytes body = pages.body;
        body.reset();
        long[] repHistogram = maxRep > 0 ? pages.levels(rep, entries, maxRep) : null;
        long[] defHistogram = maxDef > 0 ? pages.levels(def, entries, maxDef) : null;
        Encoding encoding = encodeValues(body);
        Statistics<?> statistics = Statistics.createStats(column.getPrimitiveType());
        if (values > 0) {
            addMinMax(statistics);
        }
        statistics.incrementNumNulls(entries - values);
        SizeStatistics sizes = new SizeStatistics(column.getPrimitiveType(), unencodedByteArrayBytes(),
                histogram(maxRep > 0 ? repHistogram : null), histogram(maxDef > 1 ? defHistogram : null));
        int offset = chunk.size();
        int compressed = pages.compress(body, chunk);
        chunkPages.add(new PageInfo(offset, compressed, body.size(), entries, pageRows, encoding, statistics, sizes));
        chunkEntries += entries;
        entries = 0;
        values = 0;
        pageRows = 0;
        resetPage();
    }

    /** Size statistics omit the histogram of a level whose maximum is 0 (and of definition levels up to 1). */
    private static List<Long> histogram(long[] counts) {
        if (counts == null) {
            return List.of();
        }
        List<Long> histogram = new ArrayList<>(counts.length);
        for (long c : counts) {
            histogram.add(c);
        }
        return histogram;
    }

    /** Writes this column's chunk of the row group (dictionary page, then the data pages) and starts a new one. */
    final void writeChunk(ParquetFileWriter out) throws IOException {
        flushPage();
        out.startColumn(column, chunkEntries, pages.codecName);
        writeDictionaryPage(out);
        for (PageInfo page : chunkPages) {
            out.writeDataPage(page.entries(), page.uncompressedSize(),
                    BytesInput.from(chunk.array(), page.offset(), page.compressedSize()), page.statistics(), page.rows(),
                    Encoding.RLE, Encoding.RLE, page.encoding(), null, null, page.sizes());
        }
        out.endColumn();
        chunk.reset();
        chunkPages.clear();
        chunkEntries = 0;
        resetChunk();
    }

    /** Appends the open page's values to the page body and returns their encoding. */
    abstract Encoding encodeValues(GrowableBytes body);

    /** Sets min and max of the open page's values (there is at least one). */
    abstract void addMinMax(Statistics<?> statistics);

    abstract int estimatedValueBytes();

    /** Forgets the open page's values; {@link #values} is already 0. */
    void resetPage() {
    }

    long unencodedByteArrayBytes() {
        return 0;
    }

    int dictionaryBytes() {
        return 0;
    }

    void writeDictionaryPage(ParquetFileWriter out) throws IOException {
    }

    void resetChunk() {
    }

    private record PageInfo(int offset, int compressedSize, int uncompressedSize, int entries, int rows,
                            Encoding encoding, Statistics<?> statistics, SizeStatistics sizes) {
    }
}
