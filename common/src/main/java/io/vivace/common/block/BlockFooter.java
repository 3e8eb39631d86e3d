package io.vivace.common.block;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/** Reads the Parquet footer of a block's data file: trailer and footer in one read when the footer size is known. */
final class BlockFooter {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private BlockFooter() {
    }

    /**
     * The row groups of the file, after checking its schema is {@code expected}.
     *
     * @param footerSize the footer's length from {@code meta.json}, or 0 when unknown (then two reads)
     */
    static List<BlockMetaData> read(DataFile file, int footerSize, MessageType expected) throws IOException {
        long length = file.length();
        try (DataFile.Reads reads = file.open()) {
            int tail = footerSize > 0 ? footerSize + 8 : 8;
            if (length < tail + MAGIC.length) {
                throw new IOException("not a Parquet file: " + length + " bytes");
            }
            byte[] bytes = reads.read(length - tail, tail);
            if (!Arrays.equals(bytes, tail - 4, tail, MAGIC, 0, 4)) {
                throw new IOException("not a Parquet file: no PAR1 at the end");
            }
            int actual = Integer.reverseBytes(java.nio.ByteBuffer.wrap(bytes, tail - 8, 4).getInt());
            if (actual != footerSize) {
                if (actual <= 0 || actual > length - 12) {
                    throw new IOException("bad Parquet footer length " + actual);
                }
                bytes = reads.read(length - 8 - actual, actual + 8);
            }
            ParquetMetadata footer = new ParquetMetadataConverter().fromParquetMetadata(
                    Util.readFileMetaData(new ByteArrayInputStream(bytes, 0, actual)));
            MessageType schema = footer.getFileMetaData().getSchema();
            if (!schema.equals(expected)) {
                throw new IOException("unexpected block schema: " + schema);
            }
            return footer.getBlocks();
        }
    }
}
