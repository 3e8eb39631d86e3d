package io.vivace.common.block.parquet;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a Parquet file whose rows the caller hands over column by column, with the levels it computed itself:
 * no record shredding, no per-value virtual dispatch through parquet's record consumer. parquet-java's
 * {@link ParquetFileWriter} still lays out the file (page headers, column and offset indexes, footer), so the
 * result is an ordinary Parquet file. A row group is written once the buffered data reaches the row-group size.
 * Not thread-safe.
 */
public final class ColumnFileWriter implements AutoCloseable {

    private final ParquetFileWriter file;
    private final ColumnWriter[] columns;
    private final long rowGroupSizeBytes;
    private final PageCodec codec;
    private final Map<String, String> keyValueMetadata;
    private long rowsInGroup;
    private boolean closed;

    /**
     * @param dictionaryColumns dotted paths of the BYTE_ARRAY columns to dictionary-encode
     * @param pageSizeBytes     most bytes of a data page (levels and values, before compression) and of a dictionary
     * @param pageRowCountLimit rows after which a data page closes, once it holds {@code pageMinEntryCount} entries
     * @param pageMinEntryCount entries a data page holds at least before it closes at {@code pageRowCountLimit} rows
     *                          (it still closes at {@code pageSizeBytes})
     * @param zstdLevel         the zstd compression level, when {@code codec} is zstd
     */
    public ColumnFileWriter(OutputFile output, MessageType schema, Set<String> dictionaryColumns, long rowGroupSizeBytes,
                            int pageSizeBytes, int pageRowCountLimit, int pageMinEntryCount, CompressionCodecName codec,
                            int zstdLevel, Map<String, String> keyValueMetadata) throws IOException {
        this.file = new ParquetFileWriter(output, schema, ParquetFileWriter.Mode.OVERWRITE, rowGroupSizeBytes, 0,
                ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH, ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
        List<ColumnDescriptor> descriptors = schema.getColumns();
        this.rowGroupSizeBytes = rowGroupSizeBytes;
        this.codec = new PageCodec(zstdLevel);
        this.keyValueMetadata = keyValueMetadata;
        PageBuilder pages = new PageBuilder(this.codec, codec, pageSizeBytes, pageRowCountLimit, pageMinEntryCount);
        columns = new ColumnWriter[descriptors.size()];
        for (int i = 0; i < columns.length; i++) {
            ColumnDescriptor column = descriptors.get(i);
            columns[i] = switch (column.getPrimitiveType().getPrimitiveTypeName()) {
                case INT32, INT64 -> new LongColumnWriter(column, pages);
                case DOUBLE -> new DoubleColumnWriter(column, pages);
                case BOOLEAN -> new BooleanColumnWriter(column, pages);
                case BINARY -> new BinaryColumnWriter(column, pages, dictionaryColumns.contains(String.join(".", column.getPath())));
                default -> throw new IllegalArgumentException("unsupported column type: " + column);
            };
        }
        file.start();
    }

    /** The writer of leaf column {@code index} (in {@code schema.getColumns()} order). */
    public ColumnWriter column(int index) {
        return columns[index];
    }

    /** Ends the row every column has just received its entries for. */
    public void endRow() throws IOException {
        long buffered = 0;
        for (ColumnWriter column : columns) {
            buffered += column.endRow();
        }
        rowsInGroup++;
        if (buffered >= rowGroupSizeBytes) {
            writeRowGroup();
        }
    }

    private void writeRowGroup() throws IOException {
        file.startBlock(rowsInGroup);
        for (ColumnWriter column : columns) {
            column.writeChunk(file);
        }
        file.endBlock();
        rowsInGroup = 0;
    }

    /** The footer; after {@link #close()}. */
    public ParquetMetadata footer() {
        return file.getFooter();
    }

    /** Writes the last row group and the footer. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (rowsInGroup > 0) {
                writeRowGroup();
            }
            file.end(keyValueMetadata);
        } finally {
            codec.close();
        }
    }
}
