package io.vivace.common.block;

import io.vivace.common.block.parquet.PageCodec;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How blocks are written.
 *
 * @param rowGroupSizeBytes  target size of a row group; the writer holds about one row group in memory
 * @param pageSizeBytes      target size of a data page and of a dictionary page (before compression)
 * @param pageRowCountLimit  rows (traces) after which a page closes once it also holds {@code pageMinEntryCount}
 *                           entries; small pages make a lookup decode less
 * @param pageMinEntryCount  entries (levels, one per value or null) a page holds at least before it closes at
 *                           {@code pageRowCountLimit} rows: a sparse column (trace-level, resource, events, absent
 *                           attributes) then gets pages of as many entries as a span column's, not of 100 rows of a
 *                           few entries each, each with its header, compression frame and index entries
 *                           (docs/decisions/0704); 0 cuts every page at {@code pageRowCountLimit} rows
 * @param compression        page compression of every column
 * @param bloomFalsePositive target false-positive rate of the trace-ID bloom filter
 * @param bloomShardSizeBytes size of one bloom shard object, rounded up to a power of two (the filter format needs it)
 * @param zstdLevel          zstd level when {@code compression} is zstd: 1 for blocks cut by the ingester, higher for
 *                           compaction output (background work, read many times; docs/decisions/0701)
 */
public record BlockConfig(long rowGroupSizeBytes, int pageSizeBytes, int pageRowCountLimit, int pageMinEntryCount,
                          Compression compression, double bloomFalsePositive, int bloomShardSizeBytes, int zstdLevel) {

    /** zstd level of compaction output: 6 stored 5.7% fewer bytes than 1 for about the same compaction CPU; 9 cost 40% more CPU for 0.4% fewer. */
    public static final int DEFAULT_COMPACTION_ZSTD_LEVEL = 6;
    /** The levels zstd accepts (its negative "fast" levels aside). */
    public static final int MAX_ZSTD_LEVEL = 22;
    /**
     * Below the entries of a span column in 100 traces of 10 or more spans, so those pages still close at 100 rows,
     * while a trace-level column gets pages of 1000 rows (docs/decisions/0704: 2000 stored 0.7 B/span less but made
     * span pages of 12-span traces 167 rows long, and lookups and limited searches up to a third slower).
     */
    public static final int DEFAULT_PAGE_MIN_ENTRY_COUNT = 1000;

    public enum Compression {
        ZSTD(CompressionCodecName.ZSTD),
        SNAPPY(CompressionCodecName.SNAPPY),
        GZIP(CompressionCodecName.GZIP),
        UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED);

        final CompressionCodecName parquet;

        Compression(CompressionCodecName parquet) {
            this.parquet = parquet;
        }
    }

    /**
     * Tempo's defaults where Tempo has one (100 MB row groups, fp 0.01, 100 KiB shards). Pages are small — 64 KiB, or
     * 100 traces once they hold 1000 entries — because a lookup decompresses one data page of every column: with the
     * parquet-java reader ({@code BlockBenchmark}), 1000-trace 256 KiB pages cost 28 ms of CPU per lookup, these 9 ms.
     */
    public static final BlockConfig DEFAULT = new BlockConfig(100_000_000L, 64 * 1024, 100, DEFAULT_PAGE_MIN_ENTRY_COUNT,
            Compression.ZSTD, 0.01, 100 * 1024, PageCodec.DEFAULT_ZSTD_LEVEL);

    public BlockConfig {
        if (rowGroupSizeBytes <= 0 || pageSizeBytes <= 0 || pageRowCountLimit <= 0) {
            throw new IllegalArgumentException("row group size, page size and page row count limit must be positive");
        }
        if (pageMinEntryCount < 0) {
            throw new IllegalArgumentException("page minimum entry count must not be negative: " + pageMinEntryCount);
        }
        if (!(bloomFalsePositive > 0 && bloomFalsePositive < 1)) {
            throw new IllegalArgumentException("bloom false-positive rate must be in (0, 1): " + bloomFalsePositive);
        }
        if (bloomShardSizeBytes < TraceIdBloom.MIN_SHARD_BYTES || bloomShardSizeBytes > TraceIdBloom.MAX_SHARD_BYTES) {
            throw new IllegalArgumentException("bloom shard size must be between " + TraceIdBloom.MIN_SHARD_BYTES
                    + " and " + TraceIdBloom.MAX_SHARD_BYTES + " bytes: " + bloomShardSizeBytes);
        }
        if (compression == null) {
            throw new IllegalArgumentException("compression is required");
        }
        if (zstdLevel < 1 || zstdLevel > MAX_ZSTD_LEVEL) {
            throw new IllegalArgumentException("zstd level must be between 1 and " + MAX_ZSTD_LEVEL + ": " + zstdLevel);
        }
    }

    public BlockConfig withRowGroupSizeBytes(long bytes) {
        return new BlockConfig(bytes, pageSizeBytes, pageRowCountLimit, pageMinEntryCount, compression, bloomFalsePositive, bloomShardSizeBytes, zstdLevel);
    }

    public BlockConfig withPageSizeBytes(int bytes) {
        return new BlockConfig(rowGroupSizeBytes, bytes, pageRowCountLimit, pageMinEntryCount, compression, bloomFalsePositive, bloomShardSizeBytes, zstdLevel);
    }

    public BlockConfig withPageRowCountLimit(int rows) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, rows, pageMinEntryCount, compression, bloomFalsePositive, bloomShardSizeBytes, zstdLevel);
    }

    public BlockConfig withPageMinEntryCount(int entries) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, pageRowCountLimit, entries, compression, bloomFalsePositive, bloomShardSizeBytes, zstdLevel);
    }

    public BlockConfig withCompression(Compression codec) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, pageRowCountLimit, pageMinEntryCount, codec, bloomFalsePositive, bloomShardSizeBytes, zstdLevel);
    }

    public BlockConfig withZstdLevel(int level) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, pageRowCountLimit, pageMinEntryCount, compression, bloomFalsePositive, bloomShardSizeBytes, level);
    }

    public BlockConfig withBloom(double falsePositive, int shardSizeBytes) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, pageRowCountLimit, pageMinEntryCount, compression, falsePositive, shardSizeBytes, zstdLevel);
    }
}
